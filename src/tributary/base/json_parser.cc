// ParseJson and ParseJsonLines (declared in json.h).

#include <charconv>

#include <fmt/format.h>

#include "tributary/base/json.h"
#include "tributary/base/json_internal.h"

namespace tributary {
namespace {

using json_internal::Utf8SequenceLength;

constexpr int kMaxDepth = 512;

class Parser {
 public:
  Parser(std::string_view text, const JsonParseOptions* options) : text_(text), options_(options) {}

  Result<JsonValue> ParseDocument() {
    SkipWhitespace();
    JsonValue value;
    TRIB_RETURN_NOT_OK(ParseValue(&value, 0));
    SkipWhitespace();
    if (pos_ != text_.size()) return Error("unexpected text after the JSON value");
    return value;
  }

 private:
  Status Error(std::string_view what) const { return ErrorAt(pos_, what); }
  Status ErrorAt(size_t offset, std::string_view what) const {
    return Status::Invalid("invalid JSON at byte {}: {}", offset, what);
  }

  void SkipWhitespace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }

  bool Consume(std::string_view literal) {
    if (text_.substr(pos_, literal.size()) != literal) return false;
    pos_ += literal.size();
    return true;
  }

  Status ParseValue(JsonValue* out, int depth) {
    if (pos_ >= text_.size()) return Error("unexpected end of input, expected a value");
    switch (text_[pos_]) {
      case '{': return ParseObject(out, depth);
      case '[': return ParseArray(out, depth);
      case '"': {
        std::string value;
        TRIB_RETURN_NOT_OK(ParseString(&value));
        *out = JsonValue(std::move(value));
        return Status::OK();
      }
      case 't':
        if (!Consume("true")) return Error("invalid literal, expected 'true'");
        *out = JsonValue(true);
        return Status::OK();
      case 'f':
        if (!Consume("false")) return Error("invalid literal, expected 'false'");
        *out = JsonValue(false);
        return Status::OK();
      case 'n':
        if (!Consume("null")) return Error("invalid literal, expected 'null'");
        *out = JsonValue();
        return Status::OK();
      default:
        return ParseNumber(out);
    }
  }

