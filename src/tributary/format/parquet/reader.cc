#include "tributary/format/parquet/reader.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "tributary/format/parquet/reader_internal.h"

namespace tributary::parquet {

using internal::FileLeaf;
using internal::FileMetaData;
using internal::FileNode;
using internal::LeafChunk;
using internal::LeafSlice;
using internal::ReadNode;

namespace {

constexpr char kMagic[] = "PAR1";
constexpr int64_t kTailGuess = 64 << 10;

}  // namespace

class FileReader::Impl {
 public:
  std::shared_ptr<io::FileSystem> fs;
  std::string path;
  ReaderOptions options;
  int64_t file_size = 0;
  int64_t footer_start = 0;
  FileMetaData metadata;
  std::vector<FileNode> columns;
  std::vector<FileLeaf> leaves;
  columnar::Schema schema;

  Status Open() {
    TRIB_ASSIGN_OR_RETURN(io::FileInfo info, fs->Stat(path));
    file_size = info.size;
    if (file_size < 12) {
      return Status::Corruption("{}: not a Parquet file: {} bytes is too short for the magic and footer", path,
                                file_size);
    }
    int64_t tail_size = std::min(file_size, kTailGuess);
    TRIB_ASSIGN_OR_RETURN(std::string tail, fs->ReadRange(path, file_size - tail_size, tail_size));
    if (static_cast<int64_t>(tail.size()) != tail_size) {
      return Status::Corruption("{}: read {} of the last {} bytes", path, tail.size(), tail_size);
    }
    if (std::memcmp(tail.data() + tail.size() - 4, kMagic, 4) != 0) {
      return Status::Corruption("{}: not a Parquet file (no PAR1 magic at the end; truncated or another format)",
                                path);
    }
    uint32_t footer_length;
    std::memcpy(&footer_length, tail.data() + tail.size() - 8, 4);
    if (static_cast<int64_t>(footer_length) + 12 > file_size) {
      return Status::Corruption("{}: footer length {} exceeds the file size {}", path, footer_length, file_size);
    }
    footer_start = file_size - 8 - footer_length;
    std::string footer;
    if (static_cast<int64_t>(footer_length) + 8 <= tail_size) {
      footer = tail.substr(tail.size() - 8 - footer_length, footer_length);
    } else {
      TRIB_ASSIGN_OR_RETURN(footer, fs->ReadRange(path, footer_start, footer_length));
    }
    TRIB_ASSIGN_OR_RETURN(std::string head, fs->ReadRange(path, 0, 4));
    if (head.size() != 4 || std::memcmp(head.data(), kMagic, 4) != 0) {
      return Status::Corruption("{}: not a Parquet file (no PAR1 magic at the start)", path);
    }
    Status s = internal::ParseFileMetaData(footer, &metadata);
    if (!s.ok()) return s.WithContext(path);
    s = internal::BuildFileSchema(metadata.schema, &columns, &leaves);
    if (!s.ok()) return s.WithContext(path);
    std::vector<columnar::Field> fields;
    for (const FileNode& column : columns) fields.push_back(columnar::Field{column.name, column.type, column.nullable});
    schema = columnar::Schema(std::move(fields));
    for (size_t g = 0; g < metadata.row_groups.size(); ++g) {
      const internal::RowGroup& group = metadata.row_groups[g];
      if (group.columns.size() != leaves.size()) {
        return Status::Corruption("{}: row group {} has {} column chunks, the schema {} leaves", path, g,
                                  group.columns.size(), leaves.size());
      }
      if (group.num_rows < 0) return Status::Corruption("{}: row group {} has {} rows", path, g, group.num_rows);
    }
    return Status::OK();
  }

