#include "tributary/delta/optimize.h"

#include <algorithm>
#include <map>

#include "tributary/base/json.h"
#include "tributary/base/log.h"
#include "tributary/delta/append_transaction.h"
#include "tributary/delta/partition.h"
#include "tributary/delta/scan.h"
#include "tributary/delta/table.h"
#include "tributary/delta/transaction.h"

namespace tributary::delta {
namespace {

using Bin = std::vector<AddFile>;

std::string JsonStringArray(const std::vector<std::string>& values) {
  JsonWriter writer;
  writer.StartArray();
  for (const std::string& value : values) writer.String(value);
  writer.EndArray();
  return writer.Finish();
}

// The live files the filter selects, grouped by partition (each group in path order).
Result<std::map<PartitionValues, std::vector<AddFile>>> SelectPartitions(const Snapshot& snapshot,
                                                                         const PartitionFilter& filter) {
  std::map<PartitionValues, std::vector<AddFile>> partitions;
  std::map<PartitionValues, bool> decided;
  for (const AddFile& file : snapshot.files()) {
    auto [it, inserted] = decided.try_emplace(file.partition_values, true);
    if (inserted && filter) {
      TRIB_ASSIGN_OR_RETURN(it->second, filter(file.partition_values));
    }
    if (it->second) partitions[file.partition_values].push_back(file);
  }
  return partitions;
}

// delta-spark's shouldCompactBecauseOfDeletedRows.
bool HasTooManyDeletedRows(const AddFile& file, double max_ratio) {
  if (!file.deletion_vector) return false;
  auto stats = ParseJson(file.stats);
  const JsonValue* records = stats.ok() ? stats->Find("numRecords") : nullptr;
  if (records == nullptr || !records->is_int() || records->int_value() <= 0) return true;
  return static_cast<double>(file.deletion_vector->cardinality) / static_cast<double>(records->int_value()) >
         max_ratio;
}

// delta-spark's groupFilesIntoBins: the selected files in ascending size, a new bin
// whenever the next file would overflow max_file_size; bins of one file are dropped
// (rewriting a file alone gains nothing).
std::vector<Bin> PackBins(std::vector<AddFile> files, const OptimizeOptions& options) {
  files.erase(std::remove_if(files.begin(), files.end(),
                             [&](const AddFile& file) {
                               return file.size >= options.min_file_size &&
                                      !HasTooManyDeletedRows(file, options.max_deleted_rows_ratio);
                             }),
              files.end());
  std::stable_sort(files.begin(), files.end(),
                   [](const AddFile& a, const AddFile& b) { return a.size < b.size; });
  std::vector<Bin> bins;
  Bin current;
  int64_t current_size = 0;
  for (AddFile& file : files) {
    if (!current.empty() && current_size + file.size > options.max_file_size) {
      bins.push_back(std::move(current));
      current.clear();
      current_size = 0;
    }
    current_size += file.size;
    current.push_back(std::move(file));
  }
  if (!current.empty()) bins.push_back(std::move(current));
  bins.erase(std::remove_if(bins.begin(), bins.end(), [](const Bin& bin) { return bin.size() < 2; }),
             bins.end());
  return bins;
}

// Reads the bin's rows and writes them into new files; returns their adds.
Result<std::vector<AddFile>> RewriteBin(Table& table, const std::shared_ptr<const Snapshot>& snapshot,
                                        const Bin& bin, const OptimizeOptions& options) {
  AppendOptions append_options;
  append_options.parquet = options.parquet;
  append_options.target_file_size = options.max_file_size;
  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<AppendTransaction> append, table.NewAppend(append_options));
  for (const AddFile& file : bin) {
    TRIB_RETURN_NOT_OK(ReadDataFile(table.fs_ptr(), table.path(), *snapshot, file,
                                    [&](columnar::RecordBatchPtr batch) { return append->Write(*batch); }));
  }
  TRIB_ASSIGN_OR_RETURN(std::vector<AddFile> adds, append->CloseFiles());
  for (AddFile& add : adds) add.data_change = false;
  return adds;
}

CommitOperation OptimizeOperation(const OptimizeOptions& options, const std::vector<AddFile>& adds,
                                  const std::vector<AddFile>& removed) {
  CommitOperation operation;
  operation.name = "OPTIMIZE";
  operation.parameters = {
      {"predicate", JsonStringArray(options.predicates)}, {"zOrderBy", "[]"}, {"clusterBy", "[]"}};
  // delta-spark writes `auto` as a JSON boolean.
  operation.json_parameters = {{"auto", options.auto_compact ? "true" : "false"}};
  std::vector<int64_t> sizes;
  int64_t added_bytes = 0;
  for (const AddFile& add : adds) {
    sizes.push_back(add.size);
    added_bytes += add.size;
  }
  std::sort(sizes.begin(), sizes.end());
  int64_t removed_bytes = 0;
  int64_t removed_dvs = 0;
  for (const AddFile& file : removed) {
    removed_bytes += file.size;
    if (!file.deletion_vector_id.empty()) ++removed_dvs;
  }
  // Percentiles as delta-spark's FileSizeStatsWithHistogram takes them: sizes[n * q].
  auto at = [&](size_t numerator) { return sizes[sizes.size() * numerator / 4]; };
  operation.metrics = {{"numRemovedFiles", static_cast<int64_t>(removed.size())},
                       {"numRemovedBytes", removed_bytes},
                       {"p25FileSize", at(1)},
                       {"numDeletionVectorsRemoved", removed_dvs},
                       {"minFileSize", sizes.front()},
                       {"numAddedFiles", static_cast<int64_t>(adds.size())},
                       {"maxFileSize", sizes.back()},
                       {"p75FileSize", at(3)},
                       {"p50FileSize", at(2)},
                       {"numAddedBytes", added_bytes}};
  return operation;
}

// The new files of a failed OPTIMIZE are referenced by nothing: remove them now
// rather than leave them to VACUUM.
void DeleteUncommitted(Table& table, const std::vector<AddFile>& adds) {
  for (const AddFile& add : adds) {
    auto path = DataFilePath(table.path(), add.path);
    if (!path.ok()) continue;
    Status deleted = table.fs().DeleteFile(*path);
    if (!deleted.ok()) log::Warn("OPTIMIZE: cannot delete uncommitted file: {}", deleted.ToString());
  }
}

}  // namespace

