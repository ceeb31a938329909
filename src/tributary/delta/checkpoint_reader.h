#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/delta/actions.h"
#include "tributary/io/file_system.h"

namespace tributary::delta {

/// The files of one checkpoint, as found in a `_delta_log` listing.
struct CheckpointFiles {
  int64_t version = -1;
  /// Paths relative to the table root, in part order: one
  /// `_delta_log/<v>.checkpoint.parquet` (V1 or V2 content), `<v>.checkpoint.<i>.<n>.parquet`
  /// for i=1..n, or one V2 `<v>.checkpoint.<uuid>.json` / `.parquet`.
  std::vector<std::string> parts;
};

/// The complete checkpoints of `version` among `names` (file names in `_delta_log`), in
/// the order to try them: the classic single file, V2 UUID-named files, then multi-part
/// sets that have all their parts (incomplete sets are left out, as the protocol says).
std::vector<CheckpointFiles> CompleteCheckpoints(int64_t version,
                                                 const std::vector<std::string>& names);

/// The version named by `_delta_log/_last_checkpoint`, or nullopt when the file is
/// missing, unreadable or does not parse (a torn write): it is only a hint, and the
/// caller then lists the log. Problems other than a missing file are logged.
std::optional<int64_t> ReadLastCheckpointVersion(io::FileSystem& fs, const std::string& table_path);

/// Reads the actions (protocol, metaData, txn, add, remove) of a checkpoint written by
/// Tributary, Spark or delta-rs (reference A9): classic single-file or multi-part, and V2
/// checkpoints (feature v2Checkpoint) in JSON or Parquet, whose add/remove actions may sit
/// in sidecar files `_delta_log/_sidecars/<name>.parquet`; the checkpointMetadata and
/// sidecar actions themselves are consumed, not returned. Other actions of a JSON
/// checkpoint (e.g. domainMetadata) are returned as OtherAction.
/// add.stats is taken from the JSON `stats` column (a Parquet checkpoint holding only
/// stats_parsed yields files without stats, which are never skipped); deletion
/// vectors are kept as AddFile::deletion_vector_id, as in JSON commits.
/// Errors: NotFound when a part is missing; Corruption naming the file when a part or a
/// sidecar is missing or unreadable, or a row is malformed.
Result<std::vector<Action>> ReadCheckpoint(io::FileSystem& fs, const std::string& table_path,
                                           const CheckpointFiles& checkpoint);

}  // namespace tributary::delta
