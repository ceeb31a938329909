#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/format/parquet/metadata_internal.h"
#include "tributary/format/parquet/rle_encoder_internal.h"
#include "tributary/format/parquet/schema_internal.h"
#include "tributary/format/parquet/writer.h"
#include "tributary/io/file_system.h"

namespace tributary::parquet::internal {

/// Min/max in Parquet's plain encoding (big-endian for FIXED_LEN_BYTE_ARRAY decimals).
struct EncodedMinMax {
  std::optional<std::string> min;
  std::optional<std::string> max;
};

/// Heap bytes a string holds: none while it fits in the string object itself.
inline int64_t AllocatedBytes(const std::string& s) {
  static const size_t kInline = std::string().capacity();
  return s.capacity() > kInline ? static_cast<int64_t>(s.capacity()) : 0;
}

/// Buffers a page passes through while it is encoded and compressed. One is shared
/// by all the column writers of a file, since pages are flushed one at a time: a
/// wide schema then holds one page's scratch, not one per column.
struct PageScratch {
  std::string page;        // the uncompressed page, or the dictionary page body
  std::string compressed;  // its compressed bytes
};

/// Writes the pages of one leaf column into an in-memory column chunk, then the
/// chunk to the file when the row group closes. The page layout (levels, page
/// splitting, compression, headers) lives here; subclasses (one per physical kind)
/// encode values. Virtual calls happen per slice of levels, never per value.
class ColumnChunkWriter {
 public:
  ColumnChunkWriter(const LeafColumn& leaf, const WriterOptions& options);
  virtual ~ColumnChunkWriter() = default;

  /// Adds the levels and values of a slice of rows.
  Status Write(const LeafLevels& levels);
  /// Compressed bytes of the closed pages plus an estimate of the open page: what
  /// the chunk will take in the file.
  int64_t EstimatedChunkBytes() const;
  /// Bytes allocated for the open chunk: the closed pages, the open page's values and
  /// levels, the dictionary and its hash index. This, not the encoded size, is what
  /// the row group costs in memory (4-6 times the encoded size with dictionaries).
  int64_t BufferedBytes() const;
  /// Closes the open page, writes the dictionary page (if any) and the data pages to
  /// `sink` at offset `file_offset`, fills `chunk`, and resets for the next row group.
  Status FinishChunk(io::OutputStream* sink, int64_t file_offset, ColumnChunk* chunk);

  /// Encodes pages in `scratch` (which must outlive the writer) instead of buffers
  /// of its own.
  void ShareScratch(PageScratch* scratch) { scratch_ = scratch; }

  const LeafColumn& leaf() const { return leaf_; }
  int64_t total_values() const { return total_values_; }
  int64_t total_nulls() const { return total_nulls_; }
  int64_t total_compressed() const { return total_compressed_; }
  int64_t total_uncompressed() const { return total_uncompressed_; }
  int64_t total_dictionary_pages() const { return total_dictionary_pages_; }
  int64_t total_plain_pages() const { return total_plain_pages_; }
  /// Min/max over every chunk written so far (unbounded in length).
  virtual EncodedMinMax FileMinMax() const = 0;

