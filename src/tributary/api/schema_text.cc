#include "tributary/api/schema_text.h"

#include "tributary/columnar/ddl_parser.h"

namespace tributary {

Result<columnar::Schema> ParseSchemaText(std::string_view text) { return columnar::ParseDdlSchema(text); }

}  // namespace tributary
