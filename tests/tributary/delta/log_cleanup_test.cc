#include "tributary/delta/log_cleanup.h"

#include <gmock/gmock.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "delta_testing.h"
#include "table_testing.h"
#include "tributary/delta/checkpoint.h"
#include "tributary/delta/table.h"

namespace tributary::delta {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

class LogCleanupTest : public ::testing::Test {
 protected:
  // Versions 0..5 (one file added per version from 1), checkpoints at 2 and 4, a .crc
  // per version and a compaction of [1, 2], as other writers leave them.
  std::unique_ptr<Table> MakeTable(std::map<std::string, std::string> properties = {}) {
    properties["delta.checkpointInterval"] = "2";
    auto table = Table::Create(io::LocalFileSystem(), path_, *testing::IdNameBatch(0, 1)->schema(), {},
                               properties);
    EXPECT_TRUE(table.ok()) << table.status().ToString();
    for (int i = 0; i < 5; ++i) EXPECT_OK(testing::Append(**table, *testing::IdNameBatch(i * 10, 10)));
    for (int v = 0; v <= 5; ++v) std::ofstream(Log(fmt::format("{:020d}.crc", v))) << "{}";
    std::ofstream(Log(fmt::format("{:020d}.{:020d}.compacted.json", 1, 2))) << "";
    return std::move(table).value();
  }

  std::string Log(const std::string& name) const { return path_ + "/_delta_log/" + name; }

  // Sets the modification time of every log file of a version <= `up_to` to `age` ago.
  void BackDate(int64_t up_to, std::chrono::hours age) {
    auto when = fs::file_time_type::clock::now() - age;
    for (const auto& entry : fs::directory_iterator(path_ + "/_delta_log")) {
      std::string name = entry.path().filename().string();
      auto parsed = ParseLogFileName(name);
      if (parsed && parsed->version <= up_to) fs::last_write_time(entry.path(), when);
    }
  }

  std::set<std::string> LogFiles() const {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(path_ + "/_delta_log")) {
      if (entry.is_regular_file()) names.insert(entry.path().filename().string());
    }
    return names;
  }

  // Every version from `first` to `last` loads, with its files; `first - 1`, when
  // there was one, is a clear error.
  void ExpectLoadableFrom(int64_t first, int64_t last) {
    for (int64_t version = first; version <= last; ++version) {
      auto snapshot = LoadSnapshot(*io::LocalFileSystem(), path_, version);
      ASSERT_TRUE(snapshot.ok()) << version << ": " << snapshot.status().ToString();
      EXPECT_EQ((*snapshot)->files().size(), static_cast<size_t>(version));
    }
    if (first == 0) return;
    auto removed = LoadSnapshot(*io::LocalFileSystem(), path_, first - 1);
    ASSERT_FALSE(removed.ok());
    EXPECT_TRUE(removed.status().IsNotFound()) << removed.status().ToString();
    EXPECT_THAT(removed.status().message(),
                HasSubstr(fmt::format("version {} cannot be loaded", first - 1)));
  }

  static constexpr std::chrono::hours kFortyDays{40 * 24};

  testing::TempDir dir_;
  std::string path_ = dir_.Join("table");
};

TEST_F(LogCleanupTest, CheckpointCommitDeletesWhatOnlyExpiredVersionsNeed) {
  auto table = MakeTable();
  BackDate(3, kFortyDays);  // versions 0..3 are older than the default 30 days
  ASSERT_OK(testing::Append(*table, *testing::IdNameBatch(100, 1)));  // 6: checkpoint, then cleanup
  // Checkpoint 2 is the newest one older than the cutoff: it and everything after stay.
  EXPECT_EQ(LogFiles(), (std::set<std::string>{
                            "00000000000000000002.checkpoint.parquet", "00000000000000000002.crc",
                            "00000000000000000002.json", "00000000000000000003.crc",
                            "00000000000000000003.json", "00000000000000000004.checkpoint.parquet",
                            "00000000000000000004.crc", "00000000000000000004.json",
                            "00000000000000000005.crc", "00000000000000000005.json",
                            "00000000000000000006.checkpoint.parquet", "00000000000000000006.json",
                            "_last_checkpoint"}));
  ExpectLoadableFrom(2, 6);
}

