#include "tributary/delta/restore.h"

#include <algorithm>
#include <map>
#include <set>

#include "tributary/base/ascii.h"
#include "tributary/base/json.h"
#include "tributary/delta/deletion_vector.h"
#include "tributary/delta/table_detail.h"
#include "tributary/delta/transaction.h"

namespace tributary::delta {
namespace {

/// A file's identity in log replay: its path and its deletion vector.
std::string FileKey(const AddFile& file) { return file.path + '\n' + file.deletion_vector_id; }

std::map<std::string, const AddFile*> ByKey(const Snapshot& snapshot) {
  std::map<std::string, const AddFile*> files;
  for (const AddFile& file : snapshot.files()) files[FileKey(file)] = &file;
  return files;
}

/// Features only a reader must know of (reader and writer features in Delta's list).
bool IsReaderWriterFeature(std::string_view name) {
  static const std::set<std::string_view> kReaderWriter = {
      "columnMapping", "deletionVectors", "timestampNtz", "typeWidening", "typeWidening-preview",
      "v2Checkpoint", "vacuumProtocolCheck", "variantType", "variantType-preview", "catalogManaged"};
  return kReaderWriter.count(name) > 0;
}

Status CheckDataFilesExist(io::FileSystem& fs, const std::string& table_path, const std::vector<AddFile>& files,
                           int64_t version) {
  for (const AddFile& file : files) {
    TRIB_ASSIGN_OR_RETURN(std::string path, DataFilePath(table_path, file.path));
    TRIB_ASSIGN_OR_RETURN(bool exists, fs.Exists(path));
    if (!exists) {
      return Status::Invalid("cannot restore '{}' to version {}: its data file '{}' is gone (removed by VACUUM?); "
                             "restore a later version whose files are all still there",
                             table_path, version, path);
    }
    // The file comes back with the deletion vector it had then, so that file must be
    // there too (inline vectors live in the log).
    if (file.deletion_vector && file.deletion_vector->storage_type != "i") {
      TRIB_ASSIGN_OR_RETURN(std::string dv_path, DeletionVectorFilePath(table_path, *file.deletion_vector));
      TRIB_ASSIGN_OR_RETURN(bool dv_exists, fs.Exists(dv_path));
      if (!dv_exists) {
        return Status::Invalid("cannot restore '{}' to version {}: the deletion vector file '{}' of data file '{}' "
                               "is gone (removed by VACUUM?); restore a later version whose files are all still there",
                               table_path, version, dv_path, path);
      }
    }
  }
  return Status::OK();
}

CommitOperation RestoreOperation(const TimeTravelSpec& target, int64_t version, const RestoreMetrics& metrics) {
  CommitOperation operation;
  operation.name = "RESTORE";
  // Delta writes both as JSON values (not strings, unlike other operations' parameters);
  // the one not given is null.
  std::string timestamp = "null";
  if (target.timestamp) {
    timestamp.clear();
    AppendJsonString(&timestamp, *target.timestamp);
  }
  operation.json_parameters = {{"version", target.timestamp ? "null" : std::to_string(version)},
                               {"timestamp", timestamp}};
  operation.metrics = {{"numRestoredFiles", metrics.num_restored_files},
                       {"removedFilesSize", metrics.removed_files_size},
                       {"numRemovedFiles", metrics.num_removed_files},
                       {"restoredFilesSize", metrics.restored_files_size},
                       {"numOfFilesAfterRestore", metrics.num_of_files_after_restore},
                       {"tableSizeAfterRestore", metrics.table_size_after_restore}};
  return operation;
}

/// RESTORE words two of the time travel errors its own way.
Status CheckRestoreTarget(Table& table, const Snapshot& current, const TimeTravelSpec& target) {
  if (target.version && !target.timestamp) {
    TRIB_ASSIGN_OR_RETURN(VersionRange range, LoadableVersions(table.fs(), table.path()));
    if (*target.version < range.earliest || *target.version > range.latest) {
      return Status::Invalid("[DELTA_CANNOT_RESTORE_TABLE_VERSION] Cannot restore table to version {}. Available "
                             "versions: [{}, {}].",
                             *target.version, range.earliest, range.latest);
    }
  }
  if (target.timestamp && !target.version) {
    TRIB_ASSIGN_OR_RETURN(int64_t micros, ParseTimestampAsOf(*target.timestamp));
    TRIB_ASSIGN_OR_RETURN(std::vector<CommitTimestamp> latest,
                          ReadCommitTimestamps(table.fs(), table.path(), current, current.version(), current.version()));
    if (!latest.empty() && micros > latest.back().timestamp_ms * 1000) {
      return Status::Invalid("[DELTA_CANNOT_RESTORE_TIMESTAMP_GREATER] Cannot restore table to timestamp ({}) as it "
                             "is after the latest version available. Please use a timestamp before ({})",
                             FormatJavaTimestamp(micros), FormatJavaTimestamp(latest.back().timestamp_ms * 1000));
    }
    TRIB_ASSIGN_OR_RETURN(VersionRange range, LoadableVersions(table.fs(), table.path()));
    TRIB_ASSIGN_OR_RETURN(std::vector<CommitTimestamp> earliest,
                          ReadCommitTimestamps(table.fs(), table.path(), current, range.earliest, range.earliest));
    if (!earliest.empty() && micros < earliest.front().timestamp_ms * 1000) {
      return Status::Invalid("[DELTA_CANNOT_RESTORE_TIMESTAMP_EARLIER] Cannot restore table to timestamp ({}) as it "
                             "is before the earliest version available. Please use a timestamp after ({})",
                             FormatJavaTimestamp(micros), FormatJavaTimestamp(earliest.front().timestamp_ms * 1000));
    }
  }
  return Status::OK();
}

}  // namespace

Protocol MergeProtocols(const Protocol& a, const Protocol& b) {
  Protocol merged;
  merged.min_reader_version = std::max(a.min_reader_version, b.min_reader_version);
  merged.min_writer_version = std::max(a.min_writer_version, b.min_writer_version);
  if (merged.min_writer_version >= 7) {
    std::set<std::string> writer;
    for (const Protocol* side : {&a, &b}) {
      for (const std::string& feature : SupportedTableFeatures(*side)) writer.insert(feature);
    }
    merged.writer_features = std::vector<std::string>(writer.begin(), writer.end());
  }
  if (merged.min_reader_version >= 3) {
    std::set<std::string> reader;
    for (const Protocol* side : {&a, &b}) {
      for (const std::string& feature : SupportedTableFeatures(*side)) {
        if (IsReaderWriterFeature(feature)) reader.insert(feature);
      }
    }
    merged.reader_features = std::vector<std::string>(reader.begin(), reader.end());
  }
  return merged;
}

Result<RestoreMetrics> RestoreTable(Table& table, const TimeTravelSpec& target) {
  TRIB_RETURN_NOT_OK(table.Refresh());
  std::shared_ptr<const Snapshot> current = table.snapshot_ptr();
  TRIB_RETURN_NOT_OK(CheckRestoreTarget(table, *current, target).WithContext(table.path()));
  TRIB_ASSIGN_OR_RETURN(int64_t version, ResolveTimeTravel(table.fs(), table.path(), *current, target));
  TRIB_ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> restored, LoadSnapshotAsOf(table.fs(), table.path(), current,
                                                                                   TimeTravelSpec{version, {}}));
  std::map<std::string, const AddFile*> now = ByKey(*current);
  std::map<std::string, const AddFile*> then = ByKey(*restored);
  std::vector<AddFile> to_add;
  std::vector<const AddFile*> to_remove;
  for (const auto& [key, file] : then) {
    if (!now.count(key)) to_add.push_back(*file);
  }
  for (const auto& [key, file] : now) {
    if (!then.count(key)) to_remove.push_back(file);
  }
  if (!to_remove.empty() && EqualsIgnoreCase(current->Property("delta.appendOnly", "false"), "true")) {
    return Status::Invalid("[DELTA_CANNOT_MODIFY_APPEND_ONLY] This table is configured to only allow appends "
                           "(delta.appendOnly=true): restoring '{}' to version {} would remove {} files",
                           table.path(), version, to_remove.size());
  }
  TRIB_RETURN_NOT_OK(CheckDataFilesExist(table.fs(), table.path(), to_add, version));

