#include <gmock/gmock.h>
#include <sys/time.h>

#include <chrono>
#include <filesystem>

#include "delta_testing.h"
#include "python_testing.h"
#include "tributary/base/json.h"
#include "tributary/delta/optimize.h"
#include "tributary/delta/restore.h"
#include "tributary/delta/scan.h"
#include "tributary/delta/table.h"
#include "tributary/delta/vacuum.h"

// OPTIMIZE and VACUUM on tables with deletion vectors written by Spark
// (tests/data/delta/spark, made by its generate.py).
namespace tributary::delta {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kDayMs = 24 * 3600 * 1000;

std::vector<std::string> Rows(const std::string& path, std::optional<int64_t> version = std::nullopt) {
  auto snapshot = LoadSnapshot(*io::LocalFileSystem(), path, version);
  EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  if (!snapshot.ok()) return {};
  std::vector<columnar::RecordBatchPtr> batches;
  Status read = ScanTable(io::LocalFileSystem(), path, **snapshot, ScanOptions{}, [&](columnar::RecordBatchPtr b) {
    batches.push_back(std::move(b));
    return Status::OK();
  });
  EXPECT_TRUE(read.ok()) << read.ToString();
  return testing::RowLines(batches);
}

// The number of rows Spark read from the fixture (<name>.expected.json).
size_t SparkRowCount(const std::string& name) {
  std::string path = std::string(TRIBUTARY_SOURCE_DIR) + "/tests/data/delta/spark/" + name + ".expected.json";
  auto text = io::LocalFileSystem()->ReadFile(path);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  auto parsed = ParseJson(text.ok() ? *text : "{}");
  EXPECT_TRUE(parsed.ok());
  const JsonValue* rows = parsed.ok() ? parsed->Find("rows") : nullptr;
  return rows != nullptr ? rows->array().size() : 0;
}

class DeletionVectorMaintenanceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    fs::copy(std::string(TRIBUTARY_SOURCE_DIR) + "/tests/data/delta/spark/" + GetParam(), path_,
             fs::copy_options::recursive);
  }
  int64_t NowMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  testing::TempDir dir_;
  std::string path_ = dir_.Join("table");
};

TEST_P(DeletionVectorMaintenanceTest, OptimizeAppliesDeletionVectorsAndVacuumKeepsWhatVersionsNeed) {
  std::vector<std::string> before = Rows(path_);
  ASSERT_EQ(before.size(), SparkRowCount(GetParam()));
  ASSERT_OK_AND_ASSIGN(auto table, Table::Open(io::LocalFileSystem(), path_));
  int64_t dv_files = 0;
  for (const AddFile& file : table->snapshot().files()) dv_files += file.deletion_vector.has_value() ? 1 : 0;
  ASSERT_GT(dv_files, 0);
  int64_t last_spark_version = table->snapshot().version();

  // Time is the fixture's: its files a month old, VACUUM run a day after its last
  // commit, so that its tombstones are within the week of retention.
  int64_t written_ms = 0;
  for (const RemoveFile& tombstone : table->snapshot().tombstones()) {
    written_ms = std::max(written_ms, tombstone.deletion_timestamp.value_or(0));
  }
  ASSERT_GT(written_ms, 0);
  for (const auto& entry : fs::recursive_directory_iterator(path_)) {
    if (entry.is_regular_file() && entry.path().string().find("_delta_log") == std::string::npos) {
      struct timeval times[2];
      times[0].tv_sec = times[1].tv_sec = (written_ms - 30 * kDayMs) / 1000;
      times[0].tv_usec = times[1].tv_usec = 0;
      ASSERT_EQ(::utimes(entry.path().c_str(), times), 0);
    }
  }
  VacuumOptions day_after;
  day_after.now_ms = written_ms + kDayMs;
  ASSERT_OK_AND_ASSIGN(VacuumResult nothing, Vacuum(*table, day_after));
  EXPECT_THAT(nothing.paths, ::testing::IsEmpty());
  for (int64_t v = 0; v <= last_spark_version; ++v) Rows(path_, v);  // every version reads
  EXPECT_EQ(Rows(path_), before);

  ASSERT_OK_AND_ASSIGN(OptimizeResult optimized, Optimize(*table, OptimizeOptions{}));
  ASSERT_TRUE(optimized.version.has_value());
  EXPECT_EQ(Rows(path_), before);
  for (const AddFile& file : table->snapshot().files()) EXPECT_FALSE(file.deletion_vector.has_value());
  auto actions = ReadCommit(table->fs(), path_, *optimized.version);
  ASSERT_TRUE(actions.ok());
  int64_t removes_with_dv = 0;
  for (const Action& action : *actions) {
    if (const auto* remove = std::get_if<RemoveFile>(&action)) {
      EXPECT_FALSE(remove->data_change);
      if (remove->deletion_vector) ++removes_with_dv;
    }
    if (const auto* info = std::get_if<CommitInfo>(&action)) {
      EXPECT_THAT(info->json, ::testing::HasSubstr("\"numDeletionVectorsRemoved\":\"" + std::to_string(dv_files)));
    }
  }
  EXPECT_EQ(removes_with_dv, dv_files);

  // Once the tombstones expire, the old data and deletion vector files go; the latest
  // version still reads.
  VacuumOptions later;
  later.now_ms = NowMs() + 8 * kDayMs;
  ASSERT_OK_AND_ASSIGN(VacuumResult vacuumed, Vacuum(*table, later));
  EXPECT_GT(vacuumed.num_deleted, 0);
  int64_t bins_left = 0;
  for (const auto& entry : fs::recursive_directory_iterator(path_)) {
    if (entry.path().filename().string().starts_with("deletion_vector_")) ++bins_left;
  }
  EXPECT_EQ(bins_left, 0);
  EXPECT_EQ(Rows(path_), before);
}

