#pragma once

#include <string>
#include <string_view>

#include "tributary/format/json/read_options.h"

namespace tributary::json {

/// Rewrites one record from the lenient JSON Spark's Jackson parser accepts into
/// strict JSON simdjson parses, as the options allow:
///  - allowComments: /* ... */ and // ... comments become a space;
///  - allowSingleQuotes: 'text' becomes "text" (\' is then a quote);
///  - allowUnquotedFieldNames: a bare name followed by ':' is quoted;
///  - allowBackslashEscapingAnyCharacter: \x for any x becomes x;
///  - allowUnquotedControlChars: raw control characters in strings are escaped;
///  - allowNumericLeadingZeros: 007 becomes 7;
///  - always: integers beyond 64 bits and exponents that overflow a double, and with
///    allowNonNumericNumbers the tokens NaN, Infinity, +Infinity, -Infinity, INF,
///    +INF, -INF, become kLenientNumberPrefix strings (json_text_internal.h).
/// Anything else is copied unchanged, so invalid input stays invalid. Returns false
/// when nothing was rewritten. Only called for records simdjson rejected, so the
/// common path never pays for it.
bool RewriteLenientJson(std::string_view record, const JsonReadOptions& options, std::string* out);

}  // namespace tributary::json