  RestoreMetrics metrics;
  metrics.restored_version = version;
  metrics.num_of_files_after_restore = static_cast<int64_t>(restored->files().size());
  for (const AddFile& file : restored->files()) metrics.table_size_after_restore += file.size;
  metrics.num_restored_files = static_cast<int64_t>(to_add.size());
  for (const AddFile& file : to_add) metrics.restored_files_size += file.size;
  metrics.num_removed_files = static_cast<int64_t>(to_remove.size());
  for (const AddFile* file : to_remove) metrics.removed_files_size += file->size;

  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> transaction, Transaction::Begin(table, current));
  transaction->ReadWholeTable();
  for (AddFile& file : to_add) {
    file.data_change = true;
    transaction->Add(std::move(file));
  }
  for (const AddFile* file : to_remove) transaction->Remove(*file, /*data_change=*/true);
  if (!(restored->metadata() == current->metadata())) transaction->SetMetadata(restored->metadata());
  Protocol protocol = MergeProtocols(current->protocol(), restored->protocol());
  if (!(protocol == current->protocol())) transaction->SetProtocol(protocol);
  transaction->SetOperation(RestoreOperation(target, version, metrics));
  TRIB_ASSIGN_OR_RETURN(metrics.version, transaction->Commit());
  return metrics;
}

}  // namespace tributary::delta
