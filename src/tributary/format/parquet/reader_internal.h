#pragma once

// The reader's internals: decoding a column chunk to levels and values, planning a
// read against a requested schema, and assembling Arrow-layout columns from levels.

#include <cstdint>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/column.h"
#include "tributary/columnar/schema.h"
#include "tributary/format/parquet/metadata_internal.h"
#include "tributary/format/parquet/reader_decoding_internal.h"
#include "tributary/format/parquet/reader_schema_internal.h"
#include "tributary/io/file_system.h"

namespace tributary::parquet::internal {

/// One column chunk decoded: its levels (empty when the max level is 0) and its
/// non-null values.
struct LeafChunk {
  std::vector<int16_t> def;
  std::vector<int16_t> rep;
  int64_t num_levels = 0;
  RawValues values;
  RawValues dictionary;
  /// Level index where each row starts, plus num_levels; only when max_rep > 0.
  std::vector<int64_t> record_starts;
};

/// Reads and decodes every page of `chunk`. Errors name the path, the column and the
/// page's byte offset: Corruption for bad data, IOError from the file system.
Status ReadColumnChunk(io::FileSystem* fs, const std::string& path, int64_t file_size, const ColumnChunk& chunk,
                       const FileLeaf& leaf, int64_t num_rows, LeafChunk* out);

/// A node of the requested schema matched against the file.
struct ReadNode {
  columnar::DataTypePtr type;   // requested type
  const FileNode* file = nullptr;  // null: absent from the file, reads as nulls
  std::vector<ReadNode> children;  // struct fields; list: element; map: key, value
  /// The leaf whose levels give this node's slots and validity.
  int level_leaf = -1;
};

/// Matches `read_schema` against the file's columns; marks in `needed` the leaves
/// that must be decoded. Invalid (naming the column and `path`) for a type mismatch
/// or a missing non-nullable field.
Status PlanRead(const columnar::Schema& read_schema, const std::vector<FileNode>& columns,
                const std::vector<FileLeaf>& leaves, bool case_sensitive, const std::string& path,
                std::vector<ReadNode>* plan, std::vector<bool>* needed);

/// The part of a leaf's decoded chunk that belongs to one batch.
struct LeafSlice {
  int64_t level_begin = 0;
  int64_t level_end = 0;
  int64_t value_begin = 0;
};

/// Builds the column for `node` from the slices of its leaves. Slots of the node are
/// the level entries with rep <= slot_rep and def >= slot_def; there must be
/// `length` of them (Corruption otherwise).
Result<columnar::ColumnPtr> AssembleColumn(const ReadNode& node, const std::vector<LeafChunk>& chunks,
                                           const std::vector<FileLeaf>& leaves,
                                           const std::vector<LeafSlice>& slices, int16_t slot_rep,
                                           int16_t slot_def, int64_t length);

}  // namespace tributary::parquet::internal