  Status ParseObject(JsonValue* out, int depth) {
    if (depth >= kMaxDepth) return Error("nesting deeper than 512 levels");
    ++pos_;  // '{'
    JsonValue::Object members;
    SkipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      *out = JsonValue(std::move(members));
      return Status::OK();
    }
    while (true) {
      SkipWhitespace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Error("expected a string object key");
      std::string key;
      TRIB_RETURN_NOT_OK(ParseString(&key));
      SkipWhitespace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Error("expected ':' after object key");
      ++pos_;
      SkipWhitespace();
      JsonValue value;
      size_t value_start = pos_;
      TRIB_RETURN_NOT_OK(ParseValue(&value, depth + 1));
      if (IsRawKey(key)) value = JsonValue(text_.substr(value_start, pos_ - value_start));
      members.emplace_back(std::move(key), std::move(value));
      SkipWhitespace();
      if (pos_ >= text_.size()) return Error("unexpected end of input, expected ',' or '}'");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == '}') {
        ++pos_;
        break;
      }
      return Error("expected ',' or '}' in object");
    }
    *out = JsonValue(std::move(members));
    return Status::OK();
  }

  Status ParseArray(JsonValue* out, int depth) {
    if (depth >= kMaxDepth) return Error("nesting deeper than 512 levels");
    ++pos_;  // '['
    JsonValue::Array elements;
    SkipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      *out = JsonValue(std::move(elements));
      return Status::OK();
    }
    while (true) {
      SkipWhitespace();
      JsonValue value;
      TRIB_RETURN_NOT_OK(ParseValue(&value, depth + 1));
      elements.push_back(std::move(value));
      SkipWhitespace();
      if (pos_ >= text_.size()) return Error("unexpected end of input, expected ',' or ']'");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == ']') {
        ++pos_;
        break;
      }
      return Error("expected ',' or ']' in array");
    }
    *out = JsonValue(std::move(elements));
    return Status::OK();
  }

  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  Status ParseNumber(JsonValue* out) {
    size_t start = pos_;
    bool integral = true;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return ErrorAt(start, "expected a value");
    if (text_[pos_] == '0') {
      ++pos_;
      if (pos_ < text_.size() && IsDigit(text_[pos_])) return ErrorAt(start, "numbers may not have leading zeros");
    } else {
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      integral = false;
      ++pos_;
      if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return Error("expected a digit after the decimal point");
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      integral = false;
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return Error("expected a digit in the exponent");
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    if (integral) {
      int64_t value = 0;
      auto [ptr, ec] = std::from_chars(first, last, value);
      if (ec == std::errc() && ptr == last) {
        *out = JsonValue(value);
        return Status::OK();
      }
      // Out of int64 range: fall through and keep it as a double.
    }
    double value = 0;
    auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec == std::errc::result_out_of_range) return ErrorAt(start, "number out of range");
    if (ec != std::errc() || ptr != last) return ErrorAt(start, "invalid number");
    *out = JsonValue(value);
    return Status::OK();
  }

  Status ParseHex4(uint32_t* out) {
    if (pos_ + 4 > text_.size()) return Error("truncated \\u escape");
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_ + static_cast<size_t>(i)];
      value <<= 4;
      if (c >= '0' && c <= '9') value |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') value |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') value |= static_cast<uint32_t>(c - 'A' + 10);
      else return ErrorAt(pos_ + static_cast<size_t>(i), "invalid hex digit in \\u escape");
    }
    pos_ += 4;
    *out = value;
    return Status::OK();
  }

  Status ParseString(std::string* out) {
    ++pos_;  // opening quote
    while (true) {
      size_t run = pos_;
      while (run < text_.size()) {
        auto c = static_cast<unsigned char>(text_[run]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++run;
      }
      out->append(text_.data() + pos_, run - pos_);
      pos_ = run;
      if (pos_ >= text_.size()) return Error("unterminated string");
      auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return Status::OK();
      }
      if (c < 0x20) return Error("control character in string must be escaped");
      if (c >= 0x80) {
        size_t length = Utf8SequenceLength(text_, pos_);
        if (length == 0) return Error("invalid UTF-8 in string");
        out->append(text_.data() + pos_, length);
        pos_ += length;
        continue;
      }
      // Backslash escape.
      size_t escape_start = pos_;
      ++pos_;
      if (pos_ >= text_.size()) return Error("unterminated string");
      char e = text_[pos_++];
      switch (e) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          uint32_t unit = 0;
          TRIB_RETURN_NOT_OK(ParseHex4(&unit));
          if (unit >= 0xDC00 && unit <= 0xDFFF) return ErrorAt(escape_start, "unpaired low surrogate in \\u escape");
          if (unit >= 0xD800 && unit <= 0xDBFF) {
            if (!Consume("\\u")) return ErrorAt(escape_start, "high surrogate not followed by a low surrogate");
            uint32_t low = 0;
            TRIB_RETURN_NOT_OK(ParseHex4(&low));
            if (low < 0xDC00 || low > 0xDFFF) {
              return ErrorAt(escape_start, "high surrogate not followed by a low surrogate");
            }
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(unit, out);
          break;
        }
        default:
          return ErrorAt(escape_start, "invalid escape sequence in string");
      }
    }
  }

  bool IsRawKey(const std::string& key) const {
    if (options_ == nullptr) return false;
    for (const std::string& raw_key : options_->raw_keys) {
      if (raw_key == key) return true;
    }
    return false;
  }

  std::string_view text_;
  const JsonParseOptions* options_;
  size_t pos_ = 0;
};

}  // namespace

Result<JsonValue> ParseJson(std::string_view text) { return Parser(text, nullptr).ParseDocument(); }

Result<JsonValue> ParseJson(std::string_view text, const JsonParseOptions& options) {
  return Parser(text, &options).ParseDocument();
}

Result<std::vector<JsonValue>> ParseJsonLines(std::string_view text) {
  std::vector<JsonValue> values;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    Result<JsonValue> value = ParseJson(line);
    if (!value.ok()) return value.status().WithContext(fmt::format("line {}", line_number));
    values.push_back(std::move(value).value());
  }
  return values;
}

}  // namespace tributary
