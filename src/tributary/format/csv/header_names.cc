#include "tributary/format/csv/header_names.h"

#include <unordered_map>

#include "tributary/base/ascii.h"

namespace tributary::csv {

std::vector<std::string> SafeHeaderNames(const CsvRecord& header, const CsvReadOptions& options) {
  std::vector<std::string> raw;
  raw.reserve(header.fields.size());
  for (const CsvField& field : header.fields) {
    if (field.skipped) {
      raw.emplace_back();
    } else if (field.quoted && field.text.empty()) {
      raw.emplace_back(options.empty_value);
    } else {
      raw.emplace_back(field.text);
    }
  }
  std::unordered_map<std::string, int> counts;
  for (const std::string& name : raw) ++counts[AsciiLower(name)];
  std::vector<std::string> names;
  names.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    const std::string& name = raw[i];
    if (name.empty() || name == options.null_value) {
      names.push_back("_c" + std::to_string(i));
    } else if (counts[AsciiLower(name)] > 1) {
      names.push_back(name + std::to_string(i));
    } else {
      names.push_back(name);
    }
  }
  return names;
}

std::vector<std::string> PositionalNames(size_t count) {
  std::vector<std::string> names;
  names.reserve(count);
  for (size_t i = 0; i < count; ++i) names.push_back("_c" + std::to_string(i));
  return names;
}

}  // namespace tributary::csv
