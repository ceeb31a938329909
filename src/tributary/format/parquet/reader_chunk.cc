#include <cstring>

#include "tributary/format/parquet/compression_internal.h"
#include "tributary/format/parquet/reader_internal.h"
#include "tributary/format/parquet/rle_encoder_internal.h"

namespace tributary::parquet::internal {
namespace {

// Decodes `count` levels stored as `encoding` (v1 pages: RLE with a 4-byte length
// prefix, or legacy BIT_PACKED) and advances `*data`/`*size` past them.
Status DecodeV1Levels(Encoding encoding, int16_t max_level, int64_t count, const uint8_t** data, size_t* size,
                      int16_t* out) {
  int bit_width = BitWidth(static_cast<uint64_t>(max_level));
  if (encoding == Encoding::kBitPacked) {
    size_t bytes = static_cast<size_t>((count * bit_width + 7) / 8);
    if (bytes > *size || !DecodeBitPackedLevels(*data, *size, bit_width, count, out)) {
      return Status::Corruption("truncated BIT_PACKED levels");
    }
    *data += bytes;
    *size -= bytes;
    return Status::OK();
  }
  if (encoding != Encoding::kRle) return Status::NotImplemented("level encoding {}", static_cast<int>(encoding));
  if (*size < 4) return Status::Corruption("truncated level length");
  uint32_t length;
  std::memcpy(&length, *data, 4);
  if (length > *size - 4) return Status::Corruption("level length {} past the page", length);
  RleBitPackedDecoder decoder(*data + 4, length, bit_width);
  if (!decoder.Get(out, count)) return Status::Corruption("truncated RLE levels");
  *data += 4 + length;
  *size -= 4 + length;
  return Status::OK();
}

Status CheckLevels(const int16_t* levels, int64_t count, int16_t max_level) {
  for (int64_t i = 0; i < count; ++i) {
    if (levels[i] < 0 || levels[i] > max_level) {
      return Status::Corruption("level {} exceeds the column's maximum {}", levels[i], max_level);
    }
  }
  return Status::OK();
}

int64_t CountValues(const int16_t* def, int64_t count, int16_t max_def) {
  if (max_def == 0) return count;
  int64_t n = 0;
  for (int64_t i = 0; i < count; ++i) n += def[i] == max_def;
  return n;
}

class ChunkDecoder {
 public:
  ChunkDecoder(const ColumnChunk& chunk, const FileLeaf& leaf, LeafChunk* out) : chunk_(chunk), leaf_(leaf), out_(out) {}

  Status DataPageV1(const PageHeader& h, std::string_view page) {
    const DataPageHeader& d = h.data_page;
    TRIB_RETURN_NOT_OK(Decompress(chunk_.meta_data.codec, page, h.uncompressed_page_size, &scratch_));
    const auto* data = reinterpret_cast<const uint8_t*>(scratch_.data());
    size_t size = scratch_.size();
    int64_t n = d.num_values;
    if (n < 0) return Status::Corruption("negative num_values");
    int16_t* rep = GrowLevels(&out_->rep, leaf_.max_rep, n);
    int16_t* def = GrowLevels(&out_->def, leaf_.max_def, n);
    if (rep) TRIB_RETURN_NOT_OK(DecodeV1Levels(d.repetition_level_encoding, leaf_.max_rep, n, &data, &size, rep));
    if (def) TRIB_RETURN_NOT_OK(DecodeV1Levels(d.definition_level_encoding, leaf_.max_def, n, &data, &size, def));
    return Values(d.encoding, def, rep, n, data, size);
  }

