#pragma once

#include <memory>

#include "tributary/base/options.h"
#include "tributary/base/result.h"
#include "tributary/format/file_decoder.h"

namespace tributary::csv {

/// Spark's CSV read option names this reader accepts (matched ignoring case):
/// header, sep/delimiter, quote, escape, charToEscapeQuoteEscaping, comment,
/// multiLine, nullValue, emptyValue, nanValue, positiveInf, negativeInf,
/// encoding/charset, ignoreLeadingWhiteSpace, ignoreTrailingWhiteSpace, lineSep,
/// inferSchema, preferDate, enforceSchema, dateFormat, timestampFormat,
/// timestampNTZFormat, maxColumns, maxCharsPerColumn, unescapedQuoteHandling, mode,
/// columnNameOfCorruptRecord, samplingRatio, locale, timeZone.
/// Options not in this set are ignored by MakeCsvDecoder (the caller checks them).
const OptionNames& CsvOptionNames();

/// Returns `options` with `header` set to "true" when the user did not set it:
/// Auto Loader assumes CSV files have a header (Spark's own default is false).
OptionMap WithAutoLoaderCsvDefaults(OptionMap options);

/// Makes a CSV FileDecoder with Spark's option names and defaults (`header` false).
///
/// The content given to the decoder is a whole file, already decompressed, in the
/// `encoding` charset (UTF-8, ISO-8859-1 or US-ASCII); it is converted to UTF-8
/// before parsing. InferSchema names columns from the header (or _c0, _c1, ...) and
/// infers types as Spark's CSVInferSchema when `common.infer_column_types` is set,
/// else all strings. Decode maps each file's own header to the schema by name (as
/// Auto Loader does; positionally without a header), rescues unknown columns and
/// values that do not parse when `common.rescued_data_column` is in the schema, and
/// handles malformed records as `mode` says. `inferSchema` and `enforceSchema` are
/// validated but do not change this: types follow `common.infer_column_types`
/// (cloudFiles.inferColumnTypes) and headers are always matched by name.
///
/// Errors: Invalid for malformed option values; NotImplemented naming the option for
/// a value this reader does not honour (e.g. a custom dateFormat, a UTF-16 charset).
/// The decoder is stateless between calls and may be shared by threads.
Result<std::unique_ptr<format::FileDecoder>> MakeCsvDecoder(const OptionMap& options,
                                                            const format::DecodeOptions& common);

}  // namespace tributary::csv