  Status ReadRowGroup(int g, const std::vector<ReadNode>& plan, const std::vector<bool>& needed,
                      const columnar::SchemaPtr& out_schema,
                      const std::function<Status(columnar::RecordBatchPtr)>& on_batch,
                      std::vector<LeafChunk>* chunks) {
    const internal::RowGroup& group = metadata.row_groups[static_cast<size_t>(g)];
    int64_t rows = group.num_rows;
    for (size_t i = 0; i < leaves.size(); ++i) {
      if (!needed[i]) continue;
      TRIB_RETURN_NOT_OK(internal::ReadColumnChunk(fs.get(), path, footer_start, group.columns[i], leaves[i], rows,
                                                   &(*chunks)[i]));
    }
    std::vector<LeafSlice> slices(leaves.size());
    int64_t step = std::max<int64_t>(1, options.max_batch_rows);
    for (int64_t begin = 0; begin < rows; begin += step) {
      int64_t end = std::min(rows, begin + step);
      for (size_t i = 0; i < leaves.size(); ++i) {
        if (!needed[i]) continue;
        const LeafChunk& chunk = (*chunks)[i];
        LeafSlice& slice = slices[i];
        slice.value_begin += CountPresent(chunk, leaves[i], slice.level_begin, slice.level_end);
        slice.level_begin = leaves[i].max_rep > 0 ? chunk.record_starts[static_cast<size_t>(begin)] : begin;
        slice.level_end = leaves[i].max_rep > 0 ? chunk.record_starts[static_cast<size_t>(end)] : end;
      }
      std::vector<columnar::ColumnPtr> out;
      for (const ReadNode& node : plan) {
        auto column = internal::AssembleColumn(node, *chunks, leaves, slices, 0, 0, end - begin);
        if (!column.ok()) return column.status().WithContext(fmt::format("{}: row group {}", path, g));
        out.push_back(std::move(column).MoveValue());
      }
      TRIB_RETURN_NOT_OK(on_batch(std::make_shared<columnar::RecordBatch>(out_schema, end - begin, std::move(out))));
    }
    return Status::OK();
  }

