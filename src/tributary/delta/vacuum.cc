#include "tributary/delta/vacuum.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "tributary/base/log.h"
#include "tributary/delta/deletion_vector.h"
#include "tributary/delta/protocol_support.h"
#include "tributary/delta/table.h"
#include "tributary/delta/table_properties.h"
#include "tributary/delta/transaction.h"

namespace tributary::delta {
namespace {

constexpr int64_t kMsPerHour = 3600 * 1000;

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One file or directory under the table root, by its path relative to the root.
struct Entry {
  std::string relative_path;
  int64_t size = 0;
  int64_t modification_time_ms = 0;
  bool is_directory = false;
};

bool IcebergEnabled(const Snapshot& snapshot) {
  return snapshot.Property("delta.universalFormat.enabledFormats", "").find("iceberg") != std::string::npos;
}

// delta-spark's DeltaTableUtils.isHiddenDirectory, applied to file and directory
// names alike: '_' and '.' names are not the table's data, except partition
// directories and the two data-bearing underscore directories.
bool IsHidden(const std::string& name, const std::vector<std::string>& partition_columns, bool iceberg) {
  if (iceberg && name == "metadata") return true;
  if (name.empty() || (name[0] != '_' && name[0] != '.')) return false;
  if (name.starts_with("_delta_index") || name.starts_with("_change_data")) return false;
  for (const std::string& column : partition_columns) {
    if (name.starts_with(column + "=")) return false;
  }
  return true;
}

Status Walk(io::FileSystem& fs, const std::string& root, const std::string& relative_dir,
            const std::vector<std::string>& partition_columns, bool iceberg, std::vector<Entry>* out) {
  std::string dir = relative_dir.empty() ? root : io::JoinPath(root, relative_dir);
  TRIB_ASSIGN_OR_RETURN(std::vector<io::FileInfo> listing, fs.ListDirectory(dir));
  for (const io::FileInfo& info : listing) {
    std::string name = info.path.substr(info.path.find_last_of('/') + 1);
    if (IsHidden(name, partition_columns, iceberg)) continue;
    std::string relative = relative_dir.empty() ? name : relative_dir + "/" + name;
    out->push_back(Entry{relative, info.size, info.modification_time_ms, info.is_directory});
    if (info.is_directory) TRIB_RETURN_NOT_OK(Walk(fs, root, relative, partition_columns, iceberg, out));
  }
  return Status::OK();
}

// `path` and every directory above it ("a/b/f" -> "a/b/f", "a/b", "a").
void InsertWithParents(std::string path, std::set<std::string>* out) {
  while (!path.empty()) {
    out->insert(path);
    size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) break;
    path.resize(slash);
  }
}

// The path of a data file (add.path / remove.path) relative to the table root;
// nullopt for a file outside the table, which VACUUM never touches.
Result<std::optional<std::string>> RelativeDataPath(const std::string& root, const std::string& uri) {
  TRIB_ASSIGN_OR_RETURN(std::string absolute, DataFilePath(root, uri));
  if (!absolute.starts_with(root + "/")) return std::optional<std::string>();
  return std::optional<std::string>(absolute.substr(root.size() + 1));
}

// A referenced data file and its on-disk deletion vector file, with their directories.
Status InsertReferenced(const std::string& root, const std::string& uri,
                        const std::optional<DeletionVectorDescriptor>& deletion_vector, std::set<std::string>* valid) {
  TRIB_ASSIGN_OR_RETURN(std::optional<std::string> relative, RelativeDataPath(root, uri));
  if (relative) InsertWithParents(*relative, valid);
  if (deletion_vector && deletion_vector->storage_type != "i") {
    TRIB_ASSIGN_OR_RETURN(std::string dv_path, DeletionVectorFilePath(root, *deletion_vector));
    if (dv_path.starts_with(root + "/")) InsertWithParents(dv_path.substr(root.size() + 1), valid);
  }
  return Status::OK();
}

// The files a reader of any version within the retention may still open.
Result<std::set<std::string>> ReferencedPaths(const std::string& root, const Snapshot& snapshot,
                                              int64_t delete_before_ms) {
  std::set<std::string> valid;
  for (const AddFile& file : snapshot.files()) {
    TRIB_RETURN_NOT_OK(InsertReferenced(root, file.path, file.deletion_vector, &valid));
  }
  for (const RemoveFile& tombstone : snapshot.tombstones()) {
    if (tombstone.deletion_timestamp.value_or(0) < delete_before_ms) continue;
    TRIB_RETURN_NOT_OK(InsertReferenced(root, tombstone.path, tombstone.deletion_vector, &valid));
  }
  return valid;
}

Status CheckRetention(const std::string& table_path, std::optional<int64_t> retention_ms, int64_t configured_ms,
                      bool force) {
  if (force || !retention_ms || *retention_ms >= configured_ms) return Status::OK();
  int64_t safe_hours = (configured_ms + kMsPerHour - 1) / kMsPerHour;
  return Status::Invalid(
      "VACUUM of Delta table '{}': are you sure you would like to vacuum files with such a low retention "
      "period ({} hours)? If writers are currently writing to this table, there is a risk that you may corrupt "
      "the state of the Delta table. If you are certain that no operations are being performed on this table, "
      "such as insert/upsert/delete/optimize, you may turn off this check with --force (in Spark: "
      "spark.databricks.delta.retentionDurationCheck.enabled = false). If you are not sure, please use a value "
      "not less than \"{} hours\" (delta.deletedFileRetentionDuration).",
      table_path, *retention_ms / kMsPerHour, safe_hours);
}

// Delta's empty VACUUM START / VACUUM END commits, which record the vacuum in history.
Result<int64_t> CommitMarker(Table& table, CommitOperation operation) {
  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, Transaction::Begin(table));
  operation.is_blind_append = true;
  txn->SetOperation(std::move(operation));
  return txn->Commit();
}

