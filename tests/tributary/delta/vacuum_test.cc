#include "tributary/delta/vacuum.h"

#include <gmock/gmock.h>
#include <sys/time.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "delta_testing.h"
#include "python_testing.h"
#include "tributary/base/json.h"
#include "tributary/delta/optimize.h"
#include "tributary/delta/scan.h"
#include "tributary/delta/table.h"

namespace tributary::delta {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr int64_t kDayMs = 24 * 3600 * 1000;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Sets the modification time of `path` to `days` days ago.
void BackDate(const std::string& path, int days) {
  int64_t ms = NowMs() - days * kDayMs;
  struct timeval times[2];
  times[0].tv_sec = times[1].tv_sec = ms / 1000;
  times[0].tv_usec = times[1].tv_usec = 0;
  ASSERT_EQ(::utimes(path.c_str(), times), 0) << path;
}

// Back-dates every file under `root` outside _delta_log.
void BackDateAll(const std::string& root, int days) {
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().string().find("_delta_log") == std::string::npos) {
      BackDate(entry.path().string(), days);
    }
  }
}

void Touch(const std::string& path) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << "x";
}

std::vector<std::string> RowsAt(const std::string& path, std::optional<int64_t> version) {
  auto snapshot = LoadSnapshot(*io::LocalFileSystem(), path, version);
  EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  if (!snapshot.ok()) return {};
  std::vector<columnar::RecordBatchPtr> batches;
  Status status = ScanTable(io::LocalFileSystem(), path, **snapshot, ScanOptions{}, [&](columnar::RecordBatchPtr b) {
    batches.push_back(std::move(b));
    return Status::OK();
  });
  EXPECT_TRUE(status.ok()) << "version " << (version ? *version : -1) << ": " << status.ToString();
  return testing::RowLines(batches);
}

std::string OperationOf(Table& table, int64_t version) {
  auto actions = ReadCommit(table.fs(), table.path(), version);
  EXPECT_TRUE(actions.ok());
  for (const Action& action : *actions) {
    if (const auto* info = std::get_if<CommitInfo>(&action)) return info->json;
  }
  return "";
}

class VacuumTest : public ::testing::Test {
 protected:
  void SetUp() override {
    columnar::Schema schema({columnar::Field{"id", columnar::DataType::Long()},
                             columnar::Field{"name", columnar::DataType::String()},
                             columnar::Field{"part", columnar::DataType::String()}});
    auto table = Table::Create(io::LocalFileSystem(), path_, schema, {"part"}, {});
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    table_ = std::move(table).value();
  }

  void Append(int64_t start, int64_t count) {
    columnar::Schema schema = table_->snapshot().schema();
    auto builders = testing::Builders(schema);
    for (int64_t i = start; i < start + count; ++i) {
      builders[0].AppendInt(i);
      builders[1].AppendString("n" + std::to_string(i));
      builders[2].AppendString(i % 2 == 0 ? "even" : "odd");
    }
    ASSERT_OK_AND_ASSIGN(auto append, table_->NewAppend(AppendOptions{}));
    ASSERT_OK(append->Write(*testing::MakeBatch(schema, builders)));
    ASSERT_OK(append->Commit(std::nullopt).status());
  }

  // Versions 1..5 append; version 6 compacts them (tombstones for the 10 old files).
  void FiveAppendsThenOptimize() {
    for (int i = 0; i < 5; ++i) Append(i * 10, 10);
    ASSERT_OK_AND_ASSIGN(OptimizeResult result, Optimize(*table_, OptimizeOptions{}));
    ASSERT_EQ(result.version, 6);
  }

  testing::TempDir dir_;
  std::string path_ = dir_.Join("table");
  std::unique_ptr<Table> table_;
};

