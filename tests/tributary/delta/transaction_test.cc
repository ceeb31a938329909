#include "tributary/delta/transaction.h"

#include <thread>

#include <gmock/gmock.h>

#include "delta_testing.h"
#include "faulty_file_system.h"
#include "table_testing.h"
#include "tributary/base/json.h"
#include "tributary/delta/table.h"

namespace tributary::delta {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Status Append(Table& table, const columnar::RecordBatch& batch, std::optional<Txn> txn = std::nullopt,
              bool merge_schema = false) {
  AppendOptions options;
  options.merge_schema = merge_schema;
  TRIB_ASSIGN_OR_RETURN(auto append, table.NewAppend(options));
  TRIB_RETURN_NOT_OK(append->Write(batch));
  return append->Commit(std::move(txn)).status();
}

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(table_, Table::Create(io::LocalFileSystem(), path_,
                                               *testing::IdNameBatch(0, 1)->schema(), {}, {}));
    ASSERT_OK(Append(*table_, *testing::IdNameBatch(0, 10)));   // version 1
    ASSERT_OK(Append(*table_, *testing::IdNameBatch(10, 10)));  // version 2
    // Another writer on the same table.
    ASSERT_OK_AND_ASSIGN(other_, Table::Open(io::LocalFileSystem(), path_));
  }

  const AddFile& FileWithId(int64_t id) { return testing::FileWithId(*table_, id); }

  // A DELETE that read the rows with 0 <= id <= 9 (the first file) and rewrites them.
  std::unique_ptr<Transaction> RewriteFirstFile() {
    CommitOperation operation;
    operation.name = "DELETE";
    operation.parameters = {{"predicate", "[\"(id < 10)\"]"}};
    operation.metrics = {{"numRemovedFiles", 1}, {"numDeletedRows", 10}, {"executionTimeMs", 0}};
    return testing::RewriteFirstFile(*table_, operation);
  }

  testing::TempDir dir_;
  std::string path_ = dir_.Join("table");
  std::unique_ptr<Table> table_;
  std::unique_ptr<Table> other_;
};

TEST_F(TransactionTest, CommitsRemovesWithDeltaFieldsAndCommitInfo) {
  std::string removed_path = FileWithId(0).path;
  int64_t removed_size = FileWithId(0).size;
  auto txn = RewriteFirstFile();
  ASSERT_OK_AND_ASSIGN(int64_t version, txn->Commit());
  EXPECT_EQ(version, 3);
  EXPECT_EQ(table_->snapshot().version(), 3);
  ASSERT_EQ(table_->snapshot().files().size(), 1u);
  EXPECT_EQ(table_->snapshot().tombstones().size(), 1u);

  ASSERT_OK_AND_ASSIGN(auto actions, ReadCommit(table_->fs(), path_, 3));
  const RemoveFile* remove = nullptr;
  const CommitInfo* info = nullptr;
  for (const Action& action : actions) {
    if (const auto* r = std::get_if<RemoveFile>(&action)) remove = r;
    if (const auto* i = std::get_if<CommitInfo>(&action)) info = i;
  }
  ASSERT_NE(remove, nullptr);
  EXPECT_EQ(remove->path, removed_path);
  EXPECT_TRUE(remove->data_change);
  EXPECT_TRUE(remove->deletion_timestamp.has_value());
  EXPECT_EQ(remove->extended_file_metadata, true);
  EXPECT_EQ(remove->size, removed_size);
  EXPECT_EQ(remove->partition_values, PartitionValues{});
  ASSERT_NE(info, nullptr);
  ASSERT_OK_AND_ASSIGN(JsonValue json, ParseJson(info->json));
  EXPECT_EQ(json.Find("operation")->string_value(), "DELETE");
  EXPECT_EQ(json.Find("readVersion")->int_value(), 2);
  EXPECT_EQ(json.Find("isBlindAppend")->bool_value(), false);
  EXPECT_EQ(json.Find("operationParameters")->Find("predicate")->string_value(), "[\"(id < 10)\"]");
  EXPECT_EQ(json.Find("operationMetrics")->Find("numDeletedRows")->string_value(), "10");
  // A fresh replay of the log sees the remove.
  ASSERT_OK_AND_ASSIGN(auto reopened, Table::Open(io::LocalFileSystem(), path_));
  EXPECT_EQ(reopened->snapshot().num_records(), 10);
}

