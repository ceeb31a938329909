#pragma once

#include <string>
#include <string_view>

namespace tributary::csv {

/// Collects the rescued values of one record and renders them as Auto Loader's
/// rescued data JSON object: {"<column>":"<raw value>",...,"_file_path":"<path>"}.
/// Reuse one instance across records: Reset() keeps the buffer's capacity.
class RescuedDataBuilder {
 public:
  void Reset() {
    buffer_.clear();
    count_ = 0;
  }
  void Add(std::string_view column, std::string_view raw_value);
  bool empty() const { return count_ == 0; }
  /// The JSON object, valid until the next Reset() or Add(). REQUIRES: !empty().
  std::string_view Finish(std::string_view file_path);

 private:
  std::string buffer_;
  int count_ = 0;
};

}  // namespace tributary::csv
