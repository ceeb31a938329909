#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/delta/actions.h"
#include "tributary/delta/snapshot.h"
#include "tributary/io/file_system.h"

namespace tributary::delta {

/// One entry of DESCRIBE HISTORY: a version, when it was committed, and its
/// commitInfo (empty JSON "{}" when the commit has none).
struct HistoryEntry {
  int64_t version = 0;
  /// The commit timestamp by Delta's rules (see ReadCommitTimestamps): the
  /// inCommitTimestamp when the table has them, else the commit file's modification
  /// time made monotonic. What DESCRIBE HISTORY shows, not commitInfo.timestamp.
  int64_t timestamp_ms = 0;
  CommitInfo info;
};

/// The newest `limit` commits of the table at `table_path` whose latest snapshot is
/// `latest` (all when limit <= 0), newest first, from the JSON commits still in the log.
/// Errors: NotFound without a log; Corruption naming an unreadable commit.
Result<std::vector<HistoryEntry>> ReadHistory(io::FileSystem& fs, const std::string& table_path,
                                              const Snapshot& latest, int64_t limit);
/// As above, loading the latest snapshot first.
Result<std::vector<HistoryEntry>> ReadHistory(io::FileSystem& fs, const std::string& table_path,
                                              int64_t limit);

}  // namespace tributary::delta
