#pragma once

#include <string_view>
#include <vector>

namespace tributary::json {

/// The source text of each member value of the JSON object `object_text` (leading
/// and trailing whitespace allowed), in document order: what Spark 4 keeps when a
/// non-string value is read into a string column (SPARK-48148: exact text, not
/// re-serialized). REQUIRES: the text is valid JSON (simdjson accepted it); returns
/// false if it is not an object.
bool ScanObjectValues(std::string_view object_text, std::vector<std::string_view>* values);

/// The source text of each element of the JSON array `array_text`, in order.
/// REQUIRES: valid JSON; false if it is not an array.
bool ScanArrayElements(std::string_view array_text, std::vector<std::string_view>* elements);

}  // namespace tributary::json
