#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tributary/base/status.h"
#include "tributary/delta/snapshot.h"
#include "tributary/io/file_system.h"

namespace tributary::delta {

/// Writes the classic checkpoint `_delta_log/<v>.checkpoint.parquet` for `snapshot`
/// (reference A9): one row per action, with top-level struct columns txn, add,
/// remove, metaData and protocol, exactly one non-null per row (add.stats as a JSON
/// string), then `_delta_log/_last_checkpoint` {"version","size","sizeInBytes",
/// "numOfAddFiles"}. Tombstones older than delta.deletedFileRetentionDuration (default
/// "interval 1 week") are left out, as Spark does. Both files are replaced atomically, so a reader never sees a part.
/// Errors: NotImplemented when the snapshot holds actions a checkpoint would have to
/// carry that this engine does not model (e.g. domainMetadata, deletion vectors);
/// IOError from storage.
Status WriteCheckpoint(io::FileSystem& fs, const std::string& table_path, const Snapshot& snapshot);

/// WriteCheckpoint, then CleanUpExpiredLogs (log_cleanup.h). A cleanup failure is
/// logged, not returned: the checkpoint is written, and the log is only longer than it
/// needs to be. Errors: as WriteCheckpoint.
Status WriteCheckpointAndCleanUp(io::FileSystem& fs, const std::string& table_path,
                                 const Snapshot& snapshot);

/// The schema of a checkpoint file written by WriteCheckpoint.
columnar::Schema CheckpointSchema();

}  // namespace tributary::delta
