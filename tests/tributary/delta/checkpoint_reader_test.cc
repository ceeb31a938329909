#include "tributary/delta/checkpoint_reader.h"

#include <gmock/gmock.h>

#include <filesystem>
#include <fstream>

#include "delta_testing.h"
#include "python_testing.h"
#include "tributary/delta/scan.h"
#include "tributary/delta/table.h"

namespace tributary::delta {
namespace {

using ::testing::HasSubstr;

namespace fs = std::filesystem;

Status Append(Table& table, const columnar::RecordBatch& batch, std::optional<Txn> txn = std::nullopt) {
  TRIB_ASSIGN_OR_RETURN(auto append, table.NewAppend(AppendOptions{}));
  TRIB_RETURN_NOT_OK(append->Write(batch));
  return append->Commit(std::move(txn)).status();
}

std::vector<std::string> ScanRows(Table& table) {
  std::vector<columnar::RecordBatchPtr> batches;
  Status status = ScanTable(table.fs_ptr(), table.path(), table.snapshot(), ScanOptions{},
                            [&](columnar::RecordBatchPtr batch) {
                              batches.push_back(std::move(batch));
                              return Status::OK();
                            });
  EXPECT_TRUE(status.ok()) << status.ToString();
  return testing::RowLines(batches);
}

std::vector<std::string> FilePaths(const Snapshot& snapshot) {
  std::vector<std::string> paths;
  for (const AddFile& file : snapshot.files()) paths.push_back(file.path + " " + file.stats);
  return paths;
}

// Deletes the JSON commits of versions [0, up_to].
void DeleteCommits(const std::string& table_path, int64_t up_to) {
  for (int64_t v = 0; v <= up_to; ++v) {
    fs::remove(io::JoinPath(table_path, CommitFileName(v)));
  }
}

class CheckpointReaderTest : public ::testing::Test {
 protected:
  // Versions 0..5 with checkpoints at 2 and 4; a txn for app "q".
  std::unique_ptr<Table> MakeTable() {
    auto table = Table::Create(io::LocalFileSystem(), path_, *testing::IdNameBatch(0, 1)->schema(), {},
                               {{"delta.checkpointInterval", "2"}});
    EXPECT_TRUE(table.ok()) << table.status().ToString();
    for (int i = 0; i < 5; ++i) {
      EXPECT_OK(Append(**table, *testing::IdNameBatch(i * 10, 10), Txn{"q", i}));
    }
    EXPECT_TRUE(fs::exists(io::JoinPath(path_, CheckpointFileName(4))));
    return std::move(table).value();
  }

