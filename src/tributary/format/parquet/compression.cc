#include "tributary/format/parquet/compression_internal.h"

#include <snappy.h>
#include <zlib.h>
#include <zstd.h>
#include <lz4.h>

#include <algorithm>
#include <cctype>

namespace tributary::parquet {

Result<Compression> CompressionFromString(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "snappy") return Compression::kSnappy;
  if (lower == "zstd") return Compression::kZstd;
  if (lower == "gzip") return Compression::kGzip;
  if (lower == "none" || lower == "uncompressed") return Compression::kUncompressed;
  return Status::Invalid(
      "parquet compression codec '{}' is not supported (use snappy, zstd, gzip or none)", name);
}

std::string_view CompressionFileSuffix(Compression compression) {
  switch (compression) {
    case Compression::kSnappy:
      return ".snappy";
    case Compression::kGzip:
      return ".gz";
    case Compression::kZstd:
      return ".zstd";
    case Compression::kUncompressed:
      break;
  }
  return "";
}

namespace internal {

int ParquetCodecId(Compression compression) {
  switch (compression) {
    case Compression::kUncompressed:
      return 0;
    case Compression::kSnappy:
      return 1;
    case Compression::kGzip:
      return 2;
    case Compression::kZstd:
      return 6;
  }
  return 0;
}

namespace {

Status GzipCompress(int level, std::string_view input, std::string* out) {
  z_stream stream{};
  // windowBits 15 + 16 selects the gzip wrapper, which Parquet's GZIP codec means.
  if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("parquet: deflateInit2 failed at level {}", level);
  }
  out->resize(deflateBound(&stream, static_cast<uLong>(input.size())) + 32);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  stream.next_out = reinterpret_cast<Bytef*>(out->data());
  stream.avail_out = static_cast<uInt>(out->size());
  int rc = deflate(&stream, Z_FINISH);
  size_t produced = stream.total_out;
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) return Status::Internal("parquet: gzip deflate failed ({})", rc);
  out->resize(produced);
  return Status::OK();
}

}  // namespace

Status Compress(Compression compression, int level, std::string_view input, std::string* out) {
  switch (compression) {
    case Compression::kSnappy: {
      out->resize(snappy::MaxCompressedLength(input.size()));
      size_t length = 0;
      snappy::RawCompress(input.data(), input.size(), out->data(), &length);
      out->resize(length);
      return Status::OK();
    }
    case Compression::kZstd: {
      out->resize(ZSTD_compressBound(input.size()));
      size_t rc = ZSTD_compress(out->data(), out->size(), input.data(), input.size(), level);
      if (ZSTD_isError(rc)) {
        return Status::Internal("parquet: zstd compression failed: {}", ZSTD_getErrorName(rc));
      }
      out->resize(rc);
      return Status::OK();
    }
    case Compression::kGzip:
      return GzipCompress(level, input, out);
    case Compression::kUncompressed:
      break;
  }
  out->assign(input);
  return Status::OK();
}

namespace {

Status GzipDecompress(std::string_view input, std::string* out) {
  z_stream stream{};
  // windowBits 15 + 32 accepts both gzip and zlib wrappers.
  if (inflateInit2(&stream, 15 + 32) != Z_OK) return Status::Internal("inflateInit2 failed");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  size_t produced = 0;
  int rc = Z_OK;
  while (true) {
    stream.next_out = reinterpret_cast<Bytef*>(out->data() + produced);
    stream.avail_out = static_cast<uInt>(out->size() - produced);
    rc = inflate(&stream, Z_FINISH);
    produced = stream.total_out;
    if (rc == Z_STREAM_END) {
      // Several concatenated gzip members are one valid stream.
      if (stream.avail_in == 0) break;
      if (inflateReset(&stream) != Z_OK) break;
      continue;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) break;
    if (stream.avail_out != 0 || produced >= out->size()) break;
  }
  inflateEnd(&stream);
  if (rc != Z_STREAM_END || produced != out->size()) {
    return Status::Corruption("gzip data does not inflate to {} bytes (zlib code {})", out->size(), rc);
  }
  return Status::OK();
}

bool Lz4Raw(std::string_view input, std::string* out) {
  int n = LZ4_decompress_safe(input.data(), out->data(), static_cast<int>(input.size()),
                              static_cast<int>(out->size()));
  return n >= 0 && static_cast<size_t>(n) == out->size();
}

uint32_t BigEndian32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3];
}

// Hadoop's Lz4Codec frames blocks as [big-endian uncompressed size][big-endian
// compressed size][raw lz4 block], repeated.
bool Lz4Hadoop(std::string_view input, std::string* out) {
  size_t in_pos = 0, out_pos = 0;
  while (in_pos + 8 <= input.size()) {
    uint32_t raw_size = BigEndian32(input.data() + in_pos);
    uint32_t compressed_size = BigEndian32(input.data() + in_pos + 4);
    in_pos += 8;
    if (compressed_size > input.size() - in_pos || raw_size > out->size() - out_pos) return false;
    int n = LZ4_decompress_safe(input.data() + in_pos, out->data() + out_pos, static_cast<int>(compressed_size),
                                static_cast<int>(raw_size));
    if (n < 0 || static_cast<uint32_t>(n) != raw_size) return false;
    in_pos += compressed_size;
    out_pos += raw_size;
  }
  return in_pos == input.size() && out_pos == out->size();
}

}  // namespace

std::string_view CodecName(int codec_id) {
  static constexpr std::string_view kNames[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                                "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};
  if (codec_id >= 0 && codec_id < 8) return kNames[codec_id];
  return "UNKNOWN";
}

Status Decompress(int codec_id, std::string_view input, int64_t uncompressed_size, std::string* out) {
  if (uncompressed_size < 0) return Status::Corruption("negative uncompressed page size");
  out->resize(static_cast<size_t>(uncompressed_size));
  switch (codec_id) {
    case 0:
      if (input.size() != out->size()) {
        return Status::Corruption("uncompressed page holds {} bytes, header says {}", input.size(), out->size());
      }
      out->assign(input);
      return Status::OK();
    case 1: {
      size_t length = 0;
      if (!snappy::GetUncompressedLength(input.data(), input.size(), &length) || length != out->size() ||
          !snappy::RawUncompress(input.data(), input.size(), out->data())) {
        return Status::Corruption("snappy data does not decompress to {} bytes", out->size());
      }
      return Status::OK();
    }
    case 2:
      return GzipDecompress(input, out);
    case 5:
      if (Lz4Hadoop(input, out) || Lz4Raw(input, out)) return Status::OK();
      return Status::Corruption("lz4 data does not decompress to {} bytes", out->size());
    case 6: {
      size_t rc = ZSTD_decompress(out->data(), out->size(), input.data(), input.size());
      if (ZSTD_isError(rc) || rc != out->size()) {
        return Status::Corruption("zstd data does not decompress to {} bytes{}", out->size(),
                                  ZSTD_isError(rc) ? std::string(": ") + ZSTD_getErrorName(rc) : "");
      }
      return Status::OK();
    }
    case 7:
      if (Lz4Raw(input, out)) return Status::OK();
      return Status::Corruption("lz4_raw data does not decompress to {} bytes", out->size());
    default:
      break;
  }
  return Status::NotImplemented("parquet compression codec {} ({}) is not supported", codec_id, CodecName(codec_id));
}

}  // namespace internal
}  // namespace tributary::parquet
