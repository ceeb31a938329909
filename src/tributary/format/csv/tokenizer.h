#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/format/csv/read_options.h"

namespace tributary::csv {

/// One value of a record as written: `text` views the input, or the tokenizer's
/// scratch buffer when unescaping changed it (valid until the next Next() call).
struct CsvField {
  std::string_view text;
  /// The value was enclosed in quotes (a quoted empty value reads as `emptyValue`).
  bool quoted = false;
  /// SKIP_VALUE dropped this value: it reads as NULL.
  bool skipped = false;
  /// Internal: offset of the unescaped text in the scratch buffer, or npos.
  size_t scratch_offset = std::string::npos;
};

/// Why a record is malformed, as the tokenizer sees it.
enum class RecordError : unsigned char {
  kNone,
  kUnescapedQuote,
  kTooManyColumns,
  kFieldTooLong,
};

/// A short English reason for an error, for messages.
std::string_view RecordErrorReason(RecordError error);

/// One record: its values, its raw text (without the line ending) and where it
/// started. Reused between calls so that reading allocates nothing in steady state.
struct CsvRecord {
  std::vector<CsvField> fields;
  std::string_view raw;
  /// 1-based line number of the record's first line.
  int64_t line = 0;
  RecordError error = RecordError::kNone;
};

/// Splits UTF-8 CSV text into records in one pass, as Spark's CSV reader (Univocity)
/// does with the given options: blank lines and comment lines are skipped; without
/// multiLine a line ending always ends the record, even inside quotes (as in Spark,
/// an unterminated quote is not an error: the value ends with the line or the
/// input); values are views into the input unless an escape had to be removed.
/// The input must outlive the tokenizer. Not thread-safe.
class CsvTokenizer {
 public:
  CsvTokenizer(std::string_view input, const CsvReadOptions& options);

  /// Reads the next record into `record`. Returns false at the end of the input.
  bool Next(CsvRecord* record);

  /// Byte offset of the next unread character.
  size_t position() const { return pos_; }

 private:
  bool AtDelimiter(size_t p) const;
  bool IsLineEnd(char c) const { return line_sep_ ? c == line_sep_ : (c == '\n' || c == '\r'); }
  // Consumes the line ending at pos_.
  void ConsumeLineEnd();
  // Skips blank and comment lines; false when the input is exhausted.
  bool SkipIgnoredLines();
  void ParseUnquoted(CsvField* field);
  void ParseQuoted(CsvField* field, CsvRecord* record);
  // After an unescaped quote at `stop` handled as STOP_AT_DELIMITER / SKIP_VALUE:
  // position of the next delimiter or line ending.
  size_t ScanToFieldEnd(size_t from) const;

  std::string_view input_;
  const CsvReadOptions& options_;
  size_t pos_ = 0;
  int64_t line_ = 1;
  char line_sep_;
  char delimiter0_;
  bool single_delimiter_;
  // Characters that may end an unquoted value.
  std::array<bool, 256> unquoted_special_{};
  // Characters that need a look inside a quoted value.
  std::array<bool, 256> quoted_special_{};
  // With multiLine: the first line ending of the input ("\r\n", "\n" or "\r"), which
  // quoted values read as '\n' (Univocity's line separator detection).
  std::string_view detected_line_end_ = "\n";
  std::string scratch_;
};

}  // namespace tributary::csv
