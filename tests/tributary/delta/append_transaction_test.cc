#include "tributary/delta/append_transaction.h"

#include <gmock/gmock.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "delta_testing.h"
#include "tributary/base/json.h"
#include "tributary/delta/checkpoint.h"
#include "tributary/delta/history.h"
#include "tributary/delta/table.h"
#include "tributary/delta/transaction.h"

namespace tributary::delta {
namespace {

using ::testing::HasSubstr;
using columnar::DataType;
using columnar::Field;

columnar::Schema IdName() {
  return columnar::Schema({Field{"id", DataType::Long()}, Field{"name", DataType::String()}});
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class AppendTest : public ::testing::Test {
 protected:
  std::unique_ptr<Table> CreateTable(std::vector<std::string> partition_by = {},
                                     std::map<std::string, std::string> configuration = {}) {
    auto table = Table::Create(io::LocalFileSystem(), path_, IdName(), std::move(partition_by),
                               std::move(configuration));
    EXPECT_TRUE(table.ok()) << table.status().ToString();
    return table.ok() ? std::move(table).value() : nullptr;
  }

  Result<int64_t> Append(Table& table, const columnar::RecordBatch& batch, std::optional<Txn> txn,
                         AppendOptions options = {}) {
    TRIB_ASSIGN_OR_RETURN(auto append, table.NewAppend(std::move(options)));
    TRIB_RETURN_NOT_OK(append->Write(batch));
    return append->Commit(std::move(txn));
  }

  testing::TempDir dir_;
  std::string path_ = dir_.Join("table");
};

TEST_F(AppendTest, CommitsFilesWithStatsAndCommitInfo) {
  auto table = CreateTable();
  ASSERT_OK_AND_ASSIGN(auto append, table->NewAppend(AppendOptions{}));
  ASSERT_OK(append->Write(*testing::IdNameBatch(1, 10)));
  ASSERT_OK(append->Write(*testing::IdNameBatch(11, 5)));
  EXPECT_EQ(append->num_output_rows(), 15);
  EXPECT_EQ(append->num_files(), 1);
  ASSERT_OK_AND_ASSIGN(int64_t version, append->Commit(Txn{"query-a", 0}));
  EXPECT_EQ(version, 1);

  const Snapshot& snapshot = table->snapshot();  // advanced by the commit
  EXPECT_EQ(snapshot.version(), 1);
  EXPECT_EQ(snapshot.num_records(), 15);
  EXPECT_EQ(snapshot.TxnVersion("query-a"), 0);
  ASSERT_EQ(snapshot.files().size(), 1u);
  const AddFile& add = snapshot.files()[0];
  EXPECT_THAT(add.path, ::testing::MatchesRegex("part-00000-[0-9a-f-]{36}\\.c000\\.snappy\\.parquet"));
  EXPECT_EQ(add.size, static_cast<int64_t>(std::filesystem::file_size(path_ + "/" + add.path)));
  EXPECT_EQ(add.stats,
            R"({"numRecords":15,"minValues":{"id":1,"name":"n1"},"maxValues":{"id":15,"name":"n9"},)"
            R"("nullCount":{"id":0,"name":2}})");

  std::string commit = ReadText(path_ + "/_delta_log/00000000000000000001.json");
  ASSERT_OK_AND_ASSIGN(auto actions, ParseCommit(commit, "1.json"));
  ASSERT_TRUE(std::holds_alternative<CommitInfo>(actions[0]));
  ASSERT_OK_AND_ASSIGN(JsonValue info, ParseJson(std::get<CommitInfo>(actions[0]).json));
  EXPECT_EQ(info.GetString("operation").ValueOr(""), "STREAMING UPDATE");
  EXPECT_EQ(info.GetBool("isBlindAppend").ValueOr(false), true);
  EXPECT_EQ(info.GetString("engineInfo").ValueOr(""), "Tributary/0.1.0");
  const JsonValue* parameters = info.Find("operationParameters");
  ASSERT_NE(parameters, nullptr);
  EXPECT_EQ(parameters->GetString("outputMode").ValueOr(""), "Append");
  EXPECT_EQ(parameters->GetString("queryId").ValueOr(""), "query-a");
  EXPECT_EQ(parameters->GetString("epochId").ValueOr(""), "0");
  const JsonValue* metrics = info.Find("operationMetrics");
  ASSERT_NE(metrics, nullptr);
  EXPECT_EQ(metrics->GetString("numFiles").ValueOr(""), "1");
  EXPECT_EQ(metrics->GetString("numOutputRows").ValueOr(""), "15");
  EXPECT_EQ(metrics->GetString("numOutputBytes").ValueOr(""), std::to_string(add.size));
  EXPECT_TRUE(std::holds_alternative<SetTransaction>(actions[1]));

  // Without a txn the operation is a plain WRITE.
  ASSERT_OK(Append(*table, *testing::IdNameBatch(100, 1), std::nullopt));
  ASSERT_OK_AND_ASSIGN(auto second, ParseCommit(ReadText(path_ + "/_delta_log/00000000000000000002.json"), "2"));
  EXPECT_THAT(std::get<CommitInfo>(second[0]).json, HasSubstr(R"("operation":"WRITE")"));
}

TEST_F(AppendTest, PartitionedWritesHiveDirectoriesAndNullPartitions) {
  auto table = CreateTable({"name"});
  columnar::Schema schema = IdName();
  auto builders = testing::Builders(schema);
  const char* names[] = {"a%b", nullptr, "a%b", "x y", ""};
  for (int i = 0; i < 5; ++i) {
    builders[0].AppendInt(i);
    if (names[i]) {
      builders[1].AppendString(names[i]);
    } else {
      builders[1].AppendNull();
    }
  }
  ASSERT_OK(Append(*table, *testing::MakeBatch(schema, builders), std::nullopt));
  std::map<std::string, const AddFile*> by_dir;
  for (const AddFile& add : table->snapshot().files()) by_dir[add.path.substr(0, add.path.find('/'))] = &add;
  ASSERT_EQ(by_dir.size(), 3u) << "null and empty string share the default partition";
  ASSERT_TRUE(by_dir.count("name=a%2525b"));
  ASSERT_TRUE(by_dir.count("name=x%20y"));
  ASSERT_TRUE(by_dir.count("name=__HIVE_DEFAULT_PARTITION__"));
  EXPECT_EQ(by_dir["name=a%2525b"]->partition_values.at("name"), "a%b");
  EXPECT_EQ(by_dir["name=__HIVE_DEFAULT_PARTITION__"]->partition_values.at("name"), std::nullopt);
  EXPECT_THAT(by_dir["name=a%2525b"]->stats, HasSubstr(R"("numRecords":2,)"));
  // Stats cover only the data columns.
  EXPECT_THAT(by_dir["name=a%2525b"]->stats, ::testing::Not(HasSubstr("name")));
  // On disk the directory carries the Hive escape once.
  EXPECT_TRUE(std::filesystem::is_directory(path_ + "/name=a%25b"));
  EXPECT_TRUE(std::filesystem::is_directory(path_ + "/name=x y"));
  EXPECT_TRUE(std::filesystem::is_directory(path_ + "/name=__HIVE_DEFAULT_PARTITION__"));
}

TEST_F(AppendTest, PartitionByMustMatchTheTable) {
  auto table = CreateTable({"name"});
  AppendOptions options;
  options.partition_by = {"id"};
  auto append = table->NewAppend(options);
  ASSERT_FALSE(append.ok());
  EXPECT_TRUE(append.status().IsInvalid());
  EXPECT_THAT(append.status().message(), HasSubstr(R"(["id"])"));
  EXPECT_THAT(append.status().message(), HasSubstr(R"(["name"])"));
}

TEST_F(AppendTest, RollsFilesAtTargetSize) {
  auto table = CreateTable();
  AppendOptions options;
  options.target_file_size = 1;  // every batch closes its file
  ASSERT_OK_AND_ASSIGN(auto append, table->NewAppend(options));
  for (int i = 0; i < 3; ++i) ASSERT_OK(append->Write(*testing::IdNameBatch(i * 10, 10)));
  ASSERT_OK(append->Commit(std::nullopt));
  EXPECT_EQ(table->snapshot().files().size(), 3u);
  EXPECT_EQ(table->snapshot().num_records(), 30);
}

TEST_F(AppendTest, TxnAlreadyCommittedIsSkipped) {
  auto table = CreateTable();
  ASSERT_OK(Append(*table, *testing::IdNameBatch(0, 3), Txn{"q", 5}));
  for (int64_t replay : {5, 4}) {
    auto again = Append(*table, *testing::IdNameBatch(0, 3), Txn{"q", replay});
    ASSERT_FALSE(again.ok());
    EXPECT_TRUE(again.status().IsAlreadyExists());
    EXPECT_THAT(again.status().message(), HasSubstr("committed before"));
  }
  EXPECT_EQ(table->snapshot().version(), 1);
  ASSERT_OK_AND_ASSIGN(int64_t version, Append(*table, *testing::IdNameBatch(3, 3), Txn{"q", 6}));
  EXPECT_EQ(version, 2);
  ASSERT_OK(Append(*table, *testing::IdNameBatch(6, 3), Txn{"other", 0}));
  EXPECT_EQ(table->snapshot().num_records(), 9);
}

TEST_F(AppendTest, ConcurrentAppendsRaceAndAllLand) {
  CreateTable();
  constexpr int kCommitsPerWriter = 15;
  std::vector<Status> errors(2);
  auto writer = [&](int id) {
    auto table = Table::Open(io::LocalFileSystem(), path_);
    if (!table.ok()) {
      errors[id] = table.status();
      return;
    }
    for (int i = 0; i < kCommitsPerWriter; ++i) {
      // Both writers start from a stale snapshot on purpose: no Refresh between commits.
      auto version = Append(**table, *testing::IdNameBatch(id * 1000 + i * 10, 10),
                            Txn{"writer-" + std::to_string(id), i});
      if (!version.ok()) {
        errors[id] = version.status();
        return;
      }
    }
  };
  std::thread first(writer, 0);
  std::thread second(writer, 1);
  first.join();
  second.join();
  ASSERT_OK(errors[0]);
  ASSERT_OK(errors[1]);
  ASSERT_OK_AND_ASSIGN(auto table, Table::Open(io::LocalFileSystem(), path_));
  EXPECT_EQ(table->snapshot().version(), 2 * kCommitsPerWriter);
  EXPECT_EQ(table->snapshot().files().size(), 2u * kCommitsPerWriter);
  EXPECT_EQ(table->snapshot().num_records(), 2 * kCommitsPerWriter * 10);
  EXPECT_EQ(table->snapshot().TxnVersion("writer-0"), kCommitsPerWriter - 1);
  EXPECT_EQ(table->snapshot().TxnVersion("writer-1"), kCommitsPerWriter - 1);
}

TEST_F(AppendTest, SameBatchFromTwoWritersCommitsOnce) {
  CreateTable();
  ASSERT_OK_AND_ASSIGN(auto first, Table::Open(io::LocalFileSystem(), path_));
  ASSERT_OK_AND_ASSIGN(auto second, Table::Open(io::LocalFileSystem(), path_));
  // Both read version 0 and write batch 0 of the same query; only one may land.
  ASSERT_OK_AND_ASSIGN(auto a, first->NewAppend(AppendOptions{}));
  ASSERT_OK_AND_ASSIGN(auto b, second->NewAppend(AppendOptions{}));
  ASSERT_OK(a->Write(*testing::IdNameBatch(0, 4)));
  ASSERT_OK(b->Write(*testing::IdNameBatch(0, 4)));
  ASSERT_OK(a->Commit(Txn{"q", 0}));
  auto lost = b->Commit(Txn{"q", 0});
  ASSERT_FALSE(lost.ok());
  EXPECT_TRUE(lost.status().IsAlreadyExists());
  EXPECT_THAT(lost.status().message(), HasSubstr("already recorded batch 0"));
  ASSERT_OK(second->Refresh());
  EXPECT_EQ(second->snapshot().version(), 1);
  EXPECT_EQ(second->snapshot().num_records(), 4);
}

columnar::RecordBatchPtr WithExtraColumn(int64_t start, int64_t count) {
  columnar::Schema schema({Field{"id", DataType::Long()}, Field{"name", DataType::String()},
                           Field{"extra", DataType::Double()}});
  auto builders = testing::Builders(schema);
  for (int64_t i = start; i < start + count; ++i) {
    builders[0].AppendInt(i);
    builders[1].AppendString("e");
    builders[2].AppendDouble(0.5 * static_cast<double>(i));
  }
  return testing::MakeBatch(schema, builders);
}

TEST_F(AppendTest, NewColumnsNeedMergeSchema) {
  auto table = CreateTable();
  auto refused = Append(*table, *WithExtraColumn(0, 2), std::nullopt);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().IsInvalid());
  EXPECT_THAT(refused.status().message(), HasSubstr("'extra'"));
  EXPECT_THAT(refused.status().message(), HasSubstr("mergeSchema"));
  EXPECT_THAT(refused.status().message(), HasSubstr(path_));

  AppendOptions merge;
  merge.merge_schema = true;
  ASSERT_OK_AND_ASSIGN(int64_t version, Append(*table, *WithExtraColumn(0, 2), std::nullopt, merge));
  EXPECT_EQ(version, 1);
  const columnar::Schema& schema = table->snapshot().schema();
  ASSERT_EQ(schema.num_fields(), 3);
  EXPECT_EQ(schema.field(2).name, "extra");
  EXPECT_TRUE(schema.field(2).nullable);
  // Later writes without the column are fine (written as nulls).
  ASSERT_OK(Append(*table, *testing::IdNameBatch(10, 2), std::nullopt));
  const auto& files = table->snapshot().files();
  EXPECT_TRUE(std::any_of(files.begin(), files.end(), [](const AddFile& add) {
    return add.stats.find(R"("nullCount":{"id":0,"name":0,"extra":2})") != std::string::npos;
  }));
}

TEST_F(AppendTest, TypeChangesAreRejectedNamingBothTypes) {
  auto table = CreateTable();
  columnar::Schema schema({Field{"id", DataType::String()}});
  auto builders = testing::Builders(schema);
  builders[0].AppendString("1");
  AppendOptions merge;
  merge.merge_schema = true;
  auto refused = Append(*table, *testing::MakeBatch(schema, builders), std::nullopt, merge);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().IsInvalid());
  EXPECT_THAT(refused.status().message(), HasSubstr("'id'"));
  EXPECT_THAT(refused.status().message(), HasSubstr("long"));
  EXPECT_THAT(refused.status().message(), HasSubstr("string"));
}

TEST_F(AppendTest, ConcurrentSchemaChangeIsAConflict) {
  auto table = CreateTable();
  ASSERT_OK_AND_ASSIGN(auto other, Table::Open(io::LocalFileSystem(), path_));
  ASSERT_OK_AND_ASSIGN(auto stale, table->NewAppend(AppendOptions{}));
  ASSERT_OK(stale->Write(*testing::IdNameBatch(0, 2)));
  AppendOptions merge;
  merge.merge_schema = true;
  ASSERT_OK(Append(*other, *WithExtraColumn(0, 2), std::nullopt, merge));
  auto lost = stale->Commit(std::nullopt);
  ASSERT_FALSE(lost.ok());
  EXPECT_TRUE(lost.status().IsConflict());
  EXPECT_THAT(lost.status().message(), ::testing::StartsWith("MetadataChangedException"));
  EXPECT_THAT(lost.status().message(), HasSubstr("(version 1, operation WRITE)"));
  EXPECT_THAT(lost.status().message(), HasSubstr("read version 0 and must be redone"));
}

TEST_F(AppendTest, BlindAppendRetriesOverConcurrentAppendsAndDeletes) {
  auto table = CreateTable();
  ASSERT_OK(Append(*table, *testing::IdNameBatch(0, 5), std::nullopt));  // version 1
  ASSERT_OK_AND_ASSIGN(auto other, Table::Open(io::LocalFileSystem(), path_));
  ASSERT_OK_AND_ASSIGN(auto stale, table->NewAppend(AppendOptions{}));
  ASSERT_OK(stale->Write(*testing::IdNameBatch(100, 3)));
  ASSERT_OK(Append(*other, *testing::IdNameBatch(200, 4), Txn{"other", 0}));  // version 2
  ASSERT_OK_AND_ASSIGN(auto deleter, Transaction::Begin(*other));            // version 3
  deleter->Remove(other->snapshot().files().front());
  ASSERT_OK(deleter->Commit());
  // The append read nothing: neither the add nor the remove conflicts with it.
  ASSERT_OK_AND_ASSIGN(int64_t version, stale->Commit(Txn{"q", 0}));
  EXPECT_EQ(version, 4);
  EXPECT_EQ(table->snapshot().version(), 4);
  EXPECT_EQ(table->snapshot().files().size(), 2u);
  EXPECT_EQ(table->snapshot().TxnVersion("q"), 0);
  ASSERT_OK_AND_ASSIGN(auto reopened, Table::Open(io::LocalFileSystem(), path_));
  EXPECT_EQ(reopened->snapshot().num_records(), table->snapshot().num_records());
  ASSERT_OK_AND_ASSIGN(auto actions, ReadCommit(table->fs(), path_, 4));
  ASSERT_OK_AND_ASSIGN(JsonValue info, ParseJson(std::get<CommitInfo>(actions[0]).json));
  EXPECT_EQ(info.GetInt("readVersion").ValueOr(-1), 1);
  EXPECT_EQ(info.GetBool("isBlindAppend").ValueOr(false), true);
}

TEST_F(AppendTest, SameQueryCommittingConcurrentlyIsConcurrentTransaction) {
  auto table = CreateTable();
  ASSERT_OK_AND_ASSIGN(auto other, Table::Open(io::LocalFileSystem(), path_));
  ASSERT_OK_AND_ASSIGN(auto stale, table->NewAppend(AppendOptions{}));
  ASSERT_OK(stale->Write(*testing::IdNameBatch(0, 2)));
  // The query runs twice: the other run commits an earlier batch first.
  ASSERT_OK(Append(*other, *testing::IdNameBatch(10, 2), Txn{"q", 3}));
  auto lost = stale->Commit(Txn{"q", 4});
  ASSERT_FALSE(lost.ok());
  EXPECT_TRUE(lost.status().IsConflict());
  EXPECT_THAT(lost.status().message(), ::testing::StartsWith("ConcurrentTransactionException"));
}

TEST_F(AppendTest, CheckpointEveryIntervalCommits) {
  auto table = CreateTable({}, {{"delta.checkpointInterval", "3"}});
  for (int i = 0; i < 4; ++i) ASSERT_OK(Append(*table, *testing::IdNameBatch(i * 10, 10), Txn{"q", i}));
  EXPECT_TRUE(std::filesystem::exists(path_ + "/_delta_log/00000000000000000003.checkpoint.parquet"));
  EXPECT_FALSE(std::filesystem::exists(path_ + "/_delta_log/00000000000000000002.checkpoint.parquet"));
  ASSERT_OK_AND_ASSIGN(JsonValue last, ParseJson(ReadText(path_ + "/_delta_log/_last_checkpoint")));
  EXPECT_EQ(last.GetInt("version").ValueOr(-1), 3);
  // protocol + metaData + one txn + three adds.
  EXPECT_EQ(last.GetInt("size").ValueOr(-1), 6);
  EXPECT_EQ(last.GetInt("numOfAddFiles").ValueOr(-1), 3);
  std::string checkpoint = ReadText(path_ + "/_delta_log/00000000000000000003.checkpoint.parquet");
  EXPECT_EQ(checkpoint.substr(0, 4), "PAR1");
  EXPECT_EQ(checkpoint.substr(checkpoint.size() - 4), "PAR1");
}

}  // namespace
}  // namespace tributary::delta

