#include <algorithm>
#include <cstring>
#include <functional>
#include <string_view>

#include "tributary/format/parquet/column_writer_internal.h"

namespace tributary::parquet::internal {
namespace {

void AppendLength(std::string* out, uint32_t length) {
  char bytes[4] = {static_cast<char>(length & 0xFF), static_cast<char>((length >> 8) & 0xFF),
                   static_cast<char>((length >> 16) & 0xFF), static_cast<char>(length >> 24)};
  out->append(bytes, 4);
}

/// Min/max of byte strings in unsigned byte order (which is UTF-8 code point order).
struct ByteStats {
  bool seen = false;
  std::string min;
  std::string max;
  void Merge(std::string_view v) {
    // std::string_view compares with char_traits<char>::compare, i.e. memcmp:
    // unsigned bytes.
    if (!seen) {
      min.assign(v);
      max.assign(v);
      seen = true;
      return;
    }
    if (v < std::string_view(min)) min.assign(v);
    if (std::string_view(max) < v) max.assign(v);
  }
};

/// BYTE_ARRAY leaves (string, binary): dictionary or PLAIN (4-byte length + bytes).
class ByteArrayWriter final : public DictionaryPagedWriter {
 public:
  ByteArrayWriter(const LeafColumn& leaf, const WriterOptions& options) : DictionaryPagedWriter(leaf, options) {}

  EncodedMinMax FileMinMax() const override { return Encode(file_stats_); }

 protected:
  void AppendValues(const LeafLevels& levels, int64_t begin, int64_t end, int64_t* cursor) override {
    const columnar::Column& leaf = *levels.leaf;
    // An all-null column may come without buffers; then nothing is read.
    const int32_t* offsets = leaf.values() ? leaf.values()->data_as<int32_t>() : nullptr;
    const char* data = leaf.data() ? reinterpret_cast<const char*>(leaf.data()->data()) : "";
    if (dictionary_mode_) {
      ForEachPresent(levels, slice_max_def_, begin, end, cursor, [&](int64_t index) {
        std::string_view v(data + offsets[index], static_cast<size_t>(offsets[index + 1] - offsets[index]));
        ++dictionary_values_;
        dictionary_raw_bytes_ += 4 + static_cast<int64_t>(v.size());
        auto next = static_cast<int32_t>(entry_offsets_.size());
        int32_t position = slots_.FindOrInsert(std::hash<std::string_view>{}(v), next, [&](int32_t p) {
          return Entry(p) == v;
        });
        if (position == next) {
          // Every entry comes from this chunk, so the entries' min/max is the values'.
          Observe(v);
          AppendLength(&dictionary_plain_, static_cast<uint32_t>(v.size()));
          entry_offsets_.push_back(dictionary_plain_.size());
          dictionary_plain_.append(v);
        }
        indices_.push_back(static_cast<uint32_t>(position));
      });
      return;
    }
    // Written through a pointer into a geometrically grown string: no append call
    // per value.
    size_t pos = plain_.size();
    ForEachPresent(levels, slice_max_def_, begin, end, cursor, [&](int64_t index) {
      std::string_view v(data + offsets[index], static_cast<size_t>(offsets[index + 1] - offsets[index]));
      Observe(v);
      size_t need = pos + 4 + v.size();
      if (need > plain_.size()) plain_.resize(std::max(need, plain_.size() * 2));
      auto length = static_cast<uint32_t>(v.size());
      std::memcpy(plain_.data() + pos, &length, 4);  // little-endian hosts only
      std::memcpy(plain_.data() + pos + 4, v.data(), v.size());
      pos = need;
    });
    plain_.resize(pos);
  }

  size_t DictionaryEntries() const override { return entry_offsets_.size(); }
  int64_t DictionaryBytes() const override { return static_cast<int64_t>(dictionary_plain_.size()); }
  int64_t DictionaryAllocatedBytes() const override {
    return AllocatedBytes(dictionary_plain_) + static_cast<int64_t>(entry_offsets_.capacity() * sizeof(size_t)) +
           slots_.AllocatedBytes();
  }
  void ReleaseDictionaryIndex() override { slots_.Clear(); }

  bool TakeDictionaryPage(std::string* out, int32_t* num_entries) override {
    if (!dictionary_used_) return false;
    // The chunk is finishing: the entries are not needed after this.
    out->swap(dictionary_plain_);
    *num_entries = static_cast<int32_t>(entry_offsets_.size());
    return true;
  }

  EncodedMinMax TakeChunkMinMax() override {
    EncodedMinMax result = Encode(chunk_stats_);
    if (chunk_stats_.seen) {
      file_stats_.Merge(chunk_stats_.min);
      file_stats_.Merge(chunk_stats_.max);
    }
    chunk_stats_ = ByteStats{};
    return result;
  }

  void StartNewChunk() override {
    std::string().swap(dictionary_plain_);
    std::vector<size_t>().swap(entry_offsets_);
    slots_.Clear();
    ResetDictionaryPaging();
  }

 private:
  std::string_view Entry(int32_t position) const {
    size_t start = entry_offsets_[static_cast<size_t>(position)];
    uint32_t length;
    std::memcpy(&length, dictionary_plain_.data() + start - 4, 4);
    return {dictionary_plain_.data() + start, length};
  }

  void Observe(std::string_view v) { chunk_stats_.Merge(v); }

  static EncodedMinMax Encode(const ByteStats& stats) {
    EncodedMinMax result;
    if (!stats.seen) return result;
    result.min = stats.min;
    result.max = stats.max;
    return result;
  }

  std::string dictionary_plain_;      // the dictionary page body
  std::vector<size_t> entry_offsets_;  // where each entry's bytes start in it
  DictionarySlots slots_;
  ByteStats chunk_stats_;
  ByteStats file_stats_;
};

}  // namespace

std::unique_ptr<ColumnChunkWriter> MakeByteArrayWriter(const LeafColumn& leaf, const WriterOptions& options) {
  return std::make_unique<ByteArrayWriter>(leaf, options);
}

}  // namespace tributary::parquet::internal
