#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tributary/base/result.h"
#include "tributary/delta/snapshot.h"
#include "tributary/io/file_system.h"

namespace tributary::delta {

struct LogCleanupOptions {
  /// The current time in ms since the epoch; the system clock when unset.
  std::optional<int64_t> now_ms;
};

/// What CleanUpExpiredLogs did.
struct LogCleanupResult {
  /// The checkpoint the log now starts from; nullopt when no checkpoint was old enough
  /// (or cleanup is disabled) and nothing was deleted.
  std::optional<int64_t> kept_checkpoint;
  int64_t files_deleted = 0;
};

/// Deletes the `_delta_log` files that no version within the table's log retention
/// needs, as Delta's metadata cleanup does after a checkpoint. The cutoff is now minus
/// delta.logRetentionDuration (default "interval 30 days"), rounded down to midnight UTC
/// (so files may outlive it by up to a day, as in Spark). The newest complete checkpoint
/// at or before `snapshot` whose version is older than the cutoff is kept, and every
/// commit, checkpoint and `.crc` file of an earlier version is deleted, with log
/// compaction files starting at or before it. A version's age is its commit file's
/// modification time, made increasing in version order so that a clock going backwards
/// cannot make a later version look older; the inCommitTimestamp of the kept checkpoint's
/// commit when delta.enableInCommitTimestamps is true. Nothing happens when
/// delta.enableExpiredLogCleanup is false. V2 checkpoint sidecars are left alone.
/// Errors: Invalid naming the property when one does not parse; I/O errors from
/// listing or deleting (files deleted before the error stay deleted, oldest first, so the
/// log stays loadable).
Result<LogCleanupResult> CleanUpExpiredLogs(io::FileSystem& fs, const std::string& table_path,
                                            const Snapshot& snapshot,
                                            const LogCleanupOptions& options = {});

}  // namespace tributary::delta
