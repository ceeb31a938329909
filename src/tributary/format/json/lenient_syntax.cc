#include <charconv>
#include <cstdint>

#include "tributary/format/json/json_text_internal.h"
#include "tributary/format/json/lenient_syntax_internal.h"

namespace tributary::json {

namespace {

constexpr char kHex[] = "0123456789abcdef";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsNameStart(char c) { return IsLetter(c) || c == '_' || c == '$'; }
bool IsTokenChar(char c) { return IsDigit(c) || IsLetter(c) || c == '_' || c == '$' || c == '.' || c == '+' || c == '-'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsNonNumericToken(std::string_view token) {
  return token == "NaN" || token == "Infinity" || token == "+Infinity" || token == "-Infinity" || token == "INF" ||
         token == "+INF" || token == "-INF";
}

/// Whether a valid JSON number is one simdjson rejects: beyond 64-bit integers, or
/// an exponent out of a double's range.
bool OutOfSimdjsonRange(std::string_view token, bool integer) {
  const char* end = token.data() + token.size();
  if (integer) {
    int64_t signed_value;
    if (std::from_chars(token.data(), end, signed_value).ec == std::errc()) return false;
    uint64_t unsigned_value;
    return std::from_chars(token.data(), end, unsigned_value).ec != std::errc();
  }
  double value;
  return std::from_chars(token.data(), end, value).ec == std::errc::result_out_of_range;
}

/// "-007.5" -> "-7.5", "000" -> "0".
std::string_view StripLeadingZeros(std::string_view token, std::string* scratch) {
  size_t sign = token.starts_with('-') ? 1 : 0;
  size_t first = sign;
  while (first + 1 < token.size() && token[first] == '0' && IsDigit(token[first + 1])) ++first;
  if (first == sign) return token;
  scratch->clear();
  if (sign) scratch->push_back('-');
  scratch->append(token.data() + first, token.size() - first);
  return *scratch;
}

void AppendSentinel(std::string_view token, std::string* out) {
  out->append("\"\\u0000N");
  out->append(token);
  out->push_back('"');
}

/// Copies the string starting at `record[start]` (a ' or " quote) as a strict JSON
/// string; returns the index after it.
size_t CopyString(std::string_view record, size_t start, const JsonReadOptions& options, std::string* out,
                  bool* changed) {
  const char quote = record[start];
  if (quote == '\'') *changed = true;
  out->push_back('"');
  size_t i = start + 1;
  const size_t n = record.size();
  while (i < n) {
    char c = record[i];
    if (c == quote) {
      out->push_back('"');
      return i + 1;
    }
    if (c == '\\' && i + 1 < n) {
      char next = record[i + 1];
      switch (next) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': case 'u':
          out->push_back(c);
          out->push_back(next);
          break;
        default:
          // Jackson accepts \' with single quotes allowed, any \x with the knob on.
          if ((next == '\'' && options.allow_single_quotes) || options.allow_backslash_escaping_any_character) {
            *changed = true;
            if (static_cast<unsigned char>(next) < 0x20) {
              out->append("\\u00");
              out->push_back(kHex[(next >> 4) & 15]);
              out->push_back(kHex[next & 15]);
            } else {
              out->push_back(next);
            }
          } else {
            out->push_back(c);
            out->push_back(next);
          }
      }
      i += 2;
      continue;
    }
    if (c == '"') {  // inside a single-quoted string
      out->append("\\\"");
    } else if (static_cast<unsigned char>(c) < 0x20 && options.allow_unquoted_control_chars) {
      *changed = true;
      out->append("\\u00");
      out->push_back(kHex[(c >> 4) & 15]);
      out->push_back(kHex[c & 15]);
    } else {
      out->push_back(c);
    }
    ++i;
  }
  return n;  // unterminated: left for the parser to reject
}

}  // namespace

bool RewriteLenientJson(std::string_view record, const JsonReadOptions& options, std::string* out) {
  out->clear();
  std::string scratch;
  bool changed = false;
  size_t i = 0;
  const size_t n = record.size();
  while (i < n) {
    char c = record[i];
    if (c == '"' || (c == '\'' && options.allow_single_quotes)) {
      i = CopyString(record, i, options, out, &changed);
      continue;
    }
    if (c == '/' && options.allow_comments && i + 1 < n && (record[i + 1] == '*' || record[i + 1] == '/')) {
      size_t end;
      if (record[i + 1] == '/') {
        end = record.find_first_of("\r\n", i);
        if (end == std::string_view::npos) end = n;
      } else {
        end = record.find("*/", i + 2);
        if (end == std::string_view::npos) {
          out->append(record.substr(i));  // unterminated: stays invalid
          return changed;
        }
        end += 2;
      }
      out->push_back(' ');
      changed = true;
      i = end;
      continue;
    }
    if (IsTokenChar(c)) {
      size_t j = i;
      while (j < n && IsTokenChar(record[j])) ++j;
      std::string_view token = record.substr(i, j - i);
      i = j;
      if (IsNameStart(c) && options.allow_unquoted_field_names) {
        size_t k = j;
        while (k < n && IsSpace(record[k])) ++k;
        if (k < n && record[k] == ':') {
          out->push_back('"');
          out->append(token);
          out->push_back('"');
          changed = true;
          continue;
        }
      }
      if (IsNonNumericToken(token)) {
        if (options.allow_non_numeric_numbers) {
          AppendSentinel(token, out);
          changed = true;
        } else {
          out->append(token);
        }
        continue;
      }
      std::string_view number = options.allow_numeric_leading_zeros ? StripLeadingZeros(token, &scratch) : token;
      bool integer = false;
      if (IsJsonNumber(number, &integer)) {
        if (OutOfSimdjsonRange(number, integer)) {
          AppendSentinel(number, out);
          changed = true;
          continue;
        }
        if (number.size() != token.size()) changed = true;
        out->append(number);
        continue;
      }
      out->append(token);
      continue;
    }
    out->push_back(c);
    ++i;
  }
  return changed;
}

}  // namespace tributary::json
