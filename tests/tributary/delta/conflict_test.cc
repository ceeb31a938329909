// Delta's conflict rules (reference A8), one test per rule and isolation level, with
// two Tables on one path standing for two writers.
#include "tributary/delta/conflict.h"

#include <gmock/gmock.h>

#include "delta_testing.h"
#include "table_testing.h"
#include "tributary/base/json.h"
#include "tributary/delta/table.h"
#include "tributary/delta/transaction.h"

namespace tributary::delta {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::FileWithId;

Status BlindAppend(Table& table, const columnar::RecordBatch& batch) {
  TRIB_ASSIGN_OR_RETURN(auto append, table.NewAppend(AppendOptions{}));
  TRIB_RETURN_NOT_OK(append->Write(batch));
  return append->Commit(std::nullopt).status();
}

// New files holding `batch`, written but not committed.
Result<std::vector<AddFile>> WriteFiles(Table& table, const columnar::RecordBatch& batch) {
  TRIB_ASSIGN_OR_RETURN(auto append, table.NewAppend(AppendOptions{}));
  TRIB_RETURN_NOT_OK(append->Write(batch));
  return append->CloseFiles();
}

// Adds `batch` in a commit that is not a blind append (as an UPDATE's rewritten rows).
Status NonBlindAdd(Table& table, const columnar::RecordBatch& batch) {
  TRIB_ASSIGN_OR_RETURN(auto adds, WriteFiles(table, batch));
  TRIB_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(table));
  for (AddFile& add : adds) txn->Add(std::move(add));
  CommitOperation operation;
  operation.name = "UPDATE";
  txn->SetOperation(operation);
  return txn->Commit().status();
}

std::string CommitInfoField(Table& table, int64_t version, const std::string& field) {
  auto actions = ReadCommit(table.fs(), table.path(), version);
  if (!actions.ok()) return actions.status().ToString();
  for (const Action& action : *actions) {
    if (const auto* info = std::get_if<CommitInfo>(&action)) {
      auto json = ParseJson(info->json);
      if (!json.ok() || json->Find(field) == nullptr) return "<none>";
      const JsonValue* value = json->Find(field);
      if (value->is_string()) return value->string_value();
      if (value->is_bool()) return value->bool_value() ? "true" : "false";
      return "<other>";
    }
  }
  return "<no commitInfo>";
}

class ConflictTest : public ::testing::Test {
 protected:
  void Open(std::map<std::string, std::string> configuration) {
    ASSERT_OK_AND_ASSIGN(table_, Table::Create(io::LocalFileSystem(), path_,
                                               *testing::IdNameBatch(0, 1)->schema(), {},
                                               std::move(configuration)));
    ASSERT_OK(BlindAppend(*table_, *testing::IdNameBatch(0, 10)));   // version 1
    ASSERT_OK(BlindAppend(*table_, *testing::IdNameBatch(10, 10)));  // version 2
    ASSERT_OK_AND_ASSIGN(other_, Table::Open(io::LocalFileSystem(), path_));
  }

  // A DELETE that read the rows with 0 <= id <= 9 (the first file) and rewrites them.
  std::unique_ptr<Transaction> RewriteFirstFile() {
    CommitOperation operation;
    operation.name = "DELETE";
    return testing::RewriteFirstFile(*table_, operation);
  }

  testing::TempDir dir_;
  std::string path_ = dir_.Join("table");
  std::unique_ptr<Table> table_;
  std::unique_ptr<Table> other_;
};

TEST_F(ConflictTest, WriteSerializableIsTheDefaultAndOrdersBlindAppendsAfter) {
  Open({});
  auto txn = RewriteFirstFile();
  ASSERT_OK(BlindAppend(*other_, *testing::IdNameBatch(5, 2)));  // ids 5..6: inside what we read
  ASSERT_OK_AND_ASSIGN(int64_t version, txn->Commit());
  EXPECT_EQ(version, 4);
  EXPECT_EQ(CommitInfoField(*table_, 4, "isolationLevel"), "WriteSerializable");
  // The appended rows stay: the delete is ordered before the append.
  EXPECT_EQ(table_->snapshot().num_records(), 12);
}

