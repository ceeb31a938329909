#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/delta/actions.h"
#include "tributary/delta/append_transaction.h"
#include "tributary/delta/conflict.h"
#include "tributary/delta/snapshot.h"

namespace tributary::delta {

class Table;

/// The commitInfo of a transaction: Delta's operation name ("MERGE", "DELETE", ...),
/// operationParameters (values are JSON strings, as Delta writes them) and
/// operationMetrics (numbers, written as strings as Delta does).
struct CommitOperation {
  std::string name = "WRITE";
  std::vector<std::pair<std::string, std::string>> parameters;
  /// Parameters whose values are JSON text, written as they are, after `parameters`
  /// (RESTORE's {"version":1,"timestamp":null}, as Delta writes them).
  std::vector<std::pair<std::string, std::string>> json_parameters;
  std::vector<std::pair<std::string, int64_t>> metrics;
  /// commitInfo.isBlindAppend: only adds, and nothing read.
  bool is_blind_append = false;
};

/// A general transaction: records what it read, then commits adds, removes, an
/// optional txn and commitInfo atomically as the next table version (put-if-absent).
/// When other writers win versions, each of their commits is checked once with
/// CheckConflicts (reading only those commits, never the whole log again) and, without
/// a conflict, the commit is retried after the newest; retries stop only on a conflict
/// (or after kMaxCommitAttempts, Delta's default, which is in practice never). Every
/// commit carries a unique commitInfo.txnId, which settles a write whose outcome the
/// storage left unknown. Every commit of the table goes through here
/// (AppendTransaction::Commit too).
/// Data files are written separately (e.g. with an AppendTransaction's CloseFiles)
/// and handed over as AddFiles. Not thread-safe; the Table must outlive it.
class Transaction {
 public:
  /// A transaction reading at `table`'s current snapshot.
  /// Errors: NotImplemented when the table's protocol needs a feature this writer lacks.
  static Result<std::unique_ptr<Transaction>> Begin(Table& table);
  /// A transaction reading at `read_snapshot`, an earlier or current snapshot of
  /// `table` (the one an AppendTransaction wrote its files against). Errors: as above.
  static Result<std::unique_ptr<Transaction>> Begin(Table& table,
                                                    std::shared_ptr<const Snapshot> read_snapshot);

  const Snapshot& read_snapshot() const { return *read_snapshot_; }
  std::shared_ptr<const Snapshot> read_snapshot_ptr() const { return read_snapshot_; }

  /// Read-tracking for conflict detection.
  void ReadPredicate(FilePredicate predicate);
  void ReadWholeTable();
  void ReadFile(const AddFile& file);

  void Add(AddFile add);
  /// Removes `file` (a file of the read snapshot) with deletionTimestamp now,
  /// dataChange, its partitionValues and size, extendedFileMetadata true.
  void Remove(const AddFile& file, bool data_change = true);
  /// Records txn(app_id, version) with the commit, and its app id as read: a concurrent
  /// commit recording the same app id is AlreadyExists at a version >= ours, else a
  /// ConcurrentTransactionException conflict.
  void SetTxn(Txn txn);
  /// A new metaData to commit (schema evolution).
  void SetMetadata(Metadata metadata);
  void SetProtocol(Protocol protocol);
  void SetOperation(CommitOperation operation);

  const TransactionFootprint& footprint() const { return footprint_; }
  /// commitInfo.txnId of this transaction's commit: a random UUID, the same on every
  /// attempt, by which the commit is recognised in the log.
  const std::string& txn_id() const { return txn_id_; }
  const std::vector<AddFile>& adds() const { return adds_; }
  const std::vector<RemoveFile>& removes() const { return removes_; }

  /// Commits and returns the version. The table's snapshot advances to it, and a
  /// checkpoint is written when the version is a multiple of delta.checkpointInterval.
  /// Errors: AlreadyExists when the txn app id already holds a version >= ours (at
  /// the read snapshot or in a winning commit; nothing committed); Conflict (see
  /// CheckConflicts) or when retries run out; Invalid for a bad delta.isolationLevel;
  /// IOError from storage. When writing the commit file fails in a way that may have
  /// written it (an error after the write), the commit at that version is read back:
  /// with our txnId it is our commit (success), with another it is a lost race (checked
  /// as above), absent it was not written (retried at most twice); when even that read
  /// fails the IOError says the outcome is unknown and names the version and txnId to
  /// look for (a streaming batch re-run resolves it through its txn). Commits at most
  /// once (Invalid after).
  Result<int64_t> Commit();

 private:
  Transaction(Table* table, std::shared_ptr<const Snapshot> snapshot)
      : table_(table), read_snapshot_(std::move(snapshot)) {}

  /// Where the attempt to commit stands after a lost or unclear write.
  struct CatchUp {
    /// The version to try next, after the winners read.
    int64_t next_version = 0;
    /// Our own commit was found at this version (a write reported as failed that landed).
    std::optional<int64_t> ours;
  };

  std::vector<Action> BuildActions(std::optional<int64_t> previous_commit_timestamp) const;
  IsolationLevel IsolationLevelToUse(IsolationLevel table_level) const;
  /// Reads and checks every commit from `version` on until the first missing one.
  Result<CatchUp> CatchUpWithWinners(int64_t version, std::vector<std::vector<Action>>* winners,
                                     std::optional<int64_t>* previous_commit_timestamp);
  /// After a write of `version` failed with `error` (not AlreadyExists): OK(true) when
  /// the file there is ours, OK(false) when nothing is there; an existing foreign
  /// commit is AlreadyExists; IOError when it cannot be told.
  Result<bool> ResolveUnknownOutcome(int64_t version, const Status& error);
  int64_t Finish(int64_t version, const std::vector<std::vector<Action>>& winners,
                 const std::vector<Action>& actions, int64_t attempts);

  Table* table_;
  std::shared_ptr<const Snapshot> read_snapshot_;
  TransactionFootprint footprint_;
  std::vector<AddFile> adds_;
  std::vector<RemoveFile> removes_;
  std::optional<Txn> txn_;
  std::optional<Metadata> metadata_;
  std::optional<Protocol> protocol_;
  CommitOperation operation_;
  std::string txn_id_;
  int64_t start_ms_ = 0;
  bool committed_ = false;
};

/// After a commit at `version` (whose winners, the commits between the read snapshot
/// and it, are `winners`): builds the new snapshot, hands it to the table and writes a
/// checkpoint when delta.checkpointInterval says so (a failed checkpoint is logged).
Status FinishCommit(Table& table, const Snapshot& read_snapshot,
                    const std::vector<std::vector<Action>>& winners, int64_t version,
                    const std::vector<Action>& ours);

}  // namespace tributary::delta