 protected:
  /// Encodes the present values among levels [begin, end) into the open page.
  /// `value_cursor` indexes levels.value_indices and is advanced past what was used.
  virtual void AppendValues(const LeafLevels& levels, int64_t begin, int64_t end,
                            int64_t* value_cursor) = 0;
  /// Uncompressed bytes the open page's values will take.
  virtual int64_t PageValueBytes() const = 0;
  /// Bytes the open page's values hold in memory until the page closes (a page
  /// closes when this reaches the page size, as in parquet-mr).
  virtual int64_t PageBufferedBytes() const { return PageValueBytes(); }
  /// Bytes allocated for the open page and the chunk's dictionary (capacities).
  virtual int64_t ValueBufferBytes() const = 0;
  /// Appends the open page's encoded values to `out` and empties the page; returns
  /// their encoding.
  virtual Encoding TakePageValues(std::string* out) = 0;
  /// True while values go to a dictionary.
  virtual bool UsingDictionary() const { return false; }
  virtual int64_t DictionaryBytes() const { return 0; }
  /// True once, when enough values went through the dictionary to show it does not
  /// make them smaller (the check parquet-mr makes on its first page).
  virtual bool ShouldAbandonDictionary() { return false; }
  /// Stops adding to the dictionary: later pages are PLAIN.
  virtual void FallBackToPlain() {}
  /// Replaces `out` with the PLAIN dictionary page body and sets its entry count;
  /// false when there is none.
  virtual bool TakeDictionaryPage(std::string* out, int32_t* num_entries) { return false; }
  /// The chunk's min/max (possibly unset) and resets the chunk statistics.
  virtual EncodedMinMax TakeChunkMinMax() = 0;
  /// Forgets the dictionary and frees the chunk's buffers (a finished row group
  /// keeps no memory); the next chunk starts a fresh dictionary when enabled.
  virtual void StartNewChunk() {}

  const LeafColumn& leaf_;
  const WriterOptions& options_;
  /// The max_def to hand ForEachPresent for the slice being appended: 0 when the
  /// slice has no nulls and no repetition (every level is a value), else max_def.
  int16_t slice_max_def_ = 0;

 private:
  Status FlushPage();
  Status AppendPage(PageHeader header, const std::string& body, std::string* target);

  RleBitPackedEncoder def_encoder_;
  RleBitPackedEncoder rep_encoder_;
  std::string def_bytes_;
  std::string rep_bytes_;
  int64_t page_levels_ = 0;
  int64_t page_nulls_ = 0;
  int def_width_ = 0;
  int rep_width_ = 0;

  PageScratch own_scratch_;
  PageScratch* scratch_ = &own_scratch_;
  std::vector<std::string> chunk_pages_;  // header + body of each data page
  int64_t chunk_bytes_ = 0;               // their total size
  int64_t chunk_uncompressed_ = 0;
  int64_t chunk_values_ = 0;
  int64_t chunk_nulls_ = 0;
  int32_t plain_data_pages_ = 0;
  int32_t dictionary_data_pages_ = 0;

  int64_t total_values_ = 0;
  int64_t total_nulls_ = 0;
  int64_t total_compressed_ = 0;
  int64_t total_uncompressed_ = 0;
  int64_t total_dictionary_pages_ = 0;
  int64_t total_plain_pages_ = 0;
};

/// The writer for a leaf of the given Spark type.
std::unique_ptr<ColumnChunkWriter> MakeColumnChunkWriter(const LeafColumn& leaf,
                                                         const WriterOptions& options);

/// Footer statistics above this size are left out (readers cope; the file stays small).
inline constexpr size_t kMaxStatisticsBytes = 4096;

}  // namespace tributary::parquet::internal

namespace tributary::parquet::internal {

/// Calls fn(index in the leaf column) for each present value among levels
/// [begin, end). Inlined into the typed writers' loops.
template <typename Fn>
inline void ForEachPresent(const LeafLevels& levels, int16_t max_def, int64_t begin, int64_t end,
                           int64_t* value_cursor, Fn&& fn) {
  const int16_t* defs = levels.def_levels.data();
  if (!levels.rep_levels.empty()) {
    const int64_t* indices = levels.value_indices.data();
    int64_t cursor = *value_cursor;
    for (int64_t i = begin; i < end; ++i) {
      if (defs[i] == max_def) fn(indices[cursor++]);
    }
    *value_cursor = cursor;
  } else if (max_def == 0) {
    for (int64_t i = begin; i < end; ++i) fn(levels.row_offset + i);
  } else {
    for (int64_t i = begin; i < end; ++i) {
      if (defs[i] == max_def) fn(levels.row_offset + i);
    }
  }
}

/// Open-addressing hash index from a value's hash to its dictionary position. The
/// caller keeps the values and supplies the equality test.
class DictionarySlots {
 public:
  /// Empties the index and frees what it grew to; the first insert allocates again.
  void Clear() {
    std::vector<Slot>().swap(slots_);
    size_ = 0;
  }
  int64_t AllocatedBytes() const { return static_cast<int64_t>(slots_.capacity() * sizeof(Slot)); }

