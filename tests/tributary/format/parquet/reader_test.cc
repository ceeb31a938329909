// FileReader against files written by Tributary's own FileWriter: every Spark type
// with nulls at every nesting level, codecs, pages and row groups, projection,
// widening, and damaged files.

#include "tributary/format/parquet/reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "tributary/columnar/column_builder.h"
#include "tributary/format/parquet/all_types_batch.h"
#include "tributary/format/parquet/pyarrow_reader.h"

namespace tributary::parquet {
namespace {

using columnar::DataType;
using columnar::Field;
using columnar::RecordBatchPtr;
using columnar::Schema;
using testing::AllTypesBatch;
using testing::AllTypesSchema;
using testing::RenderRows;
using testing::TempDir;

std::vector<std::string> ReadRows(FileReader& reader, const Schema& schema, int64_t* batches = nullptr,
                                  int64_t max_rows_seen = 0) {
  std::vector<std::string> rows;
  int64_t count = 0;
  Status s = reader.Read(schema, [&](RecordBatchPtr batch) {
    ++count;
    EXPECT_TRUE(batch->schema()->Equals(schema));
    if (max_rows_seen > 0) {
      EXPECT_LE(batch->num_rows(), max_rows_seen);
    }
    for (std::string& row : RenderRows(*batch)) rows.push_back(std::move(row));
    return Status::OK();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (batches) *batches = count;
  return rows;
}

std::vector<std::string> Concat(const std::vector<RecordBatchPtr>& batches) {
  std::vector<std::string> rows;
  for (const auto& batch : batches) {
    for (std::string& row : RenderRows(*batch)) rows.push_back(std::move(row));
  }
  return rows;
}

TEST(ParquetReaderTest, EveryTypeRoundTripsThroughOurWriter) {
  TempDir dir;
  for (Compression compression :
       {Compression::kUncompressed, Compression::kSnappy, Compression::kGzip, Compression::kZstd}) {
    for (bool dictionary : {true, false}) {
      SCOPED_TRACE(std::string(CompressionFileSuffix(compression)) + (dictionary ? " dict" : " plain"));
      std::string path = dir.File("all.parquet");
      WriterOptions options;
      options.compression = compression;
      options.dictionary = dictionary;
      options.data_page_size_bytes = 4096;  // many pages per chunk
      options.row_group_size_bytes = 64 << 10;  // several row groups
      std::vector<RecordBatchPtr> batches = {AllTypesBatch(0, 1700), AllTypesBatch(1700, 3000)};
      testing::WriteFile(path, batches, options);

      ReaderOptions read_options;
      read_options.max_batch_rows = 333;
      ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(io::LocalFileSystem(), path, read_options));
      EXPECT_TRUE(reader->schema().Equals(*AllTypesSchema())) << reader->schema().ToDdl();
      EXPECT_EQ(reader->num_rows(), 3000);
      EXPECT_GT(reader->num_row_groups(), 1);
      int64_t total = 0;
      for (int g = 0; g < reader->num_row_groups(); ++g) total += reader->row_group_num_rows(g);
      EXPECT_EQ(total, 3000);
      bool has_spark_key = false;
      for (const auto& [key, value] : reader->key_value_metadata()) has_spark_key |= key == "org.apache.spark.version";
      EXPECT_TRUE(has_spark_key);
      int64_t num_batches = 0;
      std::vector<std::string> got = ReadRows(*reader, reader->schema(), &num_batches, 333);
      std::vector<std::string> want = Concat(batches);
      ASSERT_EQ(got.size(), want.size());
      for (size_t i = 0; i < want.size(); ++i) ASSERT_EQ(got[i], want[i]) << "row " << i;
      EXPECT_GE(num_batches, 3000 / 333);
    }
  }
}

TEST(ParquetReaderTest, ReadsChosenRowGroupsInTheOrderGiven) {
  TempDir dir;
  std::string path = dir.File("groups.parquet");
  WriterOptions options;
  options.row_group_size_bytes = 32 << 10;
  std::vector<RecordBatchPtr> batches = {AllTypesBatch(0, 2000)};
  testing::WriteFile(path, batches, options);
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(io::LocalFileSystem(), path));
  ASSERT_GE(reader->num_row_groups(), 3);
  int64_t first = reader->row_group_num_rows(0);
  int64_t second = reader->row_group_num_rows(1);
  std::vector<std::string> want = Concat(batches);
  std::vector<std::string> got;
  ASSERT_OK(reader->Read(reader->schema(), [&](RecordBatchPtr batch) {
    for (std::string& row : RenderRows(*batch)) got.push_back(std::move(row));
    return Status::OK();
  }, {1, 0}));
  ASSERT_EQ(static_cast<int64_t>(got.size()), first + second);
  EXPECT_EQ(got[0], want[static_cast<size_t>(first)]);
  EXPECT_EQ(got[static_cast<size_t>(second)], want[0]);
  Status bad = reader->Read(reader->schema(), [](RecordBatchPtr) { return Status::OK(); }, {99});
  EXPECT_TRUE(bad.IsInvalid()) << bad.ToString();
}

TEST(ParquetReaderTest, EmptyFileHasSchemaAndNoRows) {
  TempDir dir;
  std::string path = dir.File("empty.parquet");
  testing::WriteFile(path, {AllTypesBatch(0, 0)}, WriterOptions{});
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(io::LocalFileSystem(), path));
  EXPECT_EQ(reader->num_row_groups(), 0);
  EXPECT_EQ(reader->num_rows(), 0);
  EXPECT_TRUE(reader->schema().Equals(*AllTypesSchema()));
  int64_t batches = 0;
  EXPECT_TRUE(ReadRows(*reader, reader->schema(), &batches).empty());
  EXPECT_EQ(batches, 0);
}

TEST(ParquetReaderTest, ProjectionMissingColumnsAndWidening) {
  TempDir dir;
  std::string path = dir.File("proj.parquet");
  std::vector<RecordBatchPtr> batches = {AllTypesBatch(0, 500)};
  testing::WriteFile(path, batches, WriterOptions{});
  ReaderOptions options;
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(io::LocalFileSystem(), path, options));
  // Upper-case names match case-insensitively; i32 widens to long, f to double,
  // i8 to integer; "missing" and st.nope are absent and read as nulls.
  auto st = DataType::Struct({Field{"NOPE", DataType::String(), true}, Field{"x", DataType::Long(), true}});
  Schema want({Field{"S", DataType::String(), true}, Field{"i32", DataType::Long(), false},
               Field{"missing", DataType::Double(), true}, Field{"f", DataType::Double(), true},
               Field{"i8", DataType::Integer(), true}, Field{"st", st, true},
               Field{"dec9", DataType::Decimal(12, 4), true}});
  std::vector<std::string> rows = ReadRows(*reader, want);
  ASSERT_EQ(rows.size(), 500u);
  const auto& original = *batches[0];
  int s = *original.schema()->FieldIndex("s"), i32 = *original.schema()->FieldIndex("i32");
  int f = *original.schema()->FieldIndex("f"), i8 = *original.schema()->FieldIndex("i8");
  int st_index = *original.schema()->FieldIndex("st"), dec9 = *original.schema()->FieldIndex("dec9");
  const auto& stc = *original.column(st_index);
  for (int64_t r = 0; r < 500; ++r) {
    std::string expected = "[";
    testing::Render(*original.column(s), r, &expected);
    expected += "," + std::to_string(original.column(i32)->Value<int32_t>(r)) + ",null,";
    const auto& fc = *original.column(f);
    if (fc.IsNull(r)) {
      expected += "null";
    } else {
      double widened = fc.Value<float>(r);
      expected += "\"" + testing::HexBytes(&widened, 8) + "\"";
    }
    expected += ",";
    testing::Render(*original.column(i8), r, &expected);
    expected += ",";
    if (stc.IsNull(r)) {
      expected += "null";
    } else {
      expected += "[null,";
      testing::Render(*stc.child(0), r, &expected);
      expected += "]";
    }
    expected += ",";
    const auto& dc = *original.column(dec9);
    expected += dc.IsNull(r) ? "null" : "\"" + columnar::FormatDecimal(dc.Value<__int128>(r) * 100, 4) + "\"";
    expected += "]";
    ASSERT_EQ(rows[static_cast<size_t>(r)], expected) << "row " << r;
  }