TEST_F(TransactionTest, RetriesOverAnAppendOutsideWhatItRead) {
  auto txn = RewriteFirstFile();
  ASSERT_OK(Append(*other_, *testing::IdNameBatch(100, 10)));  // version 3, ids 100..109
  ASSERT_OK_AND_ASSIGN(int64_t version, txn->Commit());
  EXPECT_EQ(version, 4);
  EXPECT_EQ(table_->snapshot().version(), 4);
  EXPECT_EQ(table_->snapshot().files().size(), 2u);  // ids 10..19 and 100..109
  EXPECT_EQ(table_->snapshot().num_records(), 20);
}

TEST_F(TransactionTest, ConcurrentRemoveOfAReadFileIsConcurrentDeleteRead) {
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(*table_));
  txn->ReadPredicate(FilePredicate{{ColumnConstraint::Equal("id", int64_t{12})}});
  txn->ReadFile(FileWithId(12));
  // The other writer deletes the file with ids 10..19.
  ASSERT_OK_AND_ASSIGN(auto winner, Transaction::Begin(*other_));
  for (const AddFile& file : other_->snapshot().files()) {
    if (file.path == FileWithId(12).path) winner->Remove(file);
  }
  ASSERT_OK(winner->Commit());
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_TRUE(version.status().IsConflict());
  EXPECT_THAT(version.status().message(), StartsWith("ConcurrentDeleteReadException"));
  EXPECT_THAT(version.status().message(), HasSubstr(FileWithId(12).path));
}

TEST_F(TransactionTest, BothRemovingOneFileIsConcurrentDeleteDelete) {
  auto txn = RewriteFirstFile();
  ASSERT_OK_AND_ASSIGN(auto winner, Transaction::Begin(*other_));
  for (const AddFile& file : other_->snapshot().files()) {
    if (file.path == FileWithId(0).path) winner->Remove(file, /*data_change=*/false);
  }
  ASSERT_OK(winner->Commit());
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), StartsWith("ConcurrentDeleteDeleteException"));
}

TEST_F(TransactionTest, SchemaChangeIsMetadataChanged) {
  auto txn = RewriteFirstFile();
  columnar::Schema wider({columnar::Field{"id", columnar::DataType::Long()},
                          columnar::Field{"extra", columnar::DataType::Integer()}});
  auto builders = testing::Builders(wider);
  builders[0].AppendInt(1000);
  builders[1].AppendInt(1);
  ASSERT_OK(Append(*other_, *testing::MakeBatch(wider, builders), std::nullopt, /*merge_schema=*/true));
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), StartsWith("MetadataChangedException"));
}

TEST_F(TransactionTest, SameAppIdCommittedConcurrentlyIsConcurrentTransaction) {
  auto txn = RewriteFirstFile();
  txn->SetTxn(Txn{"job", 5});
  ASSERT_OK(Append(*other_, *testing::IdNameBatch(700, 1), Txn{"job", 3}));
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), StartsWith("ConcurrentTransactionException"));
}

TEST_F(TransactionTest, TxnAlreadyRecordedCommitsNothing) {
  ASSERT_OK(Append(*table_, *testing::IdNameBatch(700, 1), Txn{"job", 3}));
  auto txn = RewriteFirstFile();
  txn->SetTxn(Txn{"job", 3});
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_TRUE(version.status().IsAlreadyExists());
  ASSERT_OK(table_->Refresh());
  EXPECT_EQ(table_->snapshot().version(), 3);
}

TEST_F(TransactionTest, AppendOnlyTableRefusesRemoves) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto table, Table::Create(io::LocalFileSystem(), dir.Join("t"),
                                                 *testing::IdNameBatch(0, 1)->schema(), {},
                                                 {{"delta.appendOnly", "true"}}));
  ASSERT_OK(Append(*table, *testing::IdNameBatch(0, 3)));
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(*table));
  txn->Remove(table->snapshot().files().front());
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), HasSubstr("delta.appendOnly"));
}

