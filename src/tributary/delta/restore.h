#pragma once

#include <cstdint>

#include "tributary/base/result.h"
#include "tributary/delta/table.h"
#include "tributary/delta/time_travel.h"

namespace tributary::delta {

/// What a RESTORE did: Delta's operationMetrics of its commit, and the versions.
struct RestoreMetrics {
  int64_t table_size_after_restore = 0;   // tableSizeAfterRestore
  int64_t num_of_files_after_restore = 0;  // numOfFilesAfterRestore
  int64_t num_removed_files = 0;           // numRemovedFiles
  int64_t num_restored_files = 0;          // numRestoredFiles
  int64_t removed_files_size = 0;          // removedFilesSize
  int64_t restored_files_size = 0;         // restoredFilesSize
  /// The version restored (the one `target` named).
  int64_t restored_version = 0;
  /// The version the RESTORE committed.
  int64_t version = 0;
};

/// RESTORE TABLE ... TO VERSION AS OF / TIMESTAMP AS OF, as Delta does it: one commit
/// (operation "RESTORE", operationParameters version and timestamp) that adds, with
/// dataChange=true, the files live at the target version and not now, and removes the
/// files live now and not then; the target version's metaData; the current protocol
/// merged with the target's (never downgraded). `table` is refreshed first and its
/// snapshot advances to the new version.
/// Errors: as ResolveTimeTravel for the target, but worded as RESTORE's own
/// (DELTA_CANNOT_RESTORE_TABLE_VERSION, DELTA_CANNOT_RESTORE_TIMESTAMP_GREATER /
/// _EARLIER); Invalid naming the file when a data file or deletion vector file the
/// target needs is gone (removed by VACUUM); Invalid for an append-only table that
/// would lose files (DELTA_CANNOT_MODIFY_APPEND_ONLY); a commit's errors (Conflict when
/// a concurrent commit changed the table). Files come back with the deletion vector
/// they had at the target version (a file whose vector changed since is removed with
/// today's and added with that one).
Result<RestoreMetrics> RestoreTable(Table& table, const TimeTravelSpec& target);

/// The protocol that supports everything `a` and `b` do: the higher reader and writer
/// versions and the union of their features (a legacy side's implied features named
/// when the result uses table features).
Protocol MergeProtocols(const Protocol& a, const Protocol& b);

}  // namespace tributary::delta