  static int64_t CountPresent(const LeafChunk& chunk, const FileLeaf& leaf, int64_t begin, int64_t end) {
    if (leaf.max_def == 0) return end - begin;
    int64_t n = 0;
    for (int64_t i = begin; i < end; ++i) n += chunk.def[static_cast<size_t>(i)] == leaf.max_def;
    return n;
  }
};

FileReader::FileReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FileReader::~FileReader() = default;

Result<std::unique_ptr<FileReader>> FileReader::Open(std::shared_ptr<io::FileSystem> fs, const std::string& path,
                                                     ReaderOptions options) {
  if (fs == nullptr) return Status::Invalid("{}: no file system given", path);
  if (options.max_batch_rows <= 0) {
    return Status::Invalid("{}: max_batch_rows must be positive, got {}", path, options.max_batch_rows);
  }
  auto impl = std::make_unique<Impl>();
  impl->fs = std::move(fs);
  impl->path = path;
  impl->options = options;
  TRIB_RETURN_NOT_OK(impl->Open());
  return std::unique_ptr<FileReader>(new FileReader(std::move(impl)));
}

const columnar::Schema& FileReader::schema() const { return impl_->schema; }

namespace {

FileField ToFileField(const FileNode& node) {
  FileField field{node.name, node.field_id, {}};
  for (const FileNode& child : node.children) field.children.push_back(ToFileField(child));
  return field;
}

}  // namespace

std::vector<FileField> FileReader::fields() const {
  std::vector<FileField> out;
  for (const FileNode& column : impl_->columns) out.push_back(ToFileField(column));
  return out;
}
int64_t FileReader::num_rows() const { return impl_->metadata.num_rows; }
int FileReader::num_row_groups() const { return static_cast<int>(impl_->metadata.row_groups.size()); }
int64_t FileReader::row_group_num_rows(int row_group) const {
  return impl_->metadata.row_groups[static_cast<size_t>(row_group)].num_rows;
}
const std::vector<std::pair<std::string, std::string>>& FileReader::key_value_metadata() const {
  return impl_->metadata.key_value_metadata;
}
const std::string& FileReader::path() const { return impl_->path; }

Status FileReader::Read(const columnar::Schema& read_schema,
                        const std::function<Status(columnar::RecordBatchPtr)>& on_batch,
                        const std::vector<int>& row_groups) {
  std::vector<ReadNode> plan;
  std::vector<bool> needed;
  TRIB_RETURN_NOT_OK(internal::PlanRead(read_schema, impl_->columns, impl_->leaves, impl_->options.case_sensitive,
                                        impl_->path, &plan, &needed));
  std::vector<int> groups = row_groups;
  if (groups.empty()) {
    for (int g = 0; g < num_row_groups(); ++g) groups.push_back(g);
  }
  for (int g : groups) {
    if (g < 0 || g >= num_row_groups()) {
      return Status::Invalid("{}: row group {} does not exist (the file has {})", impl_->path, g, num_row_groups());
    }
  }
  auto out_schema = std::make_shared<const columnar::Schema>(read_schema);
  std::vector<LeafChunk> chunks(impl_->leaves.size());
  for (int g : groups) {
    TRIB_RETURN_NOT_OK(impl_->ReadRowGroup(g, plan, needed, out_schema, on_batch, &chunks));
    for (LeafChunk& chunk : chunks) chunk = LeafChunk{};  // one row group in memory at a time
  }
  return Status::OK();
}

Status FileReader::ReadAll(const std::function<Status(columnar::RecordBatchPtr)>& on_batch) {
  return Read(impl_->schema, on_batch);
}

namespace {

// A one-row column holding the statistic `bytes` (PLAIN encoding without the byte
// array length prefix) of `leaf`, or null when it cannot be decoded.
columnar::ColumnPtr StatisticValue(const FileNode& node, const FileLeaf& leaf, const std::string& bytes) {
  if (leaf.physical == internal::PhysicalType::kInt96) return nullptr;
  LeafChunk chunk;
  chunk.values.Reset(leaf.physical, leaf.type_length);
  if (leaf.physical == internal::PhysicalType::kByteArray) {
    chunk.values.bytes = bytes;
    chunk.values.offsets.push_back(static_cast<int64_t>(bytes.size()));
    chunk.values.count = 1;
  } else {
    int width = chunk.values.width;
    if (leaf.physical == internal::PhysicalType::kBoolean) {
      if (bytes.size() != 1) return nullptr;
      chunk.values.fixed.assign(1, static_cast<char>(bytes[0] & 1));
    } else {
      if (static_cast<int>(bytes.size()) != width) return nullptr;
      chunk.values.fixed = bytes;
    }
    chunk.values.count = 1;
  }
  chunk.num_levels = 1;
  if (leaf.max_def > 0) chunk.def.assign(1, leaf.max_def);
  ReadNode read;
  read.type = node.type;
  read.file = &node;
  read.level_leaf = node.leaf;
  std::vector<LeafChunk> chunks(static_cast<size_t>(node.leaf) + 1);
  chunks[static_cast<size_t>(node.leaf)] = std::move(chunk);
  std::vector<FileLeaf> leaves(static_cast<size_t>(node.leaf) + 1);
  leaves[static_cast<size_t>(node.leaf)] = leaf;
  std::vector<LeafSlice> slices(static_cast<size_t>(node.leaf) + 1);
  slices[static_cast<size_t>(node.leaf)] = LeafSlice{0, 1, 0};
  auto column = internal::AssembleColumn(read, chunks, leaves, slices, 0, 0, 1);
  return column.ok() ? *column : nullptr;
}

}  // namespace

Result<std::vector<ColumnChunkStatistics>> FileReader::ColumnStatistics(const std::string& column) const {
  std::optional<int> index = impl_->options.case_sensitive ? impl_->schema.FieldIndex(column)
                                                           : impl_->schema.FieldIndexIgnoreCase(column);
  if (!index) return Status::Invalid("{}: no column '{}'", impl_->path, column);
  const FileNode& node = impl_->columns[static_cast<size_t>(*index)];
  if (node.kind != FileNode::kLeaf) {
    return Status::Invalid("{}: column '{}' is nested; statistics are kept for primitive columns", impl_->path,
                           column);
  }
  const FileLeaf& leaf = impl_->leaves[static_cast<size_t>(node.leaf)];
  // The deprecated min/max fields used signed byte order, which is right only for
  // signed numbers.
  bool legacy_ok = leaf.kind == internal::ValueKind::kInt32 || leaf.kind == internal::ValueKind::kInt64 ||
                   leaf.kind == internal::ValueKind::kFloat || leaf.kind == internal::ValueKind::kDouble ||
                   leaf.kind == internal::ValueKind::kBool || leaf.kind == internal::ValueKind::kDecimalInt32 ||
                   leaf.kind == internal::ValueKind::kDecimalInt64;
  std::vector<ColumnChunkStatistics> out;
  for (const internal::RowGroup& group : impl_->metadata.row_groups) {
    const internal::Statistics& stats = group.columns[static_cast<size_t>(node.leaf)].meta_data.statistics;
    ColumnChunkStatistics entry;
    entry.null_count = stats.null_count;
    const std::optional<std::string>& min = stats.min_value ? stats.min_value : legacy_ok ? stats.legacy_min : stats.min_value;
    const std::optional<std::string>& max = stats.max_value ? stats.max_value : legacy_ok ? stats.legacy_max : stats.max_value;
    if (min) entry.min_value = StatisticValue(node, leaf, *min);
    if (max) entry.max_value = StatisticValue(node, leaf, *max);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace tributary::parquet
