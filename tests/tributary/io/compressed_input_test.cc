#include "tributary/io/compressed_input.h"

#include <bzlib.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <lz4frame.h>
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <string>

namespace tributary::io {
namespace {

using ::testing::HasSubstr;

std::string GzipMember(std::string_view text) {
  z_stream stream;
  std::memset(&stream, 0, sizeof(stream));
  EXPECT_EQ(deflateInit2(&stream, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, text.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<unsigned>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<unsigned>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string Zstd(std::string_view text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::string Bzip2(std::string_view text) {
  std::string out(text.size() + text.size() / 100 + 1024, '\0');
  unsigned length = static_cast<unsigned>(out.size());
  EXPECT_EQ(BZ2_bzBuffToBuffCompress(out.data(), &length, const_cast<char*>(text.data()),
                                     static_cast<unsigned>(text.size()), 9, 0, 0),
            BZ_OK);
  out.resize(length);
  return out;
}

std::string Lz4Frame(std::string_view text) {
  std::string out(LZ4F_compressFrameBound(text.size(), nullptr), '\0');
  size_t n = LZ4F_compressFrame(out.data(), out.size(), text.data(), text.size(), nullptr);
  EXPECT_FALSE(LZ4F_isError(n));
  out.resize(n);
  return out;
}

/// JSON lines long enough that every codec needs several output chunks.
std::string SampleText(int lines) {
  std::string text;
  for (int i = 0; i < lines; ++i) {
    text += R"({"id": )" + std::to_string(i) + R"(, "name": "row )" + std::to_string(i * 7919 % 1000) + "\"}\n";
  }
  return text;
}

class CompressedInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/trib_compressed_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { ASSERT_TRUE(fs_->DeleteRecursive(dir_).ok()); }

  std::string Write(const std::string& name, std::string_view bytes) {
    std::string path = JoinPath(dir_, name);
    Status status = fs_->WriteFileAtomic(path, bytes);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return path;
  }

  std::shared_ptr<FileSystem> fs_ = LocalFileSystem();
  std::string dir_;
};

TEST(CompressionFromPathTest, ChoosesCodecByExtension) {
  EXPECT_EQ(CompressionFromPath("/x/a.json.gz"), Compression::kGzip);
  EXPECT_EQ(CompressionFromPath("/x/a.json.GZIP"), Compression::kGzip);
  EXPECT_EQ(CompressionFromPath("a.zst"), Compression::kZstd);
  EXPECT_EQ(CompressionFromPath("a.zstd"), Compression::kZstd);
  EXPECT_EQ(CompressionFromPath("a.csv.bz2"), Compression::kBzip2);
  EXPECT_EQ(CompressionFromPath("a.lz4"), Compression::kLz4);
  EXPECT_EQ(CompressionFromPath("a.json"), Compression::kNone);
  EXPECT_EQ(CompressionFromPath("gz"), Compression::kNone);
}

TEST_F(CompressedInputTest, RoundTripsEveryCodec) {
  std::string text = SampleText(20000);
  struct Case {
    std::string name;
    std::string bytes;
  };
  for (const Case& c : {Case{"a.json.gz", GzipMember(text)}, Case{"a.json.zst", Zstd(text)},
                        Case{"a.json.bz2", Bzip2(text)}, Case{"a.json.lz4", Lz4Frame(text)}}) {
    Result<std::string> read = ReadDecompressed(*fs_, Write(c.name, c.bytes));
    ASSERT_TRUE(read.ok()) << c.name << ": " << read.status().ToString();
    EXPECT_EQ(*read, text) << c.name;
  }
}

TEST_F(CompressedInputTest, PlainFileIsReturnedAsIs) {
  std::string bytes = GzipMember("{}");  // compressed bytes, but the name says plain
  Result<std::string> read = ReadDecompressed(*fs_, Write("a.json", bytes));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, bytes);
}

TEST_F(CompressedInputTest, ConcatenatedMembersAndFramesAreAllRead) {
  std::string first = SampleText(100);
  std::string second = "{\"tail\": true}\n";
  Result<std::string> gz = ReadDecompressed(*fs_, Write("m.gz", GzipMember(first) + GzipMember(second)));
  ASSERT_TRUE(gz.ok()) << gz.status().ToString();
  EXPECT_EQ(*gz, first + second);
  Result<std::string> zst = ReadDecompressed(*fs_, Write("m.zst", Zstd(first) + Zstd(second)));
  ASSERT_TRUE(zst.ok()) << zst.status().ToString();
  EXPECT_EQ(*zst, first + second);
  Result<std::string> bz = ReadDecompressed(*fs_, Write("m.bz2", Bzip2(first) + Bzip2(second)));
  ASSERT_TRUE(bz.ok()) << bz.status().ToString();
  EXPECT_EQ(*bz, first + second);
  Result<std::string> lz = ReadDecompressed(*fs_, Write("m.lz4", Lz4Frame(first) + Lz4Frame(second)));
  ASSERT_TRUE(lz.ok()) << lz.status().ToString();
  EXPECT_EQ(*lz, first + second);
}

TEST_F(CompressedInputTest, EmptyCompressedFileIsEmpty) {
  Result<std::string> read = ReadDecompressed(*fs_, Write("e.json.gz", ""));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, "");
}

TEST_F(CompressedInputTest, TruncatedStreamsAreInvalidAndNameFileAndCodec) {
  std::string text = SampleText(5000);
  struct Case {
    std::string name;
    std::string bytes;
    std::string codec;
  };
  for (const Case& c : {Case{"t.json.gz", GzipMember(text), "gzip"}, Case{"t.json.zst", Zstd(text), "zstd"},
                        Case{"t.json.bz2", Bzip2(text), "bzip2"}, Case{"t.json.lz4", Lz4Frame(text), "lz4"}}) {
    for (size_t keep : {c.bytes.size() / 2, c.bytes.size() - 1}) {
      std::string path = Write(c.name, c.bytes.substr(0, keep));
      Result<std::string> read = ReadDecompressed(*fs_, path);
      ASSERT_FALSE(read.ok()) << c.name << " cut at " << keep;
      EXPECT_TRUE(read.status().IsInvalid()) << read.status().ToString();
      EXPECT_THAT(read.status().message(), HasSubstr("truncated " + c.codec + " stream in '" + path + "'"));
    }
  }
}

TEST_F(CompressedInputTest, CorruptStreamsAreInvalid) {
  std::string text = SampleText(2000);
  struct Case {
    std::string name;
    std::string bytes;
    std::string codec;
  };
  for (Case c : {Case{"c.json.gz", GzipMember(text), "gzip"}, Case{"c.json.zst", Zstd(text), "zstd"},
                 Case{"c.json.bz2", Bzip2(text), "bzip2"}, Case{"c.json.lz4", Lz4Frame(text), "lz4"}}) {
    // Flip bytes in the middle of the compressed payload.
    for (size_t i = c.bytes.size() / 3; i < c.bytes.size() / 3 + 16; ++i) c.bytes[i] = static_cast<char>(~c.bytes[i]);
    std::string path = Write(c.name, c.bytes);
    Result<std::string> read = ReadDecompressed(*fs_, path);
    ASSERT_FALSE(read.ok()) << c.name;
    EXPECT_TRUE(read.status().IsInvalid()) << read.status().ToString();
    EXPECT_THAT(read.status().message(), HasSubstr(c.codec));
    EXPECT_THAT(read.status().message(), HasSubstr(path));
  }
}

TEST_F(CompressedInputTest, NotCompressedAtAllIsInvalid) {
  std::string path = Write("plain.json.gz", "{\"a\": 1}\n");
  Result<std::string> read = ReadDecompressed(*fs_, path);
  ASSERT_FALSE(read.ok());
  EXPECT_TRUE(read.status().IsInvalid());
  EXPECT_THAT(read.status().message(), HasSubstr("gzip"));
}

TEST_F(CompressedInputTest, GarbageAfterGzipMemberIsInvalid) {
  std::string path = Write("g.gz", GzipMember("{}\n") + "garbage");
  Result<std::string> read = ReadDecompressed(*fs_, path);
  ASSERT_FALSE(read.ok());
  EXPECT_THAT(read.status().message(), HasSubstr("after the last gzip member"));
}

TEST_F(CompressedInputTest, MissingFileKeepsFileSystemError) {
  Result<std::string> read = ReadDecompressed(*fs_, JoinPath(dir_, "missing.gz"));
  ASSERT_FALSE(read.ok());
  EXPECT_TRUE(read.status().IsNotFound()) << read.status().ToString();
}

}  // namespace
}  // namespace tributary::io
