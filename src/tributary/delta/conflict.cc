#include "tributary/delta/conflict.h"

#include "tributary/base/json.h"

namespace tributary::delta {
namespace {

std::string OperationOf(const std::vector<Action>& winner) {
  for (const Action& action : winner) {
    if (const auto* info = std::get_if<CommitInfo>(&action)) {
      auto parsed = ParseJson(info->json);
      if (!parsed.ok()) return "unknown";
      const JsonValue* op = parsed->Find("operation");
      if (op != nullptr && op->is_string()) return op->string_value();
    }
  }
  return "unknown";
}

}  // namespace

Status CheckConflicts(const TransactionFootprint& footprint, const Snapshot& snapshot,
                      const std::vector<Action>& winner, int64_t winner_version,
                      std::string_view table_path) {
  std::string operation = OperationOf(winner);
  for (const Action& action : winner) {
    bool protocol = std::holds_alternative<Protocol>(action);
    if (protocol || std::holds_alternative<Metadata>(action)) {
      return Status::Conflict(
          "{}: the {} of Delta table '{}' was changed by a concurrent update (version {}, "
          "operation {}); this transaction read version {} and must be redone against the new "
          "table state",
          protocol ? "ProtocolChangedException" : "MetadataChangedException",
          protocol ? "protocol" : "metadata", table_path, winner_version, operation,
          snapshot.version());
    }
  }
  std::vector<FileSkipper> skippers;
  for (const FilePredicate& predicate : footprint.read_predicates) {
    skippers.emplace_back(snapshot.schema(), snapshot.partition_columns(), predicate);
  }
  for (const Action& action : winner) {
    if (const auto* add = std::get_if<AddFile>(&action)) {
      if (!add->data_change) continue;  // rearranged data (OPTIMIZE) adds no rows
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
            "update (version {}, operation {}): file '{}' conflicts because {}; retry the "
            "operation",
            table_path, winner_version, operation, add->path, why);
      }
    } else if (const auto* remove = std::get_if<RemoveFile>(&action)) {
      // Delta's order: a data-changing remove of something read first, then a remove
      // of something this transaction removes too.
      if (remove->data_change &&
          (footprint.read_files.count(remove->path) != 0 || footprint.read_whole_table)) {
        return Status::Conflict(
            "ConcurrentDeleteReadException: file '{}' of Delta table '{}', which this "
            "transaction read, was removed by a concurrent update (version {}, operation {}); "
            "retry the operation",
            remove->path, table_path, winner_version, operation);
      }
      if (footprint.removed_files.count(remove->path) != 0) {
        return Status::Conflict(
            "ConcurrentDeleteDeleteException: file '{}' of Delta table '{}', which this "
            "transaction removes, was already removed by a concurrent update (version {}, "
            "operation {}); retry the operation",
            remove->path, table_path, winner_version, operation);
      }
    } else if (const auto* txn = std::get_if<SetTransaction>(&action)) {
      if (footprint.read_app_ids.count(txn->app_id) != 0) {
        return Status::Conflict(
            "ConcurrentTransactionException: a concurrent update (version {}, operation {}) of "
            "Delta table '{}' committed for application '{}' (txn version {}), which this "
            "transaction also writes; this happens when one streaming query or idempotent "
            "writer runs twice at once",
            winner_version, operation, table_path, txn->app_id, txn->version);
      }
    }
  }
  return Status::OK();
}

}  // namespace tributary::delta
