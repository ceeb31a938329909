#include "tributary/format/parquet/writer.h"

#include <gtest/gtest.h>

#include <cstring>

#include "tributary/columnar/column_builder.h"
#include "tributary/format/parquet/all_types_batch.h"
#include "tributary/format/parquet/memory_sink.h"

namespace tributary::parquet::testing {
namespace {

TEST(CompressionTest, NamesAreCaseInsensitive) {
  ASSERT_OK_AND_ASSIGN(auto snappy, CompressionFromString("SNAPPY"));
  EXPECT_EQ(snappy, Compression::kSnappy);
  ASSERT_OK_AND_ASSIGN(auto zstd, CompressionFromString("zstd"));
  EXPECT_EQ(zstd, Compression::kZstd);
  ASSERT_OK_AND_ASSIGN(auto gzip, CompressionFromString("Gzip"));
  EXPECT_EQ(gzip, Compression::kGzip);
  ASSERT_OK_AND_ASSIGN(auto none, CompressionFromString("none"));
  EXPECT_EQ(none, Compression::kUncompressed);
  ASSERT_OK_AND_ASSIGN(auto uncompressed, CompressionFromString("Uncompressed"));
  EXPECT_EQ(uncompressed, Compression::kUncompressed);
}

TEST(CompressionTest, UnknownNameIsInvalidAndNamed) {
  auto result = CompressionFromString("brotli");
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalid());
  EXPECT_NE(result.status().message().find("brotli"), std::string::npos);
}

TEST(CompressionTest, FileSuffixes) {
  EXPECT_EQ(CompressionFileSuffix(Compression::kSnappy), ".snappy");
  EXPECT_EQ(CompressionFileSuffix(Compression::kZstd), ".zstd");
  EXPECT_EQ(CompressionFileSuffix(Compression::kGzip), ".gz");
  EXPECT_EQ(CompressionFileSuffix(Compression::kUncompressed), "");
}

TEST(FileWriterTest, FileStartsAndEndsWithMagic) {
  auto batch = AllTypesBatch(0, 100);
  MemorySink sink;
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Make(*batch->schema(), &sink, WriterOptions{}));
  ASSERT_OK(writer->WriteBatch(*batch));
  ASSERT_OK(writer->Close());
  const std::string& bytes = sink.bytes();
  ASSERT_GT(bytes.size(), 12u);
  EXPECT_EQ(bytes.substr(0, 4), "PAR1");
  EXPECT_EQ(bytes.substr(bytes.size() - 4), "PAR1");
  uint32_t footer_length = 0;
  std::memcpy(&footer_length, bytes.data() + bytes.size() - 8, 4);
  EXPECT_LT(footer_length, bytes.size() - 12);
  EXPECT_EQ(writer->EstimatedFileSize(), static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(writer->num_rows(), 100);
}

TEST(FileWriterTest, EstimatedSizeGrowsWhileBuffering) {
  auto batch = AllTypesBatch(0, 2000);
  MemorySink sink;
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Make(*batch->schema(), &sink, WriterOptions{}));
  int64_t before = writer->EstimatedFileSize();
  ASSERT_OK(writer->WriteBatch(*batch));
  EXPECT_GT(writer->EstimatedFileSize(), before + 10000);
  EXPECT_EQ(sink.bytes().size(), 4u) << "one row group stays buffered until Close";
  ASSERT_OK(writer->Close());
}

TEST(FileWriterTest, RejectsABatchOfAnotherSchema) {
  auto batch = AllTypesBatch(0, 10);
  columnar::Schema other({columnar::Field{"x", columnar::DataType::Long(), true}});
  MemorySink sink;
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Make(other, &sink, WriterOptions{}));
  Status st = writer->WriteBatch(*batch);
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
}

TEST(FileWriterTest, RejectsNullsInANonNullableColumn) {
  auto type = columnar::DataType::Long();
  auto schema = std::make_shared<columnar::Schema>(std::vector<columnar::Field>{{"id", type, false}});
  columnar::ColumnBuilder builder(type);
  builder.AppendInt(1);
  builder.AppendNull();
  columnar::RecordBatch batch(schema, 2, {builder.Finish()});
  MemorySink sink;
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Make(*schema, &sink, WriterOptions{}));
  Status st = writer->WriteBatch(batch);
  EXPECT_TRUE(st.IsInvalid());
  EXPECT_NE(st.message().find("'id'"), std::string::npos) << st.ToString();
}

TEST(FileWriterTest, RejectsEmptySchemaAndEmptyStruct) {
  MemorySink sink;
  EXPECT_FALSE(FileWriter::Make(columnar::Schema{}, &sink, WriterOptions{}).ok());
  columnar::Schema with_empty_struct(
      {columnar::Field{"s", columnar::DataType::Struct({}), true}});
  auto result = FileWriter::Make(with_empty_struct, &sink, WriterOptions{});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsNotImplemented());
}

TEST(FileWriterTest, AllNullColumnsWithoutValueBuffers) {
  using columnar::DataType;
  std::vector<columnar::Field> fields = {{"s", DataType::String(), true},
                                         {"l", DataType::Long(), true},
                                         {"b", DataType::Boolean(), true}};
  auto schema = std::make_shared<columnar::Schema>(fields);
  std::vector<columnar::ColumnPtr> columns;
  for (const auto& f : fields) {
    auto validity = std::make_shared<columnar::Buffer>(1);  // zero bits: all null
    columns.push_back(std::make_shared<columnar::Column>(f.type, 5, 5, validity, nullptr, nullptr,
                                                         std::vector<columnar::ColumnPtr>{}));
  }
  columnar::RecordBatch batch(schema, 5, columns);
  MemorySink sink;
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Make(*schema, &sink, WriterOptions{}));
  ASSERT_OK(writer->WriteBatch(batch));
  ASSERT_OK(writer->Close());
  for (const ColumnChunkSummary& s : writer->ColumnSummaries()) {
    EXPECT_EQ(s.null_count, 5) << s.path;
    EXPECT_FALSE(s.min_value.has_value()) << s.path;
  }
}

TEST(FileWriterTest, CloseTwiceIsAnError) {
  auto batch = AllTypesBatch(0, 5);
  MemorySink sink;
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Make(*batch->schema(), &sink, WriterOptions{}));
  ASSERT_OK(writer->Close());
  EXPECT_FALSE(writer->Close().ok());
  EXPECT_FALSE(writer->WriteBatch(*batch).ok());
}

}  // namespace
}  // namespace tributary::parquet::testing