TEST_F(VacuumTest, KeepsEveryFileARetainedVersionNeedsAndDeletesOldOrphans) {
  FiveAppendsThenOptimize();
  Touch(path_ + "/part=odd/orphan.parquet");     // written by a failed writer
  Touch(path_ + "/stray/old.parquet");           // not a partition directory, still walked
  Touch(path_ + "/part=even/young.parquet");     // unreferenced but too young
  Touch(path_ + "/_checkpoints/offsets/0");      // hidden: a streaming checkpoint
  Touch(path_ + "/.hidden.parquet");
  fs::create_directories(path_ + "/empty/inner");
  BackDateAll(path_, 30);
  BackDate(path_ + "/part=even/young.parquet", 0);
  std::vector<std::vector<std::string>> rows_by_version;
  for (int64_t v = 0; v <= 6; ++v) rows_by_version.push_back(RowsAt(path_, v));

  ASSERT_OK_AND_ASSIGN(VacuumResult result, Vacuum(*table_, VacuumOptions{}));
  EXPECT_THAT(result.paths, ::testing::UnorderedElementsAre(path_ + "/part=odd/orphan.parquet",
                                                            path_ + "/stray/old.parquet", path_ + "/empty/inner",
                                                            path_ + "/empty"));
  EXPECT_EQ(result.num_deleted, 4);  // "stray" still held a file when listed: kept
  EXPECT_FALSE(fs::exists(path_ + "/part=odd/orphan.parquet"));
  EXPECT_FALSE(fs::exists(path_ + "/empty"));
  EXPECT_TRUE(fs::exists(path_ + "/stray"));
  EXPECT_TRUE(fs::exists(path_ + "/part=even/young.parquet"));
  EXPECT_TRUE(fs::exists(path_ + "/_checkpoints/offsets/0"));
  EXPECT_TRUE(fs::exists(path_ + "/.hidden.parquet"));
  // Every version still reads: the compacted-away files have young tombstones.
  for (int64_t v = 0; v <= 6; ++v) EXPECT_EQ(RowsAt(path_, v), rows_by_version[v]) << "version " << v;

  ASSERT_TRUE(result.start_version.has_value());
  ASSERT_TRUE(result.end_version.has_value());
  EXPECT_EQ(*result.start_version, 7);
  EXPECT_EQ(*result.end_version, 8);
  std::string start = OperationOf(*table_, 7);
  EXPECT_THAT(start, HasSubstr("\"operation\":\"VACUUM START\""));
  EXPECT_THAT(start, HasSubstr("\"retentionCheckEnabled\":true"));
  EXPECT_THAT(start, HasSubstr("\"defaultRetentionMillis\":604800000"));
  EXPECT_THAT(start, HasSubstr("\"numFilesToDelete\":\"4\""));
  std::string end = OperationOf(*table_, 8);
  EXPECT_THAT(end, HasSubstr("\"operation\":\"VACUUM END\""));
  EXPECT_THAT(end, HasSubstr("\"status\":\"COMPLETED\""));
  EXPECT_THAT(end, HasSubstr("\"numDeletedFiles\":\"4\""));
  std::ifstream last_vacuum(path_ + "/_delta_log/_last_vacuum_info");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(last_vacuum), {}), "{}");
}

TEST_F(VacuumTest, ExpiredTombstonesLoseTheirFilesButTheLatestVersionReads) {
  FiveAppendsThenOptimize();
  auto latest = RowsAt(path_, std::nullopt);
  // Eight days on, the tombstones of version 6 are past the week of retention.
  VacuumOptions options;
  options.now_ms = NowMs() + 8 * kDayMs;
  ASSERT_OK_AND_ASSIGN(VacuumResult result, Vacuum(*table_, options));
  EXPECT_EQ(result.num_deleted, 10);
  EXPECT_EQ(RowsAt(path_, std::nullopt), latest);
  EXPECT_EQ(testing::SortedLines(testing::RunPython(
                "import sys\nfrom deltalake import DeltaTable\nt = DeltaTable(sys.argv[1]).to_pyarrow_table()\n" +
                    testing::PrintRowsPython("['id', 'name', 'part']"),
                {path_})),
            latest);
  // Version 5 needed the compacted-away files.
  auto v5 = LoadSnapshot(*io::LocalFileSystem(), path_, 5);
  ASSERT_TRUE(v5.ok());
  EXPECT_FALSE(ScanTable(io::LocalFileSystem(), path_, **v5, ScanOptions{}, [](columnar::RecordBatchPtr) {
                 return Status::OK();
               }).ok());
}

TEST_F(VacuumTest, MatchesEscapedPartitionDirectoriesToTheirFiles) {
  columnar::Schema schema = table_->snapshot().schema();
  auto builders = testing::Builders(schema);
  for (std::string part : {"a b", "x:y/z", "100%", "é=1"}) {
    builders[0].AppendInt(1);
    builders[1].AppendString("n");
    builders[2].AppendString(part);
  }
  ASSERT_OK_AND_ASSIGN(auto append, table_->NewAppend(AppendOptions{}));
  ASSERT_OK(append->Write(*testing::MakeBatch(schema, builders)));
  ASSERT_OK(append->Commit(std::nullopt).status());
  BackDateAll(path_, 30);
  auto rows = RowsAt(path_, std::nullopt);
  ASSERT_EQ(rows.size(), 4u);
  VacuumOptions options;
  options.retain_hours = 0;
  options.force = true;
  ASSERT_OK_AND_ASSIGN(VacuumResult result, Vacuum(*table_, options));
  EXPECT_THAT(result.paths, ::testing::IsEmpty());
  EXPECT_EQ(RowsAt(path_, std::nullopt), rows);
}

