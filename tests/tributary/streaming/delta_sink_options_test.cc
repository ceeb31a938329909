#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/streaming/delta_sink.h"

namespace tributary::streaming {
namespace {

using ::testing::HasSubstr;

QueryPlan PlanWith(std::initializer_list<std::pair<const std::string, std::string>> options) {
  QueryPlan plan;
  plan.sink.table_name = "main.bronze.events";
  plan.sink.options = OptionMap(options);
  plan.warehouse = "/tmp/warehouse";
  return plan;
}

TEST(DeltaSinkOptionsTest, DefaultsAreSparksAndOurs) {
  auto options = ParseDeltaSinkOptions(PlanWith({{"checkpointLocation", "/tmp/chk"}}));
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_FALSE(options->merge_schema);
  EXPECT_EQ(options->table_path, "/tmp/warehouse/main/bronze/events");
  EXPECT_EQ(options->append.parquet.compression, parquet::Compression::kSnappy);
  EXPECT_EQ(options->append.target_file_size, 128 << 20);
  EXPECT_EQ(options->append.parquet.row_group_size_bytes, 128 << 20);
  EXPECT_TRUE(options->append.parquet.dictionary);
}

TEST(DeltaSinkOptionsTest, FileRowGroupAndPageSizesAreConfigurable) {
  auto options = ParseDeltaSinkOptions(PlanWith({{"checkpointLocation", "/tmp/chk"},
                                                 {"targetFileSize", "64m"},
                                                 {"parquet.block.size", "8m"},
                                                 {"PARQUET.PAGE.SIZE", "64k"},
                                                 {"parquet.enable.dictionary", "false"},
                                                 {"compression", "zstd"}}));
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->append.target_file_size, 64 << 20);
  EXPECT_EQ(options->append.parquet.row_group_size_bytes, 8 << 20);
  EXPECT_EQ(options->append.parquet.data_page_size_bytes, 64 << 10);
  EXPECT_FALSE(options->append.parquet.dictionary);
  EXPECT_EQ(options->append.parquet.compression, parquet::Compression::kZstd);
}

TEST(DeltaSinkOptionsTest, BadValuesAndUnknownNamesAreErrorsNamingTheOption) {
  auto bad_size = ParseDeltaSinkOptions(PlanWith({{"checkpointLocation", "/c"}, {"parquet.block.size", "lots"}}));
  ASSERT_FALSE(bad_size.ok());
  EXPECT_THAT(bad_size.status().message(), HasSubstr("parquet.block.size"));
  auto unknown = ParseDeltaSinkOptions(PlanWith({{"checkpointLocation", "/c"}, {"mergeSchemas", "true"}}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("'mergeSchemas'"));
  auto missing = ParseDeltaSinkOptions(PlanWith({}));
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("checkpointLocation"));
}

}  // namespace
}  // namespace tributary::streaming
