#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/format/json/read_options.h"

namespace tributary::json {

/// One record's text and the line it starts on (1-based).
struct RecordText {
  std::string_view text;
  int64_t line = 1;
};

/// Splits a file's content into records: lines (JSON Lines), or the whole content
/// (multiLine). Blank records (only JSON whitespace) are skipped. No copies.
class RecordSplitter {
 public:
  /// `line_sep` empty means any of "\n", "\r\n", "\r". `content` must outlive this.
  /// A UTF-8 byte order mark at the start of the content is skipped (as Jackson and
  /// Hadoop's line reader do).
  RecordSplitter(std::string_view content, bool multi_line, std::string_view line_sep);

  /// The next non-blank record; false at the end of the content.
  bool Next(RecordText* record);

 private:
  std::string_view content_;
  bool multi_line_;
  std::string_view line_sep_;
  size_t position_ = 0;
  int64_t line_ = 1;
  /// Where the next '\r' at or after position_ is (size when none): found once per
  /// '\r' rather than searched for in every line.
  size_t next_carriage_ = 0;
  bool carriage_known_ = false;
};

/// True when `text` holds only JSON whitespace.
bool IsBlank(std::string_view text);

/// Parses records with one reused simdjson DOM parser. A record inside the file's
/// content is parsed in place (the bytes after it serve as simdjson's padding); one
/// too close to the end is copied into a reused padded buffer first. A record
/// simdjson rejects is retried once with its lenient numbers rewritten (see
/// RewriteLenientJson); lenient() then says so. Not thread-safe; one per
/// Decode/InferSchema call.
class RecordParser {
 public:
  /// `content` is the buffer records are views of and `options` the lenient syntax
  /// knobs; both must outlive this.
  RecordParser(std::string_view content, const JsonReadOptions& options) : content_(content), options_(options) {}

  /// Parses `record` (a view into the content). The element is valid until the next
  /// Parse call. Errors are simdjson's (syntax, UTF-8, depth), from the first try.
  simdjson::error_code Parse(std::string_view record, simdjson::dom::element* root);

  /// Whether the last record parsed needed the lenient-number rewrite.
  bool lenient() const { return lenient_; }

 private:
  simdjson::error_code ParsePadded(std::string_view record, simdjson::dom::element* root);

  std::string_view content_;
  const JsonReadOptions& options_;
  bool lenient_ = false;
  simdjson::dom::parser parser_;
  std::vector<char> padded_;
  std::string rewritten_;
};

}  // namespace tributary::json