Result<OptimizeResult> Optimize(Table& table, const OptimizeOptions& options) {
  if (options.min_file_size < 0 || options.max_file_size <= 0 || !(options.max_deleted_rows_ratio >= 0) ||
      options.max_deleted_rows_ratio > 1) {
    return Status::Invalid(
        "OPTIMIZE of Delta table '{}': minFileSize must be >= 0, maxFileSize > 0 and maxDeletedRowsRatio in [0, 1] "
        "(got {}, {} and {})",
        table.path(), options.min_file_size, options.max_file_size, options.max_deleted_rows_ratio);
  }
  TRIB_RETURN_NOT_OK(table.Refresh());
  std::shared_ptr<const Snapshot> snapshot = table.snapshot_ptr();
  TRIB_ASSIGN_OR_RETURN(auto partitions, SelectPartitions(*snapshot, options.partition_filter));

  OptimizeResult result;
  std::vector<Bin> bins;
  for (auto& [values, files] : partitions) {
    result.total_considered_files += static_cast<int64_t>(files.size());
    std::vector<Bin> partition_bins = PackBins(std::move(files), options);
    if (!partition_bins.empty()) ++result.num_partitions_optimized;
    for (Bin& bin : partition_bins) bins.push_back(std::move(bin));
  }
  std::vector<AddFile> inputs;
  for (const Bin& bin : bins) inputs.insert(inputs.end(), bin.begin(), bin.end());
  result.num_batches = static_cast<int64_t>(bins.size());
  result.total_files_skipped = result.total_considered_files - static_cast<int64_t>(inputs.size());
  if (bins.empty()) {
    log::Info("OPTIMIZE of Delta table '{}': nothing to compact ({} files considered)", table.path(),
              result.total_considered_files);
    return result;
  }
  TRIB_RETURN_NOT_OK(CheckScanSupported(*snapshot, inputs, table.path()));
  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, Transaction::Begin(table, snapshot));

  std::vector<AddFile> adds;
  Status written = Status::OK();
  for (const Bin& bin : bins) {
    auto bin_adds = RewriteBin(table, snapshot, bin, options);
    if (!bin_adds.ok()) {
      written = bin_adds.status();
      break;
    }
    adds.insert(adds.end(), bin_adds->begin(), bin_adds->end());
  }
  if (!written.ok()) {
    DeleteUncommitted(table, adds);
    return written.WithContext(fmt::format("OPTIMIZE of Delta table '{}'", table.path()));
  }
  // OPTIMIZE reads exactly its input files: a concurrent append cannot conflict, a
  // concurrent removal of an input can (SnapshotIsolation in delta-spark).
  for (const AddFile& file : inputs) {
    txn->ReadFile(file);
    txn->Remove(file, /*data_change=*/false);
  }
  for (const AddFile& add : adds) txn->Add(add);
  txn->SetOperation(OptimizeOperation(options, adds, inputs));
  Result<int64_t> version = txn->Commit();
  if (!version.ok()) {
    // Only a conflict says for certain that nothing was committed.
    if (version.status().IsConflict()) DeleteUncommitted(table, adds);
    return version.status();
  }
  result.version = *version;
  result.num_files_added = static_cast<int64_t>(adds.size());
  result.num_files_removed = static_cast<int64_t>(inputs.size());
  for (const AddFile& add : adds) result.num_bytes_added += add.size;
  for (const AddFile& file : inputs) result.num_bytes_removed += file.size;
  log::Info("OPTIMIZE of Delta table '{}': version {} replaced {} files ({} bytes) with {} ({} bytes)", table.path(),
            *version, result.num_files_removed, result.num_bytes_removed, result.num_files_added,
            result.num_bytes_added);
  return result;
}

}  // namespace tributary::delta