struct Plan {
  std::vector<Entry> files;        // to delete
  std::vector<std::string> directories;  // to delete when empty, deepest first
  int64_t num_bytes = 0;
  int64_t num_directories = 1;     // the root
};

// delta-spark's diff: old unreferenced files, and directories with neither a
// referenced file nor an old file below them.
Plan PlanDeletion(const std::vector<Entry>& entries, const std::set<std::string>& valid, int64_t delete_before_ms) {
  Plan plan;
  std::set<std::string> busy_directories;
  for (const Entry& entry : entries) {
    if (entry.is_directory) {
      ++plan.num_directories;
      continue;
    }
    if (entry.modification_time_ms >= delete_before_ms) continue;
    std::string parent = entry.relative_path;
    while (true) {
      size_t slash = parent.find_last_of('/');
      if (slash == std::string::npos) break;
      parent.resize(slash);
      busy_directories.insert(parent);
    }
    if (valid.count(entry.relative_path) != 0) continue;
    plan.files.push_back(entry);
    plan.num_bytes += entry.size;
  }
  for (const Entry& entry : entries) {
    if (!entry.is_directory) continue;
    if (valid.count(entry.relative_path) != 0 || busy_directories.count(entry.relative_path) != 0) continue;
    plan.directories.push_back(entry.relative_path);
  }
  // Children before parents, so a directory holding only empty directories goes too.
  std::stable_sort(plan.directories.begin(), plan.directories.end(), [](const std::string& a, const std::string& b) {
    return std::count(a.begin(), a.end(), '/') > std::count(b.begin(), b.end(), '/');
  });
  return plan;
}

// Deletes what the plan holds; returns how many entries went.
int64_t Delete(io::FileSystem& fs, const std::string& root, const Plan& plan) {
  int64_t deleted = 0;
  for (const Entry& file : plan.files) {
    Status status = fs.DeleteFile(io::JoinPath(root, file.relative_path));
    if (status.ok()) {
      ++deleted;
    } else {
      log::Warn("VACUUM: {}", status.ToString());
    }
  }
  for (const std::string& directory : plan.directories) {
    Status status = fs.DeleteEmptyDirectory(io::JoinPath(root, directory));
    if (status.ok()) {
      ++deleted;
    } else if (!status.IsAlreadyExists()) {
      log::Warn("VACUUM: {}", status.ToString());
    }
  }
  return deleted;
}

}  // namespace

