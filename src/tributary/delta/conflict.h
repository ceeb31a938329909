#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/base/status.h"
#include "tributary/delta/actions.h"
#include "tributary/delta/data_skipping.h"
#include "tributary/delta/snapshot.h"

namespace tributary::delta {

/// How strictly a transaction is isolated from the commits that won versions after
/// its read snapshot (Delta's isolation levels, written to commitInfo.isolationLevel).
enum class IsolationLevel {
  /// Files added by a concurrent commit that may hold rows this transaction read are a
  /// conflict, whoever added them.
  kSerializable,
  /// As Serializable, except that files added by concurrent blind appends
  /// (commitInfo.isBlindAppend) do not conflict: the append is ordered after this
  /// transaction. Delta's default (table property delta.isolationLevel).
  kWriteSerializable,
  /// For transactions that change no data (dataChange=false everywhere, e.g. OPTIMIZE):
  /// concurrent adds never conflict.
  kSnapshotIsolation,
};

/// "Serializable", "WriteSerializable" or "SnapshotIsolation", as Delta spells them.
std::string_view IsolationLevelName(IsolationLevel level);

/// The isolation level the table asks for with delta.isolationLevel (WriteSerializable
/// when unset). Errors: Invalid naming the table and the value when it is neither
/// Serializable nor WriteSerializable.
Result<IsolationLevel> TableIsolationLevel(const Snapshot& snapshot, std::string_view table_path);

/// What a transaction read and changes, for Delta's optimistic conflict detection
/// (reference A8).
struct TransactionFootprint {
  IsolationLevel isolation_level = IsolationLevel::kWriteSerializable;
  /// The transaction depends on every row of the table (any concurrent add or
  /// remove is a conflict).
  bool read_whole_table = false;
  /// The transaction depends on the rows satisfying any of these predicates: a
  /// concurrent add that may hold such a row is a ConcurrentAppend conflict.
  std::vector<FilePredicate> read_predicates;
  /// Paths (as in add.path) of the files read.
  std::set<std::string> read_files;
  /// Paths of the files this transaction removes.
  std::set<std::string> removed_files;
  /// txn app ids this transaction read or writes.
  std::set<std::string> read_app_ids;
  /// The transaction commits a metaData or protocol action itself.
  bool changes_metadata = false;
  /// The transaction commits a protocol action itself.
  bool changes_protocol = false;
};

/// Checks the winning commit `winner` (table version `winner_version`, committed after
/// this transaction's read snapshot) against the transaction's footprint, in Delta's
/// order: protocol, metadata, txn app ids, added files, removed files read, removed
/// files removed. A winner's protocol change is no conflict when this transaction
/// changes no protocol itself, no feature was dropped and this writer supports the new
/// protocol (as Delta resolves it). OK when the transaction may commit after it; otherwise Conflict whose
/// message starts with Delta's exception name (ProtocolChangedException,
/// MetadataChangedException, ConcurrentTransactionException, ConcurrentAppendException,
/// ConcurrentDeleteReadException, ConcurrentDeleteDeleteException) and names the
/// table, the winning version and its operation, and the file or app id involved.
/// `snapshot` is the snapshot the transaction read: its version is named in metadata
/// and protocol conflicts, its schema and partition columns are what the read
/// predicates refer to.
Status CheckConflicts(const TransactionFootprint& footprint, const Snapshot& snapshot,
                      const std::vector<Action>& winner, int64_t winner_version,
                      std::string_view table_path);

}  // namespace tributary::delta
