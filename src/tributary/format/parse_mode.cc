#include <strings.h>

#include <cstring>

#include "tributary/format/file_decoder.h"

namespace tributary::format {

Result<ParseMode> ParseModeFromString(std::string_view text) {
  auto equals = [&](const char* name) {
    return text.size() == std::strlen(name) && strncasecmp(text.data(), name, text.size()) == 0;
  };
  if (equals("PERMISSIVE")) return ParseMode::kPermissive;
  if (equals("DROPMALFORMED")) return ParseMode::kDropMalformed;
  if (equals("FAILFAST")) return ParseMode::kFailFast;
  return Status::Invalid("option 'mode': '{}' is not one of PERMISSIVE, DROPMALFORMED, FAILFAST", text);
}

}  // namespace tributary::format
