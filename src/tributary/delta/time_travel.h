#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/delta/snapshot.h"
#include "tributary/io/file_system.h"

namespace tributary::delta {

/// When a commit happened, as Delta decides it for time travel and DESCRIBE HISTORY.
struct CommitTimestamp {
  int64_t version = 0;
  int64_t timestamp_ms = 0;
};

/// The versions of a table that can still be loaded: from the earliest one whose state
/// can be rebuilt (version 0 while every commit since is kept, else the oldest
/// checkpoint followed by every later commit) to the latest.
struct VersionRange {
  int64_t earliest = 0;
  int64_t latest = -1;
};

/// Lists the log of the table at `table_path` and returns its loadable versions.
/// Errors: NotFound without a log or without any commit or checkpoint.
Result<VersionRange> LoadableVersions(io::FileSystem& fs, const std::string& table_path);

/// The first version whose commit timestamp is its inCommitTimestamp (from
/// delta.inCommitTimestampEnablementVersion, 0 when absent), or nullopt when the table
/// whose latest snapshot is `latest` does not have delta.enableInCommitTimestamps on.
std::optional<int64_t> InCommitTimestampsFrom(const Snapshot& latest);

/// The commit file modification times of the commits in [from, to] that exist,
/// ascending, made monotonic as Delta does: a commit no later than the one before it
/// counts as 1 ms after it.
Result<std::vector<CommitTimestamp>> ReadCommitFileTimes(io::FileSystem& fs, const std::string& table_path,
                                                         int64_t from, int64_t to);

/// The timestamps of the commits in [from, to] that exist, ascending, by Delta's
/// rules: versions from InCommitTimestampsFrom(latest) use their commit's
/// inCommitTimestamp, others ReadCommitFileTimes.
/// Errors: Corruption naming the commit when an inCommitTimestamp is missing.
Result<std::vector<CommitTimestamp>> ReadCommitTimestamps(io::FileSystem& fs, const std::string& table_path,
                                                          const Snapshot& latest, int64_t from, int64_t to);

/// Parses a timestampAsOf value as Spark casts a string to a timestamp: "2026-11-28",
/// "2026-11-28 10:00:00", "2026-11-28T10:00:00.123Z", "...+01:00"; no zone means UTC.
/// Returns microseconds since the epoch. Errors: Invalid quoting the text.
Result<int64_t> ParseTimestampAsOf(std::string_view text);

/// Delta's version at a timestamp: the latest commit whose timestamp is <= `micros`
/// among the loadable versions. Errors: Invalid worded as Delta's
/// DELTA_TIMESTAMP_EARLIER_THAN_COMMIT_RETENTION when `micros` is before the earliest
/// loadable commit, DELTA_TIMESTAMP_GREATER_THAN_COMMIT when it is after the latest.
Result<int64_t> VersionAtTimestamp(io::FileSystem& fs, const std::string& table_path, const Snapshot& latest,
                                   int64_t micros);

/// Checks that `version` can be loaded. Errors: Invalid "Cannot time travel Delta
/// table to version <v>. Available versions: [<earliest>, <latest>]." naming the table.
Status CheckVersionLoadable(io::FileSystem& fs, const std::string& table_path, int64_t version);

/// versionAsOf / timestampAsOf (at most one set).
struct TimeTravelSpec {
  std::optional<int64_t> version;
  /// The timestamp text as the user wrote it (see ParseTimestampAsOf).
  std::optional<std::string> timestamp;

  bool empty() const { return !version && !timestamp; }
};

/// The version `spec` names on the table whose latest snapshot is `latest` (the latest
/// version when `spec` is empty). Errors: Invalid when both are set; as above.
Result<int64_t> ResolveTimeTravel(io::FileSystem& fs, const std::string& table_path, const Snapshot& latest,
                                  const TimeTravelSpec& spec);

/// Loads the snapshot `spec` names. Errors: as ResolveTimeTravel and LoadSnapshot.
Result<std::shared_ptr<const Snapshot>> LoadSnapshotAsOf(io::FileSystem& fs, const std::string& table_path,
                                                         std::shared_ptr<const Snapshot> latest,
                                                         const TimeTravelSpec& spec);

/// "2026-11-28 10:00:00.5" (java.sql.Timestamp's form, in UTC): how Delta's errors
/// print a timestamp.
std::string FormatJavaTimestamp(int64_t micros);

}  // namespace tributary::delta
