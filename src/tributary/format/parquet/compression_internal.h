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

}  // namespace tributary::parquet::internal