TEST_F(ConflictTest, SerializableMakesABlindAppendIntoWhatWasReadAConcurrentAppend) {
  Open({{"delta.isolationLevel", "Serializable"}});
  auto txn = RewriteFirstFile();
  ASSERT_OK(BlindAppend(*other_, *testing::IdNameBatch(5, 2)));
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_TRUE(version.status().IsConflict());
  EXPECT_THAT(version.status().message(), StartsWith("ConcurrentAppendException"));
  EXPECT_THAT(version.status().message(), HasSubstr("isolation level Serializable"));
  EXPECT_THAT(version.status().message(), HasSubstr("version 3"));
}

TEST_F(ConflictTest, SerializableStillIgnoresAppendsOutsideWhatWasRead) {
  Open({{"delta.isolationLevel", "Serializable"}});
  auto txn = RewriteFirstFile();
  ASSERT_OK(BlindAppend(*other_, *testing::IdNameBatch(100, 5)));
  ASSERT_OK_AND_ASSIGN(int64_t version, txn->Commit());
  EXPECT_EQ(version, 4);
  EXPECT_EQ(CommitInfoField(*table_, 4, "isolationLevel"), "Serializable");
}

TEST_F(ConflictTest, NonBlindAddIntoWhatWasReadIsConcurrentAppendUnderWriteSerializable) {
  Open({});
  auto txn = RewriteFirstFile();
  ASSERT_OK(NonBlindAdd(*other_, *testing::IdNameBatch(5, 2)));
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), StartsWith("ConcurrentAppendException"));
  EXPECT_THAT(version.status().message(), HasSubstr("UPDATE"));
}

TEST_F(ConflictTest, WholeTableReadConflictsWithAnyNonBlindAdd) {
  Open({});
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(*table_));
  txn->ReadWholeTable();
  ASSERT_OK(NonBlindAdd(*other_, *testing::IdNameBatch(500, 1)));
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), StartsWith("ConcurrentAppendException"));
  EXPECT_THAT(version.status().message(), HasSubstr("read the whole table"));
}

TEST(ConflictRulesTest, ConcurrentAppendIsDecidedByPartitionOnPartitionedTables) {
  testing::TempDir dir;
  std::string path = dir.Join("t");
  ASSERT_OK_AND_ASSIGN(auto table, Table::Create(io::LocalFileSystem(), path,
                                                 *testing::IdNameBatch(0, 1)->schema(), {"name"}, {}));
  ASSERT_OK(BlindAppend(*table, *testing::IdNameBatch(1, 6)));  // partitions n1..n6
  ASSERT_OK_AND_ASSIGN(auto other, Table::Open(io::LocalFileSystem(), path));
  // Reads partition name = 'n5' (an UPDATE of that partition, say).
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(*table));
  txn->ReadPredicate(FilePredicate{{ColumnConstraint::Equal("name", std::string("n5"))}});
  ASSERT_OK_AND_ASSIGN(auto adds, WriteFiles(*table, *testing::IdNameBatch(5, 1)));
  for (AddFile& add : adds) txn->Add(std::move(add));
  // Rows into other partitions: retried past them.
  ASSERT_OK(NonBlindAdd(*other, *testing::IdNameBatch(100, 2)));
  // Then a row into n5: a conflict.
  ASSERT_OK(NonBlindAdd(*other, *testing::IdNameBatch(5, 1)));
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), StartsWith("ConcurrentAppendException"));
  EXPECT_THAT(version.status().message(), HasSubstr("version 3"));
  EXPECT_THAT(version.status().message(), HasSubstr("name=n5"));
}

TEST_F(ConflictTest, AWriterThatDoesNotSayBlindAppendIsNotTakenForOne) {
  Open({});
  auto txn = RewriteFirstFile();
  // delta-rs 1.6 writes no isBlindAppend; its appends must count as data changes.
  ASSERT_OK(table_->fs().PutIfAbsent(
      io::JoinPath(path_, CommitFileName(3)),
      R"({"commitInfo":{"timestamp":1,"operation":"WRITE","operationParameters":{"mode":"Append"},"engineInfo":"delta-rs:py-1.6.6"}})"
      "\n"
      R"({"add":{"path":"part-00000-x.parquet","partitionValues":{},"size":10,"modificationTime":1,"dataChange":true,"stats":"{\"numRecords\":1,\"minValues\":{\"id\":5},\"maxValues\":{\"id\":5},\"nullCount\":{\"id\":0}}"}})"
      "\n"));
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), StartsWith("ConcurrentAppendException"));
  EXPECT_THAT(version.status().message(), HasSubstr("part-00000-x.parquet"));
}