TEST_F(LogCleanupTest, KeepsTheNewestExpiredCheckpoint) {
  auto table = MakeTable();
  BackDate(5, kFortyDays);
  ASSERT_OK_AND_ASSIGN(LogCleanupResult result,
                       CleanUpExpiredLogs(table->fs(), path_, table->snapshot()));
  EXPECT_EQ(result.kept_checkpoint, 4);
  EXPECT_EQ(result.files_deleted, 10);  // commits and .crc of 0..3, checkpoint 2, compaction
  ExpectLoadableFrom(4, 5);
  // Nothing more to do until a newer checkpoint expires.
  ASSERT_OK_AND_ASSIGN(result, CleanUpExpiredLogs(table->fs(), path_, table->snapshot()));
  EXPECT_EQ(result.files_deleted, 0);
}

TEST_F(LogCleanupTest, ModificationTimesAreMadeIncreasingWithTheVersion) {
  auto table = MakeTable();
  BackDate(5, kFortyDays);
  // Commit 3 looks new (copied, or a clock ahead): versions after it cannot be older.
  fs::last_write_time(Log("00000000000000000003.json"), fs::file_time_type::clock::now());
  ASSERT_OK_AND_ASSIGN(LogCleanupResult result,
                       CleanUpExpiredLogs(table->fs(), path_, table->snapshot()));
  EXPECT_EQ(result.kept_checkpoint, 2);
  ExpectLoadableFrom(2, 5);
}

TEST_F(LogCleanupTest, HonoursLogRetentionDuration) {
  auto table = MakeTable({{"delta.logRetentionDuration", "interval 2 days"}});
  BackDate(3, std::chrono::hours(3 * 24));
  ASSERT_OK_AND_ASSIGN(LogCleanupResult result,
                       CleanUpExpiredLogs(table->fs(), path_, table->snapshot()));
  EXPECT_EQ(result.kept_checkpoint, 2);
  ExpectLoadableFrom(2, 5);

  // Under the default of 30 days, 3 days is young.
  testing::TempDir other;
  path_ = other.Join("table");
  table = MakeTable();
  BackDate(3, std::chrono::hours(3 * 24));
  ASSERT_OK_AND_ASSIGN(result, CleanUpExpiredLogs(table->fs(), path_, table->snapshot()));
  EXPECT_EQ(result.kept_checkpoint, std::nullopt);
  EXPECT_EQ(result.files_deleted, 0);
}

TEST_F(LogCleanupTest, DisabledByEnableExpiredLogCleanup) {
  auto table = MakeTable({{"delta.enableExpiredLogCleanup", "false"}});
  BackDate(5, kFortyDays);
  auto before = LogFiles();
  ASSERT_OK(testing::Append(*table, *testing::IdNameBatch(100, 1)));  // 6: checkpoint
  auto after = LogFiles();
  EXPECT_TRUE(std::includes(after.begin(), after.end(), before.begin(), before.end()));
  ExpectLoadableFrom(0, 6);
}

TEST_F(LogCleanupTest, InCommitTimestampsDecideTheAgeWhenEnabled) {
  auto table = MakeTable({{"delta.enableInCommitTimestamps", "true"}});
  BackDate(5, kFortyDays);  // the files look old, but their commits say they are new
  ASSERT_OK_AND_ASSIGN(LogCleanupResult result,
                       CleanUpExpiredLogs(table->fs(), path_, table->snapshot()));
  EXPECT_EQ(result.kept_checkpoint, std::nullopt);
  EXPECT_EQ(result.files_deleted, 0);
  // Forty days later they are old.
  int64_t later = std::chrono::duration_cast<std::chrono::milliseconds>(
                      (std::chrono::system_clock::now() + kFortyDays).time_since_epoch())
                      .count();
  ASSERT_OK_AND_ASSIGN(result, CleanUpExpiredLogs(table->fs(), path_, table->snapshot(),
                                                  LogCleanupOptions{later}));
  EXPECT_EQ(result.kept_checkpoint, 4);
}

TEST_F(LogCleanupTest, MalformedRetentionIsNamedAndTheCommitStillLands) {
  auto table = MakeTable({{"delta.logRetentionDuration", "30 fortnights"}});
  BackDate(5, kFortyDays);
  auto cleanup = CleanUpExpiredLogs(table->fs(), path_, table->snapshot());
  ASSERT_FALSE(cleanup.ok());
  EXPECT_TRUE(cleanup.status().IsInvalid());
  EXPECT_THAT(cleanup.status().message(), HasSubstr("delta.logRetentionDuration"));
  EXPECT_THAT(cleanup.status().message(), HasSubstr("30 fortnights"));
  ASSERT_OK(testing::Append(*table, *testing::IdNameBatch(100, 1)));  // 6: checkpoint, cleanup fails
  EXPECT_TRUE(fs::exists(Log("00000000000000000006.checkpoint.parquet")));
  ExpectLoadableFrom(0, 6);
}

}  // namespace
}  // namespace tributary::delta
