#pragma once

#include <string_view>

#include "tributary/base/result.h"
#include "tributary/columnar/schema.h"

namespace tributary {

/// Parses a user schema as `readStream.schema(...)` and the YAML `schema:` key accept
/// it: Spark DDL ("id BIGINT, tags ARRAY<STRING>"). Errors are Invalid and quote the
/// text.
Result<columnar::Schema> ParseSchemaText(std::string_view text);

}  // namespace tributary
