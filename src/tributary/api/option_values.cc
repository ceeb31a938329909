#include "tributary/api/option_values.h"

#include "tributary/base/options.h"

namespace tributary {

bool IsPathOption(std::string_view name) {
  static const OptionNames kPathOptions = {"checkpointLocation", "cloudFiles.schemaLocation", "badRecordsPath",
                                           "path"};
  return kPathOptions.count(name) > 0;
}

}  // namespace tributary
