#include "tributary/base/json.h"

#include <cassert>
#include <cmath>

#include <fmt/format.h>

#include "tributary/base/json_internal.h"

namespace tributary {

std::string_view JsonKindName(JsonValue::Kind kind) {
  switch (kind) {
    case JsonValue::Kind::kNull: return "null";
    case JsonValue::Kind::kBool: return "boolean";
    case JsonValue::Kind::kInt: return "integer";
    case JsonValue::Kind::kDouble: return "number";
    case JsonValue::Kind::kString: return "string";
    case JsonValue::Kind::kArray: return "array";
    case JsonValue::Kind::kObject: return "object";
  }
  return "unknown";
}

// ---------------------------------------------------------------------------------
// JsonValue

const JsonValue* JsonValue::Find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const Member& member : members()) {
    if (member.first == key) return &member.second;
  }
  return nullptr;
}

JsonValue* JsonValue::Find(std::string_view key) {
  return const_cast<JsonValue*>(static_cast<const JsonValue*>(this)->Find(key));
}

void JsonValue::Set(std::string key, JsonValue value) {
  if (JsonValue* existing = Find(key)) {
    *existing = std::move(value);
    return;
  }
  mutable_members().emplace_back(std::move(key), std::move(value));
}

namespace {

Result<const JsonValue*> FindKind(const JsonValue& object, std::string_view key, JsonValue::Kind kind) {
  if (!object.is_object()) {
    return Status::Invalid("cannot read field '{}' of a JSON {}", key, JsonKindName(object.kind()));
  }
  const JsonValue* member = object.Find(key);
  if (member == nullptr) return Status::Invalid("field '{}' is missing", key);
  bool matches = member->kind() == kind || (kind == JsonValue::Kind::kDouble && member->is_int());
  if (!matches) {
    return Status::Invalid("field '{}' must be {} {}, got {}", key,
                           kind == JsonValue::Kind::kInt || kind == JsonValue::Kind::kArray ||
                                   kind == JsonValue::Kind::kObject
                               ? "an"
                               : "a",
                           JsonKindName(kind), JsonKindName(member->kind()));
  }
  return member;
}

}  // namespace

Result<std::string> JsonValue::GetString(std::string_view key) const {
  TRIB_ASSIGN_OR_RETURN(const JsonValue* member, FindKind(*this, key, Kind::kString));
  return member->string_value();
}

Result<int64_t> JsonValue::GetInt(std::string_view key) const {
  TRIB_ASSIGN_OR_RETURN(const JsonValue* member, FindKind(*this, key, Kind::kInt));
  return member->int_value();
}

Result<double> JsonValue::GetDouble(std::string_view key) const {
  TRIB_ASSIGN_OR_RETURN(const JsonValue* member, FindKind(*this, key, Kind::kDouble));
  return member->number_value();
}

Result<bool> JsonValue::GetBool(std::string_view key) const {
  TRIB_ASSIGN_OR_RETURN(const JsonValue* member, FindKind(*this, key, Kind::kBool));
  return member->bool_value();
}

Result<const JsonValue*> JsonValue::GetObject(std::string_view key) const {
  return FindKind(*this, key, Kind::kObject);
}

Result<const JsonValue*> JsonValue::GetArray(std::string_view key) const {
  return FindKind(*this, key, Kind::kArray);
}

void AppendJsonDouble(std::string* out, double value) {
  if (!std::isfinite(value)) {
    out->append("null");
    return;
  }
  size_t start = out->size();
  fmt::format_to(std::back_inserter(*out), "{}", value);
  // fmt writes 1.0 as "1"; keep a fraction so that the value reads back as a double.
  bool integral_looking = true;
  for (size_t i = start; i < out->size(); ++i) {
    char c = (*out)[i];
    if (c == '.' || c == 'e' || c == 'E') {
      integral_looking = false;
      break;
    }
  }
  if (integral_looking) out->append(".0");
}

