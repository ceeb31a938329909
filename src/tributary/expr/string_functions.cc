#include <memory>

#include <re2/re2.h>

#include "tributary/expr/expr_internal.h"

namespace tributary::expr::internal {

namespace {

/// Runs `f(values, row, out)` for each row where every argument is not null; other
/// rows are null. `nullable_args` lists args whose null does not make the row null.
template <typename F>
NodePtr RowFunction(std::vector<NodePtr>& args, const std::string& sql, DataTypePtr out_type, F f,
                    bool null_in_null_out = true) {
  bool nullable = false;
  for (const NodePtr& a : args) nullable = nullable || a->nullable();
  Kernel kernel = [out_type, f, null_in_null_out](const std::vector<Value>& v, int64_t rows,
                                                  EvalContext*) -> Result<ColumnPtr> {
    ColumnBuilder out(out_type);
    for (int64_t i = 0; i < rows; ++i) {
      if (null_in_null_out) {
        bool any_null = false;
        for (const Value& a : v) any_null = any_null || a.IsNull(i);
        if (any_null) {
          out.AppendNull();
          continue;
        }
      }
      TRIB_RETURN_NOT_OK(f(v, i, &out));
    }
    return out.Finish();
  };
  return MakeCallNode(sql, out_type, nullable || !null_in_null_out, args, std::move(kernel));
}

std::string_view Str(const Value& v, int64_t i) { return v.column->StringValue(v.Row(i)); }
int64_t Int(const Value& v, int64_t i) { return v.column->Value<int32_t>(v.Row(i)); }

Status ToStrings(std::vector<NodePtr>& args, size_t from, const std::string& sql) {
  for (size_t i = from; i < args.size(); ++i) {
    if (args[i]->type()->is_nested()) {
      return Status::Invalid("[DATATYPE_MISMATCH] '{}' needs a string, but {} is {}", sql, args[i]->sql(),
                             args[i]->type()->SimpleString());
    }
    TRIB_ASSIGN_OR_RETURN(args[i], CoerceTo(args[i], DataType::String()));
  }
  return Status::OK();
}

Status ToInt(NodePtr* arg, const std::string& sql) {
  if (!(*arg)->type()->is_integral() && !(*arg)->is_null_literal()) {
    return Status::Invalid("[DATATYPE_MISMATCH] '{}' needs an integer, but {} is {}", sql, (*arg)->sql(),
                           (*arg)->type()->SimpleString());
  }
  TRIB_ASSIGN_OR_RETURN(*arg, CoerceTo(*arg, DataType::Integer()));
  return Status::OK();
}

Status Count(const std::string& name, const std::vector<NodePtr>& args, size_t min, size_t max, const std::string& sql) {
  if (args.size() >= min && args.size() <= max) return Status::OK();
  return Status::Invalid("[WRONG_NUM_ARGS] {} takes {} to {} arguments, not {}, in '{}'", name, min, max, args.size(),
                         sql);
}

/// Byte offsets of each UTF-8 code point start in `s`, plus s.size().
std::vector<size_t> CodePoints(std::string_view s) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(s.size());
  return starts;
}

int64_t CharLength(std::string_view s) {
  int64_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

/// A compiled pattern: once when the pattern is a literal, else per distinct value.
class RegexCache {
 public:
  const RE2* Get(std::string_view pattern, Status* error) {
    if (re_ && last_ == pattern) return re_.get();
    RE2::Options options;
    options.set_log_errors(false);
    re_ = std::make_unique<RE2>(pattern, options);
    last_ = std::string(pattern);
    if (!re_->ok()) {
      *error = Status::Invalid("[INVALID_PARAMETER_VALUE.PATTERN] invalid regular expression '{}': {}", pattern,
                               re_->error());
      return nullptr;
    }
    return re_.get();
  }

 private:
  std::string last_;
  std::unique_ptr<RE2> re_;
};

/// Java's replacement syntax ($1, \$) to RE2's (\1, $).
std::string JavaReplacement(std::string_view rep) {
  std::string out;
  for (size_t i = 0; i < rep.size(); ++i) {
    char c = rep[i];
    if (c == '\\' && i + 1 < rep.size()) {
      char n = rep[++i];
      if (n == '\\') {
        out += "\\\\";
      } else {
        out += n;
      }
    } else if (c == '$' && i + 1 < rep.size() && std::isdigit(static_cast<unsigned char>(rep[i + 1]))) {
      out += '\\';
      out += rep[++i];
    } else {
      out += c;
    }
  }
  return out;
}

std::string LikeToRegex(std::string_view pattern, char escape) {
  std::string out = "(?s)^";
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == escape && i + 1 < pattern.size()) {
      out += RE2::QuoteMeta(std::string(1, pattern[++i]));
    } else if (c == '%') {
      out += ".*";
    } else if (c == '_') {
      out += ".";
    } else {
      out += RE2::QuoteMeta(std::string(1, c));
    }
  }
  return out + "$";
}

