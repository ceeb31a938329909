// LoadSnapshot's choice of files: _last_checkpoint, listing fallbacks, .crc files, log
// compaction files, removed versions, and a 100,000-commit log.
#include <gmock/gmock.h>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "counting_file_system.h"
#include "delta_testing.h"
#include "table_testing.h"
#include "tributary/delta/checkpoint.h"
#include "tributary/delta/snapshot.h"
#include "tributary/delta/table.h"

namespace tributary::delta {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

void WriteText(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// Without iostream buffers: the 100,000-commit test writes this many files.
void WriteSmallFile(const std::string& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size())) << path;
  ::close(fd);
}

// A directory in /dev/shm, removed at destruction.
class MemoryDir {
 public:
  MemoryDir() : path_(fmt::format("/dev/shm/tributary_log_test_{}_{}", ::getpid(), counter_++)) {
    fs::create_directories(path_);
  }
  ~MemoryDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string path() const { return path_ + "/table"; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

std::vector<std::string> Paths(const Snapshot& snapshot) {
  std::vector<std::string> paths;
  for (const AddFile& file : snapshot.files()) paths.push_back(file.path);
  return paths;
}

class SnapshotLoaderTest : public ::testing::Test {
 protected:
  // Versions 0..5, one file added per version from 1, checkpoints at 2 and 4.
  void MakeTable(const std::map<std::string, std::string>& properties = {{"delta.checkpointInterval", "2"}}) {
    auto table = Table::Create(io::LocalFileSystem(), path_, *testing::IdNameBatch(0, 1)->schema(), {},
                               properties);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    for (int i = 0; i < 5; ++i) ASSERT_OK(testing::Append(**table, *testing::IdNameBatch(i * 10, 10)));
    expected_files_ = Paths((*table)->snapshot());
  }
  std::string Log(const std::string& name) const { return io::AbsolutePath(path_ + "/_delta_log/" + name); }
  std::string Commit(int64_t version) const { return io::AbsolutePath(io::JoinPath(path_, CommitFileName(version))); }
  std::string Checkpoint(int64_t version) const {
    return io::AbsolutePath(io::JoinPath(path_, CheckpointFileName(version)));
  }

  std::shared_ptr<const Snapshot> Load(std::optional<int64_t> version = std::nullopt) {
    counting_.Reset();
    auto snapshot = LoadSnapshot(counting_, path_, version);
    EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    return snapshot.ok() ? *snapshot : nullptr;
  }

  // Loads the latest version and checks that it is version 5 with every file, read
  // from _last_checkpoint, checkpoint 4 and commit 5 alone.
  void ExpectLatestFromCheckpoint4() {
    auto snapshot = Load();
    ASSERT_NE(snapshot, nullptr);
    EXPECT_EQ(snapshot->version(), 5);
    EXPECT_EQ(Paths(*snapshot), expected_files_);
    EXPECT_EQ(counting_.files_read(),
              (std::set<std::string>{Log("_last_checkpoint"), Checkpoint(4), Commit(5)}));
  }

  testing::TempDir dir_;
  std::string path_ = dir_.Join("table");
  testing::CountingFileSystem counting_;
  std::vector<std::string> expected_files_;
};

TEST_F(SnapshotLoaderTest, LastCheckpointLeadsToTheCheckpointAndTail) {
  MakeTable();
  ExpectLatestFromCheckpoint4();
}

TEST_F(SnapshotLoaderTest, TornOrMissingLastCheckpointFallsBackToTheListing) {
  MakeTable();
  for (std::string_view content : {std::string_view("{\"version\":4,\"si"), std::string_view("")}) {
    SCOPED_TRACE(content);
    WriteText(Log("_last_checkpoint"), content);
    ExpectLatestFromCheckpoint4();
  }
  fs::remove(Log("_last_checkpoint"));
  ExpectLatestFromCheckpoint4();
}

TEST_F(SnapshotLoaderTest, StaleLastCheckpointStillFindsTheNewestCheckpoint) {
  MakeTable();
  WriteText(Log("_last_checkpoint"), "{\"version\":2,\"size\":4}");
  ExpectLatestFromCheckpoint4();
}

TEST_F(SnapshotLoaderTest, LastCheckpointNamingAMissingOrIncompleteCheckpoint) {
  MakeTable();
  // _last_checkpoint says 4, but checkpoint 4 is gone: checkpoint 2 and commits 3..5.
  fs::remove(Checkpoint(4));
  auto snapshot = Load();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->version(), 5);
  EXPECT_EQ(Paths(*snapshot), expected_files_);
  EXPECT_EQ(counting_.files_read(), (std::set<std::string>{Log("_last_checkpoint"), Checkpoint(2),
                                                           Commit(3), Commit(4), Commit(5)}));
  // Only part 1 of 2 at version 4 is no checkpoint either.
  fs::copy_file(Checkpoint(2), Log("00000000000000000004.checkpoint.0000000001.0000000002.parquet"));
  snapshot = Load();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(Paths(*snapshot), expected_files_);
  EXPECT_FALSE(counting_.files_read().contains(
      Log("00000000000000000004.checkpoint.0000000001.0000000002.parquet")));
  // A version beyond the log (a table re-created in place) is ignored as well.
  WriteText(Log("_last_checkpoint"), "{\"version\":50,\"size\":4}");
  snapshot = Load();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->version(), 5);
}

