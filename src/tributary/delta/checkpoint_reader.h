#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/delta/actions.h"
#include "tributary/io/file_system.h"

namespace tributary::delta {

/// The parts of one classic checkpoint, as found in a `_delta_log` listing.
struct CheckpointFiles {
  int64_t version = -1;
  /// Paths relative to the table root, in part order: one
  /// `_delta_log/<v>.checkpoint.parquet`, or `<v>.checkpoint.<i>.<n>.parquet` for i=1..n.
  std::vector<std::string> parts;
};

/// Reads the actions (protocol, metaData, txn, add, remove) of a classic single-file
/// or multi-part checkpoint (reference A9) written by Tributary, Spark or delta-rs.
/// add.stats is taken from the JSON `stats` column (a checkpoint holding only
/// stats_parsed yields files without stats, which are never skipped); deletion
/// vectors are kept as AddFile::deletion_vector_id, as in JSON commits.
/// Errors: NotImplemented naming the table and the feature for V2 checkpoint content
/// (sidecar or checkpointMetadata rows); Corruption naming the file when a part is unreadable or a row is malformed.
Result<std::vector<Action>> ReadCheckpoint(io::FileSystem& fs, const std::string& table_path,
                                           const CheckpointFiles& checkpoint);

}  // namespace tributary::delta
