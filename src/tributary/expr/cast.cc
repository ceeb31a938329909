#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>

#include "tributary/columnar/decimal.h"
#include "tributary/columnar/temporal.h"
#include "tributary/expr/expr_internal.h"

namespace tributary::expr::internal {

namespace {

constexpr int64_t kMicrosPerDay = 86400LL * 1000000;

__int128 Pow10(int n) {
  __int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && static_cast<unsigned char>(s[b]) <= ' ') ++b;
  while (e > b && static_cast<unsigned char>(s[e - 1]) <= ' ') --e;
  return s.substr(b, e - b);
}

/// Spark's rendering of a double as a string: "1.0", "0.1", "1.0E10", "NaN", "Infinity".
std::string DoubleToString(double v, bool is_float) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  double a = std::fabs(v);
  if (a != 0 && (a >= 1e7 || a < 1e-3)) {
    // The digits of the shortest form that reads back to the same value, written in
    // scientific notation (fmt may have chosen fixed notation for the shortest form).
    std::string shortest = is_float ? fmt::format("{}", static_cast<float>(v)) : fmt::format("{}", v);
    int digits = 0;
    bool leading = true;
    for (char c : shortest) {
      if (c == 'e') break;
      if (c < '0' || c > '9') continue;
      leading = leading && c == '0';
      if (!leading) ++digits;
    }
    std::string s = fmt::format("{:.{}e}", v, std::max(digits - 1, 0));
    size_t e = s.find('e');
    std::string mantissa = s.substr(0, e);
    if (mantissa.find('.') != std::string::npos) {
      while (mantissa.back() == '0') mantissa.pop_back();
    }
    if (mantissa.find('.') == std::string::npos) mantissa += ".0";
    if (mantissa.back() == '.') mantissa += "0";
    return mantissa + "E" + std::to_string(std::atoi(s.c_str() + e + 1));
  }
  std::string s = is_float ? fmt::format("{}", static_cast<float>(v)) : fmt::format("{}", v);
  if (s.find('.') == std::string::npos) s += ".0";
  return s;
}

std::string TimestampToString(int64_t micros) {
  int64_t days = micros >= 0 ? micros / kMicrosPerDay : -((-micros + kMicrosPerDay - 1) / kMicrosPerDay);
  int64_t rest = micros - days * kMicrosPerDay;
  int64_t secs = rest / 1000000, frac = rest % 1000000;
  std::string out = columnar::FormatDate(static_cast<int32_t>(days)) +
                    fmt::format(" {:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
  if (frac) {
    std::string f = fmt::format("{:06}", frac);
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

bool ParseBool(std::string_view s, bool* out) {
  std::string lower;
  for (char c : Trim(s)) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "true" || lower == "t" || lower == "yes" || lower == "y" || lower == "1") {
    *out = true;
    return true;
  }
  if (lower == "false" || lower == "f" || lower == "no" || lower == "n" || lower == "0") {
    *out = false;
    return true;
  }
  return false;
}

bool ParseInteger(std::string_view text, int64_t min, int64_t max, int64_t* out) {
  std::string_view s = Trim(text);
  // Spark accepts a fractional part and truncates it ("1.9" -> 1).
  size_t dot = s.find('.');
  std::string_view whole = dot == std::string_view::npos ? s : s.substr(0, dot);
  if (dot != std::string_view::npos) {
    for (char c : s.substr(dot + 1)) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
    if (whole.empty() || whole == "-" || whole == "+") return false;
  }
  if (!whole.empty() && whole[0] == '+') whole.remove_prefix(1);
  if (whole.empty()) return false;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), v);
  if (ec != std::errc() || ptr != whole.data() + whole.size() || v < min || v > max) return false;
  *out = v;
  return true;
}

