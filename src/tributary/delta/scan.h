#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/delta/data_skipping.h"
#include "tributary/delta/snapshot.h"
#include "tributary/io/file_system.h"

namespace tributary::delta {

/// How a table is read.
struct ScanOptions {
  /// Files that cannot hold a row satisfying this predicate are skipped (by
  /// partition values and add.stats). Rows of the surviving files are NOT filtered:
  /// the predicate only prunes files.
  FilePredicate predicate;
  /// Batches hold at most this many rows.
  int64_t max_batch_rows = 65536;
};

/// The files of `snapshot` that may hold rows satisfying `predicate`, in path order.
std::vector<AddFile> PlanScan(const Snapshot& snapshot, const FilePredicate& predicate);

/// Checks that this engine can read the table's data correctly: NotImplemented naming
/// the table for a reader feature it does not implement (CheckReadSupported), for a
/// delta.columnMapping.mode other than none, name and id, and for a
/// deletion vector among `files` with a storage type outside the protocol.
Status CheckScanSupported(const Snapshot& snapshot, const std::vector<AddFile>& files,
                          const std::string& table_path);

/// Reads the rows of one data file of the table at `table_path` as batches of
/// `snapshot.schema()` (table column order): data columns from the Parquet file
/// (matched by name ignoring case, or under column mapping by the physical names at
/// every nesting level; absent ones as nulls, numeric widening), partition columns
/// from the add's partitionValues (keyed by physical name under column mapping)
/// parsed per the column type (null or empty = null). Rows the file's deletion vector
/// lists (by position in the file) are left out. Errors: Corruption naming the file
/// and column for an unparsable partition value, or naming the DV file for a bad
/// deletion vector; the Parquet reader's errors, naming the file.
Status ReadDataFile(const std::shared_ptr<io::FileSystem>& fs, const std::string& table_path,
                    const Snapshot& snapshot, const AddFile& file,
                    const std::function<Status(columnar::RecordBatchPtr)>& on_batch,
                    int64_t max_batch_rows = 65536);

/// PlanScan, CheckScanSupported, then ReadDataFile for each file, in order.
Status ScanTable(const std::shared_ptr<io::FileSystem>& fs, const std::string& table_path,
                 const Snapshot& snapshot, const ScanOptions& options,
                 const std::function<Status(columnar::RecordBatchPtr)>& on_batch);

/// A column of `length` copies of the partition value `value` (nullopt or empty =
/// null) of `type`. Errors: Invalid naming the value when it does not parse as `type`.
Result<columnar::ColumnPtr> PartitionValueColumn(const columnar::DataTypePtr& type,
                                                 const std::optional<std::string>& value,
                                                 int64_t length);

}  // namespace tributary::delta
