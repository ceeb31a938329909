#include "tributary/delta/optimize.h"

#include <gmock/gmock.h>

#include <set>

#include "delta_testing.h"
#include "python_testing.h"
#include "racing_file_system.h"
#include "tributary/base/json.h"
#include "tributary/delta/scan.h"
#include "tributary/delta/table.h"
#include "tributary/delta/transaction.h"

namespace tributary::delta {
namespace {

using ::testing::HasSubstr;
using columnar::DataType;
using columnar::Field;

columnar::Schema IdNamePart() {
  return columnar::Schema(
      {Field{"id", DataType::Long()}, Field{"name", DataType::String()}, Field{"part", DataType::String()}});
}

// Rows id = start .. start+count-1, part "p<id % 3>" (every fifth part null).
columnar::RecordBatchPtr Rows(int64_t start, int64_t count) {
  auto builders = testing::Builders(IdNamePart());
  for (int64_t i = start; i < start + count; ++i) {
    builders[0].AppendInt(i);
    builders[1].AppendString("name" + std::to_string(i));
    if (i % 5 == 0) {
      builders[2].AppendNull();
    } else {
      builders[2].AppendString("p" + std::to_string(i % 3));
    }
  }
  return testing::MakeBatch(IdNamePart(), builders);
}

std::vector<std::string> TableRows(Table& table) {
  std::vector<columnar::RecordBatchPtr> batches;
  EXPECT_OK(ScanTable(table.fs_ptr(), table.path(), table.snapshot(), ScanOptions{},
                      [&](columnar::RecordBatchPtr batch) {
                        batches.push_back(std::move(batch));
                        return Status::OK();
                      }));
  return testing::RowLines(batches);
}

std::vector<std::string> DeltaRsRows(const std::string& path) {
  std::string code = "import sys\nfrom deltalake import DeltaTable\nt = DeltaTable(sys.argv[1]).to_pyarrow_table()\n" +
                     testing::PrintRowsPython("['id', 'name', 'part']");
  return testing::SortedLines(testing::RunPython(code, {path}));
}

std::vector<Action> Commit(Table& table, int64_t version) {
  auto actions = ReadCommit(table.fs(), table.path(), version);
  EXPECT_TRUE(actions.ok()) << actions.status().ToString();
  return actions.ok() ? *actions : std::vector<Action>{};
}

JsonValue CommitInfoOf(Table& table, int64_t version) {
  for (const Action& action : Commit(table, version)) {
    if (const auto* info = std::get_if<CommitInfo>(&action)) {
      auto parsed = ParseJson(info->json);
      EXPECT_TRUE(parsed.ok());
      return *parsed;
    }
  }
  ADD_FAILURE() << "no commitInfo in version " << version;
  return JsonValue();
}

// A string parameter's value, or the JSON text of another value.
std::string Parameter(const JsonValue& info, const std::string& key) {
  const JsonValue* value = info.Find("operationParameters")->Find(key);
  if (value == nullptr) return "<missing>";
  if (value->is_string()) return value->string_value();
  JsonWriter writer;
  writer.Value(*value);
  return writer.Finish();
}

int64_t Metric(const JsonValue& info, const std::string& key) {
  const JsonValue* value = info.Find("operationMetrics")->Find(key);
  return value != nullptr ? std::stoll(value->string_value()) : -1;
}

std::set<PartitionValues> Partitions(const Snapshot& snapshot) {
  std::set<PartitionValues> partitions;
  for (const AddFile& file : snapshot.files()) partitions.insert(file.partition_values);
  return partitions;
}

class OptimizeTest : public ::testing::Test {
 protected:
  // A table of `appends` commits of 10 rows each, every commit a file per partition.
  std::unique_ptr<Table> SmallFilesTable(int appends, std::vector<std::string> partition_by = {"part"}) {
    auto table = Table::Create(io::LocalFileSystem(), path_, IdNamePart(), std::move(partition_by), {});
    EXPECT_TRUE(table.ok()) << table.status().ToString();
    if (!table.ok()) return nullptr;
    for (int i = 0; i < appends; ++i) {
      auto append = (*table)->NewAppend(AppendOptions{});
      EXPECT_TRUE(append.ok());
      EXPECT_OK((*append)->Write(*Rows(i * 10, 10)));
      EXPECT_OK((*append)->Commit(std::nullopt).status());
    }
    return std::move(table).value();
  }

