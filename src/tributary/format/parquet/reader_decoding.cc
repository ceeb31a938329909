#include <cstring>

#include "tributary/format/parquet/reader_decoding_internal.h"

namespace tributary::parquet::internal {

int PhysicalWidth(PhysicalType type, int type_length) {
  switch (type) {
    case PhysicalType::kBoolean:
      return 1;
    case PhysicalType::kInt32:
    case PhysicalType::kFloat:
      return 4;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble:
      return 8;
    case PhysicalType::kInt96:
      return 12;
    case PhysicalType::kFixedLenByteArray:
      return type_length;
    case PhysicalType::kByteArray:
      break;
  }
  return 0;
}

void RawValues::Reset(PhysicalType type, int type_length) {
  physical = type;
  width = PhysicalWidth(type, type_length);
  count = 0;
  fixed.clear();
  offsets.assign(1, 0);
  bytes.clear();
}

// ---- RLE / bit-packed hybrid ----

namespace {

bool ReadUleb(const uint8_t* data, size_t size, size_t* pos, uint64_t* value) {
  *value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*pos >= size) return false;
    uint8_t byte = data[(*pos)++];
    *value |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// Value `index` of LSB-first bit-packed data of `width` bits (width <= 64).
// REQUIRES: the bytes up to the end of that value are readable.
inline uint64_t UnpackLsb(const uint8_t* data, int64_t index, int width) {
  uint64_t bit = static_cast<uint64_t>(index) * static_cast<uint64_t>(width);
  const uint8_t* p = data + (bit >> 3);
  int shift = static_cast<int>(bit & 7);
  int needed = (shift + width + 7) / 8;  // up to 9 bytes
  unsigned __int128 window = 0;
  for (int i = 0; i < needed; ++i) window |= static_cast<unsigned __int128>(p[i]) << (8 * i);
  window >>= shift;
  uint64_t mask = width == 64 ? ~uint64_t{0} : ((uint64_t{1} << width) - 1);
  return static_cast<uint64_t>(window) & mask;
}

}  // namespace

bool RleBitPackedDecoder::NextRun() {
  uint64_t header;
  if (!ReadUleb(data_, size_, &pos_, &header)) return false;
  if (header & 1) {
    int64_t groups = static_cast<int64_t>(header >> 1);
    size_t run_bytes = static_cast<size_t>(groups) * static_cast<size_t>(bit_width_);
    literal_ = data_ + pos_;
    literal_index_ = 0;
    literal_left_ = groups * 8;
    if (run_bytes > size_ - pos_) {
      // A truncated last run is tolerated for the values actually present.
      literal_left_ = bit_width_ == 0 ? literal_left_ : static_cast<int64_t>((size_ - pos_) * 8 / bit_width_);
      pos_ = size_;
    } else {
      pos_ += run_bytes;
    }
    return literal_left_ > 0;
  }
  repeat_left_ = static_cast<int64_t>(header >> 1);
  int value_bytes = (bit_width_ + 7) / 8;
  if (static_cast<size_t>(value_bytes) > size_ - pos_) return false;
  repeat_value_ = 0;
  for (int i = 0; i < value_bytes; ++i) repeat_value_ |= static_cast<uint64_t>(data_[pos_ + i]) << (8 * i);
  pos_ += value_bytes;
  return repeat_left_ > 0;
}

template <typename T>
bool RleBitPackedDecoder::Get(T* out, int64_t count) {
  if (bit_width_ == 0) {
    std::fill(out, out + count, T{0});
    return true;
  }
  while (count > 0) {
    if (repeat_left_ > 0) {
      int64_t n = std::min(repeat_left_, count);
      std::fill(out, out + n, static_cast<T>(repeat_value_));
      out += n;
      count -= n;
      repeat_left_ -= n;
    } else if (literal_left_ > 0) {
      int64_t n = std::min(literal_left_, count);
      for (int64_t i = 0; i < n; ++i) out[i] = static_cast<T>(UnpackLsb(literal_, literal_index_ + i, bit_width_));
      literal_index_ += n;
      literal_left_ -= n;
      out += n;
      count -= n;
    } else if (!NextRun()) {
      return false;
    }
  }
  return true;
}

template bool RleBitPackedDecoder::Get<int16_t>(int16_t*, int64_t);
template bool RleBitPackedDecoder::Get<uint32_t>(uint32_t*, int64_t);
template bool RleBitPackedDecoder::Get<uint8_t>(uint8_t*, int64_t);

bool DecodeBitPackedLevels(const uint8_t* data, size_t size, int bit_width, int64_t count, int16_t* out) {
  if (static_cast<uint64_t>(count) * static_cast<uint64_t>(bit_width) > size * 8) return false;
  for (int64_t i = 0; i < count; ++i) {
    int value = 0;
    for (int b = 0; b < bit_width; ++b) {
      uint64_t bit = static_cast<uint64_t>(i) * bit_width + b;
      value = (value << 1) | ((data[bit >> 3] >> (7 - (bit & 7))) & 1);
    }
    out[i] = static_cast<int16_t>(value);
  }
  return true;
}

// ---- DELTA_BINARY_PACKED ----

Status DecodeDeltaBinaryPacked(const uint8_t* data, size_t size, int64_t max_values, std::vector<int64_t>* out,
                               size_t* consumed) {
  size_t pos = 0;
  uint64_t block_size, miniblocks, total, first_zigzag;
  if (!ReadUleb(data, size, &pos, &block_size) || !ReadUleb(data, size, &pos, &miniblocks) ||
      !ReadUleb(data, size, &pos, &total) || !ReadUleb(data, size, &pos, &first_zigzag)) {
    return Status::Corruption("truncated DELTA_BINARY_PACKED header");
  }
  if (miniblocks == 0 || block_size == 0 || block_size % 128 != 0 || block_size % miniblocks != 0 ||
      (block_size / miniblocks) % 32 != 0) {
    return Status::Corruption("DELTA_BINARY_PACKED block size {} with {} miniblocks is invalid", block_size,
                              miniblocks);
  }
  if (static_cast<int64_t>(total) > max_values) {
    return Status::Corruption("DELTA_BINARY_PACKED holds {} values, more than the page's {}", total, max_values);
  }
  out->resize(total);
  if (total == 0) {
    *consumed = pos;
    return Status::OK();
  }
  uint64_t value = (first_zigzag >> 1) ^ (~(first_zigzag & 1) + 1);
  (*out)[0] = static_cast<int64_t>(value);
  uint64_t done = 1;
  uint64_t per_miniblock = block_size / miniblocks;
  while (done < total) {
    uint64_t min_zigzag;
    if (!ReadUleb(data, size, &pos, &min_zigzag)) return Status::Corruption("truncated DELTA_BINARY_PACKED block");
    uint64_t min_delta = (min_zigzag >> 1) ^ (~(min_zigzag & 1) + 1);
    if (miniblocks > size - pos) return Status::Corruption("truncated DELTA_BINARY_PACKED bit widths");
    const uint8_t* widths = data + pos;
    pos += miniblocks;
    for (uint64_t m = 0; m < miniblocks && done < total; ++m) {
      int width = widths[m];
      if (width > 64) return Status::Corruption("DELTA_BINARY_PACKED bit width {} exceeds 64", width);
      size_t bytes = per_miniblock * static_cast<uint64_t>(width) / 8;
      if (bytes > size - pos) return Status::Corruption("truncated DELTA_BINARY_PACKED miniblock");
      uint64_t n = std::min(per_miniblock, total - done);
      for (uint64_t i = 0; i < n; ++i) {
        uint64_t delta = width == 0 ? 0 : UnpackLsb(data + pos, static_cast<int64_t>(i), width);
        value += min_delta + delta;  // wraps as the format intends
        (*out)[done++] = static_cast<int64_t>(value);
      }
      pos += bytes;
    }
  }
  *consumed = pos;
  return Status::OK();
}

// ---- values ----

namespace {

void AppendByteArray(RawValues* out, const char* data, size_t length) {
  out->bytes.append(data, length);
  out->offsets.push_back(static_cast<int64_t>(out->bytes.size()));
  ++out->count;
}

Status DecodePlain(const uint8_t* data, size_t size, int64_t n, RawValues* out) {
  if (out->physical == PhysicalType::kBoolean) {
    if (static_cast<uint64_t>(n) > size * 8) return Status::Corruption("PLAIN booleans: page too short");
    size_t old = out->fixed.size();
    out->fixed.resize(old + static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) out->fixed[old + i] = static_cast<char>((data[i >> 3] >> (i & 7)) & 1);
    out->count += n;
    return Status::OK();
  }
  if (out->physical == PhysicalType::kByteArray) {
    size_t pos = 0;
    for (int64_t i = 0; i < n; ++i) {
      if (size - pos < 4) return Status::Corruption("PLAIN byte array {} of {}: page too short", i, n);
      uint32_t length;
      std::memcpy(&length, data + pos, 4);
      pos += 4;
      if (length > size - pos) return Status::Corruption("PLAIN byte array {} of {}: length {} past the page", i, n, length);
      AppendByteArray(out, reinterpret_cast<const char*>(data + pos), length);
      pos += length;
    }
    return Status::OK();
  }
  size_t bytes = static_cast<size_t>(n) * static_cast<size_t>(out->width);
  if (bytes > size) return Status::Corruption("PLAIN values: page holds {} bytes, {} values need {}", size, n, bytes);
  out->fixed.append(reinterpret_cast<const char*>(data), bytes);
  out->count += n;
  return Status::OK();
}

Status DecodeDictionaryIndices(const uint8_t* data, size_t size, int64_t n, const RawValues* dictionary,
                               RawValues* out) {
  if (dictionary == nullptr) return Status::Corruption("dictionary-encoded page without a dictionary page");
  if (n == 0) return Status::OK();
  if (size < 1) return Status::Corruption("dictionary-encoded page is empty");
  int bit_width = data[0];
  if (bit_width > 32) return Status::Corruption("dictionary index bit width {} exceeds 32", bit_width);
  std::vector<uint32_t> indices(static_cast<size_t>(n));
  RleBitPackedDecoder decoder(data + 1, size - 1, bit_width);
  if (!decoder.Get(indices.data(), n)) return Status::Corruption("truncated dictionary indices");
  for (uint32_t index : indices) {
    if (index >= dictionary->count) {
      return Status::Corruption("dictionary index {} out of range (dictionary holds {})", index, dictionary->count);
    }
  }
  if (out->physical == PhysicalType::kByteArray) {
    size_t total = 0;
    for (uint32_t index : indices) total += dictionary->ByteArray(index).size();
    size_t pos = out->bytes.size();
    out->bytes.resize(pos + total);
    out->offsets.reserve(out->offsets.size() + indices.size());
    for (uint32_t index : indices) {
      std::string_view v = dictionary->ByteArray(index);
      std::memcpy(out->bytes.data() + pos, v.data(), v.size());
      pos += v.size();
      out->offsets.push_back(static_cast<int64_t>(pos));
    }
    out->count += n;
  } else {
    size_t w = static_cast<size_t>(out->width);
    size_t old = out->fixed.size();
    out->fixed.resize(old + indices.size() * w);
    char* dst = out->fixed.data() + old;
    for (uint32_t index : indices) {
      std::memcpy(dst, dictionary->Fixed(index), w);
      dst += w;
    }
    out->count += n;
  }
  return Status::OK();
}

Status DecodeDeltaInts(const uint8_t* data, size_t size, int64_t n, RawValues* out) {
  std::vector<int64_t> values;
  size_t consumed;
  TRIB_RETURN_NOT_OK(DecodeDeltaBinaryPacked(data, size, n, &values, &consumed));
  if (static_cast<int64_t>(values.size()) != n) {
    return Status::Corruption("DELTA_BINARY_PACKED holds {} values, the page {}", values.size(), n);
  }
  size_t old = out->fixed.size();
  if (out->physical == PhysicalType::kInt32) {
    out->fixed.resize(old + values.size() * 4);
    for (size_t i = 0; i < values.size(); ++i) {
      int32_t v = static_cast<int32_t>(values[i]);
      std::memcpy(out->fixed.data() + old + i * 4, &v, 4);
    }
  } else if (out->physical == PhysicalType::kInt64) {
    out->fixed.append(reinterpret_cast<const char*>(values.data()), values.size() * 8);
  } else {
    return Status::Corruption("DELTA_BINARY_PACKED on a column that is not INT32 or INT64");
  }
  out->count += n;
  return Status::OK();
}

// Appends a value that is either a byte array or, for FIXED_LEN_BYTE_ARRAY, a
// fixed-width value of exactly `width` bytes.
Status AppendVariable(RawValues* out, const char* data, size_t length) {
  if (out->physical == PhysicalType::kByteArray) {
    AppendByteArray(out, data, length);
    return Status::OK();
  }
  if (length != static_cast<size_t>(out->width)) {
    return Status::Corruption("value of {} bytes in a FIXED_LEN_BYTE_ARRAY({}) column", length, out->width);
  }
  out->fixed.append(data, length);
  ++out->count;
  return Status::OK();
}

Status DecodeDeltaLength(const uint8_t* data, size_t size, int64_t n, RawValues* out) {
  std::vector<int64_t> lengths;
  size_t pos;
  TRIB_RETURN_NOT_OK(DecodeDeltaBinaryPacked(data, size, n, &lengths, &pos));
  if (static_cast<int64_t>(lengths.size()) != n) return Status::Corruption("DELTA_LENGTH_BYTE_ARRAY count mismatch");
  for (int64_t length : lengths) {
    if (length < 0 || static_cast<uint64_t>(length) > size - pos) {
      return Status::Corruption("DELTA_LENGTH_BYTE_ARRAY value length {} past the page", length);
    }
    TRIB_RETURN_NOT_OK(AppendVariable(out, reinterpret_cast<const char*>(data + pos), static_cast<size_t>(length)));
    pos += static_cast<size_t>(length);
  }
  return Status::OK();
}

Status DecodeDeltaByteArray(const uint8_t* data, size_t size, int64_t n, RawValues* out) {
  std::vector<int64_t> prefixes, suffixes;
  size_t used1, used2;
  TRIB_RETURN_NOT_OK(DecodeDeltaBinaryPacked(data, size, n, &prefixes, &used1));
  TRIB_RETURN_NOT_OK(DecodeDeltaBinaryPacked(data + used1, size - used1, n, &suffixes, &used2));
  if (static_cast<int64_t>(prefixes.size()) != n || static_cast<int64_t>(suffixes.size()) != n) {
    return Status::Corruption("DELTA_BYTE_ARRAY count mismatch");
  }
  size_t pos = used1 + used2;
  std::string previous, current;
  for (int64_t i = 0; i < n; ++i) {
    int64_t prefix = prefixes[static_cast<size_t>(i)];
    int64_t suffix = suffixes[static_cast<size_t>(i)];
    if (prefix < 0 || static_cast<size_t>(prefix) > previous.size() || suffix < 0 ||
        static_cast<uint64_t>(suffix) > size - pos) {
      return Status::Corruption("DELTA_BYTE_ARRAY value {} has prefix {} / suffix {} out of range", i, prefix, suffix);
    }
    current.assign(previous, 0, static_cast<size_t>(prefix));
    current.append(reinterpret_cast<const char*>(data + pos), static_cast<size_t>(suffix));
    pos += static_cast<size_t>(suffix);
    TRIB_RETURN_NOT_OK(AppendVariable(out, current.data(), current.size()));
    previous.swap(current);
  }
  return Status::OK();
}

Status DecodeByteStreamSplit(const uint8_t* data, size_t size, int64_t n, RawValues* out) {
  if (out->physical == PhysicalType::kByteArray || out->physical == PhysicalType::kBoolean ||
      out->physical == PhysicalType::kInt96) {
    return Status::Corruption("BYTE_STREAM_SPLIT on a column of an unsupported physical type");
  }
  size_t w = static_cast<size_t>(out->width);
  size_t count = static_cast<size_t>(n);
  if (count * w > size) return Status::Corruption("BYTE_STREAM_SPLIT page too short");
  size_t old = out->fixed.size();
  out->fixed.resize(old + count * w);
  char* dst = out->fixed.data() + old;
  for (size_t k = 0; k < w; ++k) {
    const uint8_t* stream = data + k * count;
    for (size_t i = 0; i < count; ++i) dst[i * w + k] = static_cast<char>(stream[i]);
  }
  out->count += n;
  return Status::OK();
}

Status DecodeRleBooleans(const uint8_t* data, size_t size, int64_t n, RawValues* out) {
  if (out->physical != PhysicalType::kBoolean) return Status::Corruption("RLE values on a non-boolean column");
  if (size < 4) return Status::Corruption("RLE booleans: missing length prefix");
  uint32_t length;
  std::memcpy(&length, data, 4);
  if (length > size - 4) return Status::Corruption("RLE booleans: length {} past the page", length);
  size_t old = out->fixed.size();
  out->fixed.resize(old + static_cast<size_t>(n));
  RleBitPackedDecoder decoder(data + 4, length, 1);
  if (!decoder.Get(reinterpret_cast<uint8_t*>(out->fixed.data() + old), n)) {
    return Status::Corruption("truncated RLE booleans");
  }
  out->count += n;
  return Status::OK();
}

}  // namespace

Status DecodeValues(Encoding encoding, const uint8_t* data, size_t size, int64_t num_values,
                    const RawValues* dictionary, RawValues* out) {
  switch (encoding) {
    case Encoding::kPlain:
      return DecodePlain(data, size, num_values, out);
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary:
      return DecodeDictionaryIndices(data, size, num_values, dictionary, out);
    case Encoding::kRle:
      return DecodeRleBooleans(data, size, num_values, out);
    case Encoding::kDeltaBinaryPacked:
      return DecodeDeltaInts(data, size, num_values, out);
    case Encoding::kDeltaLengthByteArray:
      return DecodeDeltaLength(data, size, num_values, out);
    case Encoding::kDeltaByteArray:
      return DecodeDeltaByteArray(data, size, num_values, out);
    case Encoding::kByteStreamSplit:
      return DecodeByteStreamSplit(data, size, num_values, out);
    case Encoding::kBitPacked:
      break;
  }
  return Status::NotImplemented("value encoding {} is not supported", static_cast<int>(encoding));
}

}  // namespace tributary::parquet::internal
