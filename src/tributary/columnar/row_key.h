#pragma once

#include <cstdint>
#include <string>

#include "tributary/columnar/column.h"

namespace tributary::columnar {

/// Appends a canonical byte encoding of the value at `row` of `column` to `out`, so
/// rows can be hashed and compared bytewise (joins, dropDuplicates, MERGE keys).
///
/// Within one type: null encodes differently from every value; equal values encode
/// equally; -0.0 and 0.0 encode equally, and every NaN encodes equally (Spark's
/// grouping semantics); strings, binaries, structs, arrays and maps encode by
/// content and self-delimit, so concatenating the keys of several columns is itself
/// a canonical key of the tuple. Decimals encode their unscaled value, so two
/// decimals compare equal only at one scale.
///
/// Across types nothing is promised: the integer 1 and the long 1 may encode
/// differently. Callers bind the keys to one type (e.g. with a cast) before encoding.
void AppendRowKey(const Column& column, int64_t row, std::string* out);

}  // namespace tributary::columnar
