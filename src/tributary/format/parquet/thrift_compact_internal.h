#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tributary::parquet::internal {

/// Element and field types of Thrift's compact protocol.
enum class ThriftType : uint8_t {
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

/// Appends Thrift compact-protocol encoding to a string. The caller drives the
/// structure: BeginStruct/EndStruct around fields, Field* for each present field in
/// increasing id order, ListBegin before list elements. Not thread-safe.
class CompactWriter {
 public:
  explicit CompactWriter(std::string* out) : out_(out) {}

  void FieldI32(int16_t id, int32_t value) {
    FieldHeader(id, ThriftType::kI32);
    WriteVarint(ZigZag32(value));
  }
  void FieldI16(int16_t id, int16_t value) {
    FieldHeader(id, ThriftType::kI16);
    WriteVarint(ZigZag32(value));
  }
  void FieldI64(int16_t id, int64_t value) {
    FieldHeader(id, ThriftType::kI64);
    WriteVarint(ZigZag64(value));
  }
  void FieldByte(int16_t id, int8_t value) {
    FieldHeader(id, ThriftType::kByte);
    out_->push_back(static_cast<char>(value));
  }
  void FieldBool(int16_t id, bool value) {
    FieldHeader(id, value ? ThriftType::kBoolTrue : ThriftType::kBoolFalse);
  }
  void FieldBinary(int16_t id, std::string_view value) {
    FieldHeader(id, ThriftType::kBinary);
    Binary(value);
  }
  /// Starts a struct-valued field; close it with EndStruct().
  void FieldStructBegin(int16_t id) {
    FieldHeader(id, ThriftType::kStruct);
    BeginStruct();
  }
  /// Starts a list-valued field with `size` elements of `element_type`.
  void FieldListBegin(int16_t id, ThriftType element_type, int64_t size) {
    FieldHeader(id, ThriftType::kList);
    ListBegin(element_type, size);
  }

  /// Starts a struct that is a list element or the top-level value.
  void BeginStruct() {
    field_id_stack_.push_back(last_field_id_);
    last_field_id_ = 0;
  }
  void EndStruct() {
    out_->push_back(0);  // stop field
    last_field_id_ = field_id_stack_.back();
    field_id_stack_.pop_back();
  }

  void ListBegin(ThriftType element_type, int64_t size);
  /// Bare values, used for list elements.
  void I32(int32_t value) { WriteVarint(ZigZag32(value)); }
  void I64(int64_t value) { WriteVarint(ZigZag64(value)); }
  void Binary(std::string_view value) {
    WriteVarint(value.size());
    out_->append(value);
  }

  void WriteVarint(uint64_t value) {
    while (value >= 0x80) {
      out_->push_back(static_cast<char>((value & 0x7F) | 0x80));
      value >>= 7;
    }
    out_->push_back(static_cast<char>(value));
  }
  static uint32_t ZigZag32(int32_t v) {
    return (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31);
  }
  static uint64_t ZigZag64(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  }

 private:
  void FieldHeader(int16_t id, ThriftType type);

  std::string* out_;
  int16_t last_field_id_ = 0;
  std::vector<int16_t> field_id_stack_;
};

/// Decodes Thrift compact-protocol input. Errors are sticky: after the first
/// malformed or truncated read, ok() is false, every read returns zero values and
/// error() says what and at which byte offset. Not thread-safe.
class CompactReader {
 public:
  CompactReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  /// Bytes consumed so far.
  size_t position() const { return pos_; }

  /// Starts reading a struct's fields; pair with EndStruct() after the stop field.
  void BeginStruct() {
    field_id_stack_.push_back(last_field_id_);
    last_field_id_ = 0;
  }
  void EndStruct() {
    last_field_id_ = field_id_stack_.empty() ? 0 : field_id_stack_.back();
    if (!field_id_stack_.empty()) field_id_stack_.pop_back();
  }
  /// Reads the next field header. Returns false at the stop field (or on error).
  /// For boolean fields the value is in `*type` (kBoolTrue / kBoolFalse).
  bool NextField(int16_t* id, ThriftType* type);
  /// Reads a list (or set) header.
  void ListBegin(ThriftType* element_type, int64_t* size);

  uint64_t ReadVarint();
  int32_t ReadI32() { return static_cast<int32_t>(UnZigZag(ReadVarint())); }
  int64_t ReadI64() { return UnZigZag(ReadVarint()); }
  int8_t ReadByte();
  double ReadDouble();
  /// A binary/string value; views into the input.
  std::string_view ReadBinary();
  /// The value of a boolean field given its header type, or a boolean list element.
  bool FieldBool(ThriftType type) const { return type == ThriftType::kBoolTrue; }
  bool ReadBoolElement() { return ReadByte() == 1; }

  /// Skips one value of `type` (nested structs, lists and maps included).
  void Skip(ThriftType type, int depth = 0);

  /// Records an error (the first one wins).
  void Fail(std::string_view what);

 private:
  static int64_t UnZigZag(uint64_t v) {
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  }

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  std::string error_;
  int16_t last_field_id_ = 0;
  std::vector<int16_t> field_id_stack_;
};

}  // namespace tributary::parquet::internal
