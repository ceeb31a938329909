#pragma once

#include <string>
#include <vector>

#include "tributary/format/csv/read_options.h"
#include "tributary/format/csv/tokenizer.h"

namespace tributary::csv {

/// Column names from a header record, made safe as Spark does
/// (CSVUtils/makeSafeHeader): an empty or `nullValue` name becomes "_c<index>", and
/// names that repeat (ignoring case, as Spark's default and Delta require) get their
/// index appended ("a,A" -> "a0,A1").
std::vector<std::string> SafeHeaderNames(const CsvRecord& header, const CsvReadOptions& options);

/// "_c0", "_c1", ... for a file without a header.
std::vector<std::string> PositionalNames(size_t count);

}  // namespace tributary::csv
