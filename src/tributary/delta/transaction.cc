#include "tributary/delta/transaction.h"

#include <algorithm>
#include <charconv>
#include <chrono>

#include "tributary/base/json.h"
#include "tributary/base/log.h"
#include "tributary/base/uuid.h"
#include "tributary/delta/checkpoint.h"
#include "tributary/delta/protocol_support.h"
#include "tributary/delta/table.h"

namespace tributary::delta {
namespace {

// Delta's default for spark.databricks.delta.maxCommitAttempts. Every retry follows a
// winner that passed the conflict checks, so the table moved on; in practice only a
// conflict ends the loop, and blind appends (which conflict with almost nothing) are
// never failed by contention alone.
constexpr int64_t kMaxCommitAttempts = 10'000'000;
// A write that failed and provably left nothing behind is retried this often.
constexpr int kMaxUnwrittenRetries = 2;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool IsTrue(const std::string& value) {
  return value == "true" || value == "TRUE" || value == "True";
}

int64_t CheckpointInterval(const Snapshot& snapshot) {
  constexpr int64_t kDefault = 10;
  std::string value = snapshot.Property("delta.checkpointInterval", "");
  if (value.empty()) return kDefault;
  int64_t number = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size()) {
    log::Warn("table property delta.checkpointInterval='{}' is not an integer; using {}", value, kDefault);
    return kDefault;
  }
  return number;
}

// A table with the v2Checkpoint feature needs V2-spec checkpoints (with a
// checkpointMetadata action), which we do not write yet; checkpoints are optional.
bool WantsV2Checkpoints(const Snapshot& snapshot) {
  const auto& features = snapshot.protocol().writer_features;
  return features && std::find(features->begin(), features->end(), "v2Checkpoint") != features->end();
}

// commitInfo.txnId of a commit, empty when it has none (other writers may omit it).
std::string CommitTxnId(const std::vector<Action>& commit) {
  for (const Action& action : commit) {
    if (const auto* info = std::get_if<CommitInfo>(&action)) {
      auto parsed = ParseJson(info->json);
      if (!parsed.ok()) return "";
      const JsonValue* id = parsed->Find("txnId");
      return id != nullptr && id->is_string() ? id->string_value() : "";
    }
  }
  return "";
}

}  // namespace

Status FinishCommit(Table& table, const Snapshot& read_snapshot,
                    const std::vector<std::vector<Action>>& winners, int64_t version,
                    const std::vector<Action>& ours) {
  const std::string& path = table.path();
  SnapshotBuilder builder(read_snapshot);
  int64_t next = read_snapshot.version() + 1;
  for (const auto& winner : winners) {
    TRIB_RETURN_NOT_OK(builder.Apply(next, winner, io::JoinPath(path, CommitFileName(next))));
    ++next;
  }
  TRIB_RETURN_NOT_OK(builder.Apply(version, ours, io::JoinPath(path, CommitFileName(version))));
  TRIB_ASSIGN_OR_RETURN(auto snapshot, builder.Finish(path));
  table.Advance(snapshot);
  int64_t interval = CheckpointInterval(*snapshot);
  if (interval > 0 && version % interval == 0 && !WantsV2Checkpoints(*snapshot)) {
    // The commit has landed; a checkpoint only speeds up readers, so failing to write
    // one must not turn a committed version into a failed one.
    Status checkpoint = WriteCheckpointAndCleanUp(table.fs(), path, *snapshot);
    if (!checkpoint.ok()) {
      log::Warn("table '{}': no checkpoint at version {}: {}", path, version, checkpoint.ToString());
    }
  }
  return Status::OK();
}

Result<std::unique_ptr<Transaction>> Transaction::Begin(Table& table) {
  return Begin(table, table.snapshot_ptr());
}

Result<std::unique_ptr<Transaction>> Transaction::Begin(Table& table,
                                                        std::shared_ptr<const Snapshot> read_snapshot) {
  TRIB_RETURN_NOT_OK(CheckAppendSupported(*read_snapshot, table.path()));
  auto txn = std::unique_ptr<Transaction>(new Transaction(&table, std::move(read_snapshot)));
  txn->start_ms_ = NowMs();
  txn->txn_id_ = RandomUuid();
  return txn;
}

void Transaction::ReadPredicate(FilePredicate predicate) {
  if (predicate.IsAll()) {
    footprint_.read_whole_table = true;
    return;
  }
  if (predicate.matches_nothing) return;
  footprint_.read_predicates.push_back(std::move(predicate));
}

void Transaction::ReadWholeTable() { footprint_.read_whole_table = true; }

void Transaction::ReadFile(const AddFile& file) { footprint_.read_files.insert(file.path); }

void Transaction::Add(AddFile add) { adds_.push_back(std::move(add)); }

void Transaction::Remove(const AddFile& file, bool data_change) {
  RemoveFile remove;
  remove.path = file.path;
  remove.deletion_timestamp = NowMs();
  remove.data_change = data_change;
  remove.extended_file_metadata = true;
  remove.partition_values = file.partition_values;
  remove.size = file.size;
  remove.deletion_vector_id = file.deletion_vector_id;
  remove.deletion_vector = file.deletion_vector;
  footprint_.removed_files.insert(file.path);
  removes_.push_back(std::move(remove));
}

