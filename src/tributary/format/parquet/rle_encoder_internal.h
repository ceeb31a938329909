#pragma once

#include <cstdint>
#include <string>

namespace tributary::parquet::internal {

/// Bits needed to store values up to `max_value` (0 for 0).
inline int BitWidth(uint64_t max_value) {
  int width = 0;
  while (max_value != 0) {
    ++width;
    max_value >>= 1;
  }
  return width;
}

/// Parquet's RLE / bit-packed hybrid encoding (used for definition and repetition
/// levels and dictionary indices). Runs of 8 or more equal values aligned to a group
/// of 8 become RLE runs; everything else is bit-packed in groups of 8, LSB first.
/// Appends to the string given to Reset(); call Flush() once at the end.
class RleBitPackedEncoder {
 public:
  RleBitPackedEncoder() = default;
  RleBitPackedEncoder(int bit_width, std::string* out) { Reset(bit_width, out); }

  void Reset(int bit_width, std::string* out);

  void Put(uint32_t value) {
    if (repeat_count_ > 0 && value == current_value_) {
      ++repeat_count_;
      // Past 8 the run is known to be RLE; the value need not be buffered.
      if (repeat_count_ > 8) return;
    } else {
      if (repeat_count_ >= 8) FlushRepeatedRun();
      repeat_count_ = 1;
      current_value_ = value;
    }
    buffered_[num_buffered_++] = value;
    if (num_buffered_ == 8) FlushBufferedGroup();
  }

  /// Writes out everything still buffered. The encoder must be Reset() before reuse.
  void Flush();

 private:
  void FlushBufferedGroup();
  void FlushRepeatedRun();
  void WriteLiteralGroup();
  void CloseLiteralRun();

  int bit_width_ = 1;
  std::string* out_ = nullptr;
  uint32_t buffered_[8] = {};
  int num_buffered_ = 0;
  uint32_t current_value_ = 0;
  int64_t repeat_count_ = 0;
  // The open bit-packed run: its groups so far and where its header byte goes.
  int literal_groups_ = 0;
  int64_t literal_header_pos_ = -1;
};

}  // namespace tributary::parquet::internal
