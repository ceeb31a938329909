#pragma once

#include <string>
#include <string_view>

#include "tributary/base/result.h"
#include "tributary/format/parquet/writer.h"

namespace tributary::parquet::internal {

/// Thrift CompressionCodec value of a codec.
int ParquetCodecId(Compression compression);

/// Compresses `input` as Parquet expects for `compression` (raw snappy blocks, gzip
/// members, zstd frames) into `out`, replacing its content. Never called for
/// kUncompressed. Internal on a library failure.
Status Compress(Compression compression, int level, std::string_view input, std::string* out);

/// Decompresses a page compressed with the Thrift CompressionCodec `codec_id`
/// (0 uncompressed, 1 snappy, 2 gzip, 5 lz4 with or without Hadoop framing,
/// 6 zstd, 7 lz4_raw) into `out`, which must end up exactly `uncompressed_size`
/// bytes. Corruption when the data does not decompress to that size;
/// NotImplemented for LZO and Brotli.
Status Decompress(int codec_id, std::string_view input, int64_t uncompressed_size, std::string* out);

/// The Parquet name of a codec id ("SNAPPY"), for messages.
std::string_view CodecName(int codec_id);

}  // namespace tributary::parquet::internal
