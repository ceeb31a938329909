#include "tributary/format/parquet/writer.h"

#include <algorithm>

#include "tributary/columnar/schema_json.h"
#include "tributary/format/parquet/column_writer_internal.h"
#include "tributary/format/parquet/metadata_internal.h"
#include "tributary/format/parquet/schema_internal.h"

namespace tributary::parquet {

using internal::ColumnChunkWriter;

namespace {

constexpr std::string_view kMagic = "PAR1";
// Most rows handed to the column writers at a time, so that a row group closes near
// its target size even when a batch is large.
constexpr int64_t kRowsPerSlice = 8192;

}  // namespace

class FileWriter::Impl {
 public:
  Impl(const columnar::Schema& schema, io::OutputStream* sink, WriterOptions options)
      : schema_(schema), sink_(sink), options_(std::move(options)) {}

  Status Init() {
    if (schema_.num_fields() == 0) return Status::Invalid("parquet: cannot write a file with no columns");
    if (options_.data_page_size_bytes <= 0 || options_.row_group_size_bytes <= 0) {
      return Status::Invalid("parquet: data_page_size_bytes and row_group_size_bytes must be positive");
    }
    TRIB_RETURN_NOT_OK(internal::BuildParquetSchema(schema_, &elements_, &leaves_));
    for (const internal::LeafColumn& leaf : leaves_) {
      auto writer = internal::MakeColumnChunkWriter(leaf, options_);
      if (!writer) {
        return Status::NotImplemented("parquet: no writer for column '{}' of type {}", leaf.DottedPath(),
                                      leaf.type->SimpleString());
      }
      writer->ShareScratch(&page_scratch_);
      writers_.push_back(std::move(writer));
    }
    offset_ = sink_->Tell();
    TRIB_RETURN_NOT_OK(sink_->Write(kMagic));
    offset_ += static_cast<int64_t>(kMagic.size());
    return Status::OK();
  }

  Status WriteBatch(const columnar::RecordBatch& batch) {
    if (closed_) return Status::Invalid("parquet: WriteBatch after Close");
    if (!batch.schema() || !batch.schema()->Equals(schema_)) {
      return Status::Invalid("parquet: batch schema <{}> differs from the file schema <{}>",
                             batch.schema() ? batch.schema()->ToDdl() : "", schema_.ToDdl());
    }
    for (int i = 0; i < schema_.num_fields(); ++i) {
      if (!schema_.field(i).nullable && batch.column(i)->null_count() > 0) {
        return Status::Invalid("parquet: column '{}' is not nullable but the batch has {} nulls in it",
                               schema_.field(i).name, batch.column(i)->null_count());
      }
    }
    const int64_t rows = batch.num_rows();
    int64_t end = 0;
    for (int64_t begin = 0; begin < rows; begin = end) {
      end = std::min(rows, begin + slice_rows_);
      for (size_t k = 0; k < leaves_.size(); ++k) {
        const internal::LeafColumn& leaf = leaves_[k];
        TRIB_RETURN_NOT_OK(internal::ComputeLevels(leaf, *batch.column(leaf.top_index), begin, end, &levels_));
        TRIB_RETURN_NOT_OK(writers_[k]->Write(levels_));
      }
      row_group_rows_ += end - begin;
      num_rows_ += end - begin;
      // The row group is bounded by what it holds in memory (as parquet-mr does), not
      // by its encoded size, which dictionaries make 4-6 times smaller.
      int64_t buffered = BufferedBytes();
      if (buffered > 0) {
        // Slices of about 1/8 of a row group keep the group close to its target size.
        int64_t bytes_per_row = std::max<int64_t>(1, buffered / row_group_rows_);
        slice_rows_ = std::clamp<int64_t>(options_.row_group_size_bytes / 8 / bytes_per_row, 64, kRowsPerSlice);
      }
      if (buffered >= options_.row_group_size_bytes) TRIB_RETURN_NOT_OK(FlushRowGroup());
    }
    return Status::OK();
  }

  int64_t BufferedBytes() const {
    int64_t total = 0;
    for (const auto& w : writers_) total += w->BufferedBytes();
    return total;
  }

  int64_t EncodedBytes() const {
    int64_t total = 0;
    for (const auto& w : writers_) total += w->EstimatedChunkBytes();
    return total;
  }

  Status FlushRowGroup() {
    if (row_group_rows_ == 0) return Status::OK();
    internal::RowGroup group;
    group.num_rows = row_group_rows_;
    group.file_offset = offset_;
    group.ordinal = static_cast<int16_t>(row_groups_.size());
    for (auto& writer : writers_) {
      internal::ColumnChunk chunk;
      TRIB_RETURN_NOT_OK(writer->FinishChunk(sink_, offset_, &chunk));
      offset_ += chunk.meta_data.total_compressed_size;
      group.total_byte_size += chunk.meta_data.total_uncompressed_size;
      group.total_compressed_size += chunk.meta_data.total_compressed_size;
      group.columns.push_back(std::move(chunk));
    }
    row_groups_.push_back(std::move(group));
    row_group_rows_ = 0;
    return Status::OK();
  }

