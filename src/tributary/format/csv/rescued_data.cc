#include "tributary/format/csv/rescued_data.h"

namespace tributary::csv {

void AppendJsonString(std::string_view value, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t clean_start = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(value.data() + clean_start, i - clean_start);
    clean_start = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xF]);
    }
  }
  out->append(value.data() + clean_start, value.size() - clean_start);
  out->push_back('"');
}

void RescuedDataBuilder::Add(std::string_view column, std::string_view raw_value) {
  buffer_.push_back(count_ == 0 ? '{' : ',');
  AppendJsonString(column, &buffer_);
  buffer_.push_back(':');
  AppendJsonString(raw_value, &buffer_);
  ++count_;
}

std::string_view RescuedDataBuilder::Finish(std::string_view file_path) {
  buffer_.push_back(',');
  AppendJsonString("_file_path", &buffer_);
  buffer_.push_back(':');
  AppendJsonString(file_path, &buffer_);
  buffer_.push_back('}');
  return buffer_;
}

}  // namespace tributary::csv
