#include "tributary/delta/time_travel.h"

#include <gmock/gmock.h>

#include <chrono>
#include <filesystem>

#include "delta_testing.h"
#include "tributary/delta/checkpoint.h"
#include "tributary/delta/history.h"
#include "tributary/delta/table.h"

namespace tributary::delta {
namespace {

using ::testing::HasSubstr;

#define EXPECT_RESULT_EQ(expression, expected)            \
  do {                                                     \
    auto result_ = (expression);                           \
    ASSERT_TRUE(result_.ok()) << result_.status().ToString(); \
    EXPECT_EQ(*result_, (expected));                       \
  } while (0)

constexpr int64_t kBaseMs = 1795000000000;  // 2026-11-18, in ms since the epoch

class TimeTravelTest : public ::testing::Test {
 protected:
  /// Version 0 creates the table, versions 1..appends each add one row.
  void MakeTable(int appends, std::map<std::string, std::string> configuration = {}) {
    columnar::Schema schema({columnar::Field{"id", columnar::DataType::Long()},
                             columnar::Field{"name", columnar::DataType::String()}});
    ASSERT_OK_AND_ASSIGN(table_, Table::Create(io::LocalFileSystem(), path_, schema, {}, std::move(configuration)));
    for (int i = 1; i <= appends; ++i) {
      ASSERT_OK_AND_ASSIGN(auto append, table_->NewAppend(AppendOptions{}));
      ASSERT_OK(append->Write(*testing::IdNameBatch(i, 1)));
      ASSERT_OK(append->Commit(std::nullopt).status());
    }
  }

  void SetCommitTime(int64_t version, int64_t ms) {
    auto file = std::filesystem::path(path_) / CommitFileName(version);
    auto time = std::filesystem::file_time_type::clock::now() +
                std::chrono::duration_cast<std::filesystem::file_time_type::duration>(
                    std::chrono::milliseconds(ms) -
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch()));
    std::filesystem::last_write_time(file, time);
  }

  Result<int64_t> VersionAt(int64_t ms) {
    return VersionAtTimestamp(*io::LocalFileSystem(), path_, table_->snapshot(), ms * 1000);
  }

  testing::TempDir dir_;
  std::string path_ = dir_.Join("table");
  std::unique_ptr<Table> table_;
};

TEST_F(TimeTravelTest, VersionAtTimestampIsTheLatestCommitAtOrBeforeIt) {
  MakeTable(2);
  for (int v = 0; v <= 2; ++v) SetCommitTime(v, kBaseMs + v * 60000);
  EXPECT_RESULT_EQ(VersionAt(kBaseMs), 0);
  ASSERT_OK_AND_ASSIGN(int64_t at_one, VersionAt(kBaseMs + 60000));
  EXPECT_EQ(at_one, 1);
  ASSERT_OK_AND_ASSIGN(int64_t between, VersionAt(kBaseMs + 90000));
  EXPECT_EQ(between, 1);
  ASSERT_OK_AND_ASSIGN(int64_t last, VersionAt(kBaseMs + 120000));
  EXPECT_EQ(last, 2);
}

TEST_F(TimeTravelTest, TimestampsOutsideTheHistoryAreErrorsWordedAsDelta) {
  MakeTable(1);
  SetCommitTime(0, kBaseMs);
  SetCommitTime(1, kBaseMs + 1000);
  Result<int64_t> before = VersionAt(kBaseMs - 1);
  ASSERT_FALSE(before.ok());
  EXPECT_THAT(before.status().message(),
              HasSubstr("[DELTA_TIMESTAMP_EARLIER_THAN_COMMIT_RETENTION] The provided timestamp (2026-11-18 "));
  EXPECT_THAT(before.status().message(), HasSubstr("is before the earliest version available to this table"));
  Result<int64_t> after = VersionAt(kBaseMs + 1001);
  ASSERT_FALSE(after.ok());
  EXPECT_THAT(after.status().message(), HasSubstr("[DELTA_TIMESTAMP_GREATER_THAN_COMMIT]"));
  EXPECT_THAT(after.status().message(), HasSubstr("Please use a timestamp before or at"));
}

TEST_F(TimeTravelTest, FileTimesAreMadeMonotonic) {
  MakeTable(2);
  SetCommitTime(0, kBaseMs);
  SetCommitTime(1, kBaseMs - 5000);  // a clock behind: counts as 1 ms after version 0
  SetCommitTime(2, kBaseMs + 5000);
  ASSERT_OK_AND_ASSIGN(auto times, ReadCommitTimestamps(*io::LocalFileSystem(), path_, table_->snapshot(), 0, 2));
  ASSERT_EQ(times.size(), 3u);
  EXPECT_EQ(times[1].timestamp_ms, kBaseMs + 1);
  ASSERT_OK_AND_ASSIGN(int64_t at_base, VersionAt(kBaseMs));
  EXPECT_EQ(at_base, 0);
  ASSERT_OK_AND_ASSIGN(int64_t at_next, VersionAt(kBaseMs + 1));
  EXPECT_EQ(at_next, 1);
  ASSERT_OK_AND_ASSIGN(auto history, ReadHistory(*io::LocalFileSystem(), path_, table_->snapshot(), 0));
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].version, 2);
  EXPECT_EQ(history[0].timestamp_ms, kBaseMs + 5000);
  EXPECT_EQ(history[1].timestamp_ms, kBaseMs + 1);
}