void JsonValue::SerializeTo(std::string* out) const {
  switch (kind()) {
    case Kind::kNull: out->append("null"); break;
    case Kind::kBool: out->append(bool_value() ? "true" : "false"); break;
    case Kind::kInt: fmt::format_to(std::back_inserter(*out), "{}", int_value()); break;
    case Kind::kDouble: AppendJsonDouble(out, double_value()); break;
    case Kind::kString: AppendJsonString(out, string_value()); break;
    case Kind::kArray: {
      out->push_back('[');
      bool first = true;
      for (const JsonValue& element : array()) {
        if (!first) out->push_back(',');
        first = false;
        element.SerializeTo(out);
      }
      out->push_back(']');
      break;
    }
    case Kind::kObject: {
      out->push_back('{');
      bool first = true;
      for (const Member& member : members()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(out, member.first);
        out->push_back(':');
        member.second.SerializeTo(out);
      }
      out->push_back('}');
      break;
    }
  }
}

std::string JsonValue::Serialize() const {
  std::string out;
  SerializeTo(&out);
  return out;
}

// ---------------------------------------------------------------------------------
// String escaping

using json_internal::Utf8SequenceLength;

void AppendJsonString(std::string* out, std::string_view text) {
  out->push_back('"');
  size_t pos = 0;
  while (pos < text.size()) {
    // Copy the run of bytes that need no escaping in one go.
    size_t run = pos;
    while (run < text.size()) {
      auto c = static_cast<unsigned char>(text[run]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++run;
    }
    out->append(text.data() + pos, run - pos);
    pos = run;
    if (pos >= text.size()) break;
    auto c = static_cast<unsigned char>(text[pos]);
    if (c >= 0x80) {
      size_t length = Utf8SequenceLength(text, pos);
      if (length == 0) {
        out->append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
        ++pos;
      } else {
        out->append(text.data() + pos, length);
        pos += length;
      }
      continue;
    }
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default: fmt::format_to(std::back_inserter(*out), "\\u{:04x}", static_cast<unsigned>(c)); break;
    }
    ++pos;
  }
  out->push_back('"');
}


// ---------------------------------------------------------------------------------
// JsonWriter

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  assert((is_object_.empty() || !is_object_.back()) && "a value inside an object needs a Key() first");
  if (!empty_.empty()) {
    if (!empty_.back()) out_.push_back(',');
    empty_.back() = false;
  }
}

JsonWriter& JsonWriter::StartObject() {
  BeforeValue();
  out_.push_back('{');
  empty_.push_back(true);
  is_object_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  assert(!is_object_.empty() && is_object_.back() && !after_key_);
  out_.push_back('}');
  empty_.pop_back();
  is_object_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::StartArray() {
  BeforeValue();
  out_.push_back('[');
  empty_.push_back(true);
  is_object_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  assert(!is_object_.empty() && !is_object_.back());
  out_.push_back(']');
  empty_.pop_back();
  is_object_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  assert(!is_object_.empty() && is_object_.back() && !after_key_);
  if (!empty_.back()) out_.push_back(',');
  empty_.back() = false;
  AppendJsonString(&out_, key);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(&out_, value);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t value) {
  BeforeValue();
  fmt::format_to(std::back_inserter(out_), "{}", value);
  return *this;
}

JsonWriter& JsonWriter::Double(double value) {
  BeforeValue();
  AppendJsonDouble(&out_, value);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_.append(value ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_.append("null");
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_.append(json);
  return *this;
}

JsonWriter& JsonWriter::Value(const JsonValue& value) {
  BeforeValue();
  value.SerializeTo(&out_);
  return *this;
}

std::string JsonWriter::Finish() {
  std::string result = std::move(out_);
  out_.clear();
  empty_.clear();
  is_object_.clear();
  after_key_ = false;
  return result;
}

}  // namespace tributary
