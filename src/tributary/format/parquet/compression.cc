#include "tributary/format/parquet/compression_internal.h"

#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

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

}  // namespace internal
}  // namespace tributary::parquet
