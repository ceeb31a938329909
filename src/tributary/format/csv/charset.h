#pragma once

#include <string>
#include <string_view>

#include "tributary/format/csv/read_options.h"

namespace tributary::csv {

/// Returns `content` decoded from `charset` as UTF-8. When the input already is valid
/// UTF-8 the result is a view of `content` (without a leading UTF-8 byte order
/// mark); otherwise it is converted into `*storage` and the view points there.
/// Invalid UTF-8 sequences, and bytes above 0x7F in US-ASCII, become U+FFFD, as
/// Java's decoders (and so Spark) do.
std::string_view ToUtf8(std::string_view content, Charset charset, std::string* storage);

}  // namespace tributary::csv
