#pragma once

#include <string>
#include <string_view>

namespace tributary {

/// `text` with ASCII letters in lower case (Spark's names ignore case, ASCII only).
std::string AsciiLower(std::string_view text);

/// Whether `a` and `b` are equal ignoring ASCII case ("cloudFiles" == "CLOUDFILES").
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace tributary
