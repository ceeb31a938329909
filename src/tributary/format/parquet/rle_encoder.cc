#include "tributary/format/parquet/rle_encoder_internal.h"

namespace tributary::parquet::internal {
namespace {

void PutVarint(std::string* out, uint64_t value) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

}  // namespace

void RleBitPackedEncoder::Reset(int bit_width, std::string* out) {
  bit_width_ = bit_width;
  out_ = out;
  num_buffered_ = 0;
  current_value_ = 0;
  repeat_count_ = 0;
  literal_groups_ = 0;
  literal_header_pos_ = -1;
}

void RleBitPackedEncoder::FlushRepeatedRun() {
  PutVarint(out_, static_cast<uint64_t>(repeat_count_) << 1);
  int bytes = (bit_width_ + 7) / 8;
  for (int i = 0; i < bytes; ++i) out_->push_back(static_cast<char>((current_value_ >> (8 * i)) & 0xFF));
  repeat_count_ = 0;
  num_buffered_ = 0;
}

void RleBitPackedEncoder::WriteLiteralGroup() {
  if (literal_header_pos_ < 0) {
    literal_header_pos_ = static_cast<int64_t>(out_->size());
    out_->push_back(0);  // header, filled in when the run closes
  }
  for (int i = num_buffered_; i < 8; ++i) buffered_[i] = 0;
  // Eight values of bit_width_ bits are exactly bit_width_ bytes.
  uint64_t acc = 0;
  int acc_bits = 0;
  for (int i = 0; i < 8; ++i) {
    acc |= static_cast<uint64_t>(buffered_[i]) << acc_bits;
    acc_bits += bit_width_;
    while (acc_bits >= 8) {
      out_->push_back(static_cast<char>(acc & 0xFF));
      acc >>= 8;
      acc_bits -= 8;
    }
  }
  ++literal_groups_;
  num_buffered_ = 0;
}

void RleBitPackedEncoder::CloseLiteralRun() {
  if (literal_header_pos_ < 0) return;
  (*out_)[static_cast<size_t>(literal_header_pos_)] = static_cast<char>((literal_groups_ << 1) | 1);
  literal_header_pos_ = -1;
  literal_groups_ = 0;
}

void RleBitPackedEncoder::FlushBufferedGroup() {
  if (repeat_count_ >= 8) {
    // All eight buffered values start an RLE run: drop them from the buffer and end
    // any bit-packed run before it.
    num_buffered_ = 0;
    CloseLiteralRun();
    return;
  }
  WriteLiteralGroup();
  // A one-byte header holds at most 63 groups.
  if (literal_groups_ == 63) CloseLiteralRun();
  repeat_count_ = 0;
}

void RleBitPackedEncoder::Flush() {
  if (repeat_count_ > 0 && literal_header_pos_ < 0 &&
      (num_buffered_ == 0 || repeat_count_ == num_buffered_)) {
    FlushRepeatedRun();
    return;
  }
  if (repeat_count_ >= 8) {
    FlushRepeatedRun();
    CloseLiteralRun();
    return;
  }
  if (num_buffered_ > 0) WriteLiteralGroup();
  CloseLiteralRun();
  repeat_count_ = 0;
}

}  // namespace tributary::parquet::internal
