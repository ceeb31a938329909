#pragma once

// Decoders for the value and level encodings of Parquet data pages.

#include <cstdint>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/format/parquet/metadata_internal.h"

namespace tributary::parquet::internal {

/// Decoded values of one column chunk in their physical form: fixed-width values
/// (BOOLEAN as one byte 0/1, INT32, INT64, INT96, FLOAT, DOUBLE, FIXED_LEN_BYTE_ARRAY)
/// packed in `fixed`, BYTE_ARRAY values as offsets into `bytes`.
struct RawValues {
  PhysicalType physical = PhysicalType::kInt32;
  int width = 0;  // bytes per fixed-width value; 0 for BYTE_ARRAY
  int64_t count = 0;
  std::string fixed;
  std::vector<int64_t> offsets{0};  // count + 1 entries for BYTE_ARRAY
  std::string bytes;

  void Reset(PhysicalType type, int type_length);
  std::string_view ByteArray(int64_t i) const {
    return {bytes.data() + offsets[static_cast<size_t>(i)],
            static_cast<size_t>(offsets[static_cast<size_t>(i) + 1] - offsets[static_cast<size_t>(i)])};
  }
  const char* Fixed(int64_t i) const { return fixed.data() + i * width; }
};

/// Bytes per value of a fixed-width physical type (BOOLEAN: 1); 0 for BYTE_ARRAY.
int PhysicalWidth(PhysicalType type, int type_length);

/// Parquet's RLE / bit-packed hybrid decoder (levels, dictionary indices, booleans).
class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width)
      : data_(data), size_(size), bit_width_(bit_width) {}

  /// Decodes the next `count` values. False when the input ends early or a run is
  /// malformed.
  template <typename T>
  bool Get(T* out, int64_t count);

 private:
  bool NextRun();

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  int bit_width_;
  int64_t repeat_left_ = 0;
  uint64_t repeat_value_ = 0;
  int64_t literal_left_ = 0;
  const uint8_t* literal_ = nullptr;  // start of the current bit-packed run
  int64_t literal_index_ = 0;
};

/// Decodes legacy BIT_PACKED levels (most significant bit first) into `out`.
bool DecodeBitPackedLevels(const uint8_t* data, size_t size, int bit_width, int64_t count, int16_t* out);

/// Decodes a DELTA_BINARY_PACKED stream into `out` (replacing its content); at most
/// `max_values` are accepted. `*consumed` receives the bytes the stream occupies.
Status DecodeDeltaBinaryPacked(const uint8_t* data, size_t size, int64_t max_values, std::vector<int64_t>* out,
                               size_t* consumed);

/// Appends `num_values` values of a data page (or a dictionary page, with
/// `dictionary` null) encoded as `encoding` to `out`. Dictionary-encoded pages
/// gather from `dictionary`. Corruption describes what is wrong; NotImplemented an
/// unknown encoding.
Status DecodeValues(Encoding encoding, const uint8_t* data, size_t size, int64_t num_values,
                    const RawValues* dictionary, RawValues* out);

}  // namespace tributary::parquet::internal
