#include "tributary/io/compressed_input.h"

#include <bzlib.h>
#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <cstring>

namespace tributary::io {

namespace {

bool EndsWithIgnoreCase(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  std::string_view tail = text.substr(text.size() - suffix.size());
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = tail[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

/// The decompressed bytes, grown geometrically; codecs write straight into it.
class OutputBuffer {
 public:
  explicit OutputBuffer(size_t size_hint) { bytes_.resize(std::max<size_t>(size_hint, 64 << 10)); }
  /// Room to write at least some bytes.
  char* tail() {
    if (used_ == bytes_.size()) bytes_.resize(bytes_.size() * 2);
    return bytes_.data() + used_;
  }
  size_t tail_size() const { return bytes_.size() - used_; }
  void Advance(size_t n) { used_ += n; }
  std::string Finish() {
    bytes_.resize(used_);
    return std::move(bytes_);
  }

 private:
  std::string bytes_;
  size_t used_ = 0;
};

Status Truncated(Compression codec, const std::string& path) {
  return Status::Invalid("truncated {} stream in '{}'", CompressionName(codec), path);
}

Status Corrupt(Compression codec, const std::string& path, size_t offset, std::string_view detail) {
  return Status::Invalid("corrupt {} stream in '{}' near compressed byte {}: {}", CompressionName(codec), path,
                         offset, detail);
}

bool AllZero(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; });
}

unsigned ClampUInt(size_t n) { return static_cast<unsigned>(std::min<size_t>(n, UINT_MAX)); }

Result<std::string> InflateGzip(std::string_view data, const std::string& path) {
  z_stream stream;
  std::memset(&stream, 0, sizeof(stream));
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {
    return Status::Internal("cannot initialise zlib for '{}'", path);
  }
  OutputBuffer out(data.size() * 4);
  size_t consumed = 0;
  Status status;
  while (true) {
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
    stream.avail_in = ClampUInt(data.size() - consumed);
    char* tail = out.tail();
    stream.next_out = reinterpret_cast<Bytef*>(tail);
    stream.avail_out = ClampUInt(out.tail_size());
    unsigned in_before = stream.avail_in;
    unsigned out_before = stream.avail_out;
    int rc = inflate(&stream, Z_NO_FLUSH);
    consumed += in_before - stream.avail_in;
    out.Advance(out_before - stream.avail_out);
    if (rc == Z_STREAM_END) {
      std::string_view rest = data.substr(consumed);
      // Another member follows (gzip -c a >> f; pigz); zero padding is tolerated.
      if (rest.empty() || AllZero(rest)) break;
      if (rest.size() < 2 || static_cast<unsigned char>(rest[0]) != 0x1f ||
          static_cast<unsigned char>(rest[1]) != 0x8b) {
        status = Corrupt(Compression::kGzip, path, consumed, "unexpected bytes after the last gzip member");
        break;
      }
      inflateReset(&stream);
      continue;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR) {
      // No progress possible: either the output is full (grow it) or the input ended.
      if (stream.avail_out == 0) continue;
      status = Truncated(Compression::kGzip, path);
      break;
    }
    status = Corrupt(Compression::kGzip, path, consumed, stream.msg ? stream.msg : "inflate failed");
    break;
  }
  inflateEnd(&stream);
  if (!status.ok()) return status;
  return out.Finish();
}

Result<std::string> DecompressZstd(std::string_view data, const std::string& path) {
  ZSTD_DStream* stream = ZSTD_createDStream();
  if (stream == nullptr) return Status::Internal("cannot initialise zstd for '{}'", path);
  unsigned long long frame_size = ZSTD_getFrameContentSize(data.data(), data.size());
  size_t hint = data.size() * 4;
  if (frame_size != ZSTD_CONTENTSIZE_UNKNOWN && frame_size != ZSTD_CONTENTSIZE_ERROR &&
      frame_size < (1ULL << 34)) {
    hint = static_cast<size_t>(frame_size) + 1;
  }
  OutputBuffer out(hint);
  ZSTD_inBuffer input{data.data(), data.size(), 0};
  size_t last = 1;  // 0 once a frame is completely decoded and flushed
  Status status;
  while (true) {
    char* tail = out.tail();
    ZSTD_outBuffer output{tail, out.tail_size(), 0};
    size_t in_before = input.pos;
    last = ZSTD_decompressStream(stream, &output, &input);
    out.Advance(output.pos);
    if (ZSTD_isError(last)) {
      status = Corrupt(Compression::kZstd, path, input.pos, ZSTD_getErrorName(last));
      break;
    }
    bool output_full = output.pos == output.size;
    if (input.pos == input.size && !output_full) break;
    if (!output_full && input.pos == in_before && output.pos == 0) break;  // no progress
  }
  ZSTD_freeDStream(stream);
  if (!status.ok()) return status;
  if (last != 0) return Truncated(Compression::kZstd, path);
  return out.Finish();
}

Result<std::string> DecompressBzip2(std::string_view data, const std::string& path) {
  bz_stream stream;
  std::memset(&stream, 0, sizeof(stream));
  if (BZ2_bzDecompressInit(&stream, 0, 0) != BZ_OK) {
    return Status::Internal("cannot initialise bzip2 for '{}'", path);
  }
  OutputBuffer out(data.size() * 6);
  size_t consumed = 0;
  Status status;
  while (true) {
    stream.next_in = const_cast<char*>(data.data() + consumed);
    stream.avail_in = ClampUInt(data.size() - consumed);
    stream.next_out = out.tail();
    stream.avail_out = ClampUInt(out.tail_size());
    unsigned in_before = stream.avail_in;
    unsigned out_before = stream.avail_out;
    int rc = BZ2_bzDecompress(&stream);
    consumed += in_before - stream.avail_in;
    out.Advance(out_before - stream.avail_out);
    if (rc == BZ_STREAM_END) {
      std::string_view rest = data.substr(consumed);
      if (rest.empty()) break;
      if (rest.size() < 3 || rest.substr(0, 3) != "BZh") {
        status = Corrupt(Compression::kBzip2, path, consumed, "unexpected bytes after the last bzip2 stream");
        break;
      }
      BZ2_bzDecompressEnd(&stream);
      std::memset(&stream, 0, sizeof(stream));
      if (BZ2_bzDecompressInit(&stream, 0, 0) != BZ_OK) {
        return Status::Internal("cannot initialise bzip2 for '{}'", path);
      }
      continue;
    }
    if (rc != BZ_OK) {
      status = Corrupt(Compression::kBzip2, path, consumed, fmt::format("libbz2 error {}", rc));
      break;
    }
    bool progressed = stream.avail_in != in_before || stream.avail_out != out_before;
    if (consumed == data.size() && stream.avail_out != 0) {
      status = Truncated(Compression::kBzip2, path);
      break;
    }
    if (!progressed && stream.avail_out != 0) {
      status = Truncated(Compression::kBzip2, path);
      break;
    }
  }
  BZ2_bzDecompressEnd(&stream);
  if (!status.ok()) return status;
  return out.Finish();
}

Result<std::string> DecompressLz4(std::string_view data, const std::string& path) {
  LZ4F_dctx* context = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&context, LZ4F_VERSION))) {
    return Status::Internal("cannot initialise lz4 for '{}'", path);
  }
  OutputBuffer out(data.size() * 4);
  size_t consumed = 0;
  size_t hint = 1;  // 0 once a frame is complete
  Status status;
  while (true) {
    size_t in_size = data.size() - consumed;
    char* tail = out.tail();
    size_t out_size = out.tail_size();
    hint = LZ4F_decompress(context, tail, &out_size, in_size ? data.data() + consumed : nullptr, &in_size,
                           nullptr);
    consumed += in_size;
    out.Advance(out_size);
    if (LZ4F_isError(hint)) {
      status = Corrupt(Compression::kLz4, path, consumed, LZ4F_getErrorName(hint));
      break;
    }
    if (consumed == data.size() && hint == 0) break;
    if (in_size == 0 && out_size == 0) break;  // needs input we do not have
  }
  LZ4F_freeDecompressionContext(context);
  if (!status.ok()) return status;
  if (hint != 0) return Truncated(Compression::kLz4, path);
  return out.Finish();
}

}  // namespace

