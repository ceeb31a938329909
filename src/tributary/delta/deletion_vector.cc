#include "tributary/delta/deletion_vector.h"

#include <roaring/roaring.h>
#include <zlib.h>

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "tributary/delta/table.h"
#include "tributary/io/file_system.h"

namespace tributary::delta {

namespace {

constexpr std::string_view kZ85Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
// Delta's RoaringBitmapArray serializations: portable (what Spark writes) and native.
constexpr uint32_t kPortableMagic = 1681511377;
constexpr uint32_t kNativeMagic = 1681511376;
constexpr uint8_t kDvFileFormatVersion = 1;
constexpr size_t kUuidZ85Length = 20;

uint32_t LoadLittle32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint32_t>(u[0]) | static_cast<uint32_t>(u[1]) << 8 |
         static_cast<uint32_t>(u[2]) << 16 | static_cast<uint32_t>(u[3]) << 24;
}

uint64_t LoadLittle64(const char* p) {
  return static_cast<uint64_t>(LoadLittle32(p)) | static_cast<uint64_t>(LoadLittle32(p + 4)) << 32;
}

uint32_t LoadBig32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint32_t>(u[0]) << 24 | static_cast<uint32_t>(u[1]) << 16 |
         static_cast<uint32_t>(u[2]) << 8 | static_cast<uint32_t>(u[3]);
}

const std::array<int8_t, 256>& Z85Values() {
  static const std::array<int8_t, 256> kValues = [] {
    std::array<int8_t, 256> values;
    values.fill(-1);
    for (size_t i = 0; i < kZ85Alphabet.size(); ++i) {
      values[static_cast<unsigned char>(kZ85Alphabet[i])] = static_cast<int8_t>(i);
    }
    return values;
  }();
  return kValues;
}

// "d2c639aa-8816-431a-aaf6-d3fe2512ff61" from the 16 bytes of a UUID.
std::string CanonicalUuid(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += fmt::format("{:02x}", static_cast<unsigned char>(bytes[i]));
  }
  return out;
}

// Appends the values of one 32-bit portable Roaring bitmap under `high` to `rows`;
// returns the bytes it took, 0 when it does not deserialize.
size_t AppendBucket(std::string_view bytes, uint64_t high, std::vector<uint64_t>* rows) {
  size_t size = roaring_bitmap_portable_deserialize_size(bytes.data(), bytes.size());
  if (size == 0) return 0;
  roaring_bitmap_t* bitmap = roaring_bitmap_portable_deserialize_safe(bytes.data(), size);
  if (bitmap == nullptr) return 0;
  uint64_t count = roaring_bitmap_get_cardinality(bitmap);
  std::vector<uint32_t> values(count);
  roaring_bitmap_to_uint32_array(bitmap, values.data());
  roaring_bitmap_free(bitmap);
  rows->reserve(rows->size() + count);
  for (uint32_t value : values) rows->push_back(high << 32 | value);
  return size;
}

std::string DvName(const DeletionVectorDescriptor& dv) {
  return dv.storage_type == "i" ? "inline deletion vector" : "deletion vector";
}

}  // namespace

Result<std::string> Z85Decode(std::string_view text) {
  if (text.size() % 5 != 0) {
    return Status::Invalid("Z85 text has {} characters, not a multiple of 5", text.size());
  }
  const auto& values = Z85Values();
  std::string out;
  out.reserve(text.size() / 5 * 4);
  for (size_t i = 0; i < text.size(); i += 5) {
    uint64_t value = 0;
    for (size_t j = i; j < i + 5; ++j) {
      int8_t digit = values[static_cast<unsigned char>(text[j])];
      if (digit < 0) return Status::Invalid("Z85 text has an invalid character at {}", j);
      value = value * 85 + static_cast<uint64_t>(digit);
    }
    if (value > 0xFFFFFFFFull) return Status::Invalid("Z85 group at {} overflows", i);
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xFF);
  }
  return out;
}

std::string Z85Encode(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i + 4 <= bytes.size(); i += 4) {
    uint32_t value = LoadBig32(bytes.data() + i);
    char group[5];
    for (int j = 4; j >= 0; --j) {
      group[j] = kZ85Alphabet[value % 85];
      value /= 85;
    }
    out.append(group, 5);
  }
  return out;
}

