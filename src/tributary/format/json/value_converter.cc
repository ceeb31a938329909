#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "tributary/columnar/temporal.h"
#include "tributary/format/json/json_text_internal.h"
#include "tributary/format/json/value_converter_internal.h"

namespace tributary::json {

using columnar::ColumnBuilder;
using columnar::DataType;
using columnar::TypeId;
using simdjson::dom::element;
using simdjson::dom::element_type;

void AsciiLower(std::string_view text, std::string* out) {
  out->assign(text);
  for (char& c : *out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

TypePlan MakeTypePlan(const DataType& type, bool case_sensitive) {
  TypePlan plan;
  plan.type = &type;
  switch (type.id()) {
    case TypeId::kStruct: {
      plan.names.resize(type.fields().size());
      for (size_t i = 0; i < type.fields().size(); ++i) {
        if (case_sensitive) {
          plan.names[i] = type.fields()[i].name;
        } else {
          AsciiLower(type.fields()[i].name, &plan.names[i]);
        }
        plan.children.push_back(MakeTypePlan(*type.fields()[i].type, case_sensitive));
      }
      // Keys view `names`, which no longer moves; the first of duplicates wins.
      for (size_t i = 0; i < plan.names.size(); ++i) plan.members.emplace(plan.names[i], static_cast<int>(i));
      break;
    }
    case TypeId::kArray:
      plan.children.push_back(MakeTypePlan(*type.element_type(), case_sensitive));
      break;
    case TypeId::kMap:
      plan.children.push_back(MakeTypePlan(*type.value_type(), case_sensitive));
      break;
    default:
      break;
  }
  return plan;
}

bool HasOnlyStringMapKeys(const DataType& type) {
  switch (type.id()) {
    case TypeId::kStruct:
      for (const auto& field : type.fields()) {
        if (!HasOnlyStringMapKeys(*field.type)) return false;
      }
      return true;
    case TypeId::kArray:
      return HasOnlyStringMapKeys(*type.element_type());
    case TypeId::kMap:
      return type.key_type()->id() == TypeId::kString && HasOnlyStringMapKeys(*type.value_type());
    default:
      return true;
  }
}

int ValueConverter::LookupMember(const TypePlan& plan, std::string_view key, int* next) {
  if (!case_sensitive_) {
    AsciiLower(key, &key_scratch_);
    key = key_scratch_;
  }
  int index;
  if (static_cast<size_t>(*next) < plan.names.size() && plan.names[static_cast<size_t>(*next)] == key) {
    index = *next;
  } else {
    auto it = plan.members.find(key);
    if (it == plan.members.end()) return -1;
    index = it->second;
  }
  *next = index + 1;
  return index;
}

bool ValueConverter::Mismatch(element value, const TypePlan& plan, ColumnBuilder* builder) {
  mismatch_type_ = plan.type;
  mismatch_found_ = value.type();
  if (builder) builder->AppendNull();
  return false;
}

std::string ValueConverter::LastMismatch() const {
  std::string_view found = "value";
  switch (mismatch_found_) {
    case element_type::ARRAY: found = "array"; break;
    case element_type::OBJECT: found = "object"; break;
    case element_type::INT64: found = "integer"; break;
    case element_type::UINT64: found = "integer"; break;
    case element_type::DOUBLE: found = "number"; break;
    case element_type::STRING: found = "string"; break;
    case element_type::BOOL: found = "boolean"; break;
    case element_type::NULL_VALUE: found = "null"; break;
  }
  return fmt::format("cannot convert a JSON {} to {}", found, mismatch_type_ ? mismatch_type_->SimpleString() : "?");
}

namespace {

bool IntegralRange(TypeId id, int64_t value) {
  switch (id) {
    case TypeId::kByte: return value >= INT8_MIN && value <= INT8_MAX;
    case TypeId::kShort: return value >= INT16_MIN && value <= INT16_MAX;
    case TypeId::kInteger: return value >= INT32_MIN && value <= INT32_MAX;
    default: return true;
  }
}

/// Spark's special strings for float and double columns.
bool SpecialFloat(std::string_view text, double* value) {
  if (text == "NaN" || text == "+NaN" || text == "-NaN") {
    *value = std::numeric_limits<double>::quiet_NaN();
  } else if (text == "Infinity" || text == "+Infinity" || text == "+INF") {
    *value = std::numeric_limits<double>::infinity();
  } else if (text == "-Infinity" || text == "-INF") {
    *value = -std::numeric_limits<double>::infinity();
  } else {
    return false;
  }
  return true;
}

double NumberValue(element value) {
  switch (value.type()) {
    case element_type::INT64: return static_cast<double>(value.get_int64().value_unsafe());
    case element_type::UINT64: return static_cast<double>(value.get_uint64().value_unsafe());
    default: return value.get_double().value_unsafe();
  }
}

bool IsNumber(element_type kind) {
  return kind == element_type::INT64 || kind == element_type::UINT64 || kind == element_type::DOUBLE;
}

}  // namespace

bool ValueConverter::Convert(element value, const TypePlan& plan, ColumnBuilder* builder) {
  const element_type kind = value.type();
  if (kind == element_type::NULL_VALUE) {
    if (builder) builder->AppendNull();
    return true;
  }
  if (lenient_ && kind == element_type::STRING) {
    std::string_view token = LenientNumberToken(value.get_string().value_unsafe());
    if (!token.empty()) return ConvertLenientNumber(token, plan, builder);
  }
  const TypeId id = plan.type->id();
  switch (id) {
    case TypeId::kString:
      if (!builder) return true;
      if (kind == element_type::STRING) {
        builder->AppendString(value.get_string().value_unsafe());
      } else {
        // Spark copies any other value into a string column as its JSON text.
        scratch_.clear();
        AppendCompactJson(value, &scratch_, lenient_);
        builder->AppendString(scratch_);
      }
      return true;
    case TypeId::kBoolean:
      if (kind != element_type::BOOL) return Mismatch(value, plan, builder);
      if (builder) builder->AppendBool(value.get_bool().value_unsafe());
      return true;
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInteger:
    case TypeId::kLong: {
      if (kind != element_type::INT64) return Mismatch(value, plan, builder);
      int64_t number = value.get_int64().value_unsafe();
      if (!IntegralRange(id, number)) return Mismatch(value, plan, builder);
      if (builder) builder->AppendInt(number);
      return true;
    }
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double number;
      if (IsNumber(kind)) {
        number = NumberValue(value);
      } else if (kind != element_type::STRING || !SpecialFloat(value.get_string().value_unsafe(), &number)) {
        return Mismatch(value, plan, builder);
      }
      if (builder) builder->AppendDouble(number);
      return true;
    }
    case TypeId::kDecimal: {
      std::string_view text;
      if (IsNumber(kind)) {
        scratch_.clear();
        AppendNumberText(value, &scratch_);
        text = scratch_;
      } else if (kind == element_type::STRING) {
        text = value.get_string().value_unsafe();
      } else {
        return Mismatch(value, plan, builder);
      }
      std::optional<__int128> unscaled = DecimalFromText(text, plan.type->precision(), plan.type->scale());
      if (!unscaled) return Mismatch(value, plan, builder);
      if (builder) builder->AppendDecimal(*unscaled);
      return true;
    }
    case TypeId::kDate: {
      if (kind != element_type::STRING) return Mismatch(value, plan, builder);
      std::optional<int32_t> days = columnar::ParseDate(value.get_string().value_unsafe());
      if (!days) return Mismatch(value, plan, builder);
      if (builder) builder->AppendInt(*days);
      return true;
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: {
      std::optional<int64_t> micros;
      if (kind == element_type::STRING) {
        std::string_view text = value.get_string().value_unsafe();
        micros = id == TypeId::kTimestamp ? columnar::ParseTimestamp(text) : columnar::ParseTimestampNtz(text);
      } else if (kind == element_type::INT64 && id == TypeId::kTimestamp) {
        // Spark reads an integer as seconds since the epoch.
        int64_t seconds = value.get_int64().value_unsafe();
        int64_t scaled;
        if (!__builtin_mul_overflow(seconds, int64_t{1000000}, &scaled)) micros = scaled;
      }
      if (!micros) return Mismatch(value, plan, builder);
      if (builder) builder->AppendInt(*micros);
      return true;
    }
    case TypeId::kBinary: {
      if (kind != element_type::STRING) return Mismatch(value, plan, builder);
      scratch_.clear();
      if (!DecodeBase64(value.get_string().value_unsafe(), &scratch_)) return Mismatch(value, plan, builder);
      if (builder) builder->AppendString(scratch_);
      return true;
    }
    case TypeId::kStruct:
      if (kind != element_type::OBJECT) return Mismatch(value, plan, builder);
      return ConvertObject(value.get_object().value_unsafe(), plan, builder);
    case TypeId::kArray: {
      if (kind != element_type::ARRAY) return Mismatch(value, plan, builder);
      bool ok = true;
      ColumnBuilder* elements = builder ? &builder->child(0) : nullptr;
      simdjson::dom::array array = value.get_array().value_unsafe();
      for (element item : array) ok &= Convert(item, plan.children[0], elements);
      if (builder) builder->AppendListEnd();
      return ok;
    }
    case TypeId::kMap: {
      if (kind != element_type::OBJECT) return Mismatch(value, plan, builder);
      bool ok = true;
      ColumnBuilder* entries = builder ? &builder->child(0) : nullptr;
      simdjson::dom::object object = value.get_object().value_unsafe();
      for (simdjson::dom::key_value_pair member : object) {
        if (entries) entries->child(0).AppendString(member.key);
        ok &= Convert(member.value, plan.children[0], entries ? &entries->child(1) : nullptr);
        if (entries) entries->AppendStructValid();
      }
      if (builder) builder->AppendListEnd();
      return ok;
    }
  }
  return Mismatch(value, plan, builder);
}

bool ValueConverter::ConvertLenientNumber(std::string_view token, const TypePlan& plan, ColumnBuilder* builder) {
  switch (plan.type->id()) {
    case TypeId::kString:
      if (builder) {
        scratch_.clear();
        AppendLenientNumberText(token, &scratch_);
        builder->AppendString(scratch_);
      }
      return true;
    case TypeId::kFloat:
    case TypeId::kDouble:
      if (builder) builder->AppendDouble(LenientNumberValue(token));
      return true;
    case TypeId::kDecimal:
      if (IsIntegerToken(token)) {
        std::optional<__int128> unscaled = DecimalFromText(token, plan.type->precision(), plan.type->scale());
        if (unscaled) {
          if (builder) builder->AppendDecimal(*unscaled);
          return true;
        }
      }
      break;
    default:
      break;
  }
  mismatch_type_ = plan.type;
  mismatch_found_ = element_type::DOUBLE;
  if (builder) builder->AppendNull();
  return false;
}

bool ValueConverter::ConvertObject(simdjson::dom::object object, const TypePlan& plan, ColumnBuilder* builder) {
  const int64_t row = builder ? builder->length() : 0;
  bool ok = true;
  int next = 0;
  for (simdjson::dom::key_value_pair member : object) {
    int index = LookupMember(plan, member.key, &next);
    if (index < 0) {
      saw_unknown_member_ = true;
      continue;
    }
    ColumnBuilder* child = builder ? &builder->child(index) : nullptr;
    if (child && child->length() > row) continue;  // a repeated key: the first one wins
    ok &= Convert(member.value, plan.children[static_cast<size_t>(index)], child);
  }
  if (builder) {
    for (int i = 0; i < builder->num_children(); ++i) {
      if (builder->child(i).length() == row) builder->child(i).AppendNull();
    }
    builder->AppendStructValid();
  }
  return ok;
}

}  // namespace tributary::json