TEST_F(TimeTravelTest, InCommitTimestampsWinOverFileTimes) {
  MakeTable(2, {{"delta.enableInCommitTimestamps", "true"}});
  ASSERT_OK_AND_ASSIGN(auto history, ReadHistory(*io::LocalFileSystem(), path_, table_->snapshot(), 0));
  ASSERT_EQ(history.size(), 3u);
  // File times far in the past must not matter.
  for (int v = 0; v <= 2; ++v) SetCommitTime(v, kBaseMs - 86400000LL * 365);
  ASSERT_OK_AND_ASSIGN(auto again, ReadHistory(*io::LocalFileSystem(), path_, table_->snapshot(), 0));
  for (size_t i = 0; i < again.size(); ++i) {
    ASSERT_TRUE(InCommitTimestamp(again[i].info).has_value());
    EXPECT_EQ(again[i].timestamp_ms, *InCommitTimestamp(again[i].info));
  }
  int64_t ict_one = again[1].timestamp_ms;
  ASSERT_OK_AND_ASSIGN(int64_t at_one, VersionAt(ict_one));
  EXPECT_EQ(at_one, 1);
  ASSERT_OK_AND_ASSIGN(int64_t latest, VersionAt(again[0].timestamp_ms));
  EXPECT_EQ(latest, 2);
  EXPECT_FALSE(VersionAt(again[2].timestamp_ms - 1).ok());
}

TEST_F(TimeTravelTest, VersionsRemovedByLogCleanupCannotBeLoaded) {
  MakeTable(3);
  ASSERT_OK_AND_ASSIGN(auto at_two, LoadSnapshot(*io::LocalFileSystem(), path_, 2));
  ASSERT_OK(WriteCheckpoint(*io::LocalFileSystem(), path_, *at_two));
  std::filesystem::remove(std::filesystem::path(path_) / CommitFileName(0));
  std::filesystem::remove(std::filesystem::path(path_) / CommitFileName(1));
  ASSERT_OK_AND_ASSIGN(VersionRange range, LoadableVersions(*io::LocalFileSystem(), path_));
  EXPECT_EQ(range.earliest, 2);
  EXPECT_EQ(range.latest, 3);
  Status gone = CheckVersionLoadable(*io::LocalFileSystem(), path_, 1);
  ASSERT_FALSE(gone.ok());
  EXPECT_THAT(gone.message(), HasSubstr("Cannot time travel Delta table to version 1. Available versions: [2, 3]."));
  EXPECT_THAT(gone.message(), HasSubstr("log cleanup"));
  EXPECT_FALSE(CheckVersionLoadable(*io::LocalFileSystem(), path_, 4).ok());
  ASSERT_OK_AND_ASSIGN(auto snapshot,
                       LoadSnapshotAsOf(*io::LocalFileSystem(), path_, table_->snapshot_ptr(), TimeTravelSpec{2, {}}));
  EXPECT_EQ(snapshot->version(), 2);
  EXPECT_EQ(snapshot->files().size(), 2u);
}

TEST_F(TimeTravelTest, VersionAndTimestampTogetherAreRefused) {
  MakeTable(1);
  Result<int64_t> both =
      ResolveTimeTravel(*io::LocalFileSystem(), path_, table_->snapshot(), TimeTravelSpec{1, "2026-11-28"});
  ASSERT_FALSE(both.ok());
  EXPECT_THAT(both.status().message(), HasSubstr("Cannot specify both version and timestamp"));
}

TEST(ParseTimestampAsOfTest, ReadsSparkTimestampTextInUtcByDefault) {
  constexpr int64_t kDay = 1795824000000000;  // 2026-11-28T00:00:00Z in micros
  EXPECT_RESULT_EQ(ParseTimestampAsOf("2026-11-28"), kDay);
  EXPECT_RESULT_EQ(ParseTimestampAsOf("2026-11-28 10:00:00"), kDay + 36000LL * 1000000);
  EXPECT_RESULT_EQ(ParseTimestampAsOf("2026-11-28T10:00:00Z"), kDay + 36000LL * 1000000);
  EXPECT_RESULT_EQ(ParseTimestampAsOf("2026-11-28T10:00:00.5+01:00"), kDay + 32400LL * 1000000 + 500000);
  Result<int64_t> bad = ParseTimestampAsOf("yesterday");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("timestampAsOf 'yesterday' is not a timestamp"));
}

TEST(FormatJavaTimestampTest, PrintsAsJavaSqlTimestamp) {
  EXPECT_EQ(FormatJavaTimestamp(1795824000000000), "2026-11-28 00:00:00.0");
  EXPECT_EQ(FormatJavaTimestamp(1795824000123000), "2026-11-28 00:00:00.123");
}

}  // namespace
}  // namespace tributary::delta
