#include "tributary/format/parquet/column_writer_internal.h"

namespace tributary::parquet::internal {
namespace {

/// BOOLEAN leaves: PLAIN, one bit per value, LSB first. No dictionary.
class BooleanWriter final : public ColumnChunkWriter {
 public:
  using ColumnChunkWriter::ColumnChunkWriter;

  EncodedMinMax FileMinMax() const override { return Encode(file_seen_false_, file_seen_true_); }

 protected:
  void AppendValues(const LeafLevels& levels, int64_t begin, int64_t end, int64_t* cursor) override {
    // An all-null column may come without a values buffer; then nothing is read.
    const uint8_t* bits = levels.leaf->values() ? levels.leaf->values()->data() : nullptr;
    ForEachPresent(levels, slice_max_def_, begin, end, cursor, [&](int64_t index) {
      bool value = columnar::GetBit(bits, index);
      if (bit_count_ % 8 == 0) page_.push_back(0);
      if (value) page_.back() = static_cast<char>(page_.back() | (1 << (bit_count_ % 8)));
      ++bit_count_;
      seen_true_ |= value;
      seen_false_ |= !value;
    });
  }
  int64_t PageValueBytes() const override { return static_cast<int64_t>(page_.size()); }
  int64_t ValueBufferBytes() const override { return AllocatedBytes(page_); }
  Encoding TakePageValues(std::string* out) override {
    out->append(page_);
    page_.clear();
    bit_count_ = 0;
    return Encoding::kPlain;
  }
  EncodedMinMax TakeChunkMinMax() override {
    EncodedMinMax result = Encode(seen_false_, seen_true_);
    file_seen_false_ |= seen_false_;
    file_seen_true_ |= seen_true_;
    seen_false_ = seen_true_ = false;
    return result;
  }
  void StartNewChunk() override { std::string().swap(page_); }

 private:
  static EncodedMinMax Encode(bool seen_false, bool seen_true) {
    EncodedMinMax result;
    if (!seen_false && !seen_true) return result;
    result.min = std::string(1, seen_false ? '\0' : '\1');
    result.max = std::string(1, seen_true ? '\1' : '\0');
    return result;
  }

  std::string page_;
  int64_t bit_count_ = 0;
  bool seen_false_ = false;
  bool seen_true_ = false;
  bool file_seen_false_ = false;
  bool file_seen_true_ = false;
};

}  // namespace

std::unique_ptr<ColumnChunkWriter> MakeBooleanWriter(const LeafColumn& leaf, const WriterOptions& options) {
  return std::make_unique<BooleanWriter>(leaf, options);
}

}  // namespace tributary::parquet::internal
