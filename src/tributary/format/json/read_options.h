#pragma once

#include <string>

#include "tributary/base/options.h"
#include "tributary/base/result.h"
#include "tributary/format/json/charset_internal.h"

namespace tributary::json {

/// Spark's JSON read options, parsed and validated. Defaults are Spark's; every
/// field here is implemented (the lenient-syntax knobs by rewriting a record that
/// strict parsing rejected, see lenient_syntax_internal.h).
struct JsonReadOptions {
  /// `multiLine`: the whole file is one JSON value (an object is one row, an array of
  /// objects many rows). Default: JSON Lines, one record per line.
  bool multi_line = false;
  /// `primitivesAsString`: inference types numbers and booleans as string.
  bool primitives_as_string = false;
  /// `prefersDecimal`: inference types non-integral numbers as decimal when they fit.
  bool prefers_decimal = false;
  /// `dropFieldIfAllNull`: inference drops fields seen only as null or empty arrays
  /// or structs (instead of typing them string).
  bool drop_field_if_all_null = false;
  /// `allowNonNumericNumbers`: the unquoted tokens NaN, Infinity, +Infinity,
  /// -Infinity, INF, +INF and -INF are numbers.
  bool allow_non_numeric_numbers = true;
  /// `allowComments`: C and C++ style comments are whitespace.
  bool allow_comments = false;
  /// `allowUnquotedFieldNames`: object keys may be bare names.
  bool allow_unquoted_field_names = false;
  /// `allowSingleQuotes`: strings may be single-quoted.
  bool allow_single_quotes = true;
  /// `allowNumericLeadingZeros`: 007 reads as 7.
  bool allow_numeric_leading_zeros = false;
  /// `allowBackslashEscapingAnyCharacter`: \x reads as x for any character.
  bool allow_backslash_escaping_any_character = false;
  /// `allowUnquotedControlChars`: raw control characters may appear in strings.
  bool allow_unquoted_control_chars = false;
  /// `encoding` / `charset`: content is converted to UTF-8 first. Without it,
  /// multiLine detects the charset (BOM or zero-byte pattern) and lines are UTF-8.
  Charset charset = Charset::kUtf8;
  /// `samplingRatio`: the fraction of records inference reads (a fixed-seed
  /// Bernoulli sample, so a file always infers the same schema); above 0.99 all.
  double sampling_ratio = 1.0;
  /// `lineSep`: the record separator; empty means any of "\n", "\r\n", "\r".
  std::string line_sep;
};

/// Parses the JSON options in `options`; names not about JSON are ignored (the caller
/// checks unknown names with JsonOptionNames()). Invalid for malformed values (e.g.
/// multiLine=maybe, an empty lineSep); NotImplemented, naming the option and value,
/// for a value this reader does not honour (a custom dateFormat, an EBCDIC encoding,
/// a time zone other than UTC, ...).
Result<JsonReadOptions> ParseJsonReadOptions(const OptionMap& options);

}  // namespace tributary::json
