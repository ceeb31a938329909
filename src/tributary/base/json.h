#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "tributary/base/result.h"

namespace tributary {

/// A JSON document tree for metadata: Delta log actions, checkpoint offset and commit
/// files, schema strings. Not meant for row data (the format readers use simdjson).
///
/// Integers that fit in int64 stay integers (kInt), distinct from doubles (kDouble),
/// so that versions, sizes and timestamps survive a round trip exactly. Objects keep
/// their members in insertion order. A value owns its children; copying copies deeply.
class JsonValue {
 public:
  enum class Kind : unsigned char { kNull, kBool, kInt, kDouble, kString, kArray, kObject };
  using Array = std::vector<JsonValue>;
  using Member = std::pair<std::string, JsonValue>;
  using Object = std::vector<Member>;

  JsonValue() = default;
  JsonValue(std::nullptr_t) {}                                             // NOLINT
  JsonValue(bool value) : value_(value) {}                                 // NOLINT
  /// Any integer type except bool and char; unsigned values above INT64_MAX wrap.
  template <typename T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char>)
  JsonValue(T value) : value_(static_cast<int64_t>(value)) {}              // NOLINT
  JsonValue(double value) : value_(value) {}                               // NOLINT
  JsonValue(std::string value) : value_(std::move(value)) {}               // NOLINT
  JsonValue(std::string_view value) : value_(std::string(value)) {}        // NOLINT
  JsonValue(const char* value) : value_(std::string(value)) {}             // NOLINT
  JsonValue(Array values) : value_(std::move(values)) {}                   // NOLINT
  JsonValue(Object members) : value_(std::move(members)) {}                // NOLINT

  /// An empty array / object.
  static JsonValue MakeArray() { return JsonValue(Array{}); }
  static JsonValue MakeObject() { return JsonValue(Object{}); }

  Kind kind() const { return static_cast<Kind>(value_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_int() const { return kind() == Kind::kInt; }
  bool is_double() const { return kind() == Kind::kDouble; }
  bool is_number() const { return is_int() || is_double(); }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_array() const { return kind() == Kind::kArray; }
  bool is_object() const { return kind() == Kind::kObject; }

  /// Unchecked accessors. REQUIRES: the matching kind (number_value: either number).
  bool bool_value() const { return std::get<bool>(value_); }
  int64_t int_value() const { return std::get<int64_t>(value_); }
  double double_value() const { return std::get<double>(value_); }
  double number_value() const { return is_int() ? static_cast<double>(int_value()) : double_value(); }
  const std::string& string_value() const { return std::get<std::string>(value_); }
  const Array& array() const { return std::get<Array>(value_); }
  Array& mutable_array() { return std::get<Array>(value_); }
  const Object& members() const { return std::get<Object>(value_); }
  Object& mutable_members() { return std::get<Object>(value_); }

  /// The member named `key` of an object, or nullptr when absent or when this value
  /// is not an object. With duplicate keys the first one wins.
  const JsonValue* Find(std::string_view key) const;
  JsonValue* Find(std::string_view key);

  /// Sets member `key` of an object, replacing an existing one in place or appending
  /// it at the end. REQUIRES: is_object().
  void Set(std::string key, JsonValue value);
  /// Appends to an array. REQUIRES: is_array().
  void Append(JsonValue value) { mutable_array().push_back(std::move(value)); }

  /// Typed member getters for objects. They fail with Invalid naming `key` when the
  /// member is missing or has another kind, e.g. "field 'size' is missing" or
  /// "field 'size' must be an integer, got string".
  Result<std::string> GetString(std::string_view key) const;
  Result<int64_t> GetInt(std::string_view key) const;
  /// Accepts integers too.
  Result<double> GetDouble(std::string_view key) const;
  Result<bool> GetBool(std::string_view key) const;
  Result<const JsonValue*> GetObject(std::string_view key) const;
  Result<const JsonValue*> GetArray(std::string_view key) const;

  /// Compact JSON text (no whitespace), members in order. Doubles use the shortest
  /// form that reads back to the same value and keep a ".0" so they stay doubles;
  /// NaN and infinities, which JSON cannot hold, are written as null.
  std::string Serialize() const;
  void SerializeTo(std::string* out) const;

  /// Deep equality; an int and a double are never equal.
  bool operator==(const JsonValue& other) const { return value_ == other.value_; }

 private:
  std::variant<std::monostate, bool, int64_t, double, std::string, Array, Object> value_;
};

/// Returns the name of a kind: "null", "boolean", "integer", "number", "string",
/// "array", "object".
std::string_view JsonKindName(JsonValue::Kind kind);

/// Options for ParseJson.
struct JsonParseOptions {
  /// Object members whose key is one of these keep their value's exact source text
  /// (validated, without surrounding whitespace) as a string value instead of a
  /// tree, at any depth outside such a value. For parts of a document that are
  /// stored and written back verbatim, such as Delta's column "metadata".
  std::vector<std::string> raw_keys;
};

/// Parses one JSON text (RFC 8259, strict: no comments, no trailing commas, no NaN,
/// valid UTF-8 only, surrounding whitespace allowed). Integers that do not fit in
/// int64 become doubles. Errors are Invalid and give the byte offset, e.g.
/// "invalid JSON at byte 17: expected ':' after object key".
Result<JsonValue> ParseJson(std::string_view text);
Result<JsonValue> ParseJson(std::string_view text, const JsonParseOptions& options);

/// Parses newline-delimited JSON (Delta commit files, checkpoint offset files after
/// their version line): one value per line, blank lines skipped, "\r\n" accepted.
/// Errors name the 1-based line, e.g. "line 3: invalid JSON at byte 5: ...", where
/// the byte offset is within that line.
Result<std::vector<JsonValue>> ParseJsonLines(std::string_view text);

/// Appends `text` as a quoted JSON string: '"' and '\\' and control characters are
/// escaped, valid UTF-8 is copied as is, and each byte of invalid UTF-8 becomes
/// U+FFFD so that the output is always valid JSON.
void AppendJsonString(std::string* out, std::string_view text);

/// Builds compact JSON text without a tree. Commas and colons are inserted by the
/// writer; the caller only balances Start/End calls and puts a Key before each
/// object member. Misuse (a value without a key inside an object) is a programming
/// error checked by assertions in debug builds.
class JsonWriter {
 public:
  JsonWriter& StartObject();
  JsonWriter& EndObject();
  JsonWriter& StartArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  /// Same rules as JsonValue::Serialize.
  JsonWriter& Double(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  /// Inserts already-serialized JSON (e.g. a stored metadata object) as one value.
  JsonWriter& Raw(std::string_view json);
  JsonWriter& Value(const JsonValue& value);

  /// The text so far.
  const std::string& str() const { return out_; }
  /// Moves the text out and resets the writer.
  std::string Finish();

 private:
  void BeforeValue();

  std::string out_;
  // One entry per open object/array: true while it is still empty.
  std::vector<bool> empty_;
  std::vector<bool> is_object_;
  bool after_key_ = false;
};

/// Appends the JSON form of a double (see JsonValue::Serialize).
void AppendJsonDouble(std::string* out, double value);

}  // namespace tributary