// RESTORE to every version of Spark's table in turn, ending at the latest: the rows are the
// version's each time, deletion vectors included (a file whose vector a DELETE changed
// comes back with the vector it had).
TEST_P(DeletionVectorMaintenanceTest, RestoreBringsBackEachVersionWithItsDeletionVectors) {
  ASSERT_OK_AND_ASSIGN(auto table, Table::Open(io::LocalFileSystem(), path_));
  int64_t last_spark_version = table->snapshot().version();
  std::vector<std::vector<std::string>> rows_at;
  for (int64_t v = 0; v <= last_spark_version; ++v) rows_at.push_back(Rows(path_, v));
  ASSERT_NE(rows_at.front(), rows_at.back());  // the DELETEs changed what reads

  for (int64_t v = 0; v <= last_spark_version; ++v) {
    ASSERT_OK_AND_ASSIGN(RestoreMetrics restored, RestoreTable(*table, TimeTravelSpec{v, {}}));
    EXPECT_EQ(Rows(path_), rows_at[v]) << "restored to version " << v;
    EXPECT_EQ(restored.restored_version, v);
  }
  // The last round restored the latest version: its files carry their vectors again.
  int64_t with_dv = 0;
  for (const AddFile& file : table->snapshot().files()) with_dv += file.deletion_vector.has_value() ? 1 : 0;
  EXPECT_GT(with_dv, 0);
}

// A deletion vector file the target version needs is gone: RESTORE names it and
// commits nothing.
TEST_P(DeletionVectorMaintenanceTest, RestoreNamesAVacuumedDeletionVectorFile) {
  ASSERT_OK_AND_ASSIGN(auto table, Table::Open(io::LocalFileSystem(), path_));
  int64_t last_spark_version = table->snapshot().version();
  // Back to before the deletes, then remove every DV file: the latest version needs them.
  ASSERT_OK(RestoreTable(*table, TimeTravelSpec{0, {}}).status());
  int64_t removed = 0;
  for (const auto& entry : fs::recursive_directory_iterator(path_)) {
    if (entry.path().filename().string().starts_with("deletion_vector_")) {
      fs::remove(entry.path());
      ++removed;
    }
  }
  ASSERT_GT(removed, 0) << "the fixture has no deletion vector file";
  int64_t version = table->snapshot().version();
  auto result = RestoreTable(*table, TimeTravelSpec{last_spark_version, {}});
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().ToString(), ::testing::HasSubstr("deletion vector file"));
  EXPECT_THAT(result.status().ToString(), ::testing::HasSubstr("deletion_vector_"));
  ASSERT_OK(table->Refresh());
  EXPECT_EQ(table->snapshot().version(), version);
}

INSTANTIATE_TEST_SUITE_P(SparkTables, DeletionVectorMaintenanceTest,
                         ::testing::Values("deletion_vectors", "deletion_vectors_prefixed"));

}  // namespace
}  // namespace tributary::delta
