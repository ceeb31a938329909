// A gzip-compressed JSON Lines file read the way the cloudFiles source reads it:
// io::ReadDecompressed, then the JSON decoder.

#include <stdlib.h>
#include <zlib.h>

#include <cstring>

#include "decode_fixture.h"
#include "tributary/io/compressed_input.h"

namespace tributary::json {
namespace {

using columnar::DataType;
using ::testing::HasSubstr;

std::string Gzip(std::string_view text) {
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

class CompressedJsonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/trib_json_gz_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { ASSERT_TRUE(fs_->DeleteRecursive(dir_).ok()); }

  std::shared_ptr<io::FileSystem> fs_ = io::LocalFileSystem();
  std::string dir_;
};

TEST_F(CompressedJsonTest, GzipJsonLinesInferAndDecode) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "{\"id\": " + std::to_string(i) + ", \"tag\": \"t" + std::to_string(i % 7) + "\"}\n";
  std::string path = io::JoinPath(dir_, "events.json.gz");
  TRIB_ASSERT_OK(fs_->WriteFileAtomic(path, Gzip(text)));

  Result<std::string> content = io::ReadDecompressed(*fs_, path);
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  format::DecodeOptions common;
  common.infer_column_types = true;
  auto decoder = MakeDecoder({}, common);
  Result<columnar::Schema> schema = decoder->InferSchema(*content, path);
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ(schema->num_fields(), 2);
  Decoded out = DecodeWith(*decoder, *content, *schema, path);
  TRIB_ASSERT_OK(out.status);
  EXPECT_EQ(out.num_rows(), 5000);
  EXPECT_EQ(out.Cell(4999, "id"), "4999");
  EXPECT_EQ(out.Cell(4999, "tag"), "t1");
}

TEST_F(CompressedJsonTest, TruncatedGzipIsAnErrorNotRows) {
  std::string compressed = Gzip("{\"id\": 1}\n{\"id\": 2}\n");
  std::string path = io::JoinPath(dir_, "cut.json.gz");
  TRIB_ASSERT_OK(fs_->WriteFileAtomic(path, compressed.substr(0, compressed.size() - 6)));
  Result<std::string> content = io::ReadDecompressed(*fs_, path);
  ASSERT_FALSE(content.ok());
  EXPECT_TRUE(content.status().IsInvalid());
  EXPECT_THAT(content.status().message(), HasSubstr("truncated gzip stream in '" + path + "'"));
}

}  // namespace
}  // namespace tributary::json