void Transaction::SetTxn(Txn txn) {
  footprint_.read_app_ids.insert(txn.app_id);
  txn_ = std::move(txn);
}

void Transaction::SetMetadata(Metadata metadata) {
  footprint_.changes_metadata = true;
  metadata_ = std::move(metadata);
}

void Transaction::SetProtocol(Protocol protocol) {
  footprint_.changes_metadata = true;
  footprint_.changes_protocol = true;
  protocol_ = std::move(protocol);
}

void Transaction::SetOperation(CommitOperation operation) { operation_ = std::move(operation); }

std::vector<Action> Transaction::BuildActions(std::optional<int64_t> previous_commit_timestamp) const {
  int64_t now = NowMs();
  JsonWriter info;
  info.StartObject();
  if (IsTrue(read_snapshot_->Property("delta.enableInCommitTimestamps", "false"))) {
    // In-commit timestamps must increase strictly from commit to commit.
    if (previous_commit_timestamp && *previous_commit_timestamp >= now) {
      now = *previous_commit_timestamp + 1;
    }
    info.Key("inCommitTimestamp").Int(now);
  }
  info.Key("timestamp").Int(now);
  info.Key("operation").String(operation_.name);
  info.Key("operationParameters").StartObject();
  for (const auto& [key, value] : operation_.parameters) info.Key(key).String(value);
  for (const auto& [key, value] : operation_.json_parameters) info.Key(key).Raw(value);
  info.EndObject();
  info.Key("readVersion").Int(read_snapshot_->version());
  info.Key("isolationLevel").String(IsolationLevelName(footprint_.isolation_level));
  info.Key("isBlindAppend").Bool(operation_.is_blind_append);
  info.Key("operationMetrics").StartObject();
  for (const auto& [key, value] : operation_.metrics) info.Key(key).String(std::to_string(value));
  info.EndObject();
  info.Key("engineInfo").String(kEngineInfo);
  info.Key("txnId").String(txn_id_);
  info.EndObject();

  std::vector<Action> actions;
  actions.emplace_back(CommitInfo{info.Finish()});
  if (protocol_) actions.emplace_back(*protocol_);
  if (metadata_) actions.emplace_back(*metadata_);
  if (txn_) actions.emplace_back(SetTransaction{txn_->app_id, txn_->version, now});
  for (const RemoveFile& remove : removes_) actions.emplace_back(remove);
  for (const AddFile& add : adds_) actions.emplace_back(add);
  return actions;
}

Result<int64_t> Transaction::Commit() {
  const std::string& path = table_->path();
  if (committed_) return Status::Invalid("transaction on Delta table '{}' was already committed", path);
  if (!removes_.empty()) {
    if (IsTrue(read_snapshot_->Property("delta.appendOnly", "false"))) {
      return Status::Invalid(
          "cannot {} Delta table '{}': it is append-only (delta.appendOnly=true) and this "
          "operation removes files",
          operation_.name, path);
    }
    if (IsTrue(read_snapshot_->Property("delta.enableChangeDataFeed", "false"))) {
      return Status::NotImplemented(
          "cannot {} Delta table '{}': it has delta.enableChangeDataFeed=true and writing change "
          "data (cdc) files for updated and deleted rows is not implemented yet",
          operation_.name, path);
    }
  }
  if (txn_) {
    std::optional<int64_t> done = read_snapshot_->TxnVersion(txn_->app_id);
    if (done && *done >= txn_->version) {
      committed_ = true;
      return Status::AlreadyExists(
          "Delta table '{}' already holds batch {} of application '{}' (its latest recorded "
          "version is {} at table version {}); the batch was committed before and is skipped",
          path, txn_->version, txn_->app_id, *done, read_snapshot_->version());
    }
  }
  // Spark records the whole operation's duration; fill it in when the caller left it 0.
  for (auto& [key, value] : operation_.metrics) {
    if (key == "executionTimeMs" && value == 0) value = NowMs() - start_ms_;
  }
  TRIB_ASSIGN_OR_RETURN(IsolationLevel table_level, TableIsolationLevel(*read_snapshot_, path));
  footprint_.isolation_level = IsolationLevelToUse(table_level);
  int64_t version = read_snapshot_->version() + 1;
  std::optional<int64_t> previous_commit_timestamp = read_snapshot_->in_commit_timestamp();
  std::vector<std::vector<Action>> winners;
  int unwritten_retries = 0;
  for (int64_t attempt = 1;; ++attempt) {
    std::vector<Action> actions = BuildActions(previous_commit_timestamp);
    std::string commit_path = io::JoinPath(path, CommitFileName(version));
    Status put = table_->fs().PutIfAbsent(commit_path, CommitToJson(actions));
    if (put.ok()) return Finish(version, winners, actions, attempt);
    if (!put.IsAlreadyExists()) {
      auto ours = ResolveUnknownOutcome(version, put);
      if (ours.ok() && *ours) return Finish(version, winners, actions, attempt);
      if (ours.ok()) {
        if (++unwritten_retries > kMaxUnwrittenRetries) {
          return put.WithContext(fmt::format(
              "committing version {} of Delta table '{}' (not written: nothing was committed)",
              version, path));
        }
        log::Warn("Delta table '{}': writing version {} failed and left nothing behind ({}); retrying",
                  path, version, put.ToString());
        continue;
      }
      if (!ours.status().IsAlreadyExists()) return ours.status();
      // Another writer's commit is there: we lost the race, as with AlreadyExists.
    }
    if (attempt >= kMaxCommitAttempts) {
      return Status::Conflict(
          "Delta table '{}': gave up committing {} after {} attempts lost to concurrent writers",
          path, operation_.name, attempt);
    }
    TRIB_ASSIGN_OR_RETURN(CatchUp caught_up,
                          CatchUpWithWinners(version, &winners, &previous_commit_timestamp));
    if (caught_up.ours) {
      // Our write landed although the storage reported it lost (a retried put).
      return Finish(*caught_up.ours, winners, actions, attempt);
    }
    log::Debug("Delta table '{}': versions {}..{} were taken by non-conflicting commits; retrying at {}",
               path, version, caught_up.next_version - 1, caught_up.next_version);
    version = caught_up.next_version;
  }
}

