#include "tributary/cli/table_maintenance.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tributary/base/status_testing.h"
#include "tributary/delta/table.h"

namespace tributary::cli {
namespace {

using ::testing::HasSubstr;
using columnar::DataType;
using columnar::Field;

class PartitionFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() / ("tributary_cli_filter_" + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(path_);
    columnar::Schema schema({Field{"id", DataType::Long()}, Field{"day", DataType::Date()},
                             Field{"region", DataType::String()}, Field{"shard", DataType::Integer()}});
    ASSERT_OK_AND_ASSIGN(table_, delta::Table::Create(io::LocalFileSystem(), path_, schema,
                                                      {"day", "region", "shard"}, {}));
  }
  void TearDown() override { std::filesystem::remove_all(path_); }

  bool Matches(const std::string& sql, const delta::PartitionValues& values) {
    auto filter = PartitionFilterFromSql(sql, table_->snapshot());
    EXPECT_TRUE(filter.ok()) << filter.status().ToString();
    if (!filter.ok()) return false;
    auto matched = (*filter)(values);
    EXPECT_TRUE(matched.ok()) << matched.status().ToString();
    return matched.ok() && *matched;
  }

  std::string path_;
  std::unique_ptr<delta::Table> table_;
};

TEST_F(PartitionFilterTest, EvaluatesTypedPartitionValues) {
  delta::PartitionValues eu{{"day", "2024-03-01"}, {"region", "eu"}, {"shard", "7"}};
  delta::PartitionValues unknown{{"day", "2023-12-31"}, {"region", std::nullopt}, {"shard", "12"}};
  EXPECT_TRUE(Matches("region = 'eu'", eu));
  EXPECT_FALSE(Matches("region = 'eu'", unknown));
  EXPECT_TRUE(Matches("day >= '2024-01-01' AND shard < 10", eu));
  EXPECT_FALSE(Matches("day >= '2024-01-01' AND shard < 10", unknown));
  EXPECT_TRUE(Matches("region IS NULL OR shard IN (12, 13)", unknown));
  EXPECT_FALSE(Matches("REGION <> 'eu'", unknown));  // null <> 'eu' is null: not selected
}

TEST_F(PartitionFilterTest, RefusesNonPartitionAndUnknownColumns) {
  auto data_column = PartitionFilterFromSql("id > 3 AND region = 'eu'", table_->snapshot());
  ASSERT_FALSE(data_column.ok());
  EXPECT_THAT(data_column.status().message(), HasSubstr("non-partition column 'id'"));
  EXPECT_THAT(data_column.status().message(), HasSubstr("[day, region, shard]"));
  auto unknown = PartitionFilterFromSql("planet = 'mars'", table_->snapshot());
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().ToString(), HasSubstr("planet"));
  EXPECT_FALSE(PartitionFilterFromSql("region = ", table_->snapshot()).ok());
}

}  // namespace
}  // namespace tributary::cli
