#include "tributary/format/json/raw_text_internal.h"

namespace tributary::json {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t SkipSpace(std::string_view text, size_t i) {
  while (i < text.size() && IsSpace(text[i])) ++i;
  return i;
}

/// `text[i]` is an opening quote; returns the index after the closing one.
size_t SkipString(std::string_view text, size_t i) {
  for (++i; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return text.size();
}

/// Returns the index after the value starting at `text[i]`.
size_t SkipValue(std::string_view text, size_t i) {
  const size_t n = text.size();
  char c = text[i];
  if (c == '"') return SkipString(text, i);
  if (c == '{' || c == '[') {
    int depth = 0;
    while (i < n) {
      c = text[i];
      if (c == '"') {
        i = SkipString(text, i);
        continue;
      }
      if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return i + 1;
      }
      ++i;
    }
    return n;
  }
  while (i < n && text[i] != ',' && text[i] != '}' && text[i] != ']' && !IsSpace(text[i])) ++i;
  return i;
}

/// Scans a container opened by `open`: values of an object (after "key":) or
/// elements of an array.
bool ScanContainer(std::string_view text, char open, std::vector<std::string_view>* values) {
  values->clear();
  const char close = open == '{' ? '}' : ']';
  size_t i = SkipSpace(text, 0);
  if (i >= text.size() || text[i] != open) return false;
  i = SkipSpace(text, i + 1);
  if (i < text.size() && text[i] == close) return true;
  while (i < text.size()) {
    if (open == '{') {
      if (text[i] != '"') return false;
      i = SkipSpace(text, SkipString(text, i));
      if (i >= text.size() || text[i] != ':') return false;
      i = SkipSpace(text, i + 1);
    }
    if (i >= text.size()) return false;
    size_t end = SkipValue(text, i);
    values->push_back(text.substr(i, end - i));
    i = SkipSpace(text, end);
    if (i < text.size() && text[i] == ',') {
      i = SkipSpace(text, i + 1);
      continue;
    }
    return i < text.size() && text[i] == close;
  }
  return false;
}

}  // namespace

bool ScanObjectValues(std::string_view object_text, std::vector<std::string_view>* values) {
  return ScanContainer(object_text, '{', values);
}

bool ScanArrayElements(std::string_view array_text, std::vector<std::string_view>* elements) {
  return ScanContainer(array_text, '[', elements);
}

}  // namespace tributary::json