TEST_F(ConflictTest, BlindAppendConflictsWhenThisTransactionChangesTheSchema) {
  Open({});
  auto txn = RewriteFirstFile();
  Metadata metadata = table_->snapshot().metadata();
  metadata.configuration["delta.appendOnly"] = "false";
  txn->SetMetadata(metadata);
  ASSERT_OK(BlindAppend(*other_, *testing::IdNameBatch(5, 2)));
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), StartsWith("ConcurrentAppendException"));
}

TEST_F(ConflictTest, ABlindAppendReadsNothingSoDeletesAndUpdatesNeverFailIt) {
  Open({{"delta.isolationLevel", "Serializable"}});
  ASSERT_OK_AND_ASSIGN(auto append, table_->NewAppend(AppendOptions{}));
  ASSERT_OK(append->Write(*testing::IdNameBatch(5, 2)));
  // Meanwhile: an UPDATE rewrites the file we would have overlapped, and a DELETE.
  ASSERT_OK(NonBlindAdd(*other_, *testing::IdNameBatch(3, 4)));
  ASSERT_OK_AND_ASSIGN(auto deleter, Transaction::Begin(*other_));
  deleter->ReadWholeTable();
  deleter->Remove(FileWithId(*other_, 10));
  ASSERT_OK(deleter->Commit());
  ASSERT_OK_AND_ASSIGN(int64_t version, append->Commit(std::nullopt));
  EXPECT_EQ(version, 5);
  EXPECT_EQ(CommitInfoField(*table_, 5, "isBlindAppend"), "true");
  EXPECT_EQ(table_->snapshot().num_records(), 10 + 4 + 2);
}

TEST_F(ConflictTest, CompactionRunsUnderSnapshotIsolationAndIgnoresAppends) {
  Open({{"delta.isolationLevel", "Serializable"}});
  // Rewrites the first file's rows into a new file without changing data.
  ASSERT_OK_AND_ASSIGN(auto compacted, WriteFiles(*table_, *testing::IdNameBatch(0, 10)));
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(*table_));
  txn->ReadWholeTable();
  txn->ReadFile(FileWithId(*table_, 0));
  txn->Remove(FileWithId(*table_, 0), /*data_change=*/false);
  for (AddFile& add : compacted) {
    add.data_change = false;
    txn->Add(std::move(add));
  }
  ASSERT_OK(NonBlindAdd(*other_, *testing::IdNameBatch(5, 2)));
  ASSERT_OK_AND_ASSIGN(int64_t version, txn->Commit());
  EXPECT_EQ(version, 4);
  EXPECT_EQ(CommitInfoField(*table_, 4, "isolationLevel"), "SnapshotIsolation");
  EXPECT_EQ(table_->snapshot().num_records(), 22);
}

TEST_F(ConflictTest, CompactingAFileThatWasOnlyReadIsNotConcurrentDeleteRead) {
  Open({});
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(*table_));
  txn->ReadPredicate(FilePredicate{{ColumnConstraint::Equal("id", int64_t{12})}});
  txn->ReadFile(FileWithId(*table_, 12));
  ASSERT_OK_AND_ASSIGN(auto adds, WriteFiles(*table_, *testing::IdNameBatch(200, 1)));
  txn->Add(adds.front());
  ASSERT_OK_AND_ASSIGN(auto compaction, Transaction::Begin(*other_));
  compaction->Remove(FileWithId(*other_, 12), /*data_change=*/false);
  ASSERT_OK_AND_ASSIGN(auto moved, WriteFiles(*other_, *testing::IdNameBatch(10, 10)));
  for (AddFile& add : moved) {
    add.data_change = false;
    compaction->Add(std::move(add));
  }
  ASSERT_OK(compaction->Commit());
  // The rows we read still exist unchanged (in the compacted file).
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(table_->snapshot().num_records(), 21);
}