Result<std::string> DeletionVectorFilePath(std::string_view table_path,
                                           const DeletionVectorDescriptor& dv) {
  if (dv.storage_type == "p") return DataFilePath(table_path, dv.path_or_inline_dv);
  if (dv.storage_type != "u") {
    return Status::Invalid("deletion vector with storageType '{}' has no file", dv.storage_type);
  }
  std::string_view encoded = dv.path_or_inline_dv;
  if (encoded.size() < kUuidZ85Length) {
    return Status::Invalid("deletion vector path '{}' is shorter than a Z85-encoded UUID", encoded);
  }
  std::string_view prefix = encoded.substr(0, encoded.size() - kUuidZ85Length);
  auto uuid = Z85Decode(encoded.substr(encoded.size() - kUuidZ85Length));
  if (!uuid.ok()) {
    return Status::Invalid("deletion vector path '{}' does not end with a Z85-encoded UUID: {}",
                           encoded, uuid.status().message());
  }
  std::string name = "deletion_vector_" + CanonicalUuid(*uuid) + ".bin";
  std::string relative = prefix.empty() ? name : std::string(prefix) + "/" + name;
  return io::JoinPath(std::string(table_path), relative);
}

namespace {

// The portable serialization Spark writes: a little-endian u64 bucket count, then per
// bucket a little-endian u32 high key and a 32-bit portable Roaring bitmap.
Result<std::vector<uint64_t>> ParsePortable(std::string_view bytes, std::string_view source) {
  if (bytes.size() < 12) {
    return Status::Corruption("{}: deletion vector of {} bytes is too short", source, bytes.size());
  }
  uint64_t buckets = LoadLittle64(bytes.data() + 4);
  std::vector<uint64_t> rows;
  size_t position = 12;
  for (uint64_t bucket = 0; bucket < buckets; ++bucket) {
    if (bytes.size() - position < 4) {
      return Status::Corruption("{}: deletion vector is truncated in bucket {} of {}", source, bucket,
                                buckets);
    }
    uint32_t high = LoadLittle32(bytes.data() + position);
    position += 4;
    size_t taken = AppendBucket(bytes.substr(position), high, &rows);
    if (taken == 0) {
      return Status::Corruption("{}: deletion vector bucket {} of {} is not a valid Roaring bitmap",
                                source, bucket, buckets);
    }
    position += taken;
  }
  return rows;
}

// The native serialization (the protocol's inline example uses it): big-endian magic,
// a big-endian i32 bitmap count, then per bitmap its big-endian i32 size and a 32-bit
// portable Roaring bitmap; the bitmap's index is its high key.
Result<std::vector<uint64_t>> ParseNative(std::string_view bytes, std::string_view source) {
  if (bytes.size() < 8) {
    return Status::Corruption("{}: deletion vector of {} bytes is too short", source, bytes.size());
  }
  uint32_t buckets = LoadBig32(bytes.data() + 4);
  std::vector<uint64_t> rows;
  size_t position = 8;
  for (uint32_t bucket = 0; bucket < buckets; ++bucket) {
    if (bytes.size() - position < 4) {
      return Status::Corruption("{}: deletion vector is truncated in bitmap {} of {}", source, bucket,
                                buckets);
    }
    uint32_t size = LoadBig32(bytes.data() + position);
    position += 4;
    if (bytes.size() - position < size ||
        AppendBucket(bytes.substr(position, size), bucket, &rows) != size) {
      return Status::Corruption("{}: deletion vector bitmap {} of {} is not a valid Roaring bitmap",
                                source, bucket, buckets);
    }
    position += size;
  }
  return rows;
}

}  // namespace

