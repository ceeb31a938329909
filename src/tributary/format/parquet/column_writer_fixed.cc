#include <algorithm>
#include <bit>
#include <cstring>
#include <type_traits>

#include "tributary/format/parquet/column_writer_internal.h"

namespace tributary::parquet::internal {
namespace {

/// A Spark value stored as `Source` in the Arrow buffer and written as the Parquet
/// physical `Physical` (little-endian PLAIN).
template <typename Source, typename Physical>
struct NumericTraits {
  using Value = Physical;
  static constexpr bool kIdentity = std::is_same_v<Source, Physical>;
  static Value Load(const uint8_t* values, int64_t i) {
    return static_cast<Physical>(reinterpret_cast<const Source*>(values)[i]);
  }
  static void AppendPlain(std::string* out, Value v, int /*width*/) {
    out->append(reinterpret_cast<const char*>(&v), sizeof(v));
  }
  static uint64_t Hash(Value v) {
    if constexpr (sizeof(Value) == 4) {
      return MixHash(std::bit_cast<uint32_t>(v));
    } else {
      return MixHash(std::bit_cast<uint64_t>(v));
    }
  }
  static bool BitEqual(Value a, Value b) { return std::memcmp(&a, &b, sizeof(Value)) == 0; }
  static constexpr int PlainWidth(int /*width*/) { return sizeof(Value); }
};

/// Decimals of precision > 18: FIXED_LEN_BYTE_ARRAY, big-endian two's complement of
/// `width` bytes.
struct DecimalFlbaTraits {
  using Value = __int128;
  static constexpr bool kIdentity = false;
  static Value Load(const uint8_t* values, int64_t i) {
    Value v;
    std::memcpy(&v, values + i * 16, 16);
    return v;
  }
  static void AppendPlain(std::string* out, Value v, int width) {
    for (int b = width - 1; b >= 0; --b) out->push_back(static_cast<char>((v >> (8 * b)) & 0xFF));
  }
  static uint64_t Hash(Value v) {
    return MixHash(static_cast<uint64_t>(v) ^ MixHash(static_cast<uint64_t>(v >> 64)));
  }
  static bool BitEqual(Value a, Value b) { return a == b; }
  static int PlainWidth(int width) { return width; }
};

/// Open-addressing map from a value to its dictionary position that keeps the value
/// in the slot, so that a lookup touches one cache line.
template <typename Traits>
class ValueSlots {
 public:
  using Value = typename Traits::Value;

  /// Empties the map and frees what it grew to; the first insert allocates again.
  void Clear() {
    std::vector<Slot>().swap(slots_);
    size_ = 0;
  }
  int64_t AllocatedBytes() const { return static_cast<int64_t>(slots_.capacity() * sizeof(Slot)); }
  /// The position of `v`, or `next_position` after inserting it.
  int32_t FindOrInsert(Value v, int32_t next_position) {
    if (slots_.empty()) Grow();
    size_t mask = slots_.size() - 1;
    size_t i = static_cast<size_t>(Traits::Hash(v)) & mask;
    while (slots_[i].position >= 0) {
      if (Traits::BitEqual(slots_[i].value, v)) return slots_[i].position;
      i = (i + 1) & mask;
    }
    slots_[i] = Slot{v, next_position};
    if (++size_ * 2 > slots_.size()) Grow();
    return next_position;
  }

 private:
  struct Slot {
    Value value;
    int32_t position;
  };
  void Grow() {
    // Small at first, since a wide schema has one map per column.
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<size_t>(32, old.size() * 2), Slot{Value{}, -1});
    size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.position < 0) continue;
      size_t i = static_cast<size_t>(Traits::Hash(s.value)) & mask;
      while (slots_[i].position >= 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  size_t size_ = 0;
};

template <typename Traits>
class FixedWidthWriter final : public DictionaryPagedWriter {
 public:
  using Value = typename Traits::Value;
  static constexpr bool kFloating = std::is_floating_point_v<Value>;

  FixedWidthWriter(const LeafColumn& leaf, const WriterOptions& options)
      : DictionaryPagedWriter(leaf, options), width_(leaf.type_length) {}

  EncodedMinMax FileMinMax() const override { return Encode(file_stats_); }

 protected:
  void AppendValues(const LeafLevels& levels, int64_t begin, int64_t end, int64_t* cursor) override {
    // An all-null column may come without a values buffer; then nothing is read.
    const uint8_t* raw = levels.leaf->values() ? levels.leaf->values()->data() : nullptr;
    if (dictionary_mode_) {
      size_t indices_before = indices_.size();
      ForEachPresent(levels, slice_max_def_, begin, end, cursor, [&](int64_t index) {
        Value v = Traits::Load(raw, index);
        auto next = static_cast<int32_t>(dictionary_.size());
        int32_t position = slots_.FindOrInsert(v, next);
        if (position == next) {
          // Every entry comes from this chunk, so the entries' min/max is the values'.
          dictionary_.push_back(v);
          Observe(v);
        }
        indices_.push_back(static_cast<uint32_t>(position));
      });
      auto added = static_cast<int64_t>(indices_.size() - indices_before);
      dictionary_values_ += added;
      dictionary_raw_bytes_ += added * Traits::PlainWidth(width_);
      return;
    }
    if constexpr (Traits::kIdentity) {
      if (levels.rep_levels.empty() && slice_max_def_ == 0) {
        // Dense values: one copy, then the statistics pass.
        const Value* values = reinterpret_cast<const Value*>(raw) + levels.row_offset + begin;
        plain_.append(reinterpret_cast<const char*>(values), static_cast<size_t>(end - begin) * sizeof(Value));
        for (int64_t i = 0; i < end - begin; ++i) Observe(values[i]);
        return;
      }
    }
    if constexpr (sizeof(Value) <= 8) {
      // Sized once for the slice, then filled through a pointer: no append per value.
      size_t old_size = plain_.size();
      plain_.resize(old_size + static_cast<size_t>(end - begin) * sizeof(Value));
      char* out = plain_.data() + old_size;
      ForEachPresent(levels, slice_max_def_, begin, end, cursor, [&](int64_t index) {
        Value v = Traits::Load(raw, index);
        Observe(v);
        std::memcpy(out, &v, sizeof(Value));
        out += sizeof(Value);
      });
      plain_.resize(static_cast<size_t>(out - plain_.data()));
    } else {
      ForEachPresent(levels, slice_max_def_, begin, end, cursor, [&](int64_t index) {
        Value v = Traits::Load(raw, index);
        Observe(v);
        Traits::AppendPlain(&plain_, v, width_);
      });
    }
  }