// The commit loop against storage that fails: a commit file's outcome is settled by
// reading it back and comparing commitInfo.txnId, never by retrying blindly.
class CommitOutcomeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(auto created, Table::Create(io::LocalFileSystem(), path_,
                                                     *testing::IdNameBatch(0, 1)->schema(), {}, {}));
    ASSERT_OK(Append(*created, *testing::IdNameBatch(0, 10)));  // version 1
    ASSERT_OK_AND_ASSIGN(table_, Table::Open(fs_, path_));
    ASSERT_OK_AND_ASSIGN(other_, Table::Open(io::LocalFileSystem(), path_));
    fs_->target = CommitFileName(2);
  }

  // An append of ids 100..104 recorded as batch 7 of query "q", ready to commit.
  std::unique_ptr<Transaction> PendingAppend() {
    auto files = table_->NewAppend(AppendOptions{});
    EXPECT_TRUE(files.ok());
    EXPECT_TRUE((*files)->Write(*testing::IdNameBatch(100, 5)).ok());
    auto adds = (*files)->CloseFiles();
    EXPECT_TRUE(adds.ok());
    auto txn = Transaction::Begin(*table_);
    EXPECT_TRUE(txn.ok());
    for (const AddFile& add : *adds) (*txn)->Add(add);
    (*txn)->SetTxn(Txn{"q", 7});
    CommitOperation operation;
    operation.name = "STREAMING UPDATE";
    operation.is_blind_append = true;
    (*txn)->SetOperation(operation);
    return std::move(txn).value();
  }

  std::string TxnIdAt(int64_t version) {
    auto actions = ReadCommit(*io::LocalFileSystem(), path_, version);
    if (!actions.ok()) return actions.status().ToString();
    for (const Action& action : *actions) {
      if (const auto* info = std::get_if<CommitInfo>(&action)) {
        auto json = ParseJson(info->json);
        if (json.ok() && json->Find("txnId") != nullptr) return json->Find("txnId")->string_value();
      }
    }
    return "<none>";
  }

  bool CommitExists(int64_t version) {
    auto exists = io::LocalFileSystem()->Exists(io::JoinPath(path_, CommitFileName(version)));
    return exists.ok() && *exists;
  }

  testing::TempDir dir_;
  std::string path_ = dir_.Join("table");
  std::shared_ptr<testing::FaultyFileSystem> fs_ =
      std::make_shared<testing::FaultyFileSystem>(io::LocalFileSystem());
  std::unique_ptr<Table> table_;
  std::unique_ptr<Table> other_;
};

TEST_F(CommitOutcomeTest, ARetriedCommitCarriesTheTransactionsTxnId) {
  auto first = PendingAppend();
  ASSERT_OK(Append(*other_, *testing::IdNameBatch(50, 1)));  // takes version 2: one retry
  ASSERT_OK_AND_ASSIGN(int64_t version, first->Commit());
  EXPECT_EQ(version, 3);
  EXPECT_EQ(TxnIdAt(3), first->txn_id());
  EXPECT_EQ(first->txn_id().size(), 36u);
  EXPECT_NE(TxnIdAt(2), first->txn_id());
}

TEST_F(CommitOutcomeTest, AWriteThatLandedBeforeItsErrorIsOurCommit) {
  fs_->puts_failing_after_write = 1;
  auto txn = PendingAppend();
  ASSERT_OK_AND_ASSIGN(int64_t version, txn->Commit());
  EXPECT_EQ(version, 2);
  EXPECT_EQ(TxnIdAt(2), txn->txn_id());
  EXPECT_FALSE(CommitExists(3));  // not committed a second time
  ASSERT_OK(other_->Refresh());
  EXPECT_EQ(other_->snapshot().num_records(), 15);
  EXPECT_EQ(other_->snapshot().TxnVersion("q"), 7);
}

TEST_F(CommitOutcomeTest, APutReportedAsLostThatLandedIsOurCommit) {
  fs_->puts_reporting_exists_after_write = 1;
  auto txn = PendingAppend();
  ASSERT_OK_AND_ASSIGN(int64_t version, txn->Commit());
  EXPECT_EQ(version, 2);
  EXPECT_FALSE(CommitExists(3));
  EXPECT_EQ(table_->snapshot().version(), 2);
}

TEST_F(CommitOutcomeTest, AWriteThatLeftNothingIsRetried) {
  fs_->puts_failing_before_write = 1;
  auto txn = PendingAppend();
  ASSERT_OK_AND_ASSIGN(int64_t version, txn->Commit());
  EXPECT_EQ(version, 2);
  EXPECT_EQ(TxnIdAt(2), txn->txn_id());
  EXPECT_FALSE(CommitExists(3));
}

TEST_F(CommitOutcomeTest, WritesThatKeepFailingReportNothingCommitted) {
  fs_->puts_failing_before_write = 100;
  auto txn = PendingAppend();
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_TRUE(version.status().IsIOError());
  EXPECT_THAT(version.status().message(), HasSubstr("nothing was committed"));
  EXPECT_FALSE(CommitExists(2));
}

TEST_F(CommitOutcomeTest, AnotherWritersCommitFoundAfterAnErrorIsALostRace) {
  fs_->puts_failing_before_write = 1;
  fs_->after_failed_put = [this](const std::string&) {
    ASSERT_OK(Append(*other_, *testing::IdNameBatch(50, 1)));  // takes version 2
  };
  auto txn = PendingAppend();
  ASSERT_OK_AND_ASSIGN(int64_t version, txn->Commit());
  EXPECT_EQ(version, 3);
  EXPECT_NE(TxnIdAt(2), txn->txn_id());
  EXPECT_EQ(TxnIdAt(3), txn->txn_id());
  EXPECT_EQ(table_->snapshot().num_records(), 16);
}