  Status Close() {
    if (closed_) return Status::Invalid("parquet: Close called twice");
    closed_ = true;
    TRIB_RETURN_NOT_OK(FlushRowGroup());
    internal::FileMetaData metadata;
    metadata.version = 1;
    metadata.schema = elements_;
    metadata.num_rows = num_rows_;
    metadata.row_groups = std::move(row_groups_);
    metadata.key_value_metadata = options_.key_value_metadata;
    if (options_.spark_metadata) {
      auto add_unless_present = [&](std::string key, std::string value) {
        for (const auto& kv : metadata.key_value_metadata) {
          if (kv.first == key) return;
        }
        metadata.key_value_metadata.emplace_back(std::move(key), std::move(value));
      };
      add_unless_present("org.apache.spark.version", std::string(kSparkCompatibleVersion));
      add_unless_present("org.apache.spark.sql.parquet.row.metadata", columnar::SchemaToJson(schema_));
    }
    metadata.created_by = options_.created_by;
    metadata.num_leaf_columns = static_cast<int>(leaves_.size());
    std::string footer;
    internal::SerializeFileMetaData(metadata, &footer);
    auto length = static_cast<uint32_t>(footer.size());
    for (int i = 0; i < 4; ++i) footer.push_back(static_cast<char>((length >> (8 * i)) & 0xFF));
    footer.append(kMagic);
    TRIB_RETURN_NOT_OK(sink_->Write(footer));
    offset_ += static_cast<int64_t>(footer.size());
    return Status::OK();
  }

  std::vector<ColumnChunkSummary> Summaries() const {
    std::vector<ColumnChunkSummary> result;
    for (const auto& writer : writers_) {
      ColumnChunkSummary s;
      s.path = writer->leaf().DottedPath();
      s.num_values = writer->total_values();
      s.null_count = writer->total_nulls();
      s.compressed_bytes = writer->total_compressed();
      s.uncompressed_bytes = writer->total_uncompressed();
      s.dictionary_data_pages = writer->total_dictionary_pages();
      s.plain_data_pages = writer->total_plain_pages();
      s.type = writer->leaf().type;
      internal::EncodedMinMax min_max = writer->FileMinMax();
      s.min_value = std::move(min_max.min);
      s.max_value = std::move(min_max.max);
      result.push_back(std::move(s));
    }
    return result;
  }

  int64_t num_rows() const { return num_rows_; }
  int64_t EstimatedFileSize() const { return offset_ + (closed_ ? 0 : EncodedBytes()); }

 private:
  columnar::Schema schema_;
  io::OutputStream* sink_;
  WriterOptions options_;
  std::vector<internal::SchemaElement> elements_;
  std::vector<internal::LeafColumn> leaves_;
  internal::PageScratch page_scratch_;  // before writers_, which use it
  std::vector<std::unique_ptr<ColumnChunkWriter>> writers_;
  std::vector<internal::RowGroup> row_groups_;
  internal::LeafLevels levels_;
  int64_t offset_ = 0;
  int64_t num_rows_ = 0;
  int64_t row_group_rows_ = 0;
  // Starts small, then adapts to the observed bytes per row.
  int64_t slice_rows_ = 1024;
  bool closed_ = false;
};

Result<std::unique_ptr<FileWriter>> FileWriter::Make(const columnar::Schema& schema, io::OutputStream* sink,
                                                     WriterOptions options) {
  if (sink == nullptr) return Status::Invalid("parquet: FileWriter needs a sink");
  auto impl = std::make_unique<Impl>(schema, sink, std::move(options));
  TRIB_RETURN_NOT_OK(impl->Init());
  return std::unique_ptr<FileWriter>(new FileWriter(std::move(impl)));
}

FileWriter::FileWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FileWriter::~FileWriter() = default;

Status FileWriter::WriteBatch(const columnar::RecordBatch& batch) { return impl_->WriteBatch(batch); }
int64_t FileWriter::num_rows() const { return impl_->num_rows(); }
int64_t FileWriter::EstimatedFileSize() const { return impl_->EstimatedFileSize(); }
int64_t FileWriter::buffered_bytes() const { return impl_->BufferedBytes(); }
std::vector<ColumnChunkSummary> FileWriter::ColumnSummaries() const { return impl_->Summaries(); }
Status FileWriter::Close() { return impl_->Close(); }

}  // namespace tributary::parquet