  // A struct none of whose requested fields is in the file still has the file's
  // nulls; an array of structs keeps its lengths.
  auto cfg = DataType::Struct({Field{"zzz", DataType::String(), true}});
  auto items = DataType::Array(DataType::Struct({Field{"gone", DataType::Integer(), true}}));
  auto st_items = DataType::Struct({Field{"items", items, true}});
  std::vector<std::string> cfg_rows =
      ReadRows(*reader, Schema({Field{"cfg", cfg, true}, Field{"st", st_items, true}}));
  ASSERT_EQ(cfg_rows.size(), 500u);
  int cfg_index = *original.schema()->FieldIndex("cfg");
  for (int64_t r = 0; r < 500; ++r) {
    std::string expected = original.column(cfg_index)->IsNull(r) ? "[null," : "[[null],";
    if (stc.IsNull(r)) {
      expected += "null]";
    } else {
      const auto& items_column = *stc.child(2);
      if (items_column.IsNull(r)) {
        expected += "[null]]";
      } else {
        expected += "[[";
        for (int32_t j = items_column.ListStart(r); j < items_column.ListEnd(r); ++j) {
          if (j > items_column.ListStart(r)) expected += ",";
          expected += items_column.child(0)->IsNull(j) ? "null" : "[null]";
        }
        expected += "]]]";
      }
    }
    ASSERT_EQ(cfg_rows[static_cast<size_t>(r)], expected) << "row " << r;
  }

