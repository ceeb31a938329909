#include "tributary/format/parquet/thrift_compact_internal.h"

#include <cstring>

namespace tributary::parquet::internal {

void CompactWriter::FieldHeader(int16_t id, ThriftType type) {
  int delta = id - last_field_id_;
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    // Long form: the type byte, then the field id as a zigzag varint i16.
    out_->push_back(static_cast<char>(type));
    WriteVarint(ZigZag32(id));
  }
  last_field_id_ = id;
}

void CompactWriter::ListBegin(ThriftType element_type, int64_t size) {
  if (size < 15) {
    out_->push_back(static_cast<char>((size << 4) | static_cast<int>(element_type)));
  } else {
    out_->push_back(static_cast<char>(0xF0 | static_cast<int>(element_type)));
    WriteVarint(static_cast<uint64_t>(size));
  }
}

bool CompactReader::NextField(int16_t* id, ThriftType* type) {
  if (!ok()) return false;
  if (pos_ >= size_) {
    Fail("truncated struct");
    return false;
  }
  uint8_t header = data_[pos_++];
  if (header == 0) return false;  // stop field
  *type = static_cast<ThriftType>(header & 0x0F);
  int delta = header >> 4;
  if (delta != 0) {
    *id = static_cast<int16_t>(last_field_id_ + delta);
  } else {
    *id = static_cast<int16_t>(ReadI32());
  }
  last_field_id_ = *id;
  return ok();
}

void CompactReader::ListBegin(ThriftType* element_type, int64_t* size) {
  uint8_t header = static_cast<uint8_t>(ReadByte());
  *element_type = static_cast<ThriftType>(header & 0x0F);
  *size = header >> 4;
  if (*size == 15) *size = static_cast<int64_t>(ReadVarint());
  if (*size < 0 || static_cast<uint64_t>(*size) > size_) {
    Fail("list size out of range");
    *size = 0;
  }
  if (!ok()) *size = 0;
}

uint64_t CompactReader::ReadVarint() {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= size_) {
      Fail("truncated varint");
      return 0;
    }
    uint8_t byte = data_[pos_++];
    result |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return result;
  }
  Fail("varint longer than 10 bytes");
  return 0;
}

int8_t CompactReader::ReadByte() {
  if (pos_ >= size_) {
    Fail("truncated byte");
    return 0;
  }
  return static_cast<int8_t>(data_[pos_++]);
}

double CompactReader::ReadDouble() {
  if (size_ - pos_ < 8 || pos_ > size_) {
    Fail("truncated double");
    return 0;
  }
  double value;
  std::memcpy(&value, data_ + pos_, 8);
  pos_ += 8;
  return value;
}

std::string_view CompactReader::ReadBinary() {
  uint64_t length = ReadVarint();
  if (!ok() || length > size_ - pos_) {
    Fail("binary value longer than the input");
    return {};
  }
  std::string_view value(reinterpret_cast<const char*>(data_ + pos_), length);
  pos_ += length;
  return value;
}

void CompactReader::Skip(ThriftType type, int depth) {
  if (depth > 64) {
    Fail("nesting deeper than 64");
    return;
  }
  switch (type) {
    case ThriftType::kBoolTrue:
    case ThriftType::kBoolFalse:
      return;  // the value is in the field header
    case ThriftType::kByte:
      ReadByte();
      return;
    case ThriftType::kI16:
    case ThriftType::kI32:
    case ThriftType::kI64:
      ReadVarint();
      return;
    case ThriftType::kDouble:
      ReadDouble();
      return;
    case ThriftType::kBinary:
      ReadBinary();
      return;
    case ThriftType::kList:
    case ThriftType::kSet: {
      ThriftType element;
      int64_t size;
      ListBegin(&element, &size);
      for (int64_t i = 0; i < size && ok(); ++i) {
        if (element == ThriftType::kBoolTrue || element == ThriftType::kBoolFalse) {
          ReadByte();
        } else {
          Skip(element, depth + 1);
        }
      }
      return;
    }
    case ThriftType::kMap: {
      uint64_t size = ReadVarint();
      if (size == 0) return;
      uint8_t types = static_cast<uint8_t>(ReadByte());
      auto key = static_cast<ThriftType>(types >> 4);
      auto value = static_cast<ThriftType>(types & 0x0F);
      for (uint64_t i = 0; i < size && ok(); ++i) {
        for (ThriftType t : {key, value}) {
          if (t == ThriftType::kBoolTrue || t == ThriftType::kBoolFalse) {
            ReadByte();
          } else {
            Skip(t, depth + 1);
          }
        }
      }
      return;
    }
    case ThriftType::kStruct: {
      BeginStruct();
      int16_t id;
      ThriftType field_type;
      while (NextField(&id, &field_type)) Skip(field_type, depth + 1);
      EndStruct();
      return;
    }
  }
  Fail("unknown thrift type " + std::to_string(static_cast<int>(type)));
}

void CompactReader::Fail(std::string_view what) {
  if (error_.empty()) {
    error_ = std::string(what) + " at byte " + std::to_string(pos_);
    pos_ = size_;
  }
}

}  // namespace tributary::parquet::internal