bool ParseDouble(std::string_view text, double* out) {
  std::string s(Trim(text));
  if (s.empty()) return false;
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "nan") {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (lower == "infinity" || lower == "+infinity" || lower == "inf" || lower == "+inf") {
    *out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (lower == "-infinity" || lower == "-inf") {
    *out = -std::numeric_limits<double>::infinity();
    return true;
  }
  if (lower.back() == 'd' || lower.back() == 'f') lower.pop_back();
  char* end = nullptr;
  *out = std::strtod(lower.c_str(), &end);
  return end == lower.c_str() + lower.size() && !lower.empty();
}

/// A decimal from text at the type's scale, rounding extra digits half up.
bool ParseDecimalRounded(std::string_view text, int precision, int scale, __int128* out) {
  std::string_view s = Trim(text);
  if (auto exact = columnar::ParseDecimal(s, precision, scale)) {
    *out = *exact;
    return true;
  }
  double d;
  size_t dot = s.find('.');
  if (dot != std::string_view::npos && s.find_first_of("eE") == std::string_view::npos) {
    // More fractional digits than the scale: parse at a larger scale, then round.
    int extra = static_cast<int>(s.size() - dot - 1) - scale;
    if (extra > 0 && extra + precision <= 38) {
      if (auto wide = columnar::ParseDecimal(s, precision + extra, scale + extra)) {
        __int128 d10 = Pow10(extra);
        __int128 q = *wide / d10, r = *wide % d10;
        if ((r < 0 ? -r : r) * 2 >= d10) q += *wide < 0 ? -1 : 1;
        if (q >= Pow10(precision) || q <= -Pow10(precision)) return false;
        *out = q;
        return true;
      }
    }
    return false;
  }
  if (!ParseDouble(s, &d) || !std::isfinite(d)) return false;
  long double scaled = std::nearbyintl(static_cast<long double>(d) * static_cast<long double>(Pow10(scale)));
  if (std::fabs(scaled) >= static_cast<long double>(Pow10(precision))) return false;
  *out = static_cast<__int128>(scaled);
  return true;
}

class Caster {
 public:
  Caster(const DataTypePtr& to, bool is_try, const std::string& sql) : to_(to), is_try_(is_try), sql_(sql) {}

  Result<ColumnPtr> Cast(const ColumnPtr& in) {
    const DataType& from = *in->type();
    if (from.Equals(*to_)) return in;
    if (from.EqualsIgnoringNullability(*to_)) return in;
    switch (to_->id()) {
      case TypeId::kStruct: {
        std::vector<ColumnPtr> children;
        for (size_t i = 0; i < to_->fields().size(); ++i) {
          Caster child(to_->fields()[i].type, is_try_, sql_);
          TRIB_ASSIGN_OR_RETURN(ColumnPtr c, child.Cast(in->child(static_cast<int>(i))));
          children.push_back(std::move(c));
        }
        return ColumnPtr(std::make_shared<Column>(to_, in->length(), in->null_count(), in->validity(), nullptr,
                                                  nullptr, std::move(children)));
      }
      case TypeId::kArray: {
        Caster child(to_->element_type(), is_try_, sql_);
        TRIB_ASSIGN_OR_RETURN(ColumnPtr c, child.Cast(in->child(0)));
        return ColumnPtr(std::make_shared<Column>(to_, in->length(), in->null_count(), in->validity(), in->values(),
                                                  nullptr, std::vector<ColumnPtr>{c}));
      }
      case TypeId::kMap: {
        const Column& entries = *in->child(0);
        Caster key(to_->key_type(), is_try_, sql_);
        Caster value(to_->value_type(), is_try_, sql_);
        TRIB_ASSIGN_OR_RETURN(ColumnPtr k, key.Cast(entries.child(0)));
        TRIB_ASSIGN_OR_RETURN(ColumnPtr v, value.Cast(entries.child(1)));
        DataTypePtr entry_type = DataType::Struct({{"key", to_->key_type(), false}, {"value", to_->value_type(), true}});
        auto new_entries = std::make_shared<Column>(entry_type, entries.length(), 0, nullptr, nullptr, nullptr,
                                                    std::vector<ColumnPtr>{k, v});
        return ColumnPtr(std::make_shared<Column>(to_, in->length(), in->null_count(), in->validity(), in->values(),
                                                  nullptr, std::vector<ColumnPtr>{new_entries}));
      }
      default:
        break;
    }
    ColumnBuilder out(to_);
    const int64_t n = in->length();
    for (int64_t i = 0; i < n; ++i) {
      if (in->IsNull(i)) {
        out.AppendNull();
        continue;
      }
      if (!CastOne(*in, i, &out)) {
        if (is_try_) {
          out.AppendNull();
          continue;
        }
        bool from_string = from.id() == TypeId::kString;
        return Status::Invalid("[{}] the value {} of the type {} cannot be cast to {} in '{}' (row {}){}",
                               from_string ? "CAST_INVALID_INPUT" : "CAST_OVERFLOW", DescribeValue(*in, i),
                               from.SimpleString(), to_->SimpleString(), sql_, i,
                               "; use try_cast to tolerate malformed input and return NULL instead");
      }
    }
    return out.Finish();
  }

 private:
  /// Appends in[i] converted; false when it does not convert.
  bool CastOne(const Column& in, int64_t i, ColumnBuilder* out) {
    const TypeId from = in.type()->id();
    const TypeId to = to_->id();
    if (to == TypeId::kString) {
      out->AppendString(ToString(in, i));
      return true;
    }
    if (from == TypeId::kString) return FromString(in.StringValue(i), out);
    // Numbers and booleans.
    bool is_integral_from = in.type()->is_integral();
    int64_t int_value = 0;
    double double_value = 0;
    __int128 decimal_value = 0;
    switch (from) {
      case TypeId::kBoolean: int_value = in.BoolValue(i); break;
      case TypeId::kByte: int_value = in.Value<int8_t>(i); break;
      case TypeId::kShort: int_value = in.Value<int16_t>(i); break;
      case TypeId::kInteger: int_value = in.Value<int32_t>(i); break;
      case TypeId::kLong: int_value = in.Value<int64_t>(i); break;
      case TypeId::kFloat: double_value = in.Value<float>(i); break;
      case TypeId::kDouble: double_value = in.Value<double>(i); break;
      case TypeId::kDecimal: decimal_value = in.Value<__int128>(i); break;
      case TypeId::kDate: int_value = in.Value<int32_t>(i); break;
      case TypeId::kTimestamp:
      case TypeId::kTimestampNtz: int_value = in.Value<int64_t>(i); break;
      default: return false;
    }
    if (from == TypeId::kDate) {
      if (to == TypeId::kTimestamp || to == TypeId::kTimestampNtz) {
        out->AppendInt(int_value * kMicrosPerDay);
        return true;
      }
      return false;
    }
    if (from == TypeId::kTimestamp || from == TypeId::kTimestampNtz) {
      int64_t days = int_value >= 0 ? int_value / kMicrosPerDay : -((-int_value + kMicrosPerDay - 1) / kMicrosPerDay);
      if (to == TypeId::kDate) {
        out->AppendInt(days);
        return true;
      }
      if (to == TypeId::kTimestamp || to == TypeId::kTimestampNtz) {
        out->AppendInt(int_value);
        return true;
      }
      // Timestamps as numbers are seconds since the epoch.
      if (to_->is_integral()) {
        int64_t secs = int_value >= 0 ? int_value / 1000000 : -((-int_value + 999999) / 1000000);
        return AppendIntegral(secs, out);
      }
      if (to == TypeId::kDouble || to == TypeId::kFloat) {
        out->AppendDouble(static_cast<double>(int_value) / 1e6);
        return true;
      }
      return false;
    }
    const bool is_decimal_from = from == TypeId::kDecimal;
    const int from_scale = in.type()->scale();
    switch (to) {
      case TypeId::kBoolean:
        out->AppendBool(is_integral_from || from == TypeId::kBoolean ? int_value != 0
                        : is_decimal_from                               ? decimal_value != 0
                                                                        : double_value != 0);
        return true;
      case TypeId::kByte:
      case TypeId::kShort:
      case TypeId::kInteger:
      case TypeId::kLong: {
        if (is_integral_from || from == TypeId::kBoolean) return AppendIntegral(int_value, out);
        if (is_decimal_from) {
          __int128 whole = decimal_value / Pow10(from_scale);
          if (whole > std::numeric_limits<int64_t>::max() || whole < std::numeric_limits<int64_t>::min()) return false;
          return AppendIntegral(static_cast<int64_t>(whole), out);
        }
        if (!std::isfinite(double_value) || double_value >= 9.2233720368547758e18 ||
            double_value < -9.2233720368547758e18) {
          return false;
        }
        return AppendIntegral(static_cast<int64_t>(double_value), out);
      }
      case TypeId::kFloat:
      case TypeId::kDouble:
        if (is_integral_from || from == TypeId::kBoolean) {
          out->AppendDouble(static_cast<double>(int_value));
        } else if (is_decimal_from) {
          out->AppendDouble(static_cast<double>(static_cast<long double>(decimal_value) /
                                                static_cast<long double>(Pow10(from_scale))));
        } else {
          out->AppendDouble(to == TypeId::kFloat ? static_cast<double>(static_cast<float>(double_value)) : double_value);
        }
        return true;
      case TypeId::kDecimal: {
        const int p = to_->precision(), s = to_->scale();
        __int128 result;
        if (is_integral_from || from == TypeId::kBoolean) {
          if (__builtin_mul_overflow(static_cast<__int128>(int_value), Pow10(s), &result)) return false;
        } else if (is_decimal_from) {
          if (s >= from_scale) {
            if (__builtin_mul_overflow(decimal_value, Pow10(s - from_scale), &result)) return false;
          } else {
            __int128 d = Pow10(from_scale - s);
            result = decimal_value / d;
            __int128 r = decimal_value % d;
            if ((r < 0 ? -r : r) * 2 >= d) result += decimal_value < 0 ? -1 : 1;
          }
        } else {
          if (!std::isfinite(double_value)) return false;
          long double scaled = std::nearbyintl(static_cast<long double>(double_value) *
                                               static_cast<long double>(Pow10(s)));
          if (std::fabs(scaled) >= static_cast<long double>(Pow10(p))) return false;
          result = static_cast<__int128>(scaled);
        }
        if (result >= Pow10(p) || result <= -Pow10(p)) return false;
        out->AppendDecimal(result);
        return true;
      }
      case TypeId::kTimestamp:
      case TypeId::kTimestampNtz:
        if (is_integral_from) {
          __int128 micros = static_cast<__int128>(int_value) * 1000000;
          if (micros > std::numeric_limits<int64_t>::max() || micros < std::numeric_limits<int64_t>::min()) return false;
          out->AppendInt(static_cast<int64_t>(micros));
          return true;
        }
        if (from == TypeId::kFloat || from == TypeId::kDouble) {
          if (!std::isfinite(double_value)) return false;
          out->AppendInt(static_cast<int64_t>(double_value * 1e6));
          return true;
        }
        return false;
      default:
        return false;
    }
  }

  bool AppendIntegral(int64_t v, ColumnBuilder* out) {
    int64_t lo, hi;
    switch (to_->id()) {
      case TypeId::kByte: lo = -128, hi = 127; break;
      case TypeId::kShort: lo = -32768, hi = 32767; break;
      case TypeId::kInteger: lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max(); break;
      default: lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
    }
    if (v < lo || v > hi) return false;
    out->AppendInt(v);
    return true;
  }

  bool FromString(std::string_view s, ColumnBuilder* out) {
    switch (to_->id()) {
      case TypeId::kBoolean: {
        bool b;
        if (!ParseBool(s, &b)) return false;
        out->AppendBool(b);
        return true;
      }
      case TypeId::kByte:
      case TypeId::kShort:
      case TypeId::kInteger:
      case TypeId::kLong: {
        int64_t v;
        if (!ParseInteger(s, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), &v)) return false;
        return AppendIntegral(v, out);
      }
      case TypeId::kFloat:
      case TypeId::kDouble: {
        double d;
        if (!ParseDouble(s, &d)) return false;
        out->AppendDouble(d);
        return true;
      }
      case TypeId::kDecimal: {
        __int128 v;
        if (!ParseDecimalRounded(s, to_->precision(), to_->scale(), &v)) return false;
        out->AppendDecimal(v);
        return true;
      }
      case TypeId::kDate: {
        std::string_view t = Trim(s);
        auto days = columnar::ParseDate(t);
        if (!days) {
          // A timestamp string casts to its date.
          auto ts = columnar::ParseTimestamp(t);
          if (!ts) return false;
          days = static_cast<int32_t>(*ts >= 0 ? *ts / kMicrosPerDay : -((-*ts + kMicrosPerDay - 1) / kMicrosPerDay));
        }
        out->AppendInt(*days);
        return true;
      }
      case TypeId::kTimestamp:
      case TypeId::kTimestampNtz: {
        std::string_view t = Trim(s);
        auto ts = to_->id() == TypeId::kTimestamp ? columnar::ParseTimestamp(t) : columnar::ParseTimestampNtz(t);
        if (!ts) {
          auto days = columnar::ParseDate(t);
          if (!days) return false;
          ts = static_cast<int64_t>(*days) * kMicrosPerDay;
        }
        out->AppendInt(*ts);
        return true;
      }
      case TypeId::kBinary:
        out->AppendString(s);
        return true;
      default:
        return false;
    }
  }

 public:
  static std::string ToString(const Column& in, int64_t i) {
    switch (in.type()->id()) {
      case TypeId::kFloat: return DoubleToString(in.Value<float>(i), true);
      case TypeId::kDouble: return DoubleToString(in.Value<double>(i), false);
      case TypeId::kTimestamp:
      case TypeId::kTimestampNtz: return TimestampToString(in.Value<int64_t>(i));
      case TypeId::kBinary: return std::string(in.StringValue(i));
      default: return columnar::ValueToString(in, i);
    }
  }

 private:
  DataTypePtr to_;
  bool is_try_;
  const std::string& sql_;
};

