#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "tributary/base/options.h"
#include "tributary/base/result.h"
#include "tributary/format/file_decoder.h"

namespace tributary::json {

/// JSON options this reader accepts (Spark's names, matched ignoring case): used to
/// reject unknown options. multiLine, mode, columnNameOfCorruptRecord,
/// rescuedDataColumn, primitivesAsString, prefersDecimal, allowComments,
/// allowUnquotedFieldNames, allowSingleQuotes, allowNumericLeadingZeros,
/// allowBackslashEscapingAnyCharacter, allowUnquotedControlChars,
/// allowNonNumericNumbers, dateFormat, timestampFormat, timestampNTZFormat,
/// encoding/charset, lineSep, samplingRatio, dropFieldIfAllNull, locale, timeZone.
const OptionNames& JsonOptionNames();

/// Makes a JSON FileDecoder (simdjson) with Spark's option names and defaults.
///
/// Records: JSON Lines by default (blank lines skipped; "\n", "\r\n" and "\r" end a
/// line unless `lineSep` says otherwise); with multiLine=true the whole file is one
/// value. An object is one row; an array of objects is one row per element; any
/// other value is a malformed record. Parsing is strict JSON (simdjson); a record it
/// rejects is retried with the lenient syntax Spark's Jackson accepts as the options
/// allow (single quotes by default, comments, unquoted names, ...), plus the numbers
/// Jackson reads: integers beyond 64 bits, exponents that overflow a double, and
/// (allowNonNumericNumbers, default true) NaN/Infinity tokens. `encoding` converts
/// the content to UTF-8 first; a UTF-8 byte order mark is skipped.
///
/// InferSchema follows Spark's JsonInferSchema when `common.infer_column_types` is
/// set (long, double, boolean, string, struct, array; big integers as decimal;
/// fields sorted by name; null-only fields as string unless dropFieldIfAllNull);
/// otherwise every top-level column is a string, nested objects and arrays
/// included (Auto Loader's default). Malformed records are skipped (FAILFAST: an
/// error naming the file and line); JsonDecoder::InferSchemaCounting reports them.
///
/// Decode converts values as Spark's JacksonParser does (a non-string value in a
/// top-level string column keeps its exact source text, as Spark 4 does) and routes
/// what does not fit to the rescued data column, or marks the record malformed (see
/// format::DecodeOptions). mode, columnNameOfCorruptRecord and rescuedDataColumn
/// come from `common`, not from `options`.
///
/// Errors: Invalid for malformed option values; NotImplemented naming the option
/// for a value this reader does not honour. The decoder is stateless between calls
/// and may be used by several threads at once.
Result<std::unique_ptr<format::FileDecoder>> MakeJsonDecoder(const OptionMap& options,
                                                             const format::DecodeOptions& common);

/// The decoder MakeJsonDecoder returns, for callers that want the counting variant
/// of inference.
class JsonDecoder : public format::FileDecoder {
 public:
  /// As InferSchema, also counting the malformed records skipped into
  /// `counters->malformed` (Spark adds the corrupt record column to an inferred
  /// schema when there are any). `counters` may be null.
  virtual Result<columnar::Schema> InferSchemaCounting(std::string_view content, const std::string& path,
                                                       format::DecodeCounters* counters) = 0;
};

}  // namespace tributary::json
