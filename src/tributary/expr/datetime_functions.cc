#include <optional>

#include <fmt/format.h>

#include "tributary/columnar/temporal.h"
#include "tributary/expr/expr_internal.h"

namespace tributary::expr::internal {

namespace {

constexpr int64_t kMicrosPerDay = 86400LL * 1000000;

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

/// One element of a Spark datetime pattern.
struct PatternPart {
  char letter = 0;  // 0 for literal text
  int width = 0;
  std::string literal;
};

Result<std::vector<PatternPart>> CompilePattern(std::string_view pattern) {
  std::vector<PatternPart> parts;
  for (size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    if (c == '\'') {
      size_t end = pattern.find('\'', i + 1);
      if (end == std::string_view::npos) return Status::Invalid("unterminated quote in datetime pattern '{}'", pattern);
      PatternPart p;
      p.literal = end == i + 1 ? "'" : std::string(pattern.substr(i + 1, end - i - 1));
      parts.push_back(p);
      i = end + 1;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < pattern.size() && pattern[j] == c) ++j;
      if (std::string_view("yMdHhmsSaDE").find(c) == std::string_view::npos) {
        return Status::NotImplemented("datetime pattern letter '{}' in '{}' is not supported (supported: y M d H h m s S a D E)",
                                      c, pattern);
      }
      PatternPart p;
      p.letter = c;
      p.width = static_cast<int>(j - i);
      parts.push_back(p);
      i = j;
      continue;
    }
    PatternPart p;
    p.literal = std::string(1, c);
    parts.push_back(p);
    ++i;
  }
  return parts;
}

std::string FormatWithPattern(int64_t micros, const std::vector<PatternPart>& parts) {
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t rest = micros - days * kMicrosPerDay;
  int64_t year;
  unsigned month, day;
  columnar::CivilFromDays(days, &year, &month, &day);
  int64_t secs = rest / 1000000, frac = rest % 1000000;
  int64_t hour = secs / 3600, minute = secs / 60 % 60, second = secs % 60;
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static const char* const kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  std::string out;
  for (const PatternPart& p : parts) {
    if (!p.letter) {
      out += p.literal;
      continue;
    }
    auto num = [&](int64_t v, int width) { out += fmt::format("{:0{}}", v, width); };
    switch (p.letter) {
      case 'y': p.width == 2 ? num(year % 100, 2) : num(year, p.width); break;
      case 'M': p.width >= 3 ? void(out += kMonths[month - 1]) : num(month, p.width); break;
      case 'd': num(day, p.width); break;
      case 'D': num(days - columnar::DaysFromCivil(year, 1, 1) + 1, p.width); break;
      case 'H': num(hour, p.width); break;
      case 'h': num(hour % 12 == 0 ? 12 : hour % 12, p.width); break;
      case 'm': num(minute, p.width); break;
      case 's': num(second, p.width); break;
      case 'S': out += fmt::format("{:06}", frac).substr(0, static_cast<size_t>(std::min(p.width, 6))); break;
      case 'a': out += hour < 12 ? "AM" : "PM"; break;
      case 'E': out += kDays[((days % 7) + 7) % 7]; break;
    }
  }
  return out;
}

std::optional<int64_t> ParseWithPattern(std::string_view text, const std::vector<PatternPart>& parts) {
  int64_t year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, micros = 0;
  bool pm = false, has_ampm = false;
  size_t pos = 0;
  for (size_t k = 0; k < parts.size(); ++k) {
    const PatternPart& p = parts[k];
    if (!p.letter) {
      if (text.substr(pos, p.literal.size()) != p.literal) return std::nullopt;
      pos += p.literal.size();
      continue;
    }
    if (p.letter == 'a') {
      std::string_view t = text.substr(pos, 2);
      if (t == "AM" || t == "am") {
        pm = false;
      } else if (t == "PM" || t == "pm") {
        pm = true;
      } else {
        return std::nullopt;
      }
      has_ampm = true;
      pos += 2;
      continue;
    }
    // A field followed directly by another field takes exactly its width; else up to
    // the next non-digit.
    bool adjacent = k + 1 < parts.size() && parts[k + 1].letter != 0;
    size_t max_digits = adjacent || p.letter == 'S' ? static_cast<size_t>(p.width) : 9;
    if (p.letter == 'y' && p.width != 2 && !adjacent) max_digits = 9;
    size_t start = pos;
    while (pos < text.size() && pos - start < max_digits && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == start) return std::nullopt;
    if (p.width >= 2 && p.letter != 'y' && p.letter != 'S' && pos - start < 2 && adjacent) return std::nullopt;
    int64_t v = 0;
    for (size_t i = start; i < pos; ++i) v = v * 10 + (text[i] - '0');
    switch (p.letter) {
      case 'y': year = p.width == 2 ? 2000 + v : v; break;
      case 'M': month = v; break;
      case 'd': day = v; break;
      case 'H': case 'h': hour = v; break;
      case 'm': minute = v; break;
      case 's': second = v; break;
      case 'S': {
        int64_t digits = static_cast<int64_t>(pos - start);
        micros = v;
        for (int64_t d = digits; d < 6; ++d) micros *= 10;
        for (int64_t d = 6; d < digits; ++d) micros /= 10;
        break;
      }
      default: return std::nullopt;
    }
  }
  if (pos != text.size()) return std::nullopt;
  if (has_ampm) hour = hour % 12 + (pm ? 12 : 0);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  int32_t days = columnar::DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t y2;
  unsigned m2, d2;
  columnar::CivilFromDays(days, &y2, &m2, &d2);
  if (static_cast<int64_t>(d2) != day) return std::nullopt;  // e.g. Feb 30
  return days * kMicrosPerDay + ((hour * 60 + minute) * 60 + second) * 1000000 + micros;
}

template <typename F>
NodePtr RowFunction(std::vector<NodePtr>& args, const std::string& sql, DataTypePtr out_type, F f,
                    bool deterministic = true) {
  bool nullable = true;
  Kernel kernel = [out_type, f](const std::vector<Value>& v, int64_t rows, EvalContext* context) -> Result<ColumnPtr> {
    ColumnBuilder out(out_type);
    for (int64_t i = 0; i < rows; ++i) {
      bool any_null = false;
      for (const Value& a : v) any_null = any_null || a.IsNull(i);
      if (any_null) {
        out.AppendNull();
        continue;
      }
      TRIB_RETURN_NOT_OK(f(v, i, context, &out));
    }
    return out.Finish();
  };
  return MakeCallNode(sql, out_type, nullable, args, std::move(kernel), deterministic);
}

Status Count(const std::string& name, const std::vector<NodePtr>& args, size_t min, size_t max, const std::string& sql) {
  if (args.size() >= min && args.size() <= max) return Status::OK();
  return Status::Invalid("[WRONG_NUM_ARGS] {} takes {} to {} arguments, not {}, in '{}'", name, min, max, args.size(),
                         sql);
}

/// Casts a string/date argument to `type` (timestamp or date).
Status ToTime(NodePtr* arg, const DataTypePtr& type, const std::string& sql) {
  TypeId id = (*arg)->type()->id();
  if (id != TypeId::kString && id != TypeId::kDate && id != TypeId::kTimestamp && id != TypeId::kTimestampNtz &&
      !(*arg)->is_null_literal()) {
    return Status::Invalid("[DATATYPE_MISMATCH] '{}' needs a date or timestamp, but {} is {}", sql, (*arg)->sql(),
                           (*arg)->type()->SimpleString());
  }
  TRIB_ASSIGN_OR_RETURN(*arg, CoerceTo(*arg, type));
  return Status::OK();
}

int64_t Int64(const Value& v, int64_t i) {
  const Column& c = *v.column;
  switch (c.type()->id()) {
    case TypeId::kByte: return c.Value<int8_t>(v.Row(i));
    case TypeId::kShort: return c.Value<int16_t>(v.Row(i));
    case TypeId::kInteger:
    case TypeId::kDate: return c.Value<int32_t>(v.Row(i));
    default: return c.Value<int64_t>(v.Row(i));
  }
}

/// The pattern of a literal format argument, compiled at bind time.
Result<std::shared_ptr<std::vector<PatternPart>>> LiteralPattern(const NodePtr& arg, const std::string& sql) {
  const Column* c = arg->constant();
  if (!c || c->type()->id() != TypeId::kString || c->IsNull(0)) {
    return Status::NotImplemented("the datetime pattern must be a string literal in '{}'", sql);
  }
  TRIB_ASSIGN_OR_RETURN(auto parts, CompilePattern(c->StringValue(0)));
  return std::make_shared<std::vector<PatternPart>>(std::move(parts));
}

Result<NodePtr> BindParseTime(const std::string& name, std::vector<NodePtr>& args, const std::string& sql, bool to_date,
                              bool is_try) {
  TRIB_RETURN_NOT_OK(Count(name, args, 1, 2, sql));
  DataTypePtr out_type = to_date ? DataType::Date() : DataType::Timestamp();
  if (args.size() == 1 || args[0]->type()->id() != TypeId::kString) {
    if (args[0]->type()->id() == TypeId::kString) {
      return MakeCastNode(args[0], out_type, is_try, sql);
    }
    NodePtr value = args[0];
    TRIB_RETURN_NOT_OK(ToTime(&value, out_type, sql));
    return value;
  }
  TRIB_ASSIGN_OR_RETURN(auto pattern, LiteralPattern(args[1], sql));
  std::string pattern_text(args[1]->constant()->StringValue(0));
  std::vector<NodePtr> only{args[0]};
  return RowFunction(only, sql, out_type,
                     [pattern, pattern_text, to_date, is_try, sql](const std::vector<Value>& v, int64_t i, EvalContext*,
                                                                 ColumnBuilder* out) -> Status {
                       std::string_view s = v[0].column->StringValue(v[0].Row(i));
                       auto micros = ParseWithPattern(s, *pattern);
                       if (!micros) {
                         if (is_try) {
                           out->AppendNull();
                           return Status::OK();
                         }
                         return Status::Invalid(
                             "[CANNOT_PARSE_TIMESTAMP] '{}' does not match the pattern '{}' in '{}' (row {}); use "
                             "try_to_timestamp to get NULL",
                             s, pattern_text, sql, i);
                       }
                       out->AppendInt(to_date ? FloorDiv(*micros, kMicrosPerDay) : *micros);
                       return Status::OK();
                     });
}

}  // namespace