std::string Pad(std::string_view s, int64_t length, std::string_view pad, bool left) {
  std::vector<size_t> cps = CodePoints(s);
  int64_t n = static_cast<int64_t>(cps.size()) - 1;
  if (length <= 0) return "";
  if (n >= length) return std::string(s.substr(0, cps[static_cast<size_t>(length)]));
  if (pad.empty()) return std::string(s);
  std::vector<size_t> pcps = CodePoints(pad);
  int64_t pn = static_cast<int64_t>(pcps.size()) - 1;
  std::string fill;
  for (int64_t k = 0; k < length - n; ++k) {
    size_t idx = static_cast<size_t>(k % pn);
    fill += pad.substr(pcps[idx], pcps[idx + 1] - pcps[idx]);
  }
  return left ? fill + std::string(s) : std::string(s) + fill;
}

}  // namespace

Result<NodePtr> BindLike(const std::string& op, NodePtr value, NodePtr pattern, bool negated, std::string sql) {
  std::vector<NodePtr> args{value, pattern};
  TRIB_RETURN_NOT_OK(ToStrings(args, 0, sql));
  const bool regex = op == "RLIKE";
  const bool ignore_case = op == "ILIKE";
  auto cache = std::make_shared<RegexCache>();
  auto node = RowFunction(args, sql, DataType::Boolean(),
                          [regex, ignore_case, negated, cache](const std::vector<Value>& v, int64_t i,
                                                               ColumnBuilder* out) -> Status {
                            std::string pattern = regex ? std::string(Str(v[1], i)) : LikeToRegex(Str(v[1], i), '\\');
                            if (ignore_case) pattern = "(?i)" + pattern;
                            Status error;
                            const RE2* re = cache->Get(pattern, &error);
                            if (!re) return error;
                            bool match = regex ? RE2::PartialMatch(Str(v[0], i), *re) : RE2::FullMatch(Str(v[0], i), *re);
                            out->AppendBool(match != negated);
                            return Status::OK();
                          });
  return node;
}