namespace tributary::delta {
namespace {

TEST_F(AppendTest, CheckpointDropsExpiredTombstones) {
  auto table = CreateTable({}, {{"delta.checkpointInterval", "3"}});
  ASSERT_OK(Append(*table, *testing::IdNameBatch(0, 2), std::nullopt));  // version 1
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  std::ofstream(path_ + "/_delta_log/00000000000000000002.json")
      << R"({"remove":{"path":"old.parquet","deletionTimestamp":5,"dataChange":true}})" << "\n"
      << R"({"remove":{"path":"new.parquet","deletionTimestamp":)" << now << R"(,"dataChange":true}})"
      << "\n";
  ASSERT_OK(table->Refresh());
  ASSERT_OK(Append(*table, *testing::IdNameBatch(2, 2), std::nullopt));  // version 3
  ASSERT_OK_AND_ASSIGN(JsonValue last, ParseJson(ReadText(path_ + "/_delta_log/_last_checkpoint")));
  // protocol + metaData + two adds + the recent tombstone.
  EXPECT_EQ(last.GetInt("size").ValueOr(-1), 5);
}

}  // namespace
}  // namespace tributary::delta

namespace tributary::delta {
namespace {

TEST_F(AppendTest, InCommitTimestampsIncreaseStrictly) {
  auto table = CreateTable({}, {{"delta.enableInCommitTimestamps", "true"}});
  const Protocol& protocol = table->snapshot().protocol();
  EXPECT_EQ(protocol.min_writer_version, 7);
  EXPECT_THAT(protocol.writer_features.value_or(std::vector<std::string>{}),
              ::testing::Contains("inCommitTimestamp"));
  ASSERT_TRUE(table->snapshot().in_commit_timestamp().has_value());
  for (int i = 0; i < 3; ++i) ASSERT_OK(Append(*table, *testing::IdNameBatch(i, 1), std::nullopt));
  int64_t previous = 0;
  for (int version = 0; version <= 3; ++version) {
    ASSERT_OK_AND_ASSIGN(auto actions,
                         ParseCommit(ReadText(fmt::format("{}/_delta_log/{:020d}.json", path_, version)), "c"));
    ASSERT_TRUE(std::holds_alternative<CommitInfo>(actions[0])) << "commitInfo must come first";
    std::optional<int64_t> ict = InCommitTimestamp(std::get<CommitInfo>(actions[0]));
    ASSERT_TRUE(ict.has_value()) << version;
    EXPECT_GT(*ict, previous);
    previous = *ict;
  }
  EXPECT_EQ(table->snapshot().in_commit_timestamp(), previous);
}

}  // namespace
}  // namespace tributary::delta