  // Case-sensitive matching treats "S" as absent.
  options.case_sensitive = true;
  ASSERT_OK_AND_ASSIGN(auto strict, FileReader::Open(io::LocalFileSystem(), path, options));
  std::vector<std::string> strict_rows = ReadRows(*strict, Schema({Field{"S", DataType::String(), true}}));
  ASSERT_EQ(strict_rows.size(), 500u);
  EXPECT_EQ(strict_rows[2], "[null]");
}

TEST(ParquetReaderTest, TypeMismatchAndMissingRequiredColumnAreErrors) {
  TempDir dir;
  std::string path = dir.File("mismatch.parquet");
  testing::WriteFile(path, {AllTypesBatch(0, 10)}, WriterOptions{});
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(io::LocalFileSystem(), path));
  auto noop = [](RecordBatchPtr) { return Status::OK(); };
  Status s = reader->Read(Schema({Field{"dt", DataType::TimestampNtz(), true}}), noop);
  EXPECT_TRUE(s.IsInvalid()) << s.ToString();
  EXPECT_NE(s.message().find("dt"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
  s = reader->Read(Schema({Field{"i64", DataType::Integer(), true}}), noop);
  EXPECT_TRUE(s.IsInvalid()) << s.ToString();
  s = reader->Read(Schema({Field{"arr", DataType::String(), true}}), noop);
  EXPECT_TRUE(s.IsInvalid()) << s.ToString();
  s = reader->Read(Schema({Field{"gone", DataType::String(), false}}), noop);
  EXPECT_TRUE(s.IsInvalid()) << s.ToString();
  EXPECT_NE(s.message().find("gone"), std::string::npos) << s.message();
}

TEST(ParquetReaderTest, TruncatedAndForeignFilesNameThePath) {
  TempDir dir;
  std::string good = dir.File("good.parquet");
  testing::WriteFile(good, {AllTypesBatch(0, 100)}, WriterOptions{});
  std::string bytes;
  {
    std::ifstream in(good, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto write = [&](const std::string& name, const std::string& content) {
    std::string path = dir.File(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  };
  for (const std::string& path :
       {write("truncated.parquet", bytes.substr(0, bytes.size() / 2)), write("text.parquet", "id,name\n1,a\n"),
        write("tiny.parquet", "PAR1"), write("badfooter.parquet", bytes.substr(0, 4) + std::string(40, '\x7f') +
                                                                   std::string("\x20\x00\x00\x00PAR1", 8))}) {
    auto result = FileReader::Open(io::LocalFileSystem(), path);
    ASSERT_FALSE(result.ok()) << path;
    EXPECT_TRUE(result.status().IsCorruption()) << result.status().ToString();
    EXPECT_NE(result.status().message().find(path), std::string::npos) << result.status().ToString();
  }
  auto missing = FileReader::Open(io::LocalFileSystem(), dir.File("nope.parquet"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope.parquet"), std::string::npos);

  // A data page damaged after the footer was read: an error naming path and column.
  std::string damaged = bytes;
  for (size_t i = 4; i < 200; ++i) damaged[i] = '\x55';
  std::string path = write("damaged.parquet", damaged);
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(io::LocalFileSystem(), path));
  Status s = reader->ReadAll([](RecordBatchPtr) { return Status::OK(); });
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(path), std::string::npos) << s.ToString();
}

TEST(ParquetReaderTest, ColumnStatisticsDecodeToSparkValues) {
  TempDir dir;
  std::string path = dir.File("stats.parquet");
  std::vector<RecordBatchPtr> batches = {AllTypesBatch(0, 1000)};
  std::vector<ColumnChunkSummary> summaries;
  testing::WriteFile(path, batches, WriterOptions{}, &summaries);
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(io::LocalFileSystem(), path));
  ASSERT_EQ(reader->num_row_groups(), 1);
  const auto& original = *batches[0];
  // Each primitive column's bounds and null count are the data's.
  for (const char* name : {"i32", "I64", "s", "dec38", "dt", "ts", "b", "i8"}) {
    SCOPED_TRACE(name);
    ASSERT_OK_AND_ASSIGN(auto stats, reader->ColumnStatistics(name));
    ASSERT_EQ(stats.size(), 1u);
    int index = *original.schema()->FieldIndexIgnoreCase(name);
    const auto& column = *original.column(index);
    EXPECT_EQ(stats[0].null_count.value_or(-1), column.null_count());
    ASSERT_NE(stats[0].min_value, nullptr);
    ASSERT_NE(stats[0].max_value, nullptr);
    EXPECT_TRUE(stats[0].min_value->type()->Equals(*column.type()));
    std::vector<std::string> values;
    for (int64_t r = 0; r < column.length(); ++r) {
      if (column.IsNull(r)) continue;
      std::string text;
      testing::Render(column, r, &text);
      values.push_back(text);
    }
    std::string min_text, max_text;
    testing::Render(*stats[0].min_value, 0, &min_text);
    testing::Render(*stats[0].max_value, 0, &max_text);
    EXPECT_NE(std::find(values.begin(), values.end(), min_text), values.end()) << min_text;
    EXPECT_NE(std::find(values.begin(), values.end(), max_text), values.end()) << max_text;
  }
  ASSERT_OK_AND_ASSIGN(auto i32, reader->ColumnStatistics("i32"));
  EXPECT_EQ(i32[0].min_value->Value<int32_t>(0), -10000);
  EXPECT_EQ(i32[0].max_value->Value<int32_t>(0), 999 - 10000);
  EXPECT_TRUE(reader->ColumnStatistics("arr").status().IsInvalid());
  EXPECT_TRUE(reader->ColumnStatistics("nope").status().IsInvalid());
}

TEST(ParquetReaderTest, RandomlyDamagedDataFailsCleanly) {
  TempDir dir;
  std::string good = dir.File("fuzz.parquet");
  for (Compression compression : {Compression::kUncompressed, Compression::kSnappy}) {
    WriterOptions options;
    options.compression = compression;
    options.data_page_size_bytes = 2048;
    testing::WriteFile(good, {AllTypesBatch(0, 300)}, options);
    std::string bytes;
    {
      std::ifstream in(good, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    ASSERT_OK_AND_ASSIGN(auto intact, FileReader::Open(io::LocalFileSystem(), good));
    uint32_t footer_length;
    std::memcpy(&footer_length, bytes.data() + bytes.size() - 8, 4);
    size_t data_end = bytes.size() - 8 - footer_length;
    uint64_t seed = 12345;
    int failures = 0;
    for (int round = 0; round < 150; ++round) {
      std::string damaged = bytes;
      for (int k = 0; k < 3; ++k) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t at = 4 + (seed >> 33) % (data_end - 4);
        damaged[at] = static_cast<char>(damaged[at] ^ static_cast<char>(1 + ((seed >> 20) & 0x7F)));
      }
      std::string path = dir.File("damaged.parquet");
      std::ofstream(path, std::ios::binary | std::ios::trunc) << damaged;
      auto reader = FileReader::Open(io::LocalFileSystem(), path);
      ASSERT_TRUE(reader.ok()) << reader.status().ToString();  // the footer is intact
      Status s = (*reader)->ReadAll([](RecordBatchPtr) { return Status::OK(); });
      if (!s.ok()) {
        ++failures;
        EXPECT_NE(s.message().find(path), std::string::npos) << s.ToString();
      }
    }
    // Most damage is detected (snappy, lengths, levels); flipped value bytes in an
    // uncompressed page legitimately read as other values.
    EXPECT_GT(failures, 0);
  }
}

}  // namespace
}  // namespace tributary::parquet
