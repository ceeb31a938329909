#pragma once

#include <string>
#include <string_view>

#include "tributary/base/result.h"
#include "tributary/io/file_system.h"

namespace tributary::io {

/// A whole-file compression codec, chosen by file name as Hadoop's codec factory
/// does for Spark's file sources.
enum class Compression {
  kNone,
  kGzip,   // ".gz", ".gzip"; concatenated members are read one after another
  kZstd,   // ".zst", ".zstd"; concatenated frames too
  kBzip2,  // ".bz2"; concatenated streams too (pbzip2 output)
  kLz4,    // ".lz4", LZ4 frame format (the `lz4` tool's output)
};

/// The codec named by the extension of `path` (ASCII case ignored); kNone when the
/// extension names no codec.
Compression CompressionFromPath(std::string_view path);

/// "gzip", "zstd", "bzip2", "lz4" or "none".
std::string_view CompressionName(Compression codec);

/// Decompresses a whole stream held in memory. An empty input gives an empty output.
/// A truncated or corrupt stream, or bytes after the last complete member that are
/// not another member, is Status::Invalid naming `path` and the codec, e.g.
/// "truncated gzip stream in '/x/a.json.gz'". `path` is only used in messages.
Result<std::string> Decompress(std::string_view data, Compression codec, const std::string& path);

/// Reads `path` from `fs` and decompresses it by its extension (CompressionFromPath);
/// files with any other extension are returned as they are. Errors from `fs` are
/// returned unchanged; bad compressed data is as in Decompress().
Result<std::string> ReadDecompressed(FileSystem& fs, const std::string& path);

}  // namespace tributary::io