  testing::TempDir dir_;
  std::string path_ = dir_.Join("table");
};

TEST_F(OptimizeTest, CompactsEachPartitionIntoOneFileWithSameRows) {
  auto table = SmallFilesTable(20);
  ASSERT_EQ(table->snapshot().files().size(), 80u);  // p0, p1, p2 and null per commit
  auto before = TableRows(*table);
  int64_t version_before = table->snapshot().version();

  ASSERT_OK_AND_ASSIGN(OptimizeResult result, Optimize(*table, OptimizeOptions{}));
  ASSERT_TRUE(result.version.has_value());
  EXPECT_EQ(*result.version, version_before + 1);
  EXPECT_EQ(result.num_files_removed, 80);
  EXPECT_EQ(result.num_files_added, 4);
  EXPECT_EQ(result.num_partitions_optimized, 4);
  EXPECT_EQ(table->snapshot().files().size(), 4u);
  EXPECT_EQ(Partitions(table->snapshot()).size(), 4u);
  EXPECT_EQ(TableRows(*table), before);
  EXPECT_EQ(DeltaRsRows(path_), before);
  EXPECT_EQ(table->snapshot().num_records(), 200);

  // The log says the data did not change, and how Delta describes an OPTIMIZE.
  int removes = 0;
  int adds = 0;
  for (const Action& action : Commit(*table, *result.version)) {
    if (const auto* remove = std::get_if<RemoveFile>(&action)) {
      ++removes;
      EXPECT_FALSE(remove->data_change);
      EXPECT_TRUE(remove->size.has_value());
      EXPECT_TRUE(remove->partition_values.has_value());
    } else if (const auto* add = std::get_if<AddFile>(&action)) {
      ++adds;
      EXPECT_FALSE(add->data_change);
      EXPECT_THAT(add->stats, HasSubstr("\"numRecords\":"));
    }
  }
  EXPECT_EQ(removes, 80);
  EXPECT_EQ(adds, 4);
  JsonValue info = CommitInfoOf(*table, *result.version);
  EXPECT_EQ(info.Find("operation")->string_value(), "OPTIMIZE");
  EXPECT_EQ(Parameter(info, "predicate"), "[]");
  EXPECT_EQ(Parameter(info, "zOrderBy"), "[]");
  EXPECT_EQ(Parameter(info, "auto"), "false");
  EXPECT_FALSE(info.Find("isBlindAppend")->bool_value());
  EXPECT_EQ(Metric(info, "numRemovedFiles"), 80);
  EXPECT_EQ(Metric(info, "numAddedFiles"), 4);
  EXPECT_EQ(Metric(info, "numRemovedBytes"), result.num_bytes_removed);
  EXPECT_EQ(Metric(info, "numAddedBytes"), result.num_bytes_added);
  EXPECT_LE(Metric(info, "minFileSize"), Metric(info, "p50FileSize"));
  EXPECT_LE(Metric(info, "p50FileSize"), Metric(info, "maxFileSize"));
  EXPECT_EQ(Metric(info, "numDeletionVectorsRemoved"), 0);
}

TEST_F(OptimizeTest, SecondOptimizeIsANoOp) {
  auto table = SmallFilesTable(6, {});
  ASSERT_OK_AND_ASSIGN(OptimizeResult first, Optimize(*table, OptimizeOptions{}));
  ASSERT_TRUE(first.version.has_value());
  EXPECT_EQ(table->snapshot().files().size(), 1u);
  ASSERT_OK_AND_ASSIGN(OptimizeResult second, Optimize(*table, OptimizeOptions{}));
  EXPECT_FALSE(second.version.has_value());
  EXPECT_EQ(second.num_files_removed, 0);
  EXPECT_EQ(second.total_considered_files, 1);
  EXPECT_EQ(table->snapshot().version(), *first.version);
  ASSERT_OK_AND_ASSIGN(auto versions, ListLog(table->fs(), path_));
  EXPECT_EQ(versions.commits.back(), *first.version);
}

TEST_F(OptimizeTest, LeavesLargeFilesAndLoneSmallFilesAlone) {
  auto table = SmallFilesTable(5, {});
  std::vector<AddFile> files = table->snapshot().files();
  ASSERT_EQ(files.size(), 5u);
  std::sort(files.begin(), files.end(), [](const AddFile& a, const AddFile& b) { return a.size < b.size; });
  // Only the smallest file is below minFileSize: a bin of one, nothing to do.
  OptimizeOptions options;
  options.min_file_size = files[0].size + 1;
  ASSERT_OK_AND_ASSIGN(OptimizeResult lone, Optimize(*table, options));
  EXPECT_FALSE(lone.version.has_value());
  EXPECT_EQ(lone.total_files_skipped, 5);

  // Bins of at most two files' bytes: 5 small files make bins of 2, 2 and 1.
  options.min_file_size = int64_t{1} << 30;
  options.max_file_size = files[3].size + files[4].size;
  ASSERT_OK_AND_ASSIGN(OptimizeResult pairs, Optimize(*table, options));
  ASSERT_TRUE(pairs.version.has_value());
  EXPECT_EQ(pairs.num_batches, 2);
  EXPECT_EQ(pairs.num_files_removed, 4);
  EXPECT_EQ(pairs.num_files_added, 2);
  EXPECT_EQ(table->snapshot().files().size(), 3u);
  EXPECT_EQ(table->snapshot().num_records(), 50);
}

TEST_F(OptimizeTest, PartitionFilterLimitsTheCompactionAndIsRecorded) {
  auto table = SmallFilesTable(8);
  OptimizeOptions options;
  options.partition_filter = [](const PartitionValues& values) -> Result<bool> {
    auto it = values.find("part");
    return it != values.end() && it->second == "p1";
  };
  options.predicates = {"(part = 'p1')"};
  ASSERT_OK_AND_ASSIGN(OptimizeResult result, Optimize(*table, options));
  ASSERT_TRUE(result.version.has_value());
  EXPECT_EQ(result.num_files_removed, 8);
  EXPECT_EQ(result.total_considered_files, 8);
  int p1_files = 0;
  for (const AddFile& file : table->snapshot().files()) {
    if (file.partition_values.at("part") == "p1") ++p1_files;
  }
  EXPECT_EQ(p1_files, 1);
  EXPECT_EQ(table->snapshot().files().size(), 25u);  // 3 other partitions x 8, plus 1
  EXPECT_EQ(Parameter(CommitInfoOf(*table, *result.version), "predicate"), "[\"(part = 'p1')\"]");

  options.partition_filter = [](const PartitionValues&) -> Result<bool> {
    return Status::Invalid("bad filter");
  };
  EXPECT_THAT(Optimize(*table, options).status().ToString(), HasSubstr("bad filter"));
}

TEST_F(OptimizeTest, CompactsATableWrittenByDeltaRs) {
  std::string code =
      "import sys\nimport pyarrow as pa\nfrom deltalake import write_deltalake\n"
      "for i in range(12):\n"
      "    t = pa.table({'id': pa.array([i * 3 + k for k in range(3)], pa.int64()),\n"
      "                  'name': ['rs' + str(i * 3 + k) for k in range(3)],\n"
      "                  'part': ['a' if i % 2 else 'b'] * 3})\n"
      "    write_deltalake(sys.argv[1], t, mode='append', partition_by=['part'])\n";
  testing::RunPython(code, {path_});
  ASSERT_OK_AND_ASSIGN(auto table, Table::Open(io::LocalFileSystem(), path_));
  ASSERT_EQ(table->snapshot().files().size(), 12u);
  auto before = DeltaRsRows(path_);
  ASSERT_EQ(before.size(), 36u);
  ASSERT_OK_AND_ASSIGN(OptimizeResult result, Optimize(*table, OptimizeOptions{}));
  ASSERT_TRUE(result.version.has_value());
  EXPECT_EQ(table->snapshot().files().size(), 2u);
  EXPECT_EQ(DeltaRsRows(path_), before);
  EXPECT_EQ(TableRows(*table), before);
}

Result<OptimizeResult> OptimizeRacing(const std::string& path, const std::function<void(Table& other)>& concurrent) {
  TRIB_ASSIGN_OR_RETURN(auto other, Table::Open(io::LocalFileSystem(), path));
  auto racing = std::make_shared<testing::RacingFileSystem>([&] { concurrent(*other); });
  TRIB_ASSIGN_OR_RETURN(auto optimizing, Table::Open(racing, path));
  return Optimize(*optimizing, OptimizeOptions{});
}

TEST_F(OptimizeTest, ConcurrentAppendDoesNotConflict) {
  auto table = SmallFilesTable(5, {});
  ASSERT_OK_AND_ASSIGN(OptimizeResult result, OptimizeRacing(path_, [](Table& other) {
                         ASSERT_OK_AND_ASSIGN(auto append, other.NewAppend(AppendOptions{}));
                         ASSERT_OK(append->Write(*Rows(1000, 10)));
                         ASSERT_OK(append->Commit(std::nullopt).status());
                       }));
  ASSERT_TRUE(result.version.has_value());
  ASSERT_OK(table->Refresh());
  EXPECT_EQ(table->snapshot().version(), *result.version);
  EXPECT_EQ(table->snapshot().files().size(), 2u);  // the compacted file and the new one
  EXPECT_EQ(table->snapshot().num_records(), 60);
}

TEST_F(OptimizeTest, ConcurrentDeleteOfAnInputConflictsAndLeavesNoFiles) {
  auto table = SmallFilesTable(5, {});
  ASSERT_OK_AND_ASSIGN(auto listing_before, io::LocalFileSystem()->ListDirectory(path_));
  auto result = OptimizeRacing(path_, [](Table& other) {
    ASSERT_OK_AND_ASSIGN(auto deleter, Transaction::Begin(other));
    deleter->Remove(other.snapshot().files().front());
    ASSERT_OK(deleter->Commit().status());
  });
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsConflict());
  EXPECT_THAT(result.status().ToString(), HasSubstr("ConcurrentDeleteReadException"));
  ASSERT_OK(table->Refresh());
  EXPECT_EQ(table->snapshot().files().size(), 4u);
  EXPECT_EQ(table->snapshot().num_records(), 40);
  // The rewritten file was deleted again.
  ASSERT_OK_AND_ASSIGN(auto listing_after, io::LocalFileSystem()->ListDirectory(path_));
  EXPECT_EQ(listing_after.size(), listing_before.size());
}

TEST_F(OptimizeTest, RejectsBadSizes) {
  auto table = SmallFilesTable(1, {});
  OptimizeOptions options;
  options.max_file_size = 0;
  EXPECT_TRUE(Optimize(*table, options).status().IsInvalid());
}

}  // namespace
}  // namespace tributary::delta
