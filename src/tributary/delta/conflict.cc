#include "tributary/delta/conflict.h"

#include <algorithm>

#include "tributary/base/json.h"
#include "tributary/delta/protocol_support.h"

namespace tributary::delta {
namespace {

// What the conflict rules need from a winning commit's actions, gathered once.
struct WinnerSummary {
  std::string operation = "unknown";
  bool is_blind_append = false;
  const Protocol* protocol = nullptr;
  const Metadata* metadata = nullptr;
  std::vector<const AddFile*> adds;
  std::vector<const RemoveFile*> removes;
  std::vector<const SetTransaction*> txns;
};

WinnerSummary Summarize(const std::vector<Action>& winner) {
  WinnerSummary summary;
  for (const Action& action : winner) {
    if (const auto* info = std::get_if<CommitInfo>(&action)) {
      auto parsed = ParseJson(info->json);
      if (!parsed.ok()) continue;
      const JsonValue* op = parsed->Find("operation");
      if (op != nullptr && op->is_string()) summary.operation = op->string_value();
      // A writer that does not say (delta-rs) is not a blind append: its adds count.
      const JsonValue* blind = parsed->Find("isBlindAppend");
      summary.is_blind_append = blind != nullptr && blind->is_bool() && blind->bool_value();
    } else if (const auto* protocol = std::get_if<Protocol>(&action)) {
      summary.protocol = protocol;
    } else if (const auto* metadata = std::get_if<Metadata>(&action)) {
      summary.metadata = metadata;
    } else if (const auto* add = std::get_if<AddFile>(&action)) {
      summary.adds.push_back(add);
    } else if (const auto* remove = std::get_if<RemoveFile>(&action)) {
      summary.removes.push_back(remove);
    } else if (const auto* txn = std::get_if<SetTransaction>(&action)) {
      summary.txns.push_back(txn);
    }
  }
  return summary;
}

bool Lists(const std::optional<std::vector<std::string>>& features, const std::string& feature) {
  return features && std::find(features->begin(), features->end(), feature) != features->end();
}

// A protocol that lowers a version or leaves out a feature of `before` (DROP FEATURE).
bool DropsFeatures(const Protocol& before, const Protocol& after) {
  if (after.min_reader_version < before.min_reader_version ||
      after.min_writer_version < before.min_writer_version) {
    return true;
  }
  for (const std::string& feature : before.reader_features.value_or(std::vector<std::string>{})) {
    if (!Lists(after.reader_features, feature)) return true;
  }
  for (const std::string& feature : before.writer_features.value_or(std::vector<std::string>{})) {
    if (!Lists(after.writer_features, feature)) return true;
  }
  return false;
}

// Why the winner's protocol change stops this transaction; empty when it may go on.
// As in Delta: it may when it does not change the protocol itself, the winner dropped
// no feature, and this writer can write the new protocol (CheckAppendSupported).
std::string ProtocolConflict(const TransactionFootprint& footprint, const Snapshot& snapshot,
                             const Protocol& winner, std::string_view table_path) {
  if (footprint.changes_protocol) return "this transaction changes the protocol too";
  if (winner == snapshot.protocol()) return "";
  if (DropsFeatures(snapshot.protocol(), winner)) return "it removed table features";
  SnapshotBuilder builder(snapshot);
  Status applied = builder.Apply(snapshot.version() + 1, {Action{winner}}, table_path);
  if (!applied.ok()) return applied.message();
  auto upgraded = builder.Finish(table_path);
  if (!upgraded.ok()) return upgraded.status().message();
  Status supported = CheckAppendSupported(**upgraded, table_path);
  return supported.ok() ? "" : supported.message();
}

Status CheckProtocolAndMetadata(const TransactionFootprint& footprint, const Snapshot& snapshot,
                                const WinnerSummary& winner, int64_t winner_version,
                                std::string_view table_path) {
  if (winner.protocol != nullptr) {
    std::string why = ProtocolConflict(footprint, snapshot, *winner.protocol, table_path);
    if (!why.empty()) {
      return Status::Conflict(
          "ProtocolChangedException: the protocol of Delta table '{}' was changed by a concurrent "
          "update (version {}, operation {}): {}; this transaction read version {} and must be "
          "redone against the new table state",
          table_path, winner_version, winner.operation, why, snapshot.version());
    }
  }
  if (winner.metadata != nullptr) {
    return Status::Conflict(
        "MetadataChangedException: the metadata of Delta table '{}' was changed by a concurrent "
        "update (version {}, operation {}); this transaction read version {} and must be redone "
        "against the new table state",
        table_path, winner_version, winner.operation, snapshot.version());
  }
  return Status::OK();
}

Status CheckAppIds(const TransactionFootprint& footprint, const WinnerSummary& winner,
                   int64_t winner_version, std::string_view table_path) {
  for (const SetTransaction* txn : winner.txns) {
    if (footprint.read_app_ids.count(txn->app_id) != 0) {
      return Status::Conflict(
          "ConcurrentTransactionException: a concurrent update (version {}, operation {}) of "
          "Delta table '{}' committed for application '{}' (txn version {}), which this "
          "transaction also writes; this happens when one streaming query or idempotent "
          "writer runs twice at once",
          winner_version, winner.operation, table_path, txn->app_id, txn->version);
    }
  }
  return Status::OK();
}

// Whether the winner's adds must be checked against what this transaction read.
bool AddsCanConflict(const TransactionFootprint& footprint, const WinnerSummary& winner) {
  switch (footprint.isolation_level) {
    case IsolationLevel::kSnapshotIsolation:
      return false;
    case IsolationLevel::kWriteSerializable:
      // A blind append may be ordered after us, unless we change the schema it was
      // written against.
      return !winner.is_blind_append || footprint.changes_metadata;
    case IsolationLevel::kSerializable:
      return true;
  }
  return true;
}

Status CheckAdds(const TransactionFootprint& footprint, const Snapshot& snapshot,
                 const WinnerSummary& winner, int64_t winner_version, std::string_view table_path) {
  bool reads_something = footprint.read_whole_table || !footprint.read_predicates.empty();
  if (!reads_something || winner.adds.empty() || !AddsCanConflict(footprint, winner)) {
    return Status::OK();
  }
  std::vector<FileSkipper> skippers;
  for (const FilePredicate& predicate : footprint.read_predicates) {
    skippers.emplace_back(snapshot.schema(), snapshot.partition_columns(), predicate);
  }
  for (const AddFile* add : winner.adds) {
    // Rearranged data (OPTIMIZE) adds no rows: the rows it moves were in files we saw,
    // and removing those is checked below.
    if (!add->data_change) continue;
    bool conflict = footprint.read_whole_table;
    std::string why = "this transaction read the whole table";
    for (const FileSkipper& skipper : skippers) {
      if (conflict) break;
      if (skipper.MayMatch(*add)) {
        conflict = true;
        why = "it may hold rows matching this transaction's read predicate " +
              skipper.predicate().ToString();
      }
    }
    if (conflict) {
      return Status::Conflict(
          "ConcurrentAppendException: files were added to Delta table '{}' by a concurrent "
          "update (version {}, operation {}): file '{}' conflicts because {} (isolation level "
          "{}); retry the operation",
          table_path, winner_version, winner.operation, add->path, why,
          IsolationLevelName(footprint.isolation_level));
    }
  }
  return Status::OK();
}

Status CheckRemoves(const TransactionFootprint& footprint, const WinnerSummary& winner,
                    int64_t winner_version, std::string_view table_path) {
  for (const RemoveFile* remove : winner.removes) {
    // A remove without dataChange (OPTIMIZE) re-adds the same rows elsewhere, so what we
    // read from the file is still true; removing it ourselves is checked below.
    if (remove->data_change &&
        (footprint.read_files.count(remove->path) != 0 || footprint.read_whole_table)) {
      return Status::Conflict(
          "ConcurrentDeleteReadException: file '{}' of Delta table '{}', which this "
          "transaction read, was removed by a concurrent update (version {}, operation {}); "
          "retry the operation",
          remove->path, table_path, winner_version, winner.operation);
    }
  }
  for (const RemoveFile* remove : winner.removes) {
    if (footprint.removed_files.count(remove->path) != 0) {
      return Status::Conflict(
          "ConcurrentDeleteDeleteException: file '{}' of Delta table '{}', which this "
          "transaction removes, was already removed by a concurrent update (version {}, "
          "operation {}); retry the operation",
          remove->path, table_path, winner_version, winner.operation);
    }
  }
  return Status::OK();
}

}  // namespace

std::string_view IsolationLevelName(IsolationLevel level) {
  switch (level) {
    case IsolationLevel::kSerializable: return "Serializable";
    case IsolationLevel::kWriteSerializable: return "WriteSerializable";
    case IsolationLevel::kSnapshotIsolation: return "SnapshotIsolation";
  }
  return "Serializable";
}

Result<IsolationLevel> TableIsolationLevel(const Snapshot& snapshot, std::string_view table_path) {
  std::string value = snapshot.Property("delta.isolationLevel", "WriteSerializable");
  if (value == "WriteSerializable") return IsolationLevel::kWriteSerializable;
  if (value == "Serializable") return IsolationLevel::kSerializable;
  return Status::Invalid(
      "Delta table '{}': table property delta.isolationLevel='{}' is not supported (use "
      "Serializable or WriteSerializable)",
      table_path, value);
}

Status CheckConflicts(const TransactionFootprint& footprint, const Snapshot& snapshot,
                      const std::vector<Action>& winner, int64_t winner_version,
                      std::string_view table_path) {
  WinnerSummary summary = Summarize(winner);
  TRIB_RETURN_NOT_OK(CheckProtocolAndMetadata(footprint, snapshot, summary, winner_version, table_path));
  TRIB_RETURN_NOT_OK(CheckAppIds(footprint, summary, winner_version, table_path));
  TRIB_RETURN_NOT_OK(CheckAdds(footprint, snapshot, summary, winner_version, table_path));
  return CheckRemoves(footprint, summary, winner_version, table_path);
}

}  // namespace tributary::delta
