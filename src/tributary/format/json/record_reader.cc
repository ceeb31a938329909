#include <cstring>

#include "tributary/format/json/lenient_syntax_internal.h"
#include "tributary/format/json/record_reader_internal.h"

namespace tributary::json {

bool IsBlank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

RecordSplitter::RecordSplitter(std::string_view content, bool multi_line, std::string_view line_sep)
    : content_(content), multi_line_(multi_line), line_sep_(line_sep) {
  if (content_.starts_with("\xEF\xBB\xBF")) content_.remove_prefix(3);
}

bool RecordSplitter::Next(RecordText* record) {
  const char* data = content_.data();
  const size_t size = content_.size();
  if (multi_line_) {
    if (position_ > 0 || IsBlank(content_)) return false;
    position_ = size;
    *record = RecordText{content_, 1};
    return true;
  }
  while (position_ < size) {
    size_t start = position_;
    size_t end;
    size_t next;
    if (line_sep_.empty()) {
      const void* newline = std::memchr(data + start, '\n', size - start);
      size_t newline_at = newline ? static_cast<size_t>(static_cast<const char*>(newline) - data) : size;
      // A lone '\r' also ends a line (Hadoop's LineRecordReader), and "\r\n" is one end.
      if (!carriage_known_ || next_carriage_ < start) {
        const void* carriage = std::memchr(data + start, '\r', size - start);
        next_carriage_ = carriage ? static_cast<size_t>(static_cast<const char*>(carriage) - data) : size;
        carriage_known_ = true;
      }
      if (next_carriage_ < newline_at) {
        end = next_carriage_;
        next = (end + 1 < size && data[end + 1] == '\n') ? end + 2 : end + 1;
      } else {
        end = newline_at;
        next = newline ? newline_at + 1 : size;
      }
    } else {
      size_t found = content_.find(line_sep_, start);
      end = found == std::string_view::npos ? size : found;
      next = found == std::string_view::npos ? size : found + line_sep_.size();
    }
    int64_t line = line_++;
    position_ = next;
    std::string_view text = content_.substr(start, end - start);
    if (IsBlank(text)) continue;
    *record = RecordText{text, line};
    return true;
  }
  return false;
}

simdjson::error_code RecordParser::ParsePadded(std::string_view record, simdjson::dom::element* root) {
  if (padded_.size() < record.size() + simdjson::SIMDJSON_PADDING) {
    padded_.resize(record.size() + simdjson::SIMDJSON_PADDING);
  }
  std::memcpy(padded_.data(), record.data(), record.size());
  std::memset(padded_.data() + record.size(), 0, simdjson::SIMDJSON_PADDING);
  return parser_.parse(reinterpret_cast<const uint8_t*>(padded_.data()), record.size(), false).get(*root);
}

simdjson::error_code RecordParser::Parse(std::string_view record, simdjson::dom::element* root) {
  lenient_ = false;
  const char* content_end = content_.data() + content_.size();
  const char* record_end = record.data() + record.size();
  bool inside = record.data() >= content_.data() && record_end <= content_end;
  simdjson::error_code error;
  if (inside && static_cast<size_t>(content_end - record_end) >= simdjson::SIMDJSON_PADDING) {
    error = parser_.parse(reinterpret_cast<const uint8_t*>(record.data()), record.size(), false).get(*root);
  } else {
    error = ParsePadded(record, root);
  }
  if (!error || error == simdjson::UTF8_ERROR || error == simdjson::DEPTH_ERROR || error == simdjson::CAPACITY) {
    return error;
  }
  if (!RewriteLenientJson(record, options_, &rewritten_)) return error;
  if (ParsePadded(rewritten_, root)) return error;
  lenient_ = true;
  return simdjson::SUCCESS;
}

}  // namespace tributary::json
