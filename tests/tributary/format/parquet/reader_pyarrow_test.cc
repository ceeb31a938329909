// FileReader against files written by pyarrow (reader_write_pyarrow.py): every
// encoding, codec and page version pyarrow can produce, compared row by row with what
// pyarrow itself reads from the same file.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "tributary/format/parquet/pyarrow_reader.h"
#include "tributary/format/parquet/reader.h"

namespace tributary::parquet {
namespace {

using columnar::RecordBatchPtr;
using testing::RenderRows;
using testing::TempDir;

class ParquetReaderPyarrowTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    std::string script = std::string(TRIBUTARY_SOURCE_DIR) + "/tests/tributary/format/parquet/reader_write_pyarrow.py";
    std::string command = "python3 '" + script + "' '" + dir_->File("") + "'";
    generated_ = std::system(command.c_str()) == 0;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static std::vector<std::string> ExpectedRows(const std::string& name) {
    std::vector<std::string> rows;
    std::ifstream in(dir_->File(name + ".rows"));
    std::string line;
    while (std::getline(in, line)) rows.push_back(line);
    return rows;
  }

  void CheckVariant(const std::string& name) {
    ASSERT_TRUE(generated_) << "python3 with pyarrow could not write the test files (is pyarrow installed?)";
    std::string path = dir_->File(name + ".parquet");
    ReaderOptions options;
    options.max_batch_rows = 97;
    ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(io::LocalFileSystem(), path, options));
    EXPECT_EQ(reader->num_rows(), 1100);
    EXPECT_EQ(reader->num_row_groups(), 3);
    std::vector<std::string> got;
    ASSERT_OK(reader->ReadAll([&](RecordBatchPtr batch) {
      EXPECT_LE(batch->num_rows(), 97);
      for (std::string& row : RenderRows(*batch)) got.push_back(std::move(row));
      return Status::OK();
    }));
    std::vector<std::string> want = ExpectedRows(name);
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) ASSERT_EQ(got[i], want[i]) << name << " row " << i;
  }

  static inline TempDir* dir_ = nullptr;
  static inline bool generated_ = false;
};

TEST_F(ParquetReaderPyarrowTest, SchemaIsWhatSparkWouldRead) {
  ASSERT_TRUE(generated_);
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(io::LocalFileSystem(), dir_->File("plain_none_v1.parquet")));
  EXPECT_EQ(reader->schema().AsStruct()->SimpleString(),
            "struct<b:boolean,i8:tinyint,i16:smallint,i32:int,i64:bigint,u8:smallint,u16:int,u32:bigint,"
            "f:float,d:double,dec9:decimal(9,2),dec18:decimal(18,4),dec30:decimal(30,5),s:string,u:string,"
            "bin:binary,fixed:binary,dt:date,ts:timestamp,tsn:timestamp_ntz,arr:array<int>,tags:array<string>,"
            "m:map<string,bigint>,st:struct<a:int,b:array<struct<c:string,d:map<string,int>>>>,"
            "nested:array<array<bigint>>>");
  for (const auto& field : reader->schema().fields()) EXPECT_TRUE(field.nullable) << field.name;
  ASSERT_OK_AND_ASSIGN(auto int96, FileReader::Open(io::LocalFileSystem(), dir_->File("int96_snappy.parquet")));
  EXPECT_EQ(int96->schema().field(*int96->schema().FieldIndex("ts")).type->SimpleString(), "timestamp");
  EXPECT_EQ(int96->schema().field(*int96->schema().FieldIndex("tsn")).type->SimpleString(), "timestamp");
}

TEST_F(ParquetReaderPyarrowTest, PlainUncompressedV1) { CheckVariant("plain_none_v1"); }
TEST_F(ParquetReaderPyarrowTest, PlainUncompressedV2) { CheckVariant("plain_none_v2"); }
TEST_F(ParquetReaderPyarrowTest, DictionarySnappyV1) { CheckVariant("dict_snappy_v1"); }
TEST_F(ParquetReaderPyarrowTest, PlainDictionaryFormat1) { CheckVariant("dict_format1_v1"); }
TEST_F(ParquetReaderPyarrowTest, DictionaryGzipV2) { CheckVariant("dict_gzip_v2"); }
TEST_F(ParquetReaderPyarrowTest, PlainZstdV2) { CheckVariant("plain_zstd_v2"); }
TEST_F(ParquetReaderPyarrowTest, DictionaryLz4RawV1) { CheckVariant("dict_lz4raw_v1"); }
TEST_F(ParquetReaderPyarrowTest, DeltaAndByteStreamSplitSnappyV1) { CheckVariant("delta_snappy_v1"); }
TEST_F(ParquetReaderPyarrowTest, DeltaAndByteStreamSplitZstdV2) { CheckVariant("delta_zstd_v2"); }
TEST_F(ParquetReaderPyarrowTest, Int96Timestamps) { CheckVariant("int96_snappy"); }
TEST_F(ParquetReaderPyarrowTest, MillisecondTimestamps) { CheckVariant("millis_gzip"); }
TEST_F(ParquetReaderPyarrowTest, LegacyListNames) { CheckVariant("legacy_list_names"); }

}  // namespace
}  // namespace tributary::parquet