TEST_F(VacuumTest, DryRunListsAndDeletesNothing) {
  FiveAppendsThenOptimize();
  Touch(path_ + "/part=odd/orphan.parquet");
  BackDateAll(path_, 30);
  int64_t version = table_->snapshot().version();
  VacuumOptions options;
  options.dry_run = true;
  options.retain_hours = 0;
  options.force = true;
  ASSERT_OK_AND_ASSIGN(VacuumResult result, Vacuum(*table_, options));
  EXPECT_EQ(result.paths.size(), 11u);  // the orphan and the 10 compacted-away files
  EXPECT_EQ(result.num_deleted, 0);
  for (const std::string& path : result.paths) EXPECT_TRUE(fs::exists(path)) << path;
  EXPECT_FALSE(result.start_version.has_value());
  ASSERT_OK(table_->Refresh());
  EXPECT_EQ(table_->snapshot().version(), version);
  for (int64_t v = 0; v <= version; ++v) EXPECT_EQ(RowsAt(path_, v).size(), v == 0 ? 0u : std::min<size_t>(v, 5) * 10);
}

TEST_F(VacuumTest, RetentionBelowTheTablePropertyIsRefusedUnlessForced) {
  FiveAppendsThenOptimize();
  VacuumOptions options;
  options.retain_hours = 1;
  auto refused = Vacuum(*table_, options);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().IsInvalid());
  EXPECT_THAT(refused.status().message(), HasSubstr("such a low retention period"));
  EXPECT_THAT(refused.status().message(), HasSubstr("not less than \"168 hours\""));
  EXPECT_THAT(refused.status().message(), HasSubstr("retentionDurationCheck.enabled = false"));
  options.retain_hours = 168;
  EXPECT_OK(Vacuum(*table_, options).status());
  options.retain_hours = -1;
  EXPECT_TRUE(Vacuum(*table_, options).status().IsInvalid());

  // Forced, RETAIN 0 HOURS drops the compacted-away files at once.
  options.retain_hours = 0;
  options.force = true;
  BackDateAll(path_, 1);
  ASSERT_OK_AND_ASSIGN(VacuumResult forced, Vacuum(*table_, options));
  EXPECT_EQ(forced.num_deleted, 10);
  EXPECT_THAT(OperationOf(*table_, *forced.start_version), HasSubstr("\"retentionCheckEnabled\":false"));
  EXPECT_THAT(OperationOf(*table_, *forced.start_version), HasSubstr("\"specifiedRetentionMillis\":0"));
  EXPECT_EQ(RowsAt(path_, std::nullopt).size(), 50u);
}

TEST_F(VacuumTest, HonoursTheRetentionTableProperty) {
  ASSERT_OK_AND_ASSIGN(auto table, Table::Create(io::LocalFileSystem(), dir_.Join("short"),
                                                 columnar::Schema({columnar::Field{"id", columnar::DataType::Long()}}),
                                                 {}, {{"delta.deletedFileRetentionDuration", "interval 2 days"}}));
  Touch(dir_.Join("short") + "/three-days.parquet");
  Touch(dir_.Join("short") + "/one-day.parquet");
  BackDate(dir_.Join("short") + "/three-days.parquet", 3);
  BackDate(dir_.Join("short") + "/one-day.parquet", 1);
  VacuumOptions options;
  options.retain_hours = 24;  // below the table's 48 hours
  EXPECT_THAT(Vacuum(*table, options).status().message(), HasSubstr("\"48 hours\""));
  ASSERT_OK_AND_ASSIGN(VacuumResult result, Vacuum(*table, VacuumOptions{}));
  EXPECT_THAT(result.paths, ::testing::ElementsAre(dir_.Join("short") + "/three-days.parquet"));

  ASSERT_OK_AND_ASSIGN(auto bad, Table::Create(io::LocalFileSystem(), dir_.Join("bad"),
                                               columnar::Schema({columnar::Field{"id", columnar::DataType::Long()}}),
                                               {}, {{"delta.deletedFileRetentionDuration", "soon"}}));
  EXPECT_THAT(Vacuum(*bad, VacuumOptions{}).status().message(), HasSubstr("delta.deletedFileRetentionDuration"));
}

}  // namespace
}  // namespace tributary::delta
