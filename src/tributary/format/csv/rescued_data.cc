#include "tributary/format/csv/rescued_data.h"

#include "tributary/base/json.h"

namespace tributary::csv {

void RescuedDataBuilder::Add(std::string_view column, std::string_view raw_value) {
  buffer_.push_back(count_ == 0 ? '{' : ',');
  tributary::AppendJsonString(&buffer_, column);
  buffer_.push_back(':');
  tributary::AppendJsonString(&buffer_, raw_value);
  ++count_;
}

std::string_view RescuedDataBuilder::Finish(std::string_view file_path) {
  buffer_.push_back(',');
  tributary::AppendJsonString(&buffer_, "_file_path");
  buffer_.push_back(':');
  tributary::AppendJsonString(&buffer_, file_path);
  buffer_.push_back('}');
  return buffer_;
}

}  // namespace tributary::csv