Result<std::vector<uint64_t>> ParseDeletedRows(std::string_view bytes, std::string_view source) {
  if (bytes.size() < 4) {
    return Status::Corruption("{}: deletion vector of {} bytes is too short", source, bytes.size());
  }
  std::vector<uint64_t> rows;
  if (LoadLittle32(bytes.data()) == kPortableMagic) {
    TRIB_ASSIGN_OR_RETURN(rows, ParsePortable(bytes, source));
  } else if (LoadBig32(bytes.data()) == kNativeMagic) {
    TRIB_ASSIGN_OR_RETURN(rows, ParseNative(bytes, source));
  } else {
    return Status::Corruption("{}: deletion vector has magic number {}, expected {} (portable) or {} (native)",
                              source, LoadLittle32(bytes.data()), kPortableMagic, kNativeMagic);
  }
  // Buckets are stored in key order; sorting guards against a writer that did not.
  if (!std::is_sorted(rows.begin(), rows.end())) std::sort(rows.begin(), rows.end());
  return rows;
}

Result<std::vector<uint64_t>> ReadDeletedRows(io::FileSystem& fs, std::string_view table_path,
                                              const DeletionVectorDescriptor& dv) {
  if (dv.size_in_bytes < 0) {
    return Status::Corruption("Delta table '{}': {} '{}' has sizeInBytes {}", table_path, DvName(dv),
                              dv.path_or_inline_dv, dv.size_in_bytes);
  }
  std::string bytes;
  std::string source;
  if (dv.storage_type == "i") {
    source = fmt::format("Delta table '{}': inline deletion vector '{}'", table_path, dv.path_or_inline_dv);
    auto decoded = Z85Decode(dv.path_or_inline_dv);
    if (!decoded.ok()) return Status::Corruption("{}: {}", source, decoded.status().message());
    if (decoded->size() < static_cast<size_t>(dv.size_in_bytes)) {
      return Status::Corruption("{}: decodes to {} bytes, fewer than sizeInBytes {}", source,
                                decoded->size(), dv.size_in_bytes);
    }
    bytes = decoded->substr(0, static_cast<size_t>(dv.size_in_bytes));  // Z85 pads to 4 bytes
  } else {
    auto path = DeletionVectorFilePath(table_path, dv);
    if (!path.ok()) {
      return Status::Corruption("Delta table '{}': {}", table_path, path.status().message());
    }
    source = fmt::format("Delta table '{}': deletion vector file '{}'", table_path, *path);
    // Spark always writes the offset; a reader defaulting to the first DV (just after
    // the version byte) agrees with delta-kernel when it is absent.
    int64_t offset = dv.offset.value_or(1);
    auto first_byte = fs.ReadRange(*path, 0, 1);
    if (!first_byte.ok()) return first_byte.status();
    int format_version = first_byte->size() == 1 ? static_cast<uint8_t>(first_byte->front()) : -1;
    if (format_version != kDvFileFormatVersion) {
      return Status::Corruption("{}: format version {} is not {}", source, format_version, kDvFileFormatVersion);
    }
    int64_t length = 4 + static_cast<int64_t>(dv.size_in_bytes) + 4;
    TRIB_ASSIGN_OR_RETURN(std::string framed, fs.ReadRange(*path, offset, length));
    if (static_cast<int64_t>(framed.size()) != length) {
      return Status::Corruption("{}: truncated at offset {} (read {} of {} bytes)", source, offset,
                                framed.size(), length);
    }
    uint32_t size = LoadBig32(framed.data());
    if (size != static_cast<uint32_t>(dv.size_in_bytes)) {
      return Status::Corruption("{}: the DV at offset {} holds {} bytes, the log says sizeInBytes {}",
                                source, offset, size, dv.size_in_bytes);
    }
    bytes = framed.substr(4, size);
    uint32_t expected = LoadBig32(framed.data() + 4 + size);
    uint32_t actual = static_cast<uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
    if (expected != actual) {
      return Status::Corruption("{}: checksum mismatch for the DV at offset {} (CRC-32 {:08x}, stored {:08x})",
                                source, offset, actual, expected);
    }
  }
  TRIB_ASSIGN_OR_RETURN(std::vector<uint64_t> rows, ParseDeletedRows(bytes, source));
  if (static_cast<int64_t>(rows.size()) != dv.cardinality) {
    return Status::Corruption("{}: holds {} rows, the log says cardinality {}", source, rows.size(),
                              dv.cardinality);
  }
  return rows;
}

}  // namespace tributary::delta
