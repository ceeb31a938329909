#pragma once

#include <cstdint>
#include <string>

#include "tributary/base/options.h"
#include "tributary/base/result.h"
#include "tributary/format/file_decoder.h"

namespace tributary::csv {

/// Input charsets the reader converts to UTF-8 before parsing.
enum class Charset { kUtf8, kLatin1, kUsAscii };

/// Spark's `unescapedQuoteHandling` values this reader implements.
enum class UnescapedQuoteHandling { kStopAtDelimiter, kStopAtClosingQuote, kSkipValue, kRaiseError };

/// Spark's CSV read options, parsed and validated. Defaults are Spark's.
struct CsvReadOptions {
  /// `header`: the first record holds the column names.
  bool header = false;
  /// `sep` / `delimiter`: one or more characters.
  std::string delimiter = ",";
  /// `quote`; '\0' disables quoting.
  char quote = '"';
  /// `escape`: inside a quoted value, escape + quote is a literal quote.
  char escape = '\\';
  /// `charToEscapeQuoteEscaping`: inside a quoted value, this + escape is a literal
  /// escape. Spark's default: the escape when it differs from the quote, else '\0'.
  char escape_of_escape = '\\';
  /// `comment`: records starting with it are skipped; '\0' disables.
  char comment = '\0';
  /// `multiLine`: quoted values may span lines.
  bool multi_line = false;
  /// `nullValue`: the token text read as NULL.
  std::string null_value;
  /// `emptyValue`: what a quoted empty value ("") reads as.
  std::string empty_value;
  std::string nan_value = "NaN";
  std::string positive_inf = "Inf";
  std::string negative_inf = "-Inf";
  Charset charset = Charset::kUtf8;
  bool ignore_leading_white_space = false;
  bool ignore_trailing_white_space = false;
  /// `lineSep`: '\0' means any of \r, \r\n, \n.
  char line_sep = '\0';
  /// `preferDate`: infer DATE for values matching the date format.
  bool prefer_date = true;
  int64_t max_columns = 20480;
  /// `maxCharsPerColumn`; -1 is unlimited.
  int64_t max_chars_per_column = -1;
  UnescapedQuoteHandling unescaped_quote_handling = UnescapedQuoteHandling::kStopAtDelimiter;
  format::ParseMode mode = format::ParseMode::kPermissive;
  std::string column_name_of_corrupt_record = "_corrupt_record";
};

/// Parses `options` over the shared decode options (`mode` and
/// `columnNameOfCorruptRecord` in `options` take precedence over `common`).
/// Invalid for malformed values; NotImplemented, naming the option, for values this
/// reader does not honour (a charset other than UTF-8/ISO-8859-1/US-ASCII, a
/// non-default dateFormat, a time zone other than UTC, ...).
Result<CsvReadOptions> ParseCsvReadOptions(const OptionMap& options, const format::DecodeOptions& common);

}  // namespace tributary::csv