  /// The position of the value with `hash` for which `equal(position)` holds, or
  /// `next_position` after inserting it.
  template <typename EqualFn>
  int32_t FindOrInsert(uint64_t hash, int32_t next_position, EqualFn&& equal) {
    if (slots_.empty()) Grow();
    size_t mask = slots_.size() - 1;
    size_t i = static_cast<size_t>(hash) & mask;
    while (true) {
      Slot& slot = slots_[i];
      if (slot.position < 0) break;
      if (slot.hash == hash && equal(slot.position)) return slot.position;
      i = (i + 1) & mask;
    }
    slots_[i] = Slot{hash, next_position};
    if (++size_ * 2 > slots_.size()) Grow();
    return next_position;
  }

 private:
  // Small, since a wide schema has one table per column; allocated on the first
  // insert (an all-null or PLAIN column never needs one), then doubled as needed.
  static constexpr size_t kInitialSlots = 32;
  struct Slot {
    uint64_t hash;
    int32_t position;
  };
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max(kInitialSlots, old.size() * 2), Slot{0, -1});
    size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.position < 0) continue;
      size_t i = static_cast<size_t>(s.hash) & mask;
      while (slots_[i].position >= 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

inline uint64_t MixHash(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

/// A writer whose pages hold dictionary indices while the dictionary pays off and
/// PLAIN values after it falls back: the page and fall-back bookkeeping shared by the
/// fixed-width and byte-array writers. Subclasses own the dictionary itself, append
/// to `indices_` or `plain_`, and count dictionary_values_/dictionary_raw_bytes_.
class DictionaryPagedWriter : public ColumnChunkWriter {
 public:
  DictionaryPagedWriter(const LeafColumn& leaf, const WriterOptions& options)
      : ColumnChunkWriter(leaf, options), dictionary_mode_(options.dictionary) {}

 protected:
  /// Entries in the chunk's dictionary so far.
  virtual size_t DictionaryEntries() const = 0;

  /// Bytes allocated for the dictionary entries and their hash index.
  virtual int64_t DictionaryAllocatedBytes() const = 0;
  /// Frees the dictionary's hash index once no value is looked up any more (the
  /// entries stay for the dictionary page).
  virtual void ReleaseDictionaryIndex() = 0;

  int64_t PageValueBytes() const override;
  int64_t PageBufferedBytes() const override;
  int64_t ValueBufferBytes() const override;
  Encoding TakePageValues(std::string* out) override;
  bool UsingDictionary() const override { return dictionary_mode_; }
  bool ShouldAbandonDictionary() override;
  void FallBackToPlain() override;
  /// Resets the paging state for a new chunk and frees the page buffers (the
  /// subclass clears its dictionary).
  void ResetDictionaryPaging();

  bool dictionary_mode_;
  bool dictionary_used_ = false;      // a page of this chunk holds indices
  bool dictionary_checked_ = false;   // ShouldAbandonDictionary has decided
  int64_t dictionary_values_ = 0;     // values dictionary-encoded in this chunk
  int64_t dictionary_raw_bytes_ = 0;  // their PLAIN size
  std::vector<uint32_t> indices_;     // the open page, in dictionary mode
  std::string plain_;                 // the open page, in PLAIN mode
};

/// Appends dictionary indices as a data page body: bit width byte + RLE hybrid.
void EncodeDictionaryIndices(const std::vector<uint32_t>& indices, size_t dictionary_size,
                             std::string* out);

std::unique_ptr<ColumnChunkWriter> MakeBooleanWriter(const LeafColumn& leaf, const WriterOptions& options);
std::unique_ptr<ColumnChunkWriter> MakeFixedWidthWriter(const LeafColumn& leaf, const WriterOptions& options);
std::unique_ptr<ColumnChunkWriter> MakeByteArrayWriter(const LeafColumn& leaf, const WriterOptions& options);

}  // namespace tributary::parquet::internal
