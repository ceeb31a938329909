#include "tributary/format/parquet/column_writer_internal.h"

#include <algorithm>

#include "tributary/format/parquet/compression_internal.h"

namespace tributary::parquet::internal {

namespace {
constexpr int64_t kMaxLevelsPerPage = 1 << 20;
}  // namespace

ColumnChunkWriter::ColumnChunkWriter(const LeafColumn& leaf, const WriterOptions& options)
    : leaf_(leaf), options_(options) {
  def_width_ = BitWidth(static_cast<uint64_t>(leaf.max_def));
  rep_width_ = BitWidth(static_cast<uint64_t>(leaf.max_rep));
  def_encoder_.Reset(def_width_, &def_bytes_);
  rep_encoder_.Reset(rep_width_, &rep_bytes_);
}

Status ColumnChunkWriter::Write(const LeafLevels& levels) {
  // The level vectors are reused across leaves: go by this leaf's maxima, not by
  // whether data() happens to be non-null.
  const int16_t* defs = leaf_.max_def > 0 ? levels.def_levels.data() : nullptr;
  const int16_t* reps = leaf_.max_rep > 0 ? levels.rep_levels.data() : nullptr;
  const int64_t n = levels.num_levels;
  const int16_t max_def = leaf_.max_def;
  // Levels are fed in slices so that pages close near the target size.
  const int64_t slice = std::clamp<int64_t>(options_.data_page_size_bytes / 8, 64, 4096);
  int64_t cursor = 0;
  int64_t i = 0;
  while (i < n) {
    int64_t end = std::min(n, i + slice);
    // A page starts at a record boundary (repetition level 0).
    if (reps != nullptr) {
      while (end < n && reps[end] != 0) ++end;
      for (int64_t j = i; j < end; ++j) rep_encoder_.Put(static_cast<uint32_t>(reps[j]));
    }
    int64_t nulls = 0;
    if (max_def > 0) {
      for (int64_t j = i; j < end; ++j) {
        def_encoder_.Put(static_cast<uint32_t>(defs[j]));
        nulls += defs[j] < max_def;
      }
      page_nulls_ += nulls;
    }
    // A slice of a non-repeated leaf without nulls is a plain run of rows.
    slice_max_def_ = (reps == nullptr && nulls == 0) ? int16_t{0} : max_def;
    AppendValues(levels, i, end, &cursor);
    page_levels_ += end - i;
    int64_t page_bytes = PageBufferedBytes() + static_cast<int64_t>(def_bytes_.size() + rep_bytes_.size());
    // The level cap keeps num_values in range for columns that are almost all null.
    if (page_bytes >= options_.data_page_size_bytes || page_levels_ >= kMaxLevelsPerPage) {
      TRIB_RETURN_NOT_OK(FlushPage());
    }
    if (UsingDictionary() &&
        (DictionaryBytes() > options_.dictionary_page_size_limit || ShouldAbandonDictionary())) {
      TRIB_RETURN_NOT_OK(FlushPage());
      FallBackToPlain();
    }
    i = end;
  }
  return Status::OK();
}

int64_t ColumnChunkWriter::EstimatedChunkBytes() const {
  return chunk_bytes_ + PageValueBytes() +
         static_cast<int64_t>(def_bytes_.size() + rep_bytes_.size()) + DictionaryBytes();
}

int64_t ColumnChunkWriter::BufferedBytes() const {
  // Each closed page is allocated at its exact size (AppendPage), so chunk_bytes_
  // is what the pages hold.
  return chunk_bytes_ + AllocatedBytes(def_bytes_) + AllocatedBytes(rep_bytes_) + ValueBufferBytes();
}

Status ColumnChunkWriter::AppendPage(PageHeader header, const std::string& body, std::string* target) {
  std::string_view stored = body;
  if (options_.compression != Compression::kUncompressed) {
    int level = options_.compression == Compression::kZstd   ? options_.zstd_level
                : options_.compression == Compression::kGzip ? options_.gzip_level
                                                              : 0;
    TRIB_RETURN_NOT_OK(Compress(options_.compression, level, body, &scratch_->compressed));
    stored = scratch_->compressed;
  }
  if (body.size() > INT32_MAX || stored.size() > INT32_MAX) {
    return Status::Invalid("parquet: a page of column '{}' exceeds 2 GiB", leaf_.DottedPath());
  }
  header.uncompressed_page_size = static_cast<int32_t>(body.size());
  header.compressed_page_size = static_cast<int32_t>(stored.size());
  std::string header_bytes;
  SerializePageHeader(header, &header_bytes);
  // Sized exactly: the page stays buffered until the row group closes, so growth
  // by doubling would hold up to twice its bytes.
  target->reserve(target->size() + header_bytes.size() + stored.size());
  target->append(header_bytes);
  target->append(stored);
  chunk_uncompressed_ += static_cast<int64_t>(header_bytes.size() + body.size());
  return Status::OK();
}

Status ColumnChunkWriter::FlushPage() {
  if (page_levels_ == 0) return Status::OK();
  std::string& page = scratch_->page;
  page.clear();
  auto append_levels = [&page](RleBitPackedEncoder& encoder, std::string& bytes) {
    encoder.Flush();
    auto length = static_cast<uint32_t>(bytes.size());
    char prefix[4] = {static_cast<char>(length & 0xFF), static_cast<char>((length >> 8) & 0xFF),
                      static_cast<char>((length >> 16) & 0xFF), static_cast<char>(length >> 24)};
    page.append(prefix, 4);
    page.append(bytes);
  };
  if (leaf_.max_rep > 0) append_levels(rep_encoder_, rep_bytes_);
  if (leaf_.max_def > 0) append_levels(def_encoder_, def_bytes_);
  Encoding encoding = TakePageValues(&page);

  PageHeader header;
  header.type = PageType::kDataPage;
  if (page_levels_ > INT32_MAX) {
    return Status::Invalid("parquet: a page of column '{}' has too many values", leaf_.DottedPath());
  }
  header.data_page.num_values = static_cast<int32_t>(page_levels_);
  header.data_page.encoding = encoding;
  // Pages are kept apart rather than appended to one growing string: no copy when
  // the chunk outgrows its buffer.
  chunk_pages_.emplace_back();
  TRIB_RETURN_NOT_OK(AppendPage(header, page, &chunk_pages_.back()));
  chunk_bytes_ += static_cast<int64_t>(chunk_pages_.back().size());
  if (encoding == Encoding::kRleDictionary) {
    ++dictionary_data_pages_;
  } else {
    ++plain_data_pages_;
  }
  chunk_values_ += page_levels_;
  chunk_nulls_ += page_nulls_;
  page_levels_ = 0;
  page_nulls_ = 0;
  def_bytes_.clear();
  rep_bytes_.clear();
  def_encoder_.Reset(def_width_, &def_bytes_);
  rep_encoder_.Reset(rep_width_, &rep_bytes_);
  return Status::OK();
}

Status ColumnChunkWriter::FinishChunk(io::OutputStream* sink, int64_t file_offset, ColumnChunk* chunk) {
  TRIB_RETURN_NOT_OK(FlushPage());
  std::string dictionary_page;
  int32_t dictionary_entries = 0;
  if (TakeDictionaryPage(&scratch_->page, &dictionary_entries) && dictionary_data_pages_ > 0) {
    PageHeader header;
    header.type = PageType::kDictionaryPage;
    header.dictionary_page.num_values = dictionary_entries;
    TRIB_RETURN_NOT_OK(AppendPage(header, scratch_->page, &dictionary_page));
  }
  ColumnMetaData& meta = chunk->meta_data;
  meta = ColumnMetaData{};
  meta.type = leaf_.physical;
  if (!dictionary_page.empty() || plain_data_pages_ > 0) meta.encodings.push_back(Encoding::kPlain);
  meta.encodings.push_back(Encoding::kRle);
  if (dictionary_data_pages_ > 0) meta.encodings.push_back(Encoding::kRleDictionary);
  meta.path_in_schema = leaf_.path;
  meta.codec = ParquetCodecId(options_.compression);
  meta.num_values = chunk_values_;
  meta.total_uncompressed_size = chunk_uncompressed_;
  meta.total_compressed_size = static_cast<int64_t>(dictionary_page.size()) + chunk_bytes_;
  chunk->file_offset = file_offset;
  if (!dictionary_page.empty()) {
    meta.dictionary_page_offset = file_offset;
    meta.encoding_stats.push_back({PageType::kDictionaryPage, Encoding::kPlain, 1});
  }
  meta.data_page_offset = file_offset + static_cast<int64_t>(dictionary_page.size());
  if (dictionary_data_pages_ > 0) {
    meta.encoding_stats.push_back({PageType::kDataPage, Encoding::kRleDictionary, dictionary_data_pages_});
  }
  if (plain_data_pages_ > 0) {
    meta.encoding_stats.push_back({PageType::kDataPage, Encoding::kPlain, plain_data_pages_});
  }
  meta.statistics.null_count = chunk_nulls_;
  EncodedMinMax min_max = TakeChunkMinMax();
  if (min_max.min && min_max.max && min_max.min->size() <= kMaxStatisticsBytes &&
      min_max.max->size() <= kMaxStatisticsBytes) {
    meta.statistics.min_value = std::move(min_max.min);
    meta.statistics.max_value = std::move(min_max.max);
  }
  if (!dictionary_page.empty()) TRIB_RETURN_NOT_OK(sink->Write(dictionary_page));
  for (const std::string& page : chunk_pages_) TRIB_RETURN_NOT_OK(sink->Write(page));

  total_values_ += chunk_values_;
  total_nulls_ += chunk_nulls_;
  total_compressed_ += meta.total_compressed_size;
  total_uncompressed_ += chunk_uncompressed_;
  total_dictionary_pages_ += dictionary_data_pages_;
  total_plain_pages_ += plain_data_pages_;
  chunk_pages_ = {};
  chunk_bytes_ = 0;
  chunk_uncompressed_ = 0;
  chunk_values_ = 0;
  chunk_nulls_ = 0;
  plain_data_pages_ = 0;
  dictionary_data_pages_ = 0;
  // A finished row group keeps no memory: the next one may be of other rows entirely.
  std::string().swap(def_bytes_);
  std::string().swap(rep_bytes_);
  def_encoder_.Reset(def_width_, &def_bytes_);
  rep_encoder_.Reset(rep_width_, &rep_bytes_);
  StartNewChunk();
  return Status::OK();
}

void EncodeDictionaryIndices(const std::vector<uint32_t>& indices, size_t dictionary_size,
                             std::string* out) {
  // A one-entry dictionary could use width 0; width 1 is accepted by every reader.
  int width = std::max(1, BitWidth(dictionary_size > 0 ? dictionary_size - 1 : 0));
  out->push_back(static_cast<char>(width));
  RleBitPackedEncoder encoder(width, out);
  for (uint32_t index : indices) encoder.Put(index);
  encoder.Flush();
}

int64_t DictionaryPagedWriter::PageValueBytes() const {
  if (dictionary_mode_) {
    int width = BitWidth(DictionaryEntries());
    return static_cast<int64_t>(indices_.size()) * (width > 0 ? width : 1) / 8 + 1;
  }
  return static_cast<int64_t>(plain_.size());
}

int64_t DictionaryPagedWriter::PageBufferedBytes() const {
  // Indices are kept as uint32 until the page closes, when the dictionary's final
  // size gives their bit width.
  if (dictionary_mode_) return static_cast<int64_t>(indices_.size() * sizeof(uint32_t));
  return static_cast<int64_t>(plain_.size());
}

int64_t DictionaryPagedWriter::ValueBufferBytes() const {
  return static_cast<int64_t>(indices_.capacity() * sizeof(uint32_t)) + AllocatedBytes(plain_) +
         DictionaryAllocatedBytes();
}

Encoding DictionaryPagedWriter::TakePageValues(std::string* out) {
  if (dictionary_mode_) {
    EncodeDictionaryIndices(indices_, DictionaryEntries(), out);
    indices_.clear();
    dictionary_used_ = true;
    return Encoding::kRleDictionary;
  }
  out->append(plain_);
  plain_.clear();
  return Encoding::kPlain;
}

void DictionaryPagedWriter::FallBackToPlain() {
  dictionary_mode_ = false;
  std::vector<uint32_t>().swap(indices_);
  ReleaseDictionaryIndex();
}

bool DictionaryPagedWriter::ShouldAbandonDictionary() {
  if (dictionary_checked_ || dictionary_raw_bytes_ < options_.data_page_size_bytes) return false;
  dictionary_checked_ = true;
  int64_t width = std::max(1, BitWidth(DictionaryEntries()));
  int64_t encoded = DictionaryBytes() + dictionary_values_ * width / 8;
  return encoded >= dictionary_raw_bytes_;
}

void DictionaryPagedWriter::ResetDictionaryPaging() {
  std::vector<uint32_t>().swap(indices_);
  std::string().swap(plain_);
  dictionary_used_ = false;
  dictionary_checked_ = false;
  dictionary_values_ = 0;
  dictionary_raw_bytes_ = 0;
  dictionary_mode_ = options_.dictionary;
}

std::unique_ptr<ColumnChunkWriter> MakeColumnChunkWriter(const LeafColumn& leaf,
                                                         const WriterOptions& options) {
  switch (leaf.physical) {
    case PhysicalType::kBoolean:
      return MakeBooleanWriter(leaf, options);
    case PhysicalType::kByteArray:
      return MakeByteArrayWriter(leaf, options);
    default:
      return MakeFixedWidthWriter(leaf, options);
  }
}

}  // namespace tributary::parquet::internal