TEST_F(ConflictTest, DataChangingRemoveOfAReadFileIsConcurrentDeleteRead) {
  Open({});
  ASSERT_OK_AND_ASSIGN(auto txn, Transaction::Begin(*table_));
  txn->ReadPredicate(FilePredicate{{ColumnConstraint::Equal("id", int64_t{12})}});
  txn->ReadFile(FileWithId(*table_, 12));
  ASSERT_OK_AND_ASSIGN(auto deleter, Transaction::Begin(*other_));
  deleter->Remove(FileWithId(*other_, 12));
  ASSERT_OK(deleter->Commit());
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), StartsWith("ConcurrentDeleteReadException"));
}

TEST_F(ConflictTest, RemovingAFileACompactionRemovedIsConcurrentDeleteDelete) {
  Open({});
  auto txn = RewriteFirstFile();
  ASSERT_OK_AND_ASSIGN(auto compaction, Transaction::Begin(*other_));
  compaction->Remove(FileWithId(*other_, 0), /*data_change=*/false);
  ASSERT_OK(compaction->Commit());
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), StartsWith("ConcurrentDeleteDeleteException"));
}

TEST_F(ConflictTest, AProtocolUpgradeThisWriterSupportsIsNoConflict) {
  Open({});
  ASSERT_OK_AND_ASSIGN(auto append, table_->NewAppend(AppendOptions{}));
  ASSERT_OK(append->Write(*testing::IdNameBatch(50, 1)));
  ASSERT_OK_AND_ASSIGN(auto upgrade, Transaction::Begin(*other_));
  Protocol protocol = other_->snapshot().protocol();
  protocol.min_writer_version = 4;  // changeDataFeed and generatedColumns, not in use
  upgrade->SetProtocol(protocol);
  ASSERT_OK(upgrade->Commit());
  ASSERT_OK_AND_ASSIGN(int64_t version, append->Commit(std::nullopt));
  EXPECT_EQ(version, 4);
  EXPECT_EQ(table_->snapshot().protocol().min_writer_version, 4);
}

TEST_F(ConflictTest, AProtocolUpgradeThisWriterCannotWriteIsProtocolChanged) {
  Open({});
  ASSERT_OK_AND_ASSIGN(auto append, table_->NewAppend(AppendOptions{}));
  ASSERT_OK(append->Write(*testing::IdNameBatch(50, 1)));
  ASSERT_OK_AND_ASSIGN(auto upgrade, Transaction::Begin(*other_));
  Protocol protocol;
  protocol.min_reader_version = 3;
  protocol.min_writer_version = 7;
  protocol.reader_features = std::vector<std::string>{};
  protocol.writer_features = std::vector<std::string>{"someFutureFeature"};
  upgrade->SetProtocol(protocol);
  ASSERT_OK(upgrade->Commit());
  auto version = append->Commit(std::nullopt);
  ASSERT_FALSE(version.ok());
  EXPECT_TRUE(version.status().IsConflict());
  EXPECT_THAT(version.status().message(), StartsWith("ProtocolChangedException"));
  EXPECT_THAT(version.status().message(), HasSubstr("version 3"));
  EXPECT_THAT(version.status().message(), HasSubstr("someFutureFeature"));
}

TEST_F(ConflictTest, DroppingAFeatureIsProtocolChanged) {
  Open({});
  ASSERT_OK_AND_ASSIGN(auto upgrade, Transaction::Begin(*table_));
  Protocol protocol;
  protocol.min_reader_version = 1;
  protocol.min_writer_version = 7;
  protocol.writer_features = std::vector<std::string>{"appendOnly", "invariants", "changeDataFeed"};
  upgrade->SetProtocol(protocol);
  ASSERT_OK(upgrade->Commit());  // version 3
  ASSERT_OK(other_->Refresh());
  ASSERT_OK_AND_ASSIGN(auto append, table_->NewAppend(AppendOptions{}));
  ASSERT_OK(append->Write(*testing::IdNameBatch(50, 1)));
  ASSERT_OK_AND_ASSIGN(auto drop, Transaction::Begin(*other_));
  protocol.writer_features = std::vector<std::string>{"appendOnly", "invariants"};
  drop->SetProtocol(protocol);
  ASSERT_OK(drop->Commit());
  auto version = append->Commit(std::nullopt);
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), StartsWith("ProtocolChangedException"));
  EXPECT_THAT(version.status().message(), HasSubstr("removed table features"));
}