Result<NodePtr> BindStringFunction(const std::string& name, std::vector<NodePtr>& args, const std::string& sql) {
  auto S = DataType::String();
  if (name == "concat") {
    TRIB_RETURN_NOT_OK(ToStrings(args, 0, sql));
    return RowFunction(args, sql, S, [](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
      std::string s;
      for (const Value& a : v) s += Str(a, i);
      out->AppendString(s);
      return Status::OK();
    });
  }
  if (name == "concat_ws") {
    TRIB_RETURN_NOT_OK(Count(name, args, 1, 1000, sql));
    std::vector<bool> is_array;
    for (size_t k = 0; k < args.size(); ++k) {
      bool array = k > 0 && args[k]->type()->id() == TypeId::kArray;
      if (array) {
        TRIB_ASSIGN_OR_RETURN(args[k], CoerceTo(args[k], DataType::Array(S)));
      } else {
        std::vector<NodePtr> one{args[k]};
        TRIB_RETURN_NOT_OK(ToStrings(one, 0, sql));
        args[k] = one[0];
      }
      is_array.push_back(array);
    }
    auto node = RowFunction(
        args, sql, S,
        [is_array](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
          if (v[0].IsNull(i)) {
            out->AppendNull();
            return Status::OK();
          }
          std::string_view sep = Str(v[0], i);
          std::string s;
          bool first = true;
          auto add = [&](std::string_view part) {
            if (!first) s += sep;
            s += part;
            first = false;
          };
          for (size_t k = 1; k < v.size(); ++k) {
            if (v[k].IsNull(i)) continue;
            if (is_array[k]) {
              const Column& arr = *v[k].column;
              int64_t r = v[k].Row(i);
              for (int32_t e = arr.ListStart(r); e < arr.ListEnd(r); ++e) {
                if (arr.child(0)->IsValid(e)) add(arr.child(0)->StringValue(e));
              }
            } else {
              add(Str(v[k], i));
            }
          }
          out->AppendString(s);
          return Status::OK();
        },
        false);
    return node;
  }
  if (name == "upper" || name == "lower" || name == "ucase" || name == "lcase") {
    TRIB_RETURN_NOT_OK(Count(name, args, 1, 1, sql));
    TRIB_RETURN_NOT_OK(ToStrings(args, 0, sql));
    bool up = name == "upper" || name == "ucase";
    return RowFunction(args, sql, S, [up](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
      std::string s(Str(v[0], i));
      for (auto& c : s) c = static_cast<char>(up ? std::toupper(static_cast<unsigned char>(c)) : std::tolower(static_cast<unsigned char>(c)));
      out->AppendString(s);
      return Status::OK();
    });
  }
  if (name == "trim" || name == "ltrim" || name == "rtrim" || name == "btrim") {
    TRIB_RETURN_NOT_OK(Count(name, args, 1, 2, sql));
    TRIB_RETURN_NOT_OK(ToStrings(args, 0, sql));
    bool left = name != "rtrim", right = name != "ltrim";
    return RowFunction(args, sql, S, [left, right](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
      std::string_view s = Str(v[0], i);
      std::string_view chars = v.size() > 1 ? Str(v[1], i) : std::string_view(" ");
      size_t b = 0, e = s.size();
      if (left) b = std::min(s.find_first_not_of(chars), s.size());
      if (right) {
        size_t last = s.find_last_not_of(chars);
        e = last == std::string_view::npos ? b : last + 1;
      }
      out->AppendString(e > b ? s.substr(b, e - b) : std::string_view());
      return Status::OK();
    });
  }
  if (name == "length" || name == "char_length" || name == "character_length" || name == "len") {
    TRIB_RETURN_NOT_OK(Count(name, args, 1, 1, sql));
    bool binary = args[0]->type()->id() == TypeId::kBinary;
    if (!binary) {
      TRIB_RETURN_NOT_OK(ToStrings(args, 0, sql));
    }
    return RowFunction(args, sql, DataType::Integer(), [binary](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
      std::string_view s = Str(v[0], i);
      out->AppendInt(binary ? static_cast<int64_t>(s.size()) : CharLength(s));
      return Status::OK();
    });
  }
  if (name == "substring" || name == "substr") {
    TRIB_RETURN_NOT_OK(Count(name, args, 2, 3, sql));
    {
      std::vector<NodePtr> text{args[0]};
      TRIB_RETURN_NOT_OK(ToStrings(text, 0, sql));
      args[0] = text[0];
    }
    for (size_t k = 1; k < args.size(); ++k) {
      TRIB_RETURN_NOT_OK(ToInt(&args[k], sql));
    }
    return RowFunction(args, sql, S, [](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
      std::string_view s = Str(v[0], i);
      std::vector<size_t> cps = CodePoints(s);
      int64_t n = static_cast<int64_t>(cps.size()) - 1;
      int64_t pos = Int(v[1], i);
      int64_t len = v.size() > 2 ? Int(v[2], i) : std::numeric_limits<int32_t>::max();
      // Spark: 1-based; 0 acts as 1; negative counts from the end.
      int64_t start = pos > 0 ? pos - 1 : (pos < 0 ? n + pos : 0);
      int64_t end = len < 0 ? start : start + len;
      if (pos < 0 && start < 0) {
        end = start + len;
        start = 0;
      }
      start = std::clamp<int64_t>(start, 0, n);
      end = std::clamp<int64_t>(end, start, n);
      out->AppendString(s.substr(cps[static_cast<size_t>(start)], cps[static_cast<size_t>(end)] - cps[static_cast<size_t>(start)]));
      return Status::OK();
    });
  }
  if (name == "replace") {
    TRIB_RETURN_NOT_OK(Count(name, args, 2, 3, sql));
    TRIB_RETURN_NOT_OK(ToStrings(args, 0, sql));
    return RowFunction(args, sql, S, [](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
      std::string_view s = Str(v[0], i), from = Str(v[1], i);
      std::string_view to = v.size() > 2 ? Str(v[2], i) : std::string_view();
      if (from.empty()) {
        out->AppendString(s);
        return Status::OK();
      }
      std::string r;
      size_t p = 0;
      while (true) {
        size_t f = s.find(from, p);
        if (f == std::string_view::npos) break;
        r.append(s.substr(p, f - p));
        r.append(to);
        p = f + from.size();
      }
      r.append(s.substr(p));
      out->AppendString(r);
      return Status::OK();
    });
  }
  if (name == "startswith" || name == "endswith" || name == "contains") {
    TRIB_RETURN_NOT_OK(Count(name, args, 2, 2, sql));
    TRIB_RETURN_NOT_OK(ToStrings(args, 0, sql));
    int which = name == "startswith" ? 0 : name == "endswith" ? 1 : 2;
    return RowFunction(args, sql, DataType::Boolean(), [which](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
      std::string_view s = Str(v[0], i), p = Str(v[1], i);
      out->AppendBool(which == 0 ? s.starts_with(p) : which == 1 ? s.ends_with(p) : s.find(p) != std::string_view::npos);
      return Status::OK();
    });
  }
  if (name == "lpad" || name == "rpad") {
    TRIB_RETURN_NOT_OK(Count(name, args, 2, 3, sql));
    TRIB_RETURN_NOT_OK(ToInt(&args[1], sql));
    std::vector<NodePtr> text{args[0]};
    if (args.size() > 2) text.push_back(args[2]);
    TRIB_RETURN_NOT_OK(ToStrings(text, 0, sql));
    args[0] = text[0];
    if (args.size() > 2) args[2] = text[1];
    bool left = name == "lpad";
    return RowFunction(args, sql, S, [left](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
      out->AppendString(Pad(Str(v[0], i), Int(v[1], i), v.size() > 2 ? Str(v[2], i) : " ", left));
      return Status::OK();
    });
  }
  if (name == "split") {
    TRIB_RETURN_NOT_OK(Count(name, args, 2, 3, sql));
    std::vector<NodePtr> text{args[0], args[1]};
    TRIB_RETURN_NOT_OK(ToStrings(text, 0, sql));
    args[0] = text[0];
    args[1] = text[1];
    if (args.size() > 2) {
      TRIB_RETURN_NOT_OK(ToInt(&args[2], sql));
    }
    auto cache = std::make_shared<RegexCache>();
    return RowFunction(args, sql, DataType::Array(S), [cache](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
      Status error;
      const RE2* re = cache->Get(Str(v[1], i), &error);
      if (!re) return error;
      int64_t limit = v.size() > 2 ? Int(v[2], i) : -1;
      std::string_view s = Str(v[0], i);
      std::vector<std::string_view> parts;
      re2::StringPiece input(s.data(), s.size());
      size_t p = 0;
      re2::StringPiece match;
      while (limit <= 0 || static_cast<int64_t>(parts.size()) < limit - 1) {
        if (p > s.size() || !re->Match(input, p, s.size(), RE2::UNANCHORED, &match, 1)) break;
        size_t at = static_cast<size_t>(match.data() - s.data());
        if (match.empty()) {
          // An empty match splits between characters (Java's split of "").
          if (at >= s.size()) break;
          size_t next = at + 1;
          while (next < s.size() && (static_cast<unsigned char>(s[next]) & 0xC0) == 0x80) ++next;
          if (at == p && at == 0 && p == 0) {
            parts.push_back(s.substr(0, next));
            p = next;
            continue;
          }
          parts.push_back(s.substr(p, next - p));
          p = next;
          continue;
        }
        parts.push_back(s.substr(p, at - p));
        p = at + match.size();
      }
      parts.push_back(p <= s.size() ? s.substr(p) : std::string_view());
      for (std::string_view part : parts) out->child(0).AppendString(part);
      out->AppendListEnd();
      return Status::OK();
    });
  }
  if (name == "regexp_replace") {
    TRIB_RETURN_NOT_OK(Count(name, args, 3, 3, sql));
    TRIB_RETURN_NOT_OK(ToStrings(args, 0, sql));
    auto cache = std::make_shared<RegexCache>();
    return RowFunction(args, sql, S, [cache](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
      Status error;
      const RE2* re = cache->Get(Str(v[1], i), &error);
      if (!re) return error;
      std::string s(Str(v[0], i));
      RE2::GlobalReplace(&s, *re, JavaReplacement(Str(v[2], i)));
      out->AppendString(s);
      return Status::OK();
    });
  }
  if (name == "regexp_extract") {
    TRIB_RETURN_NOT_OK(Count(name, args, 2, 3, sql));
    std::vector<NodePtr> text{args[0], args[1]};
    TRIB_RETURN_NOT_OK(ToStrings(text, 0, sql));
    args[0] = text[0];
    args[1] = text[1];
    if (args.size() > 2) {
      TRIB_RETURN_NOT_OK(ToInt(&args[2], sql));
    }
    auto cache = std::make_shared<RegexCache>();
    return RowFunction(args, sql, S, [cache, sql](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
      Status error;
      const RE2* re = cache->Get(Str(v[1], i), &error);
      if (!re) return error;
      int64_t group = v.size() > 2 ? Int(v[2], i) : 1;
      if (group < 0 || group > re->NumberOfCapturingGroups()) {
        return Status::Invalid("[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] group index {} out of range (the regex has {} groups) in '{}'",
                               group, re->NumberOfCapturingGroups(), sql);
      }
      std::string_view s = Str(v[0], i);
      std::vector<re2::StringPiece> groups(static_cast<size_t>(group + 1));
      if (re->Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), RE2::UNANCHORED, groups.data(),
                    static_cast<int>(groups.size()))) {
        re2::StringPiece g = groups[static_cast<size_t>(group)];
        out->AppendString(std::string_view(g.data() ? g.data() : "", g.size()));
      } else {
        out->AppendString("");
      }
      return Status::OK();
    });
  }
  return UnknownFunction(name);
}

}  // namespace tributary::expr::internal
