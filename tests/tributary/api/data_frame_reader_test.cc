// Batch reads of Delta tables through session.read(), with versionAsOf and
// timestampAsOf, and DeltaTable's history() and detail().

#include "tributary/api/data_frame_reader.h"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/api/delta_table.h"
#include "tributary/base/status_testing.h"
#include "tributary/columnar/column_builder.h"
#include "tributary/delta/table.h"
#include "tributary/io/file_system.h"

namespace tributary {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class DataFrameReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("tributary_api_read_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    session_ = *Session::builder().baseDirectory(root_.string()).getOrCreate();
    // Version 0 creates the table; 1 adds ids 1..3; 2 adds ids 4..5.
    ASSERT_OK_AND_ASSIGN(DeltaTable table, DeltaTable::createIfNotExists(session_, "c.s.t", "id BIGINT"));
    path_ = table.path();
    Append(1, 3);
    Append(4, 2);
  }
  void TearDown() override { fs::remove_all(root_); }

  void Append(int64_t first, int64_t count) {
    ASSERT_OK_AND_ASSIGN(auto table, delta::Table::Open(io::LocalFileSystem(), path_));
    columnar::ColumnBuilder ids(columnar::DataType::Long());
    for (int64_t id = first; id < first + count; ++id) ids.AppendInt(id);
    auto schema = std::make_shared<columnar::Schema>(table->snapshot().schema());
    auto batch = std::make_shared<columnar::RecordBatch>(schema, count, std::vector<columnar::ColumnPtr>{ids.Finish()});
    ASSERT_OK_AND_ASSIGN(auto append, table->NewAppend(delta::AppendOptions{}));
    ASSERT_OK(append->Write(*batch));
    ASSERT_OK(append->Commit(std::nullopt).status());
  }

  Result<int64_t> Count(const DataFrame& frame) { return frame.count(); }

  fs::path root_;
  Session session_;
  std::string path_;
};

TEST_F(DataFrameReaderTest, ReadsTheVersionNamedByVersionAsOf) {
  ASSERT_OK_AND_ASSIGN(int64_t latest, Count(session_.read().format("delta").table("c.s.t")));
  EXPECT_EQ(latest, 5);
  ASSERT_OK_AND_ASSIGN(int64_t at_one, Count(session_.read().format("delta").option("versionAsOf", 1).table("c.s.t")));
  EXPECT_EQ(at_one, 3);
  ASSERT_OK_AND_ASSIGN(int64_t at_zero, Count(session_.read().format("delta").option("versionAsOf", 0).load(path_)));
  EXPECT_EQ(at_zero, 0);
}

TEST_F(DataFrameReaderTest, ReadsTheVersionCurrentAtTimestampAsOf) {
  DeltaTable table = DeltaTable::forName(session_, "c.s.t");
  ASSERT_OK_AND_ASSIGN(auto history, table.history());
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].version, 2);
  EXPECT_EQ(history[2].version, 0);
  EXPECT_THAT(history[2].info.json, HasSubstr("\"operation\":\"CREATE TABLE\""));
  // The commit timestamp of version 1, as Spark timestamp text in UTC.
  std::string text = delta::FormatJavaTimestamp(history[1].timestamp_ms * 1000);
  ASSERT_OK_AND_ASSIGN(int64_t rows,
                       Count(session_.read().format("delta").option("timestampAsOf", text).load(path_)));
  EXPECT_EQ(rows, 3);  // commit timestamps are strictly increasing (made monotonic)
  ASSERT_OK_AND_ASSIGN(auto newest, table.history(1));
  ASSERT_EQ(newest.size(), 1u);
  EXPECT_EQ(newest[0].version, 2);
}

TEST_F(DataFrameReaderTest, BadReadsCarryAnError) {
  auto error_of = [](const DataFrame& frame) { return frame.count().status(); };
  EXPECT_THAT(error_of(session_.read().format("delta").option("versionAsOf", 9).table("c.s.t")).message(),
              HasSubstr("Cannot time travel Delta table to version 9. Available versions: [0, 2]."));
  EXPECT_THAT(error_of(session_.read().format("delta").option("timestampAsOf", "2000-01-01").load(path_)).message(),
              HasSubstr("DELTA_TIMESTAMP_EARLIER_THAN_COMMIT_RETENTION"));
  EXPECT_THAT(error_of(session_.read().format("delta").option("versionAsOf", "x").load(path_)).message(),
              HasSubstr("option versionAsOf 'x'"));
  EXPECT_THAT(error_of(session_.read().format("delta").option("versionAsOf", 1).option("timestampAsOf", "2026-01-01")
                           .load(path_))
                  .message(),
              HasSubstr("Cannot specify both version and timestamp"));
  EXPECT_THAT(error_of(session_.read().format("delta").option("mergeSchema", true).load(path_)).message(),
              HasSubstr("unknown option 'mergeschema'"));
  EXPECT_TRUE(error_of(session_.read().format("parquet").load(path_)).IsNotImplemented());
  EXPECT_THAT(error_of(session_.read().format("delta").table("c.s.missing")).message(),
              HasSubstr("DELTA_MISSING_DELTA_TABLE"));
}

TEST_F(DataFrameReaderTest, DetailDescribesTheLatestVersion) {
  ASSERT_OK_AND_ASSIGN(delta::TableDetail detail, DeltaTable::forName(session_, "c.s.t").detail());
  EXPECT_EQ(detail.name, std::optional<std::string>("c.s.t"));
  EXPECT_EQ(detail.location, path_);
  EXPECT_EQ(detail.version, 2);
  EXPECT_EQ(detail.num_files, 2);
  EXPECT_GT(detail.size_in_bytes, 0);
  EXPECT_EQ(detail.schema.fields().size(), 1u);
  ASSERT_OK_AND_ASSIGN(delta::TableDetail by_path, DeltaTable::forPath(session_, path_).detail());
  EXPECT_FALSE(by_path.name.has_value());
  EXPECT_EQ(by_path.id, detail.id);
}

TEST_F(DataFrameReaderTest, RestoreToVersionAndToTimestamp) {
  DeltaTable table = DeltaTable::forName(session_, "c.s.t");
  ASSERT_OK_AND_ASSIGN(delta::RestoreMetrics metrics, table.restoreToVersion(1));
  EXPECT_EQ(metrics.version, 3);
  EXPECT_EQ(metrics.num_removed_files, 1);
  ASSERT_OK_AND_ASSIGN(int64_t rows, Count(session_.read().format("delta").table("c.s.t")));
  EXPECT_EQ(rows, 3);
  ASSERT_OK_AND_ASSIGN(auto history, table.history(1));
  EXPECT_THAT(history[0].info.json, HasSubstr("\"operation\":\"RESTORE\""));
  Result<delta::RestoreMetrics> future = table.restoreToTimestamp("2999-01-01");
  ASSERT_FALSE(future.ok());
  EXPECT_THAT(future.status().message(), HasSubstr("DELTA_CANNOT_RESTORE_TIMESTAMP_GREATER"));
}

}  // namespace
}  // namespace tributary
