#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/columnar/schema.h"
#include "tributary/format/file_decoder.h"
#include "tributary/io/file_system.h"
#include "tributary/streaming/cloud_files/cloud_files_options.h"
#include "tributary/streaming/cloud_files/file_discovery.h"
#include "tributary/streaming/cloud_files/schema_store.h"

namespace tributary::cloud_files {

/// Infers the schema of the first files of `files` (up to the sample limits of
/// `options`): data columns merged across files (Spark's widening), Hive-style
/// partition columns (as STRING) unless recursiveFileLookup or partitionColumns say
/// otherwise, then cloudFiles.schemaHints applied. Errors: Invalid when there is no
/// file to infer from, or a hint does not apply; a file's read/parse error names it.
Result<SchemaVersion> InferSchemaVersion(io::FileSystem& fs, format::FileDecoder& decoder,
                                         const CloudFilesOptions& options, const std::vector<DiscoveredFile>& files);

/// The partition columns for a user-given schema: partitionColumns if set (each must
/// be in the schema), else the Hive-style keys of `files` that the schema holds.
Result<columnar::Schema> PartitionSchemaForUserSchema(const CloudFilesOptions& options,
                                                       const columnar::Schema& user_schema,
                                                       const std::vector<DiscoveredFile>& files);

/// Adds to the struct columns of `data_schema` (also structs inside arrays and other
/// structs) the fields that `inferred` has there and they lack (ignoring case), at the
/// end of their struct. Existing fields never change type. `added` gets the dotted
/// paths of the fields added ("user.plan", "items.element.discount").
columnar::Schema AddNewNestedFields(const columnar::Schema& data_schema, const columnar::Schema& inferred,
                                    std::vector<std::string>* added);

/// Appends to `data_schema` the top-level fields of `inferred` named in `new_names`
/// that it does not hold yet (ignoring case: a case-only difference is rescued, not
/// added), with hints applied to them. Existing columns never change. `added` gets
/// the names appended.
Result<columnar::Schema> AddNewColumns(const columnar::Schema& data_schema, const columnar::Schema& inferred,
                                       const std::set<std::string>& new_names,
                                       const std::optional<std::string>& hints, std::vector<std::string>* added);

/// How decoded batches become output rows: the output schema is the data columns,
/// then the partition columns, then the rescued data column (if any).
class OutputLayout {
 public:
  /// `data_schema` are the columns in the files (a user schema minus its partition
  /// columns, or the inferred data columns); `rescued_column` is appended to the
  /// decode schema when set and absent.
  static Result<OutputLayout> Make(const columnar::Schema& data_schema, const columnar::Schema& partition_schema,
                                   const std::optional<std::string>& rescued_column,
                                   const std::optional<columnar::Schema>& user_schema);

  const columnar::Schema& output_schema() const { return output_; }
  /// What the decoder is asked to produce.
  const columnar::Schema& decode_schema() const { return decode_; }
  const columnar::Schema& partition_schema() const { return partition_; }

  /// The output batch for `decoded` (of decode_schema()) read from a file with the
  /// given partition values. A value that does not parse as its column's type is NULL.
  Result<columnar::RecordBatchPtr> Assemble(
      const columnar::RecordBatch& decoded,
      const std::vector<std::pair<std::string, std::optional<std::string>>>& partition_values) const;

 private:
  columnar::Schema output_;
  columnar::Schema decode_;
  columnar::Schema partition_;
  std::shared_ptr<const columnar::Schema> output_ptr_;
  // Per output column: index into the decoded batch, or -1 - (partition column index).
  std::vector<int> sources_;
};

}  // namespace tributary::cloud_files
