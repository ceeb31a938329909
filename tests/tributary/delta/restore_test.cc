#include "tributary/delta/restore.h"

#include <gmock/gmock.h>

#include <chrono>
#include <filesystem>
#include <set>

#include "delta_testing.h"
#include "tributary/base/json.h"
#include "tributary/delta/history.h"
#include "tributary/delta/scan.h"
#include "tributary/delta/table.h"
#include "tributary/delta/transaction.h"

namespace tributary::delta {
namespace {

using ::testing::HasSubstr;

class RestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    columnar::Schema schema({columnar::Field{"id", columnar::DataType::Long()},
                             columnar::Field{"name", columnar::DataType::String()}});
    ASSERT_OK_AND_ASSIGN(table_, Table::Create(io::LocalFileSystem(), path_, schema, {}, {}));
    Append(1, 3);  // version 1
    Append(4, 2);  // version 2
  }

  void Append(int64_t first, int64_t count) {
    ASSERT_OK_AND_ASSIGN(auto append, table_->NewAppend(AppendOptions{}));
    ASSERT_OK(append->Write(*testing::IdNameBatch(first, count)));
    ASSERT_OK(append->Commit(std::nullopt).status());
  }

  /// Version 3: removes every file (a DELETE of all rows).
  void DeleteAll() {
    ASSERT_OK_AND_ASSIGN(auto transaction, Transaction::Begin(*table_));
    for (const AddFile& file : table_->snapshot().files()) transaction->Remove(file);
    CommitOperation operation;
    operation.name = "DELETE";
    transaction->SetOperation(operation);
    ASSERT_OK(transaction->Commit().status());
  }