  testing::TempDir dir_;
  std::string path_ = dir_.Join("table");
};

TEST_F(CheckpointReaderTest, OpensOwnCheckpointAfterEarlyCommitsAreDeleted) {
  auto table = MakeTable();
  auto expected_files = FilePaths(table->snapshot());
  auto expected_rows = ScanRows(*table);
  ASSERT_EQ(expected_rows.size(), 50u);
  DeleteCommits(path_, 4);
  ASSERT_OK_AND_ASSIGN(auto reopened, Table::Open(io::LocalFileSystem(), path_));
  EXPECT_EQ(reopened->snapshot().version(), 5);
  EXPECT_EQ(FilePaths(reopened->snapshot()), expected_files);
  EXPECT_EQ(reopened->snapshot().TxnVersion("q"), 4);
  EXPECT_EQ(reopened->snapshot().schema().ToDdl(), table->snapshot().schema().ToDdl());
  EXPECT_EQ(reopened->snapshot().metadata(), table->snapshot().metadata());
  EXPECT_EQ(reopened->snapshot().protocol(), table->snapshot().protocol());
  EXPECT_EQ(ScanRows(*reopened), expected_rows);
  // Appending after the checkpoint keeps working.
  ASSERT_OK(Append(*reopened, *testing::IdNameBatch(100, 2)));
  EXPECT_EQ(reopened->snapshot().version(), 6);
  EXPECT_EQ(reopened->snapshot().files().size(), 6u);
}

TEST_F(CheckpointReaderTest, TimeTravelBeforeTheCheckpointReplaysJson) {
  auto table = MakeTable();
  ASSERT_OK_AND_ASSIGN(auto at3, LoadSnapshot(table->fs(), path_, 3));
  EXPECT_EQ(at3->version(), 3);
  EXPECT_EQ(at3->files().size(), 3u);
  EXPECT_EQ(at3->TxnVersion("q"), 2);
}

TEST_F(CheckpointReaderTest, ReadsMultiPartCheckpoint) {
  auto table = MakeTable();
  auto expected_files = FilePaths(table->snapshot());
  // Split the version-4 checkpoint into two parts, as Spark writes large ones.
  testing::RunPython(
      "import sys, pyarrow.parquet as pq\n"
      "log = sys.argv[1] + '/_delta_log/'\n"
      "t = pq.read_table(log + '00000000000000000004.checkpoint.parquet')\n"
      "half = t.num_rows // 2\n"
      "pq.write_table(t.slice(0, half), log + '00000000000000000004.checkpoint.0000000001.0000000002.parquet')\n"
      "pq.write_table(t.slice(half), log + '00000000000000000004.checkpoint.0000000002.0000000002.parquet')\n",
      {path_});
  fs::remove(io::JoinPath(path_, CheckpointFileName(4)));
  fs::remove(io::JoinPath(path_, CheckpointFileName(2)));
  DeleteCommits(path_, 4);
  ASSERT_OK_AND_ASSIGN(auto reopened, Table::Open(io::LocalFileSystem(), path_));
  EXPECT_EQ(reopened->snapshot().version(), 5);
  EXPECT_EQ(FilePaths(reopened->snapshot()), expected_files);
  EXPECT_EQ(ScanRows(*reopened).size(), 50u);
}

TEST_F(CheckpointReaderTest, IncompleteMultiPartCheckpointIsNotUsed) {
  auto table = MakeTable();
  // Only part 1 of 2 at version 5: the classic checkpoint at 4 is used instead.
  fs::copy_file(io::JoinPath(path_, CheckpointFileName(4)),
                io::JoinPath(path_, "_delta_log/00000000000000000005.checkpoint.0000000001.0000000002.parquet"));
  DeleteCommits(path_, 4);
  ASSERT_OK_AND_ASSIGN(auto reopened, Table::Open(io::LocalFileSystem(), path_));
  EXPECT_EQ(reopened->snapshot().version(), 5);
  EXPECT_EQ(reopened->snapshot().files().size(), 5u);
}

TEST_F(CheckpointReaderTest, MissingSidecarIsNamed) {
  auto table = MakeTable();
  fs::remove(io::JoinPath(path_, CheckpointFileName(4)));
  fs::remove(io::JoinPath(path_, CheckpointFileName(2)));
  fs::remove(io::JoinPath(path_, "_delta_log/_last_checkpoint"));
  std::ofstream(io::JoinPath(path_, "_delta_log/00000000000000000004.checkpoint.3a0d65cd-4056-49b8-937b-95f9e3ee90e5.json"))
      << "{\"checkpointMetadata\":{\"version\":4}}\n"
      << "{\"sidecar\":{\"path\":\"gone.parquet\",\"sizeInBytes\":1,\"modificationTime\":1}}\n";
  DeleteCommits(path_, 4);
  auto reopened = Table::Open(io::LocalFileSystem(), path_);
  ASSERT_FALSE(reopened.ok());
  EXPECT_TRUE(reopened.status().IsCorruption()) << reopened.status().ToString();
  EXPECT_THAT(reopened.status().message(), HasSubstr("_delta_log/_sidecars/gone.parquet"));
}

TEST_F(CheckpointReaderTest, MissingCommitsWithoutCheckpointAreCorruption) {
  auto table = MakeTable();
  fs::remove(io::JoinPath(path_, CheckpointFileName(4)));
  fs::remove(io::JoinPath(path_, CheckpointFileName(2)));
  DeleteCommits(path_, 1);
  auto reopened = Table::Open(io::LocalFileSystem(), path_);
  ASSERT_FALSE(reopened.ok());
  EXPECT_TRUE(reopened.status().IsCorruption()) << reopened.status().ToString();
}

TEST_F(CheckpointReaderTest, ReadsDeltaRsCheckpoint) {
  // delta-rs writes 4 commits (partitioned, with nulls), a checkpoint at version 3,
  // and one more commit; then the commits before the checkpoint are deleted.
  std::string rows = testing::RunPython(
      "import sys, os, pyarrow as pa\n"
      "from deltalake import DeltaTable, write_deltalake\n"
      "path = sys.argv[1]\n"
      "schema = pa.schema([('id', pa.int64()), ('name', pa.string()), ('part', pa.string()), ('flag', pa.bool_())])\n"
      "for c in range(5):\n"
      "    rows = [{'id': i, 'name': None if i % 4 == 0 else f'rs{i}', 'part': None if i % 5 == 0 else f'p{i % 3}',\n"
      "             'flag': i % 2 == 0} for i in range(c * 10, c * 10 + 10)]\n"
      "    write_deltalake(path, pa.Table.from_pylist(rows, schema=schema), partition_by=['part'], mode='append')\n"
      "    if c == 3:\n"
      "        DeltaTable(path).create_checkpoint()\n"
      "for v in range(4):\n"
      "    os.remove(f'{path}/_delta_log/{v:020d}.json')\n"
      "t = DeltaTable(path).to_pyarrow_table()\n" +
          testing::PrintRowsPython("['id', 'name', 'part', 'flag']"),
      {path_});
  auto expected = testing::SortedLines(rows);
  ASSERT_EQ(expected.size(), 50u);
  ASSERT_OK_AND_ASSIGN(auto table, Table::Open(io::LocalFileSystem(), path_));
  EXPECT_EQ(table->snapshot().version(), 4);
  EXPECT_EQ(table->snapshot().partition_columns(), std::vector<std::string>{"part"});
  EXPECT_EQ(ScanRows(*table), expected);
  // The checkpoint carried stats: a point lookup prunes to the one matching file.
  FilePredicate predicate{{ColumnConstraint::Equal("id", int64_t{23}),
                           ColumnConstraint::Equal("part", std::string("p2"))}};
  EXPECT_EQ(PlanScan(table->snapshot(), predicate).size(), 1u);
}

}  // namespace
}  // namespace tributary::delta