namespace tributary::delta {
namespace {

TEST_F(AppendTest, AppendsToDeletionVectorTablesWithoutCheckpointingThem) {
  auto table = CreateTable({}, {{"delta.checkpointInterval", "2"}});
  std::ofstream(path_ + "/_delta_log/00000000000000000001.json")
      << R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors"]}})"
      << "\n"
      << R"({"add":{"path":"a.parquet","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true,)"
      << R"("stats":"{\"numRecords\":4}","deletionVector":{"storageType":"u","pathOrInlineDv":"ab^-aqEH.-t@S}K{vb[*k^","offset":1,"sizeInBytes":36,"cardinality":2}}})"
      << "\n";
  ASSERT_OK(table->Refresh());
  ASSERT_OK_AND_ASSIGN(int64_t version, Append(*table, *testing::IdNameBatch(0, 3), std::nullopt));
  EXPECT_EQ(version, 2);
  EXPECT_EQ(table->snapshot().files().size(), 2u);
  // The checkpoint would have to carry the deletion vector: it is skipped, the commit stands.
  EXPECT_FALSE(std::filesystem::exists(path_ + "/_delta_log/00000000000000000002.checkpoint.parquet"));
}

}  // namespace
}  // namespace tributary::delta


namespace tributary::delta {
namespace {

TEST_F(AppendTest, HistoryListsCommitsNewestFirst) {
  auto table = CreateTable();
  ASSERT_OK(Append(*table, *testing::IdNameBatch(0, 2), Txn{"q", 0}));
  ASSERT_OK(Append(*table, *testing::IdNameBatch(2, 2), std::nullopt));
  ASSERT_OK_AND_ASSIGN(auto history, ReadHistory(*io::LocalFileSystem(), path_, 0));
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].version, 2);
  EXPECT_THAT(history[0].info.json, HasSubstr(R"("operation":"WRITE")"));
  EXPECT_THAT(history[1].info.json, HasSubstr(R"("operation":"STREAMING UPDATE")"));
  EXPECT_THAT(history[2].info.json, HasSubstr(R"("operation":"CREATE TABLE")"));
  ASSERT_OK_AND_ASSIGN(auto newest, ReadHistory(*io::LocalFileSystem(), path_, 1));
  ASSERT_EQ(newest.size(), 1u);
  EXPECT_EQ(newest[0].version, 2);
}

}  // namespace
}  // namespace tributary::delta
