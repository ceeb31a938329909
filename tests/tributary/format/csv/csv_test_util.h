#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tributary/columnar/record_batch.h"
#include "tributary/format/csv/decoder.h"

#define CSV_ASSERT_OK(expr)                                      \
  do {                                                           \
    ::tributary::Status _status = (expr);                        \
    ASSERT_TRUE(_status.ok()) << _status.ToString();             \
  } while (false)

namespace tributary::csv::testing {

inline std::unique_ptr<format::FileDecoder> MakeDecoder(const OptionMap& options,
                                                        const format::DecodeOptions& common = {}) {
  auto decoder = MakeCsvDecoder(options, common);
  EXPECT_TRUE(decoder.ok()) << decoder.status().ToString();
  return decoder.ok() ? decoder.MoveValue() : nullptr;
}

/// Decoded rows rendered as "v1|v2|..." with "null" for NULL values.
struct Decoded {
  Status status;
  std::vector<std::string> rows;
  std::vector<int64_t> batch_sizes;
  format::DecodeCounters counters;
};

inline Decoded DecodeRows(format::FileDecoder* decoder, std::string_view content, const columnar::Schema& schema,
                          const std::string& path = "/data/in.csv") {
  Decoded out;
  out.status = decoder->Decode(
      content, path, schema,
      [&](columnar::RecordBatchPtr batch) {
        out.batch_sizes.push_back(batch->num_rows());
        for (int64_t row = 0; row < batch->num_rows(); ++row) {
          std::string line;
          for (int c = 0; c < batch->num_columns(); ++c) {
            if (c > 0) line += "|";
            line += columnar::ValueToString(*batch->column(c), row);
          }
          out.rows.push_back(line);
        }
        return Status::OK();
      },
      &out.counters);
  return out;
}

inline columnar::Schema StringSchema(const std::vector<std::string>& names) {
  std::vector<columnar::Field> fields;
  for (const std::string& name : names) fields.push_back({name, columnar::DataType::String()});
  return columnar::Schema(fields);
}

}  // namespace tributary::csv::testing