  Status DataPageV2(const PageHeader& h, std::string_view page) {
    const DataPageHeaderV2& d = h.data_page_v2;
    int64_t n = d.num_values;
    if (n < 0 || d.repetition_levels_byte_length < 0 || d.definition_levels_byte_length < 0) {
      return Status::Corruption("negative counts in a v2 page header");
    }
    size_t levels_bytes =
        static_cast<size_t>(d.repetition_levels_byte_length) + static_cast<size_t>(d.definition_levels_byte_length);
    if (levels_bytes > page.size()) return Status::Corruption("v2 level lengths exceed the page");
    const auto* base = reinterpret_cast<const uint8_t*>(page.data());
    int16_t* rep = GrowLevels(&out_->rep, leaf_.max_rep, n);
    int16_t* def = GrowLevels(&out_->def, leaf_.max_def, n);
    if (rep) {
      RleBitPackedDecoder decoder(base, static_cast<size_t>(d.repetition_levels_byte_length),
                                  BitWidth(static_cast<uint64_t>(leaf_.max_rep)));
      if (!decoder.Get(rep, n)) return Status::Corruption("truncated repetition levels");
    }
    if (def) {
      RleBitPackedDecoder decoder(base + d.repetition_levels_byte_length,
                                  static_cast<size_t>(d.definition_levels_byte_length),
                                  BitWidth(static_cast<uint64_t>(leaf_.max_def)));
      if (!decoder.Get(def, n)) return Status::Corruption("truncated definition levels");
    }
    std::string_view values = page.substr(levels_bytes);
    if (d.is_compressed && chunk_.meta_data.codec != 0) {
      int64_t uncompressed = static_cast<int64_t>(h.uncompressed_page_size) - static_cast<int64_t>(levels_bytes);
      TRIB_RETURN_NOT_OK(Decompress(chunk_.meta_data.codec, values, uncompressed, &scratch_));
      values = scratch_;
    }
    return Values(d.encoding, def, rep, n, reinterpret_cast<const uint8_t*>(values.data()), values.size());
  }

  Status Dictionary(const PageHeader& h, std::string_view page) {
    TRIB_RETURN_NOT_OK(Decompress(chunk_.meta_data.codec, page, h.uncompressed_page_size, &scratch_));
    Encoding e = h.dictionary_page.encoding;
    if (e != Encoding::kPlain && e != Encoding::kPlainDictionary) {
      return Status::NotImplemented("dictionary page encoding {}", static_cast<int>(e));
    }
    out_->dictionary.Reset(leaf_.physical, leaf_.type_length);
    if (h.dictionary_page.num_values < 0) return Status::Corruption("negative dictionary size");
    has_dictionary_ = true;
    return DecodeValues(Encoding::kPlain, reinterpret_cast<const uint8_t*>(scratch_.data()), scratch_.size(),
                        h.dictionary_page.num_values, nullptr, &out_->dictionary);
  }

 private:
  static int16_t* GrowLevels(std::vector<int16_t>* levels, int16_t max_level, int64_t n) {
    if (max_level == 0) return nullptr;
    size_t old = levels->size();
    levels->resize(old + static_cast<size_t>(n));
    return levels->data() + old;
  }

  Status Values(Encoding encoding, const int16_t* def, const int16_t* rep, int64_t n, const uint8_t* data,
                size_t size) {
    if (def) TRIB_RETURN_NOT_OK(CheckLevels(def, n, leaf_.max_def));
    if (rep) TRIB_RETURN_NOT_OK(CheckLevels(rep, n, leaf_.max_rep));
    int64_t present = CountValues(def, n, leaf_.max_def);
    out_->num_levels += n;
    return DecodeValues(encoding, data, size, present, has_dictionary_ ? &out_->dictionary : nullptr, &out_->values);
  }

