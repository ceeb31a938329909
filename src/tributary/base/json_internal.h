#pragma once

// Helpers shared by json.cc (writing) and json_parser.cc (reading).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tributary/base/utf8.h"

namespace tributary::json_internal {

using ::tributary::Utf8SequenceLength;

}  // namespace tributary::json_internal