  size_t DictionaryEntries() const override { return dictionary_.size(); }
  int64_t DictionaryBytes() const override {
    return static_cast<int64_t>(dictionary_.size()) * Traits::PlainWidth(width_);
  }
  int64_t DictionaryAllocatedBytes() const override {
    return static_cast<int64_t>(dictionary_.capacity() * sizeof(Value)) + slots_.AllocatedBytes();
  }
  void ReleaseDictionaryIndex() override { slots_.Clear(); }

  bool TakeDictionaryPage(std::string* out, int32_t* num_entries) override {
    if (!dictionary_used_) return false;
    out->clear();
    out->reserve(dictionary_.size() * static_cast<size_t>(Traits::PlainWidth(width_)));
    for (const Value& v : dictionary_) Traits::AppendPlain(out, v, width_);
    *num_entries = static_cast<int32_t>(dictionary_.size());
    return true;
  }

  EncodedMinMax TakeChunkMinMax() override {
    EncodedMinMax result = Encode(chunk_stats_);
    if (chunk_stats_.seen) {
      file_stats_.Merge(chunk_stats_.min);
      file_stats_.Merge(chunk_stats_.max);
    }
    file_stats_.nan |= chunk_stats_.nan;
    chunk_stats_ = Stats{};
    return result;
  }

  void StartNewChunk() override {
    std::vector<Value>().swap(dictionary_);
    slots_.Clear();
    ResetDictionaryPaging();
  }

 private:
  struct Stats {
    bool seen = false;
    bool nan = false;
    Value min{};
    Value max{};
    void Merge(Value v) {
      if (!seen) {
        min = max = v;
        seen = true;
        return;
      }
      if (v < min) min = v;
      if (max < v) max = v;
    }
  };

  void Observe(Value v) {
    if constexpr (kFloating) {
      // Spark orders NaN above every number, Parquet readers leave it out of
      // min/max: with a NaN present no bounds are safe for both, so none are written.
      if (v != v) {
        chunk_stats_.nan = true;
        return;
      }
    }
    chunk_stats_.Merge(v);
  }

  EncodedMinMax Encode(const Stats& stats) const {
    EncodedMinMax result;
    if (!stats.seen || stats.nan) return result;
    Value min = stats.min;
    Value max = stats.max;
    if constexpr (kFloating) {
      // The spec asks for -0.0 as a zero minimum and +0.0 as a zero maximum, since
      // -0.0 == +0.0 makes either sign possible in the data.
      if (min == 0) min = -Value{0};
      if (max == 0) max = Value{0};
    }
    result.min.emplace();
    result.max.emplace();
    Traits::AppendPlain(&*result.min, min, width_);
    Traits::AppendPlain(&*result.max, max, width_);
    return result;
  }

  int width_;
  std::vector<Value> dictionary_;
  ValueSlots<Traits> slots_;
  Stats chunk_stats_;
  Stats file_stats_;
};

template <typename Source, typename Physical>
std::unique_ptr<ColumnChunkWriter> MakeNumeric(const LeafColumn& leaf, const WriterOptions& options) {
  return std::make_unique<FixedWidthWriter<NumericTraits<Source, Physical>>>(leaf, options);
}

}  // namespace

std::unique_ptr<ColumnChunkWriter> MakeFixedWidthWriter(const LeafColumn& leaf,
                                                        const WriterOptions& options) {
  using columnar::TypeId;
  switch (leaf.type->id()) {
    case TypeId::kByte:
      return MakeNumeric<int8_t, int32_t>(leaf, options);
    case TypeId::kShort:
      return MakeNumeric<int16_t, int32_t>(leaf, options);
    case TypeId::kInteger:
    case TypeId::kDate:
      return MakeNumeric<int32_t, int32_t>(leaf, options);
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return MakeNumeric<int64_t, int64_t>(leaf, options);
    case TypeId::kFloat:
      return MakeNumeric<float, float>(leaf, options);
    case TypeId::kDouble:
      return MakeNumeric<double, double>(leaf, options);
    case TypeId::kDecimal:
      if (leaf.physical == PhysicalType::kInt32) return MakeNumeric<__int128, int32_t>(leaf, options);
      if (leaf.physical == PhysicalType::kInt64) return MakeNumeric<__int128, int64_t>(leaf, options);
      return std::make_unique<FixedWidthWriter<DecimalFlbaTraits>>(leaf, options);
    default:
      return nullptr;
  }
}

}  // namespace tributary::parquet::internal