  std::multiset<int64_t> Ids(const Snapshot& snapshot) {
    std::multiset<int64_t> ids;
    Status status = ScanTable(table_->fs_ptr(), path_, snapshot, ScanOptions{}, [&](columnar::RecordBatchPtr batch) {
      for (int64_t row = 0; row < batch->num_rows(); ++row) ids.insert(batch->column(0)->Value<int64_t>(row));
      return Status::OK();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return ids;
  }

  JsonValue LatestCommitInfo() {
    auto history = ReadHistory(*io::LocalFileSystem(), path_, 1);
    EXPECT_TRUE(history.ok());
    auto info = ParseJson(history->front().info.json);
    EXPECT_TRUE(info.ok());
    return *info;
  }

  testing::TempDir dir_;
  std::string path_ = dir_.Join("table");
  std::unique_ptr<Table> table_;
};

TEST_F(RestoreTest, RestoresTheFilesOfAnEarlierVersionInOneCommit) {
  DeleteAll();
  ASSERT_OK_AND_ASSIGN(auto at_two, LoadSnapshot(*io::LocalFileSystem(), path_, 2));
  ASSERT_OK_AND_ASSIGN(RestoreMetrics metrics, RestoreTable(*table_, TimeTravelSpec{2, std::nullopt}));
  EXPECT_EQ(metrics.version, 4);
  EXPECT_EQ(metrics.restored_version, 2);
  EXPECT_EQ(metrics.num_restored_files, 2);
  EXPECT_EQ(metrics.num_removed_files, 0);
  EXPECT_EQ(metrics.num_of_files_after_restore, 2);
  int64_t size = 0;
  for (const AddFile& file : at_two->files()) size += file.size;
  EXPECT_EQ(metrics.table_size_after_restore, size);
  EXPECT_EQ(metrics.restored_files_size, size);
  EXPECT_EQ(table_->snapshot().version(), 4);
  EXPECT_EQ(Ids(table_->snapshot()), (std::multiset<int64_t>{1, 2, 3, 4, 5}));

  ASSERT_OK_AND_ASSIGN(auto actions, ReadCommit(*io::LocalFileSystem(), path_, 4));
  int adds = 0;
  for (const Action& action : actions) {
    if (const auto* add = std::get_if<AddFile>(&action)) {
      EXPECT_TRUE(add->data_change);
      ++adds;
    }
  }
  EXPECT_EQ(adds, 2);
  JsonValue info = LatestCommitInfo();
  EXPECT_EQ(info.Find("operation")->string_value(), "RESTORE");
  EXPECT_EQ(info.Find("operationParameters")->Serialize(), R"({"version":2,"timestamp":null})");
  const JsonValue* metrics_json = info.Find("operationMetrics");
  ASSERT_NE(metrics_json, nullptr);
  for (const char* name : {"numRestoredFiles", "removedFilesSize", "numRemovedFiles", "restoredFilesSize",
                           "numOfFilesAfterRestore", "tableSizeAfterRestore"}) {
    EXPECT_NE(metrics_json->Find(name), nullptr) << name;
  }
  EXPECT_EQ(metrics_json->Find("numRestoredFiles")->string_value(), "2");
}

TEST_F(RestoreTest, RemovesFilesAddedAfterTheTarget) {
  ASSERT_OK_AND_ASSIGN(RestoreMetrics metrics, RestoreTable(*table_, TimeTravelSpec{1, std::nullopt}));
  EXPECT_EQ(metrics.num_removed_files, 1);
  EXPECT_EQ(metrics.num_restored_files, 0);
  EXPECT_EQ(Ids(table_->snapshot()), (std::multiset<int64_t>{1, 2, 3}));
  ASSERT_OK_AND_ASSIGN(RestoreMetrics to_empty, RestoreTable(*table_, TimeTravelSpec{0, std::nullopt}));
  EXPECT_EQ(to_empty.num_of_files_after_restore, 0);
  EXPECT_TRUE(Ids(table_->snapshot()).empty());
}

TEST_F(RestoreTest, RestoresTheMetadataButNeverDowngradesTheProtocol) {
  {
    ASSERT_OK_AND_ASSIGN(auto transaction, Transaction::Begin(*table_));
    Metadata metadata = table_->snapshot().metadata();
    metadata.configuration["delta.logRetentionDuration"] = "interval 60 days";
    transaction->SetMetadata(metadata);
    Protocol protocol;
    protocol.min_writer_version = 4;
    transaction->SetProtocol(protocol);
    ASSERT_OK(transaction->Commit().status());  // version 3
  }
  ASSERT_OK(RestoreTable(*table_, TimeTravelSpec{2, std::nullopt}).status());
  EXPECT_EQ(table_->snapshot().configuration().count("delta.logRetentionDuration"), 0u);
  EXPECT_EQ(table_->snapshot().protocol().min_writer_version, 4);
  EXPECT_EQ(table_->snapshot().table_id(), table_->snapshot().metadata().id);
}

TEST_F(RestoreTest, AFileRemovedByVacuumIsNamed) {
  DeleteAll();
  ASSERT_OK_AND_ASSIGN(auto at_one, LoadSnapshot(*io::LocalFileSystem(), path_, 1));
  ASSERT_OK_AND_ASSIGN(std::string gone, DataFilePath(path_, at_one->files().front().path));
  std::filesystem::remove(gone);
  Result<RestoreMetrics> restored = RestoreTable(*table_, TimeTravelSpec{1, std::nullopt});
  ASSERT_FALSE(restored.ok());
  EXPECT_THAT(restored.status().message(), HasSubstr(gone));
  EXPECT_THAT(restored.status().message(), HasSubstr("version 1"));
  EXPECT_EQ(table_->snapshot().version(), 3);  // nothing committed
}

TEST_F(RestoreTest, RestoresByTimestampAndWordsErrorsAsDelta) {
  auto set_time = [&](int64_t version, std::chrono::system_clock::time_point when) {
    auto file_time = std::filesystem::file_time_type::clock::now() +
                     std::chrono::duration_cast<std::filesystem::file_time_type::duration>(
                         when - std::chrono::system_clock::now());
    std::filesystem::last_write_time(std::filesystem::path(path_) / CommitFileName(version), file_time);
  };
  auto base = std::chrono::system_clock::time_point(std::chrono::seconds(1795824000));  // 2026-11-28T00:00:00Z
  set_time(0, base);
  set_time(1, base + std::chrono::hours(1));
  set_time(2, base + std::chrono::hours(2));
  ASSERT_OK_AND_ASSIGN(RestoreMetrics metrics,
                       RestoreTable(*table_, TimeTravelSpec{std::nullopt, "2026-11-28 01:30:00"}));
  EXPECT_EQ(metrics.restored_version, 1);
  EXPECT_EQ(Ids(table_->snapshot()), (std::multiset<int64_t>{1, 2, 3}));
  EXPECT_EQ(LatestCommitInfo().Find("operationParameters")->Serialize(),
            R"({"version":null,"timestamp":"2026-11-28 01:30:00"})");

  Result<RestoreMetrics> future = RestoreTable(*table_, TimeTravelSpec{std::nullopt, "2999-01-01"});
  ASSERT_FALSE(future.ok());
  EXPECT_THAT(future.status().message(), HasSubstr("[DELTA_CANNOT_RESTORE_TIMESTAMP_GREATER] Cannot restore table "
                                                   "to timestamp (2999-01-01 00:00:00.0)"));
  Result<RestoreMetrics> past = RestoreTable(*table_, TimeTravelSpec{std::nullopt, "2026-11-27"});
  ASSERT_FALSE(past.ok());
  EXPECT_THAT(past.status().message(), HasSubstr("[DELTA_CANNOT_RESTORE_TIMESTAMP_EARLIER] Cannot restore table to "
                                                 "timestamp (2026-11-27 00:00:00.0) as it is before the earliest "
                                                 "version available. Please use a timestamp after (2026-11-28 "
                                                 "00:00:00.0)"));
  Result<RestoreMetrics> missing = RestoreTable(*table_, TimeTravelSpec{9, std::nullopt});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("Cannot restore table to version 9. Available versions: [0, 3]."));
}

TEST_F(RestoreTest, AnAppendOnlyTableCannotLoseFiles) {
  ASSERT_OK_AND_ASSIGN(auto transaction, Transaction::Begin(*table_));
  Metadata metadata = table_->snapshot().metadata();
  metadata.configuration["delta.appendOnly"] = "true";
  transaction->SetMetadata(metadata);
  ASSERT_OK(transaction->Commit().status());
  Result<RestoreMetrics> restored = RestoreTable(*table_, TimeTravelSpec{1, std::nullopt});
  ASSERT_FALSE(restored.ok());
  EXPECT_THAT(restored.status().message(), HasSubstr("DELTA_CANNOT_MODIFY_APPEND_ONLY"));
}

TEST(MergeProtocolsTest, KeepsTheHigherVersionsAndEveryFeature) {
  Protocol legacy;  // (1,2): appendOnly, invariants
  Protocol features;
  features.min_reader_version = 3;
  features.min_writer_version = 7;
  features.reader_features = std::vector<std::string>{"deletionVectors"};
  features.writer_features = std::vector<std::string>{"deletionVectors"};
  Protocol merged = MergeProtocols(legacy, features);
  EXPECT_EQ(merged.min_reader_version, 3);
  EXPECT_EQ(merged.min_writer_version, 7);
  EXPECT_EQ(merged.reader_features, (std::vector<std::string>{"deletionVectors"}));
  EXPECT_EQ(merged.writer_features, (std::vector<std::string>{"appendOnly", "deletionVectors", "invariants"}));
  EXPECT_EQ(MergeProtocols(legacy, legacy), legacy);
}

}  // namespace
}  // namespace tributary::delta