TEST_F(SnapshotLoaderTest, CrcFilesDoNotConfuseTheListing) {
  MakeTable();
  for (int v = 0; v <= 5; ++v) WriteText(Log(fmt::format("{:020d}.crc", v)), "{\"numFiles\":0}");
  // A checksum ahead of its commit (written by a racing writer) and Hadoop's side files.
  WriteText(Log("00000000000000000006.crc"), "{}");
  WriteText(Log(".00000000000000000005.json.crc"), "x");
  auto snapshot = Load();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->version(), 5);
  EXPECT_EQ(Paths(*snapshot), expected_files_);
  fs::remove(Log("_last_checkpoint"));
  snapshot = Load();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->version(), 5);
  auto missing = LoadSnapshot(counting_, path_, 6);
  EXPECT_TRUE(missing.status().IsNotFound()) << missing.status().ToString();
}

TEST_F(SnapshotLoaderTest, TimeTravelToARemovedVersionNamesIt) {
  MakeTable();
  fs::remove(Commit(0));
  fs::remove(Commit(1));
  for (int64_t version = 2; version <= 5; ++version) {
    auto snapshot = Load(version);
    ASSERT_NE(snapshot, nullptr);
    EXPECT_EQ(snapshot->version(), version);
    EXPECT_EQ(snapshot->files().size(), static_cast<size_t>(version));
  }
  auto removed = LoadSnapshot(counting_, path_, 1);
  ASSERT_FALSE(removed.ok());
  EXPECT_TRUE(removed.status().IsNotFound()) << removed.status().ToString();
  EXPECT_THAT(removed.status().message(), HasSubstr("version 1 cannot be loaded"));
  EXPECT_THAT(removed.status().message(), HasSubstr("earliest version that can be loaded is 2"));
}

// The actions of commits [first, last] without commitInfo: for appends only, that is
// their reconciliation.
std::string AppendCompaction(io::FileSystem& fs, const std::string& path, int64_t first, int64_t last) {
  std::vector<Action> actions;
  for (int64_t v = first; v <= last; ++v) {
    auto commit = ReadCommit(fs, path, v);
    EXPECT_TRUE(commit.ok());
    for (Action& action : *commit) {
      if (!std::holds_alternative<CommitInfo>(action)) actions.push_back(std::move(action));
    }
  }
  return CommitToJson(actions);
}

TEST_F(SnapshotLoaderTest, UsesACompactionThatStartsWhereReplayIs) {
  MakeTable({{"delta.checkpointInterval", "100"}});
  std::string compaction = Log(fmt::format("{:020d}.{:020d}.compacted.json", 1, 3));
  WriteText(compaction, AppendCompaction(counting_, path_, 1, 3));
  // One that does not start at a version replay reaches is never read.
  std::string misaligned = Log(fmt::format("{:020d}.{:020d}.compacted.json", 2, 4));
  WriteText(misaligned, AppendCompaction(counting_, path_, 2, 4));
  auto snapshot = Load();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->version(), 5);
  EXPECT_EQ(Paths(*snapshot), expected_files_);
  EXPECT_EQ(counting_.files_read(), (std::set<std::string>{Log("_last_checkpoint"), Commit(0),
                                                           compaction, Commit(4), Commit(5)}));
  // Time travel to the compaction's last version reads that commit itself.
  snapshot = Load(3);
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->files().size(), 3u);
  EXPECT_FALSE(counting_.files_read().contains(compaction));
  // A broken compaction file is skipped for the commits.
  WriteText(compaction, "{\"add\":");
  snapshot = Load();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(Paths(*snapshot), expected_files_);
  EXPECT_TRUE(counting_.files_read().contains(Commit(1)));
}

// 100,000 tiny commits with a checkpoint near the end: loading reads _last_checkpoint,
// the checkpoint and the commits after it, nothing else.
TEST_F(SnapshotLoaderTest, HundredThousandCommitsReadOnlyTheCheckpointAndTail) {
  constexpr int64_t kLatest = 99'999;
  constexpr int64_t kCheckpoint = 99'990;
  // Creating 100,000 files takes minutes on some disks and seconds in memory.
  std::optional<MemoryDir> memory;
  if (fs::is_directory("/dev/shm")) path_ = memory.emplace().path();
  auto table = Table::Create(io::LocalFileSystem(), path_, *testing::IdNameBatch(0, 1)->schema(), {},
                             {{"delta.checkpointInterval", "1000000"}});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  for (int64_t v = 1; v <= kLatest; ++v) {
    WriteSmallFile(Commit(v), fmt::format("{{\"txn\":{{\"appId\":\"app\",\"version\":{}}}}}\n", v));
  }
  // The checkpoint's state: version 0's actions, and the txn of version kCheckpoint.
  ASSERT_OK_AND_ASSIGN(std::vector<Action> actions, ReadCommit(counting_, path_, 0));
  actions.push_back(SetTransaction{"app", kCheckpoint, std::nullopt});
  SnapshotBuilder builder;
  ASSERT_OK(builder.ApplyCheckpoint(kCheckpoint, actions, "synthetic"));
  ASSERT_OK_AND_ASSIGN(auto at_checkpoint, builder.Finish(path_));
  ASSERT_OK(WriteCheckpoint(*io::LocalFileSystem(), path_, *at_checkpoint));

  std::set<std::string> tail = {Log("_last_checkpoint"), Checkpoint(kCheckpoint)};
  for (int64_t v = kCheckpoint + 1; v <= kLatest; ++v) tail.insert(Commit(v));
  auto snapshot = Load();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->version(), kLatest);
  EXPECT_EQ(snapshot->TxnVersion("app"), kLatest);
  EXPECT_EQ(counting_.files_read(), tail);
  EXPECT_EQ(counting_.listings(), 1);
  // Without _last_checkpoint the listing finds the same checkpoint.
  fs::remove(Log("_last_checkpoint"));
  snapshot = Load();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->TxnVersion("app"), kLatest);
  EXPECT_EQ(counting_.files_read(), tail);
}

}  // namespace
}  // namespace tributary::delta
