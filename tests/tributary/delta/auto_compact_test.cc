#include "tributary/delta/auto_compact.h"

#include <gmock/gmock.h>

#include "delta_testing.h"
#include "tributary/delta/table.h"

namespace tributary::delta {
namespace {

using ::testing::HasSubstr;
using columnar::DataType;
using columnar::Field;

class AutoCompactTest : public ::testing::Test {
 protected:
  void Create(std::map<std::string, std::string> properties, const std::string& name = "t") {
    columnar::Schema schema({Field{"id", DataType::Long()}, Field{"day", DataType::Integer()}});
    ASSERT_OK_AND_ASSIGN(table_, Table::Create(io::LocalFileSystem(), dir_.Join(name), schema, {"day"},
                                               std::move(properties)));
  }

  // Appends one row into partition `day`; returns the version.
  int64_t Append(int64_t id, int day) {
    auto builders = testing::Builders(table_->snapshot().schema());
    builders[0].AppendInt(id);
    builders[1].AppendInt(day);
    auto append = table_->NewAppend(AppendOptions{});
    EXPECT_TRUE(append.ok());
    EXPECT_OK((*append)->Write(*testing::MakeBatch(table_->snapshot().schema(), builders)));
    auto version = (*append)->Commit(std::nullopt);
    EXPECT_TRUE(version.ok());
    return version.ok() ? *version : -1;
  }

  int64_t FilesIn(int day) {
    int64_t count = 0;
    for (const AddFile& file : table_->snapshot().files()) {
      if (file.partition_values.at("day") == std::to_string(day)) ++count;
    }
    return count;
  }

  testing::TempDir dir_;
  std::unique_ptr<Table> table_;
};

TEST_F(AutoCompactTest, TablePropertyCompactsOnlyThePartitionsTheCommitWrote) {
  Create({{"delta.autoOptimize.autoCompact", "auto"}});
  AutoCompactOptions options;
  options.min_num_files = 4;
  for (int i = 0; i < 5; ++i) Append(i, 1);  // day=1: five small files, not compacted yet
  for (int i = 0; i < 3; ++i) {
    int64_t version = Append(100 + i, 2);
    ASSERT_OK_AND_ASSIGN(auto none, AutoCompact(*table_, version, options));
    EXPECT_FALSE(none.has_value());  // day=2 holds fewer than 4 small files
  }
  int64_t version = Append(103, 2);
  ASSERT_OK_AND_ASSIGN(auto compacted, AutoCompact(*table_, version, options));
  ASSERT_TRUE(compacted.has_value());
  EXPECT_EQ(compacted->num_files_removed, 4);
  EXPECT_EQ(FilesIn(2), 1);
  EXPECT_EQ(FilesIn(1), 5);  // not written by the commit: left for OPTIMIZE
  auto actions = ReadCommit(table_->fs(), table_->path(), *compacted->version);
  ASSERT_TRUE(actions.ok());
  std::string info = std::get<CommitInfo>(actions->front()).json;
  EXPECT_THAT(info, HasSubstr("\"auto\":true"));
  EXPECT_THAT(info, HasSubstr("\"predicate\":\"[\\\"(day = 2)\\\"]\""));
}

TEST_F(AutoCompactTest, OptionOverridesTheTableAndFalseTurnsItOff) {
  Create({{"delta.autoOptimize.autoCompact", "true"}});
  AutoCompactOptions options;
  options.min_num_files = 2;
  options.enabled = "false";
  Append(1, 1);
  int64_t version = Append(2, 1);
  ASSERT_OK_AND_ASSIGN(auto off, AutoCompact(*table_, version, options));
  EXPECT_FALSE(off.has_value());
  options.enabled = "LEGACY";
  ASSERT_OK_AND_ASSIGN(auto on, AutoCompact(*table_, version, options));
  ASSERT_TRUE(on.has_value());
  EXPECT_EQ(FilesIn(1), 1);
}

TEST_F(AutoCompactTest, OffWithoutPropertyAndBadValuesAreNamed) {
  Create({});
  AutoCompactOptions options;
  options.min_num_files = 1;
  int64_t version = Append(1, 1);
  Append(2, 1);
  ASSERT_OK_AND_ASSIGN(auto off, AutoCompact(*table_, version, options));
  EXPECT_FALSE(off.has_value());
  options.enabled = "yes";
  EXPECT_THAT(AutoCompact(*table_, version, options).status().message(),
              HasSubstr("option 'autoCompact' must be one of true, auto, legacy, false"));

  Create({{"delta.autoOptimize.autoCompact", "always"}}, "bad");
  EXPECT_THAT(AutoCompact(*table_, 0, AutoCompactOptions{}).status().message(),
              HasSubstr("delta.autoOptimize.autoCompact"));
}

}  // namespace
}  // namespace tributary::delta
