#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tributary/columnar/record_batch.h"
#include "tributary/format/json/decoder.h"

namespace tributary::json {

#ifndef TRIB_ASSERT_OK
#define TRIB_ASSERT_OK(expr)                                    \
  do {                                                          \
    ::tributary::Status _status = (expr);                       \
    ASSERT_TRUE(_status.ok()) << _status.ToString();            \
  } while (false)
#endif

/// What one Decode produced, as strings a test can compare.
struct Decoded {
  Status status;
  std::vector<columnar::RecordBatchPtr> batches;
  format::DecodeCounters counters;

  int64_t num_rows() const {
    int64_t rows = 0;
    for (const auto& batch : batches) rows += batch->num_rows();
    return rows;
  }
  /// The value of `column` in `row` (across batches), rendered by ValueToString.
  std::string Cell(int64_t row, const std::string& column) const {
    for (const auto& batch : batches) {
      if (row < batch->num_rows()) {
        std::optional<int> index = batch->schema()->FieldIndex(column);
        if (!index) return "<no column " + column + ">";
        return columnar::ValueToString(*batch->column(*index), row);
      }
      row -= batch->num_rows();
    }
    return "<no row>";
  }
  std::vector<std::string> ColumnValues(const std::string& column) const {
    std::vector<std::string> values;
    for (int64_t row = 0; row < num_rows(); ++row) values.push_back(Cell(row, column));
    return values;
  }
};

inline std::unique_ptr<format::FileDecoder> MakeDecoder(const OptionMap& options = {},
                                                        const format::DecodeOptions& common = {}) {
  auto decoder = MakeJsonDecoder(options, common);
  EXPECT_TRUE(decoder.ok()) << decoder.status().ToString();
  return decoder.ok() ? std::move(decoder).value() : nullptr;
}

inline Decoded DecodeWith(format::FileDecoder& decoder, std::string_view content, const columnar::Schema& schema,
                          const std::string& path = "/data/in.json") {
  Decoded decoded;
  decoded.status = decoder.Decode(
      content, path, schema,
      [&](columnar::RecordBatchPtr batch) {
        decoded.batches.push_back(std::move(batch));
        return Status::OK();
      },
      &decoded.counters);
  return decoded;
}

inline columnar::Schema SchemaOf(std::vector<std::pair<std::string, columnar::DataTypePtr>> columns) {
  std::vector<columnar::Field> fields;
  for (auto& [name, type] : columns) fields.push_back(columnar::Field{name, type, true, "{}"});
  return columnar::Schema(std::move(fields));
}

}  // namespace tributary::json