TEST_F(CommitOutcomeTest, UnknownOutcomeIsReportedAndARestartedBatchSettlesIt) {
  // The write lands, the answer is lost, and reading it back fails too: as when the
  // process dies between writing the commit and learning the result.
  fs_->puts_failing_after_write = 1;
  fs_->reads_failing = 1;
  auto txn = PendingAppend();
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_TRUE(version.status().IsIOError());
  EXPECT_THAT(version.status().message(), HasSubstr("outcome is unknown"));
  EXPECT_THAT(version.status().message(), HasSubstr("do not retry blindly"));
  EXPECT_THAT(version.status().message(), HasSubstr(txn->txn_id()));
  EXPECT_FALSE(CommitExists(3));

  // The restarted query re-runs batch 7 of "q" on a fresh Table: its txn is found.
  ASSERT_OK_AND_ASSIGN(auto restarted, Table::Open(io::LocalFileSystem(), path_));
  Status again = Append(*restarted, *testing::IdNameBatch(100, 5), Txn{"q", 7});
  EXPECT_TRUE(again.IsAlreadyExists()) << again.ToString();
  ASSERT_OK(restarted->Refresh());
  EXPECT_EQ(restarted->snapshot().version(), 2);
  EXPECT_EQ(restarted->snapshot().num_records(), 15);  // batch 7 once
}

TEST_F(CommitOutcomeTest, UnknownOutcomeOfAWriteThatNeverLandedIsRetriedByTheRestartedBatch) {
  fs_->puts_failing_before_write = 1;
  fs_->reads_failing = 1;
  auto txn = PendingAppend();
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), HasSubstr("outcome is unknown"));
  EXPECT_FALSE(CommitExists(2));

  ASSERT_OK_AND_ASSIGN(auto restarted, Table::Open(io::LocalFileSystem(), path_));
  ASSERT_OK(Append(*restarted, *testing::IdNameBatch(100, 5), Txn{"q", 7}));
  EXPECT_EQ(restarted->snapshot().version(), 2);
  EXPECT_EQ(restarted->snapshot().num_records(), 15);
}

TEST_F(CommitOutcomeTest, BlindAppendOutlastsHeavyContentionReadingEachWinnerOnce) {
  ASSERT_OK_AND_ASSIGN(auto append, table_->NewAppend(AppendOptions{}));
  ASSERT_OK(append->Write(*testing::IdNameBatch(1000, 3)));
  constexpr int kWinners = 150;  // more than the old limit of 100 attempts
  for (int i = 0; i < kWinners; ++i) ASSERT_OK(Append(*other_, *testing::IdNameBatch(2000 + i, 1)));
  fs_->target = "<none>";
  fs_->commit_reads = 0;
  fs_->listings = 0;
  ASSERT_OK_AND_ASSIGN(int64_t version, append->Commit(std::nullopt));
  EXPECT_EQ(version, 2 + kWinners);
  // Each winner was read once (plus one probe for the free version); the log was not listed.
  EXPECT_EQ(fs_->commit_reads.load(), kWinners + 1);
  EXPECT_EQ(fs_->listings.load(), 0);
  EXPECT_EQ(table_->snapshot().num_records(), 10 + kWinners + 3);
}

TEST(ContendedCommitTest, BlindAppendsFromManyWritersAtOnceAllLand) {
  testing::TempDir dir;
  std::string path = dir.Join("table");
  ASSERT_OK_AND_ASSIGN(auto created, Table::Create(io::LocalFileSystem(), path,
                                                   *testing::IdNameBatch(0, 1)->schema(), {}, {}));
  constexpr int kWriters = 4;
  constexpr int kAppendsEach = 40;
  std::vector<std::thread> writers;
  std::vector<Status> failures(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto table = Table::Open(io::LocalFileSystem(), path);
      if (!table.ok()) {
        failures[w] = table.status();
        return;
      }
      for (int i = 0; i < kAppendsEach && failures[w].ok(); ++i) {
        failures[w] = Append(**table, *testing::IdNameBatch((w * kAppendsEach + i) * 10, 10));
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  for (const Status& failure : failures) EXPECT_OK(failure);
  ASSERT_OK(created->Refresh());
  EXPECT_EQ(created->snapshot().version(), kWriters * kAppendsEach);
  EXPECT_EQ(created->snapshot().num_records(), kWriters * kAppendsEach * 10);
}

}  // namespace
}  // namespace tributary::delta