Result<VacuumResult> Vacuum(Table& table, const VacuumOptions& options) {
  TRIB_RETURN_NOT_OK(table.Refresh());
  std::shared_ptr<const Snapshot> snapshot = table.snapshot_ptr();
  const std::string root = io::AbsolutePath(table.path());
  TRIB_RETURN_NOT_OK(CheckAppendSupported(*snapshot, root));
  TRIB_ASSIGN_OR_RETURN(int64_t configured_ms, IntervalProperty(snapshot->configuration(),
                                                                kDeletedFileRetentionDuration,
                                                                kDefaultDeletedFileRetentionDuration));
  std::optional<int64_t> retention_ms;
  if (options.retain_hours) {
    if (*options.retain_hours < 0 || !std::isfinite(*options.retain_hours)) {
      return Status::Invalid("VACUUM of Delta table '{}': the retention can't be less than 0 hours (got {})", root,
                             *options.retain_hours);
    }
    retention_ms = std::llround(*options.retain_hours) * kMsPerHour;
  }
  TRIB_RETURN_NOT_OK(CheckRetention(root, retention_ms, configured_ms, options.force));

  VacuumResult result;
  int64_t now_ms = options.now_ms != 0 ? options.now_ms : SystemNowMs();
  result.delete_before_ms = now_ms - retention_ms.value_or(configured_ms);
  TRIB_ASSIGN_OR_RETURN(std::set<std::string> valid, ReferencedPaths(root, *snapshot, result.delete_before_ms));
  std::vector<Entry> entries;
  TRIB_RETURN_NOT_OK(Walk(table.fs(), root, "", snapshot->partition_columns(), IcebergEnabled(*snapshot), &entries));
  Plan plan = PlanDeletion(entries, valid, result.delete_before_ms);
  for (const Entry& file : plan.files) result.paths.push_back(io::JoinPath(root, file.relative_path));
  for (const std::string& directory : plan.directories) result.paths.push_back(io::JoinPath(root, directory));
  std::sort(result.paths.begin(), result.paths.end());
  result.num_bytes = plan.num_bytes;
  result.num_directories = plan.num_directories;
  if (options.dry_run) {
    log::Info("VACUUM DRY RUN of Delta table '{}': {} files and directories ({} bytes) are safe to delete", root,
              result.paths.size(), result.num_bytes);
    return result;
  }

  CommitOperation start;
  start.name = "VACUUM START";
  // delta-spark writes these as a JSON boolean and numbers.
  start.json_parameters = {{"retentionCheckEnabled", options.force ? "false" : "true"},
                           {"defaultRetentionMillis", std::to_string(configured_ms)}};
  if (retention_ms) start.json_parameters.emplace_back("specifiedRetentionMillis", std::to_string(*retention_ms));
  start.metrics = {{"numFilesToDelete", static_cast<int64_t>(result.paths.size())},
                   {"sizeOfDataToDelete", result.num_bytes}};
  TRIB_ASSIGN_OR_RETURN(int64_t start_version, CommitMarker(table, std::move(start)));
  result.start_version = start_version;

  result.num_deleted = Delete(table.fs(), root, plan);

  CommitOperation end;
  end.name = "VACUUM END";
  end.parameters = {{"status", "COMPLETED"}};
  end.metrics = {{"numDeletedFiles", result.num_deleted}, {"numVacuumedDirectories", result.num_directories}};
  TRIB_ASSIGN_OR_RETURN(int64_t end_version, CommitMarker(table, std::move(end)));
  result.end_version = end_version;
  // delta-spark's bookkeeping for its lite (log-based) VACUUM: a full VACUUM leaves no
  // version outside the retention to start from, which it writes as an empty object.
  Status info = table.fs().WriteFileAtomic(io::JoinPath(root, "_delta_log/_last_vacuum_info"), "{}");
  if (!info.ok()) log::Warn("VACUUM of Delta table '{}': {}", root, info.ToString());
  log::Info("VACUUM of Delta table '{}': deleted {} files and directories ({} bytes) in {} directories", root,
            result.num_deleted, result.num_bytes, result.num_directories);
  return result;
}

}  // namespace tributary::delta
