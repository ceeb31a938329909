#include "tributary/format/parquet/rle_encoder_internal.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace tributary::parquet::internal {
namespace {

// An independent decoder of the RLE / bit-packed hybrid, written from the spec.
std::vector<uint32_t> Decode(const std::string& bytes, int bit_width, size_t count) {
  std::vector<uint32_t> values;
  size_t pos = 0;
  auto byte_at = [&](size_t i) { return static_cast<uint8_t>(bytes.at(i)); };
  while (values.size() < count) {
    uint64_t header = 0;
    int shift = 0;
    while (true) {
      uint8_t b = byte_at(pos++);
      header |= static_cast<uint64_t>(b & 0x7F) << shift;
      shift += 7;
      if ((b & 0x80) == 0) break;
    }
    if (header & 1) {
      size_t n = (header >> 1) * 8;
      uint64_t bit = 0;
      for (size_t i = 0; i < n; ++i) {
        uint32_t v = 0;
        for (int k = 0; k < bit_width; ++k, ++bit) {
          v |= static_cast<uint32_t>((byte_at(pos + bit / 8) >> (bit % 8)) & 1) << k;
        }
        if (values.size() < count) values.push_back(v);
      }
      pos += (n * static_cast<size_t>(bit_width)) / 8;
    } else {
      size_t n = header >> 1;
      uint32_t v = 0;
      for (int k = 0; k < (bit_width + 7) / 8; ++k) v |= static_cast<uint32_t>(byte_at(pos++)) << (8 * k);
      for (size_t i = 0; i < n; ++i) values.push_back(v);
    }
  }
  EXPECT_EQ(pos, bytes.size()) << "trailing bytes after the last run";
  return values;
}

std::string Encode(const std::vector<uint32_t>& values, int bit_width) {
  std::string out;
  RleBitPackedEncoder encoder(bit_width, &out);
  for (uint32_t v : values) encoder.Put(v);
  encoder.Flush();
  return out;
}

TEST(RleEncoderTest, RepeatedValuesBecomeOneRleRun) {
  std::string out = Encode(std::vector<uint32_t>(100, 3), 2);
  // varint(100 << 1) = 0xc8 0x01, then the value in one byte.
  EXPECT_EQ(out, std::string("\xc8\x01\x03", 3));
}

TEST(RleEncoderTest, FewDistinctValuesAreBitPacked) {
  std::string out = Encode({1, 2, 3}, 2);
  // One group: header (1 << 1) | 1, values 1,2,3 then zero padding, LSB first.
  EXPECT_EQ(out, std::string("\x03\x39\x00", 3));
}

TEST(RleEncoderTest, ShortRunAtTheStartIsRle) {
  std::string out = Encode({1, 1, 1}, 1);
  EXPECT_EQ(out, std::string("\x06\x01", 2));
}

TEST(RleEncoderTest, MixedRunsRoundTrip) {
  std::vector<uint32_t> values;
  for (int i = 0; i < 13; ++i) values.push_back(static_cast<uint32_t>(i % 3));
  for (int i = 0; i < 40; ++i) values.push_back(2);
  for (int i = 0; i < 5; ++i) values.push_back(1);
  for (int i = 0; i < 9; ++i) values.push_back(0);
  EXPECT_EQ(Decode(Encode(values, 2), 2, values.size()), values);
}

TEST(RleEncoderTest, LongLiteralRunsSplitAt63Groups) {
  std::vector<uint32_t> values;
  for (int i = 0; i < 1000; ++i) values.push_back(static_cast<uint32_t>(i % 7));
  EXPECT_EQ(Decode(Encode(values, 3), 3, values.size()), values);
}

TEST(RleEncoderTest, RandomRoundTripForEveryWidth) {
  std::mt19937 rng(42);
  for (int width = 1; width <= 20; ++width) {
    std::vector<uint32_t> values;
    uint32_t mask = (1u << width) - 1;
    while (values.size() < 5000) {
      uint32_t v = static_cast<uint32_t>(rng()) & mask;
      size_t run = (rng() % 4 == 0) ? rng() % 40 : 1;
      for (size_t i = 0; i < run; ++i) values.push_back(v);
    }
    ASSERT_EQ(Decode(Encode(values, width), width, values.size()), values) << "width " << width;
  }
}

TEST(RleEncoderTest, BitWidth) {
  EXPECT_EQ(BitWidth(0), 0);
  EXPECT_EQ(BitWidth(1), 1);
  EXPECT_EQ(BitWidth(2), 2);
  EXPECT_EQ(BitWidth(3), 2);
  EXPECT_EQ(BitWidth(255), 8);
  EXPECT_EQ(BitWidth(256), 9);
}

}  // namespace
}  // namespace tributary::parquet::internal
