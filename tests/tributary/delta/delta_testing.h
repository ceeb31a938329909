#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <string>

#include "tributary/base/status_testing.h"
#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/columnar/schema.h"
#include "tributary/io/file_system.h"

namespace tributary::delta::testing {

/// A fresh directory under the system temp dir, removed at destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    std::random_device device;
    path_ = (std::filesystem::temp_directory_path() /
             ("tributary_delta_test_" + std::to_string(device()) + "_" + std::to_string(counter++)))
                .string();
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// A batch of one builder per field; the caller fills the builders.
inline columnar::RecordBatchPtr MakeBatch(const columnar::Schema& schema,
                                          std::vector<columnar::ColumnBuilder>& builders) {
  std::vector<columnar::ColumnPtr> columns;
  int64_t rows = builders.empty() ? 0 : builders[0].length();
  for (auto& builder : builders) columns.push_back(builder.Finish());
  return std::make_shared<columnar::RecordBatch>(std::make_shared<columnar::Schema>(schema), rows,
                                                 std::move(columns));
}

inline std::vector<columnar::ColumnBuilder> Builders(const columnar::Schema& schema) {
  std::vector<columnar::ColumnBuilder> builders;
  for (const auto& field : schema.fields()) builders.emplace_back(field.type);
  return builders;
}

/// (id LONG, name STRING) rows id = start .. start+count-1, name "n<id>"; every
/// seventh name is null.
inline columnar::RecordBatchPtr IdNameBatch(int64_t start, int64_t count) {
  columnar::Schema schema({columnar::Field{"id", columnar::DataType::Long()},
                           columnar::Field{"name", columnar::DataType::String()}});
  auto builders = Builders(schema);
  for (int64_t i = start; i < start + count; ++i) {
    builders[0].AppendInt(i);
    if (i % 7 == 0) {
      builders[1].AppendNull();
    } else {
      builders[1].AppendString("n" + std::to_string(i));
    }
  }
  return MakeBatch(schema, builders);
}

}  // namespace tributary::delta::testing