TEST_F(ConflictTest, BothChangingTheProtocolIsProtocolChanged) {
  Open({});
  ASSERT_OK_AND_ASSIGN(auto ours, Transaction::Begin(*table_));
  Protocol protocol = table_->snapshot().protocol();
  protocol.min_writer_version = 3;
  ours->SetProtocol(protocol);
  ASSERT_OK_AND_ASSIGN(auto theirs, Transaction::Begin(*other_));
  theirs->SetProtocol(protocol);
  ASSERT_OK(theirs->Commit());
  auto version = ours->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), StartsWith("ProtocolChangedException"));
  EXPECT_THAT(version.status().message(), HasSubstr("changes the protocol too"));
}

TEST_F(ConflictTest, RecommittingTheSameProtocolChangesNothing) {
  Open({});
  ASSERT_OK_AND_ASSIGN(auto append, table_->NewAppend(AppendOptions{}));
  ASSERT_OK(append->Write(*testing::IdNameBatch(50, 1)));
  ASSERT_OK_AND_ASSIGN(auto same, Transaction::Begin(*other_));
  same->SetProtocol(other_->snapshot().protocol());
  ASSERT_OK(same->Commit());
  ASSERT_OK_AND_ASSIGN(int64_t version, append->Commit(std::nullopt));
  EXPECT_EQ(version, 4);
}

TEST_F(ConflictTest, TableMetadataChangeIsMetadataChangedEvenForABlindAppend) {
  Open({});
  ASSERT_OK_AND_ASSIGN(auto append, table_->NewAppend(AppendOptions{}));
  ASSERT_OK(append->Write(*testing::IdNameBatch(50, 1)));
  ASSERT_OK_AND_ASSIGN(auto alter, Transaction::Begin(*other_));
  Metadata metadata = other_->snapshot().metadata();
  metadata.configuration["delta.checkpointInterval"] = "20";
  alter->SetMetadata(metadata);
  ASSERT_OK(alter->Commit());
  auto version = append->Commit(std::nullopt);
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), StartsWith("MetadataChangedException"));
}

TEST_F(ConflictTest, AppIdCheckComesBeforeFileChecks) {
  Open({});
  auto txn = RewriteFirstFile();
  txn->SetTxn(Txn{"job", 5});
  // The winner both records the app id and removes the file we read and remove.
  ASSERT_OK_AND_ASSIGN(auto winner, Transaction::Begin(*other_));
  winner->Remove(FileWithId(*other_, 0));
  winner->SetTxn(Txn{"job", 4});
  ASSERT_OK(winner->Commit());
  auto version = txn->Commit();
  ASSERT_FALSE(version.ok());
  EXPECT_THAT(version.status().message(), StartsWith("ConcurrentTransactionException"));
  EXPECT_THAT(version.status().message(), HasSubstr("'job'"));
}

TEST(ConflictRulesTest, UnknownIsolationLevelIsRefusedNamingTheProperty) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto table, Table::Create(io::LocalFileSystem(), dir.Join("t"),
                                                 *testing::IdNameBatch(0, 1)->schema(), {},
                                                 {{"delta.isolationLevel", "SnapshotIsolation"}}));
  Status append = BlindAppend(*table, *testing::IdNameBatch(0, 3));
  ASSERT_FALSE(append.ok());
  EXPECT_TRUE(append.IsInvalid());
  EXPECT_THAT(append.message(), HasSubstr("delta.isolationLevel='SnapshotIsolation'"));
  EXPECT_THAT(append.message(), HasSubstr(dir.Join("t")));
}

}  // namespace
}  // namespace tributary::delta