class CastNode final : public Node {
 public:
  CastNode(NodePtr child, DataTypePtr to, bool is_try, std::string sql)
      : Node(to, child->nullable() || is_try, std::move(sql)), child_(std::move(child)), is_try_(is_try) {}
  Result<Value> Eval(const RecordBatch& batch, EvalContext* context) const override {
    TRIB_ASSIGN_OR_RETURN(Value v, child_->Eval(batch, context));
    Caster caster(type(), is_try_, sql());
    TRIB_ASSIGN_OR_RETURN(ColumnPtr out, caster.Cast(v.column));
    return Value{std::move(out), v.scalar};
  }

 private:
  NodePtr child_;
  bool is_try_;
};

bool Castable(const DataType& from, const DataType& to) {
  if (from.EqualsIgnoringNullability(to)) return true;
  if (to.id() == TypeId::kString) return true;
  if (from.id() == TypeId::kString) return !to.is_nested();
  if (to.id() == TypeId::kStruct) {
    if (from.id() != TypeId::kStruct || from.fields().size() != to.fields().size()) return false;
    for (size_t i = 0; i < to.fields().size(); ++i) {
      if (!Castable(*from.fields()[i].type, *to.fields()[i].type)) return false;
    }
    return true;
  }
  if (to.id() == TypeId::kArray) return from.id() == TypeId::kArray && Castable(*from.element_type(), *to.element_type());
  if (to.id() == TypeId::kMap) {
    return from.id() == TypeId::kMap && Castable(*from.key_type(), *to.key_type()) &&
           Castable(*from.value_type(), *to.value_type());
  }
  if (from.is_nested() || to.is_nested()) return false;
  if (from.id() == TypeId::kBinary || to.id() == TypeId::kBinary) return false;
  bool from_time = from.id() == TypeId::kDate || from.id() == TypeId::kTimestamp || from.id() == TypeId::kTimestampNtz;
  bool to_time = to.id() == TypeId::kDate || to.id() == TypeId::kTimestamp || to.id() == TypeId::kTimestampNtz;
  if (from.id() == TypeId::kDate) return to_time;
  if (to.id() == TypeId::kDate) return from_time;
  if (from_time && to.id() == TypeId::kBoolean) return false;
  return true;
}

}  // namespace

std::string CastToString(const Column& column, int64_t row) { return Caster::ToString(column, row); }

Status CheckCastable(const DataType& from, const DataType& to, const std::string& sql) {
  if (Castable(from, to)) return Status::OK();
  return Status::Invalid("[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] cannot cast {} to {} in '{}'",
                         from.SimpleString(), to.SimpleString(), sql);
}

Result<NodePtr> MakeCastNode(NodePtr child, DataTypePtr to, bool is_try, std::string sql) {
  if (child->is_null_literal()) return MakeLiteralNode(Column::MakeNull(to, 1), true, sql);
  if (child->type()->Equals(*to)) return child;
  TRIB_RETURN_NOT_OK(CheckCastable(*child->type(), *to, sql));
  return NodePtr(std::make_shared<CastNode>(std::move(child), std::move(to), is_try, std::move(sql)));
}

}  // namespace tributary::expr::internal
