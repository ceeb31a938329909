#include "tributary/streaming/cloud_files/glob_filter.h"

#include <cctype>

#include <re2/re2.h>

namespace tributary::cloud_files {

namespace {

void AppendLiteral(std::string* out, char c) {
  if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && !(static_cast<unsigned char>(c) & 0x80)) {
    out->push_back('\\');
  }
  out->push_back(c);
}

}  // namespace

Result<std::string> GlobToRegex(std::string_view pattern) {
  std::string out;
  int brace_depth = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    switch (c) {
      case '\\':
        if (i + 1 == pattern.size()) return Status::Invalid("glob '{}' ends with an escape character '\\'", pattern);
        AppendLiteral(&out, pattern[++i]);
        break;
      case '?':
        out += '.';
        break;
      case '*':
        out += ".*";
        break;
      case '{':
        ++brace_depth;
        out += "(?:";
        break;
      case '}':
        if (brace_depth == 0) {
          AppendLiteral(&out, c);
        } else {
          --brace_depth;
          out += ')';
        }
        break;
      case ',':
        if (brace_depth > 0) {
          out += '|';
        } else {
          AppendLiteral(&out, c);
        }
        break;
      case '[': {
        size_t close = i + 1;
        if (close < pattern.size() && (pattern[close] == '^' || pattern[close] == '!')) ++close;
        if (close < pattern.size() && pattern[close] == ']') ++close;  // "[]a]" holds ']'
        while (close < pattern.size() && pattern[close] != ']') ++close;
        if (close >= pattern.size()) return Status::Invalid("glob '{}' has an unclosed '[' at {}", pattern, i);
        out += '[';
        size_t j = i + 1;
        if (pattern[j] == '^' || pattern[j] == '!') {
          out += '^';
          ++j;
        }
        for (; j < close; ++j) {
          char member = pattern[j];
          if (member == '-') {
            out += '-';
          } else if (member == '\\' || member == '[' || member == ']' || member == '^') {
            out += '\\';
            out += member;
          } else {
            out += member;
          }
        }
        out += ']';
        i = close;
        break;
      }
      default:
        AppendLiteral(&out, c);
    }
  }
  if (brace_depth != 0) return Status::Invalid("glob '{}' has an unclosed '{{'", pattern);
  return out;
}

Result<GlobFilter> GlobFilter::Make(std::string_view pattern) {
  TRIB_ASSIGN_OR_RETURN(std::string regex, GlobToRegex(pattern));
  RE2::Options options;
  options.set_dot_nl(true);
  options.set_log_errors(false);
  auto compiled = std::make_shared<const RE2>(regex, options);
  if (!compiled->ok()) return Status::Invalid("glob '{}' is not valid: {}", pattern, compiled->error());
  return GlobFilter(std::string(pattern), std::move(compiled));
}

bool GlobFilter::Matches(std::string_view name) const { return RE2::FullMatch(name, *regex_); }

}  // namespace tributary::cloud_files
