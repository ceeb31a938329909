#include "tributary/format/parquet/writer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "tributary/columnar/column_builder.h"
#include "tributary/format/parquet/all_types_batch.h"
#include "tributary/format/parquet/memory_sink.h"
#include "tributary/format/parquet/pyarrow_reader.h"
#include "tributary/format/parquet/reader.h"

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

// Rows shaped like a bronze table's: a unique id, a few event types, numbers and a
// list of tags, so that dictionaries and their indexes hold most of the memory.
columnar::RecordBatchPtr EventBatch(int64_t first, int64_t rows) {
  using columnar::DataType;
  auto schema = std::make_shared<columnar::Schema>(std::vector<columnar::Field>{
      {"event_id", DataType::String(), true},
      {"event_type", DataType::String(), true},
      {"user_id", DataType::Long(), true},
      {"price", DataType::Double(), true},
      {"tags", DataType::Array(DataType::String()), true}});
  columnar::ColumnBuilder id(schema->field(0).type), type(schema->field(1).type),
      user(schema->field(2).type), price(schema->field(3).type), tags(schema->field(4).type);
  static const char* kTypes[] = {"view", "click", "add_to_cart", "purchase"};
  for (int64_t i = first; i < first + rows; ++i) {
    id.AppendString("evt-" + std::to_string(i * 7919));
    type.AppendString(kTypes[i % 4]);
    user.AppendInt(i % 5000);
    if (i % 10 == 0) {
      price.AppendNull();
    } else {
      price.AppendDouble(static_cast<double>(i) * 0.25);
    }
    columnar::ColumnBuilder& element = tags.child(0);
    for (int64_t t = 0; t < i % 3; ++t) element.AppendString("tag-" + std::to_string((i + t) % 50));
    tags.AppendListEnd();
  }
  return std::make_shared<columnar::RecordBatch>(
      schema, rows,
      std::vector<columnar::ColumnPtr>{id.Finish(), type.Finish(), user.Finish(), price.Finish(), tags.Finish()});
}

TEST(FileWriterTest, RowGroupsCloseOnBufferedMemoryAndEveryRowReadsBack) {
  constexpr int64_t kBudget = 256 << 10;
  constexpr int64_t kBatchRows = 2000;
  WriterOptions options;
  options.row_group_size_bytes = kBudget;
  TempDir dir;
  std::string path = dir.File("bounded.parquet");
  auto fs = io::LocalFileSystem();
  ASSERT_OK_AND_ASSIGN(auto stream, fs->OpenOutputStream(path));
  std::vector<columnar::RecordBatchPtr> batches;
  for (int64_t b = 0; b < 30; ++b) batches.push_back(EventBatch(b * kBatchRows, kBatchRows));
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Make(*batches[0]->schema(), stream.get(), options));
  int64_t largest_batch_growth = 0;
  int64_t most_buffered = 0;
  for (const auto& batch : batches) {
    int64_t before = writer->buffered_bytes();
    ASSERT_OK(writer->WriteBatch(*batch));
    int64_t after = writer->buffered_bytes();
    largest_batch_growth = std::max(largest_batch_growth, after - before);
    most_buffered = std::max(most_buffered, after);
  }
  EXPECT_GT(most_buffered, 0);
  EXPECT_LE(most_buffered, kBudget + largest_batch_growth);
  ASSERT_OK(writer->Close());
  EXPECT_EQ(writer->buffered_bytes(), 0) << "a closed writer holds no row group";
  ASSERT_OK(stream->Close());

  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(fs, path));
  EXPECT_GE(reader->num_row_groups(), 3);
  int64_t grouped_rows = 0;
  for (int g = 0; g < reader->num_row_groups(); ++g) grouped_rows += reader->row_group_num_rows(g);
  EXPECT_EQ(grouped_rows, 30 * kBatchRows);
  std::vector<std::string> want;
  for (const auto& batch : batches) {
    for (std::string& row : RenderRows(*batch)) want.push_back(std::move(row));
  }
  std::vector<std::string> got;
  ASSERT_OK(reader->ReadAll([&](columnar::RecordBatchPtr batch) {
    for (std::string& row : RenderRows(*batch)) got.push_back(std::move(row));
    return Status::OK();
  }));
  EXPECT_EQ(got, want);
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