Compression CompressionFromPath(std::string_view path) {
  if (EndsWithIgnoreCase(path, ".gz") || EndsWithIgnoreCase(path, ".gzip")) return Compression::kGzip;
  if (EndsWithIgnoreCase(path, ".zst") || EndsWithIgnoreCase(path, ".zstd")) return Compression::kZstd;
  if (EndsWithIgnoreCase(path, ".bz2")) return Compression::kBzip2;
  if (EndsWithIgnoreCase(path, ".lz4")) return Compression::kLz4;
  return Compression::kNone;
}

std::string_view CompressionName(Compression codec) {
  switch (codec) {
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
    case Compression::kBzip2:
      return "bzip2";
    case Compression::kLz4:
      return "lz4";
    case Compression::kNone:
      break;
  }
  return "none";
}

Result<std::string> Decompress(std::string_view data, Compression codec, const std::string& path) {
  if (data.empty()) return std::string();
  switch (codec) {
    case Compression::kGzip:
      return InflateGzip(data, path);
    case Compression::kZstd:
      return DecompressZstd(data, path);
    case Compression::kBzip2:
      return DecompressBzip2(data, path);
    case Compression::kLz4:
      return DecompressLz4(data, path);
    case Compression::kNone:
      break;
  }
  return std::string(data);
}

Result<std::string> ReadDecompressed(FileSystem& fs, const std::string& path) {
  TRIB_ASSIGN_OR_RETURN(std::string raw, fs.ReadFile(path));
  Compression codec = CompressionFromPath(path);
  if (codec == Compression::kNone) return raw;
  return Decompress(raw, codec, path);
}

}  // namespace tributary::io