  const ColumnChunk& chunk_;
  const FileLeaf& leaf_;
  LeafChunk* out_;
  std::string scratch_;
  bool has_dictionary_ = false;
};

}  // namespace

Status ReadColumnChunk(io::FileSystem* fs, const std::string& path, int64_t file_size, const ColumnChunk& chunk,
                       const FileLeaf& leaf, int64_t num_rows, LeafChunk* out) {
  const ColumnMetaData& meta = chunk.meta_data;
  std::string column = leaf.DottedPath();
  if (!chunk.file_path.empty()) {
    return Status::NotImplemented("{}: column '{}' lives in another file ('{}')", path, column, chunk.file_path);
  }
  out->def.clear();
  out->rep.clear();
  out->record_starts.clear();
  out->num_levels = 0;
  out->values.Reset(leaf.physical, leaf.type_length);
  int64_t start = meta.data_page_offset;
  if (meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 && *meta.dictionary_page_offset < start) {
    start = *meta.dictionary_page_offset;
  }
  int64_t length = meta.total_compressed_size;
  if (start < 4 || length < 0 || start + length > file_size) {
    return Status::Corruption("{}: column '{}' chunk [{}, +{}) lies outside the file ({} bytes)", path, column, start,
                              length, file_size);
  }
  TRIB_ASSIGN_OR_RETURN(std::string bytes, fs->ReadRange(path, start, length));
  if (static_cast<int64_t>(bytes.size()) != length) {
    return Status::Corruption("{}: column '{}' chunk at offset {} is truncated", path, column, start);
  }
  out->def.reserve(leaf.max_def > 0 ? static_cast<size_t>(meta.num_values) : 0);
  out->rep.reserve(leaf.max_rep > 0 ? static_cast<size_t>(meta.num_values) : 0);
  ChunkDecoder decoder(chunk, leaf, out);
  size_t pos = 0;
  std::string_view all(bytes);
  while (out->num_levels < meta.num_values && pos < all.size()) {
    int64_t page_offset = start + static_cast<int64_t>(pos);
    auto context = [&](const Status& s) {
      return s.WithContext(fmt::format("{}: column '{}', page at offset {}", path, column, page_offset));
    };
    PageHeader header;
    size_t header_size = 0;
    Status s = ParsePageHeader(all.substr(pos), &header, &header_size);
    if (!s.ok()) return context(s);
    pos += header_size;
    if (static_cast<size_t>(header.compressed_page_size) > all.size() - pos) {
      return context(Status::Corruption("page of {} bytes runs past the column chunk", header.compressed_page_size));
    }
    // Sizes and counts beyond what the chunk's metadata allows mean damage; checking
    // them keeps a corrupt header from asking for a huge allocation.
    if (meta.total_uncompressed_size > 0 && header.uncompressed_page_size > meta.total_uncompressed_size) {
      return context(Status::Corruption("page claims {} uncompressed bytes, the whole chunk {}",
                                        header.uncompressed_page_size, meta.total_uncompressed_size));
    }
    int64_t page_values = header.type == PageType::kDataPage     ? header.data_page.num_values
                          : header.type == PageType::kDataPageV2 ? header.data_page_v2.num_values
                                                                 : 0;
    if (page_values > meta.num_values - out->num_levels) {
      return context(Status::Corruption("page holds {} values, more than the {} left in the chunk", page_values,
                                        meta.num_values - out->num_levels));
    }
    std::string_view page = all.substr(pos, static_cast<size_t>(header.compressed_page_size));
    pos += static_cast<size_t>(header.compressed_page_size);
    switch (header.type) {
      case PageType::kDictionaryPage:
        s = decoder.Dictionary(header, page);
        break;
      case PageType::kDataPage:
        s = decoder.DataPageV1(header, page);
        break;
      case PageType::kDataPageV2:
        s = decoder.DataPageV2(header, page);
        break;
      default:
        break;  // index pages carry nothing the reader needs
    }
    if (!s.ok()) return context(s);
  }
  if (out->num_levels != meta.num_values) {
    return Status::Corruption("{}: column '{}' chunk at offset {} holds {} values, its metadata says {}", path, column,
                              start, out->num_levels, meta.num_values);
  }
  if (leaf.max_rep > 0) {
    out->record_starts.reserve(static_cast<size_t>(num_rows) + 1);
    for (int64_t i = 0; i < out->num_levels; ++i) {
      if (out->rep[static_cast<size_t>(i)] == 0) out->record_starts.push_back(i);
    }
    out->record_starts.push_back(out->num_levels);
    if (static_cast<int64_t>(out->record_starts.size()) != num_rows + 1) {
      return Status::Corruption("{}: column '{}' holds {} rows, the row group {}", path, column,
                                out->record_starts.size() - 1, num_rows);
    }
  } else if (out->num_levels != num_rows) {
    return Status::Corruption("{}: column '{}' holds {} rows, the row group {}", path, column, out->num_levels,
                              num_rows);
  }
  return Status::OK();
}

}  // namespace tributary::parquet::internal