Result<NodePtr> BindDatetimeFunction(const std::string& name, std::vector<NodePtr>& args, const std::string& sql) {
  if (name == "current_timestamp" || name == "now" || name == "current_date" || name == "curdate") {
    TRIB_RETURN_NOT_OK(Count(name, args, 0, 0, sql));
    bool date = name == "current_date" || name == "curdate";
    DataTypePtr type = date ? DataType::Date() : DataType::Timestamp();
    Kernel kernel = [date, type](const std::vector<Value>&, int64_t rows, EvalContext* context) -> Result<ColumnPtr> {
      ColumnBuilder out(type);
      int64_t t = context ? context->current_timestamp_micros : 0;
      out.AppendInt(date ? FloorDiv(t, kMicrosPerDay) : t);
      return out.Finish();
    };
    return MakeCallNode(sql, type, false, {}, std::move(kernel));
  }
  if (name == "to_timestamp" || name == "try_to_timestamp") {
    return BindParseTime(name, args, sql, false, name == "try_to_timestamp");
  }
  if (name == "to_date" || name == "try_to_date") return BindParseTime(name, args, sql, true, name == "try_to_date");
  if (name == "date_format") {
    TRIB_RETURN_NOT_OK(Count(name, args, 2, 2, sql));
    TRIB_RETURN_NOT_OK(ToTime(&args[0], DataType::Timestamp(), sql));
    TRIB_ASSIGN_OR_RETURN(auto pattern, LiteralPattern(args[1], sql));
    std::vector<NodePtr> only{args[0]};
    return RowFunction(only, sql, DataType::String(),
                       [pattern](const std::vector<Value>& v, int64_t i, EvalContext*, ColumnBuilder* out) {
                         out->AppendString(FormatWithPattern(Int64(v[0], i), *pattern));
                         return Status::OK();
                       });
  }
  if (name == "unix_timestamp" || name == "to_unix_timestamp") {
    TRIB_RETURN_NOT_OK(Count(name, args, 0, 2, sql));
    if (args.empty()) {
      Kernel kernel = [](const std::vector<Value>&, int64_t, EvalContext* context) -> Result<ColumnPtr> {
        ColumnBuilder out(DataType::Long());
        out.AppendInt(FloorDiv(context ? context->current_timestamp_micros : 0, 1000000));
        return out.Finish();
      };
      return MakeCallNode(sql, DataType::Long(), false, {}, std::move(kernel));
    }
    NodePtr ts;
    if (args[0]->type()->id() == TypeId::kString) {
      std::vector<NodePtr> parse_args{args[0], args.size() > 1 ? args[1]
                                                                : MakeLiteralNode(*[] {
                                                                    ColumnBuilder b(DataType::String());
                                                                    b.AppendString("yyyy-MM-dd HH:mm:ss");
                                                                    return Result<ColumnPtr>(b.Finish());
                                                                  }(), false, "'yyyy-MM-dd HH:mm:ss'")};
      TRIB_ASSIGN_OR_RETURN(ts, BindParseTime(name, parse_args, sql, false, false));
    } else {
      ts = args[0];
      TRIB_RETURN_NOT_OK(ToTime(&ts, DataType::Timestamp(), sql));
    }
    std::vector<NodePtr> only{ts};
    return RowFunction(only, sql, DataType::Long(), [](const std::vector<Value>& v, int64_t i, EvalContext*, ColumnBuilder* out) {
      out->AppendInt(FloorDiv(Int64(v[0], i), 1000000));
      return Status::OK();
    });
  }
  if (name == "from_unixtime") {
    TRIB_RETURN_NOT_OK(Count(name, args, 1, 2, sql));
    if (!args[0]->type()->is_integral() && !args[0]->is_null_literal()) {
      return Status::Invalid("[DATATYPE_MISMATCH] '{}' needs seconds as an integer, not {}", sql,
                             args[0]->type()->SimpleString());
    }
    TRIB_ASSIGN_OR_RETURN(args[0], CoerceTo(args[0], DataType::Long()));
    std::shared_ptr<std::vector<PatternPart>> pattern;
    if (args.size() > 1) {
      TRIB_ASSIGN_OR_RETURN(pattern, LiteralPattern(args[1], sql));
    } else {
      TRIB_ASSIGN_OR_RETURN(auto parts, CompilePattern("yyyy-MM-dd HH:mm:ss"));
      pattern = std::make_shared<std::vector<PatternPart>>(std::move(parts));
    }
    std::vector<NodePtr> only{args[0]};
    return RowFunction(only, sql, DataType::String(),
                       [pattern](const std::vector<Value>& v, int64_t i, EvalContext*, ColumnBuilder* out) {
                         out->AppendString(FormatWithPattern(Int64(v[0], i) * 1000000, *pattern));
                         return Status::OK();
                       });
  }
  if (name == "year" || name == "month" || name == "day" || name == "dayofmonth" || name == "hour" ||
      name == "minute" || name == "second" || name == "dayofweek" || name == "dayofyear" || name == "quarter") {
    TRIB_RETURN_NOT_OK(Count(name, args, 1, 1, sql));
    bool time_part = name == "hour" || name == "minute" || name == "second";
    TRIB_RETURN_NOT_OK(ToTime(&args[0], time_part ? DataType::Timestamp() : DataType::Date(), sql));
    std::string field = name;
    return RowFunction(args, sql, DataType::Integer(), [field](const std::vector<Value>& v, int64_t i, EvalContext*, ColumnBuilder* out) {
      int64_t x = Int64(v[0], i);
      if (field == "hour" || field == "minute" || field == "second") {
        int64_t secs = FloorDiv(x, 1000000) - FloorDiv(x, kMicrosPerDay) * 86400;
        out->AppendInt(field == "hour" ? secs / 3600 : field == "minute" ? secs / 60 % 60 : secs % 60);
        return Status::OK();
      }
      int64_t year;
      unsigned month, day;
      columnar::CivilFromDays(x, &year, &month, &day);
      if (field == "year") {
        out->AppendInt(year);
      } else if (field == "month") {
        out->AppendInt(month);
      } else if (field == "quarter") {
        out->AppendInt((month - 1) / 3 + 1);
      } else if (field == "dayofweek") {
        out->AppendInt(((x + 4) % 7 + 7) % 7 + 1);  // 1 = Sunday; 1970-01-01 was a Thursday
      } else if (field == "dayofyear") {
        out->AppendInt(x - columnar::DaysFromCivil(year, 1, 1) + 1);
      } else {
        out->AppendInt(day);
      }
      return Status::OK();
    });
  }
  if (name == "date_add" || name == "date_sub" || name == "dateadd") {
    TRIB_RETURN_NOT_OK(Count(name, args, 2, 2, sql));
    TRIB_RETURN_NOT_OK(ToTime(&args[0], DataType::Date(), sql));
    if (!args[1]->type()->is_integral() && !args[1]->is_null_literal()) {
      return Status::Invalid("[DATATYPE_MISMATCH] '{}' needs a number of days as an integer, not {}", sql,
                             args[1]->type()->SimpleString());
    }
    TRIB_ASSIGN_OR_RETURN(args[1], CoerceTo(args[1], DataType::Long()));
    bool sub = name == "date_sub";
    return RowFunction(args, sql, DataType::Date(), [sub](const std::vector<Value>& v, int64_t i, EvalContext*, ColumnBuilder* out) {
      int64_t n = Int64(v[1], i);
      out->AppendInt(Int64(v[0], i) + (sub ? -n : n));
      return Status::OK();
    });
  }
  if (name == "datediff") {
    TRIB_RETURN_NOT_OK(Count(name, args, 2, 2, sql));
    TRIB_RETURN_NOT_OK(ToTime(&args[0], DataType::Date(), sql));
    TRIB_RETURN_NOT_OK(ToTime(&args[1], DataType::Date(), sql));
    return RowFunction(args, sql, DataType::Integer(), [](const std::vector<Value>& v, int64_t i, EvalContext*, ColumnBuilder* out) {
      out->AppendInt(Int64(v[0], i) - Int64(v[1], i));
      return Status::OK();
    });
  }
  return UnknownFunction(name);
}

}  // namespace tributary::expr::internal