IsolationLevel Transaction::IsolationLevelToUse(IsolationLevel table_level) const {
  // Like Delta: a commit that only rearranges files (every file action dataChange=false,
  // nothing else) cannot lose rows to a concurrent append, so appends never conflict.
  bool only_rearranges = !txn_ && !metadata_ && !protocol_ && (!adds_.empty() || !removes_.empty());
  for (const AddFile& add : adds_) only_rearranges = only_rearranges && !add.data_change;
  for (const RemoveFile& remove : removes_) only_rearranges = only_rearranges && !remove.data_change;
  return only_rearranges ? IsolationLevel::kSnapshotIsolation : table_level;
}

Result<Transaction::CatchUp> Transaction::CatchUpWithWinners(
    int64_t version, std::vector<std::vector<Action>>* winners,
    std::optional<int64_t>* previous_commit_timestamp) {
  const std::string& path = table_->path();
  for (;; ++version) {
    auto winner = ReadCommit(table_->fs(), path, version);
    if (!winner.ok()) {
      if (winner.status().IsNotFound()) return CatchUp{version, std::nullopt};
      return winner.status();
    }
    if (CommitTxnId(*winner) == txn_id_) return CatchUp{version + 1, version};
    for (const Action& action : *winner) {
      if (const auto* info = std::get_if<CommitInfo>(&action)) {
        *previous_commit_timestamp = InCommitTimestamp(*info);
      }
      if (const auto* other = std::get_if<SetTransaction>(&action);
          other != nullptr && txn_ && other->app_id == txn_->app_id && other->version >= txn_->version) {
        committed_ = true;
        return Status::AlreadyExists(
            "Delta table '{}': concurrent commit {} already recorded batch {} of application "
            "'{}'; the batch was committed by another writer and is skipped",
            path, version, other->version, txn_->app_id);
      }
    }
    TRIB_RETURN_NOT_OK(CheckConflicts(footprint_, *read_snapshot_, *winner, version, path));
    winners->push_back(std::move(winner).value());
  }
}

Result<bool> Transaction::ResolveUnknownOutcome(int64_t version, const Status& error) {
  const std::string& path = table_->path();
  auto there = ReadCommit(table_->fs(), path, version);
  if (there.ok()) {
    if (CommitTxnId(*there) == txn_id_) {
      log::Warn("Delta table '{}': writing version {} reported {}, but the commit there is ours "
                "(txnId {}): committed",
                path, version, error.ToString(), txn_id_);
      return true;
    }
    return Status::AlreadyExists("version {} of Delta table '{}' was written by another writer",
                                 version, path);
  }
  if (there.status().IsNotFound()) return false;
  return Status::IOError(
      "committing version {} of Delta table '{}': the outcome is unknown (writing failed: {}; "
      "reading it back failed: {}); do not retry blindly: the commit is ours if {} holds "
      "commitInfo.txnId {}",
      version, path, error.message(), there.status().message(), CommitFileName(version), txn_id_);
}

int64_t Transaction::Finish(int64_t version, const std::vector<std::vector<Action>>& winners,
                            const std::vector<Action>& actions, int64_t attempts) {
  committed_ = true;
  if (attempts > 1) {
    log::Info("Delta table '{}': committed version {} after {} attempts ({} concurrent commits checked)",
              table_->path(), version, attempts, winners.size());
  }
  Status after = FinishCommit(*table_, *read_snapshot_, winners, version, actions);
  if (!after.ok()) {
    log::Warn("Delta table '{}': version {} committed, but the post-commit step failed: {}",
              table_->path(), version, after.ToString());
  }
  return version;
}

}  // namespace tributary::delta
