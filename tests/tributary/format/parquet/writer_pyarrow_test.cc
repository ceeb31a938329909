// End to end: files written by FileWriter are read back by pyarrow (an independent
// implementation); rows, schema, metadata and statistics are compared with what was
// written.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tributary/format/parquet/all_types_batch.h"
#include "tributary/format/parquet/pyarrow_reader.h"

namespace tributary::parquet::testing {
namespace {

std::vector<std::string> ExpectedRows(const std::vector<columnar::RecordBatchPtr>& batches) {
  std::vector<std::string> rows;
  for (const auto& batch : batches) {
    auto part = RenderRows(*batch);
    rows.insert(rows.end(), part.begin(), part.end());
  }
  return rows;
}

// Statistics pyarrow reports for a chunk: nulls=, min=, max= in canonical form.
struct ChunkStats {
  std::string compression;
  std::string encodings;
  std::string nulls, min, max;
  bool dictionary = false;
};

std::map<std::string, std::vector<ChunkStats>> ParseChunks(const PyarrowView& view) {
  std::map<std::string, std::vector<ChunkStats>> chunks;
  for (const std::string& line : view.chunks) {
    std::istringstream in(line);
    std::string group, path, nulls, min, max, dict;
    ChunkStats s;
    in >> group >> path >> s.compression >> s.encodings >> nulls >> min >> max >> dict;
    s.nulls = nulls.substr(6);
    s.min = min.substr(4);
    s.max = max.substr(4);
    s.dictionary = dict == "dict=1";
    chunks[path].push_back(s);
  }
  return chunks;
}

// Min and max of a flat column's non-null (non-NaN) values, rendered canonically.
std::pair<std::string, std::string> ExpectedMinMax(const columnar::Column& c) {
  int64_t min_row = -1, max_row = -1;
  auto less = [&](int64_t a, int64_t b) {
    switch (c.type()->id()) {
      case TypeId::kBoolean: return c.BoolValue(a) < c.BoolValue(b);
      case TypeId::kByte: return c.Value<int8_t>(a) < c.Value<int8_t>(b);
      case TypeId::kShort: return c.Value<int16_t>(a) < c.Value<int16_t>(b);
      case TypeId::kInteger:
      case TypeId::kDate: return c.Value<int32_t>(a) < c.Value<int32_t>(b);
      case TypeId::kFloat: return c.Value<float>(a) < c.Value<float>(b);
      case TypeId::kDouble: return c.Value<double>(a) < c.Value<double>(b);
      case TypeId::kDecimal: return c.Value<__int128>(a) < c.Value<__int128>(b);
      case TypeId::kString:
      case TypeId::kBinary: return c.StringValue(a) < c.StringValue(b);
      default: return c.Value<int64_t>(a) < c.Value<int64_t>(b);
    }
  };
  for (int64_t r = 0; r < c.length(); ++r) {
    if (c.IsNull(r)) continue;
    // A NaN leaves the chunk without bounds.
    if (c.type()->id() == TypeId::kDouble && std::isnan(c.Value<double>(r))) return {"unset", "unset"};
    if (c.type()->id() == TypeId::kFloat && std::isnan(c.Value<float>(r))) return {"unset", "unset"};
    if (min_row < 0 || less(r, min_row)) min_row = r;
    if (max_row < 0 || less(max_row, r)) max_row = r;
  }
  auto render = [&](int64_t r, bool is_max) {
    std::string out;
    // Parquet asks writers for -0.0 as a zero minimum and +0.0 as a zero maximum.
    if (c.type()->id() == TypeId::kFloat && c.Value<float>(r) == 0) {
      float zero = is_max ? 0.0f : -0.0f;
      return HexBytes(&zero, 4);
    }
    if (c.type()->id() == TypeId::kDouble && c.Value<double>(r) == 0) {
      double zero = is_max ? 0.0 : -0.0;
      return HexBytes(&zero, 8);
    }
    Render(c, r, &out);
    if (!out.empty() && out.front() == '"') out = out.substr(1, out.size() - 2);
    return out;
  };
  return {render(min_row, false), render(max_row, true)};
}

class ParquetPyarrowTest : public ::testing::Test {
 protected:
  void SetUp() override { RequirePyarrow(); }
  TempDir dir_;
};

TEST_F(ParquetPyarrowTest, EveryTypeRoundTripsWithSchemaAndStatistics) {
  std::vector<columnar::RecordBatchPtr> batches = {AllTypesBatch(0, 700), AllTypesBatch(700, 1500)};
  WriterOptions options;
  options.key_value_metadata = {{"origin", "tributary-test"}};
  std::string path = dir_.File("all_types.snappy.parquet");
  std::vector<ColumnChunkSummary> summaries;
  WriteFile(path, batches, options, &summaries);
  PyarrowView view;
  ReadWithPyarrow(path, &view);
  ASSERT_FALSE(HasFatalFailure());

  EXPECT_EQ(view.file_line, "num_rows=1500 num_row_groups=1 created_by=tributary version 0.1.0");
  // pyarrow does not keep the footer's order.
  std::sort(view.kv.begin(), view.kv.end());
  ASSERT_EQ(view.kv.size(), 3u);
  EXPECT_EQ(view.kv[2], "origin=tributary-test");
  EXPECT_EQ(view.kv[1], "org.apache.spark.version=3.5.0");
  EXPECT_EQ(view.kv[0].rfind("org.apache.spark.sql.parquet.row.metadata={\"type\":\"struct\",\"fields\":[", 0), 0u)
      << view.kv[0];
  std::vector<std::string> expected = ExpectedRows(batches);
  ASSERT_EQ(view.rows.size(), expected.size());
  for (size_t r = 0; r < expected.size(); ++r) ASSERT_EQ(view.rows[r], expected[r]) << "row " << r;

  // pyarrow's reading of the Spark type mapping.
  EXPECT_EQ(view.fields["b"], "bool");
  EXPECT_EQ(view.fields["i8"], "int8");
  EXPECT_EQ(view.fields["i16"], "int16");
  EXPECT_EQ(view.fields["i32"], "int32");
  EXPECT_EQ(view.fields["i64"], "int64");
  EXPECT_EQ(view.fields["f"], "float");
  EXPECT_EQ(view.fields["d"], "double");
  EXPECT_EQ(view.fields["dec9"], "decimal128(9, 2)");
  EXPECT_EQ(view.fields["dec18"], "decimal128(18, 4)");
  EXPECT_EQ(view.fields["dec20"], "decimal128(20, 0)");
  EXPECT_EQ(view.fields["dec38"], "decimal128(38, 10)");
  EXPECT_EQ(view.fields["s"], "string");
  EXPECT_EQ(view.fields["bin"], "binary");
  EXPECT_EQ(view.fields["dt"], "date32[day]");
  EXPECT_EQ(view.fields["ts"], "timestamp[us, tz=UTC]");
  EXPECT_EQ(view.fields["tsn"], "timestamp[us]");
  EXPECT_EQ(view.fields["arr"], "list<element: int32>");
  EXPECT_EQ(view.fields["tags"], "list<element: string not null>");
  // pyarrow names the map's field in its rendering, also for files it wrote itself.
  EXPECT_EQ(view.fields["m"], "map<string, int64 ('m')>");
  EXPECT_EQ(view.fields["cfg"], "struct<name: string not null, conf: map<string, string ('conf')>>");
  EXPECT_EQ(view.leaves["dec9"], "INT32 Decimal(precision=9, scale=2) DECIMAL");
  EXPECT_EQ(view.leaves["dec18"], "INT64 Decimal(precision=18, scale=4) DECIMAL");
  EXPECT_EQ(view.leaves["dec20"], "FIXED_LEN_BYTE_ARRAY Decimal(precision=20, scale=0) DECIMAL");
  EXPECT_EQ(view.leaves["i8"], "INT32 Int(bitWidth=8, isSigned=true) INT_8");
  EXPECT_EQ(view.leaves["s"], "BYTE_ARRAY String UTF8");
  EXPECT_EQ(view.leaves["ts"],
            "INT64 Timestamp(isAdjustedToUTC=true, timeUnit=microseconds, is_from_converted_type=false, "
            "force_set_converted_type=false) TIMESTAMP_MICROS");
  EXPECT_EQ(view.leaves["st.items.list.element.q.list.element"], "BYTE_ARRAY String UTF8");

  // Statistics of every flat column, computed independently from the input.
  auto chunks = ParseChunks(view);
  const auto& schema = *batches[0]->schema();
  auto whole = AllTypesBatch(0, 1500);
  for (int i = 0; i < schema.num_fields(); ++i) {
    const columnar::Column& column = *whole->column(i);
    if (column.type()->is_nested()) continue;
    const std::string& name = schema.field(i).name;
    ASSERT_EQ(chunks[name].size(), 1u) << name;
    const ChunkStats& got = chunks[name][0];
    EXPECT_EQ(got.compression, "SNAPPY") << name;
    EXPECT_EQ(got.nulls, std::to_string(column.null_count())) << name;
    auto [min, max] = ExpectedMinMax(column);
    EXPECT_EQ(got.min, min) << name;
    EXPECT_EQ(got.max, max) << name;
  }
  // UTF-8 order: "δέλτα" (0xce...) sorts after "z".
  EXPECT_EQ(chunks["s"][0].max, HexBytes("\xce\xb4\xce\xad\xce\xbb\xcf\x84\xce\xb1", 10));
  EXPECT_EQ(chunks["i64"][0].min, "-9223372036854775808");
  EXPECT_TRUE(chunks["s"][0].dictionary);
  EXPECT_NE(chunks["s"][0].encodings.find("RLE_DICTIONARY"), std::string::npos);
  // A nested leaf: min/max over the array elements.
  EXPECT_EQ(chunks["arr.list.element"][0].min, "-1498");
  EXPECT_EQ(chunks["arr.list.element"][0].max, "1499");

  // The summary the Delta writer uses for stats.
  ASSERT_EQ(summaries.size(), chunks.size());
  EXPECT_EQ(summaries[4].path, "i64");
  EXPECT_EQ(summaries[4].null_count, whole->column(4)->null_count());
  int64_t min_i64 = 0;
  ASSERT_TRUE(summaries[4].min_value.has_value());
  std::memcpy(&min_i64, summaries[4].min_value->data(), 8);
  EXPECT_EQ(min_i64, std::numeric_limits<int64_t>::min());
}

TEST_F(ParquetPyarrowTest, EachCompressionWithManyPagesAndRowGroups) {
  std::vector<columnar::RecordBatchPtr> batches = {AllTypesBatch(0, 3000), AllTypesBatch(3000, 8000)};
  std::vector<std::string> expected = ExpectedRows(batches);
  const std::pair<Compression, std::string> codecs[] = {{Compression::kUncompressed, "UNCOMPRESSED"},
                                                        {Compression::kSnappy, "SNAPPY"},
                                                        {Compression::kGzip, "GZIP"},
                                                        {Compression::kZstd, "ZSTD"}};
  for (const auto& [codec, name] : codecs) {
    SCOPED_TRACE(name);
    WriterOptions options;
    options.compression = codec;
    options.data_page_size_bytes = 1024;
    options.dictionary_page_size_limit = 4096;
    options.row_group_size_bytes = 128 << 10;
    std::string path = dir_.File("many" + std::string(CompressionFileSuffix(codec)) + ".parquet");
    std::vector<ColumnChunkSummary> summaries;
    WriteFile(path, batches, options, &summaries);
    PyarrowView view;
    ReadWithPyarrow(path, &view);
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_EQ(view.rows.size(), expected.size());
    for (size_t r = 0; r < expected.size(); ++r) ASSERT_EQ(view.rows[r], expected[r]) << "row " << r;
    auto chunks = ParseChunks(view);
    EXPECT_GT(chunks["i32"].size(), 1u) << "expected several row groups";
    for (const ChunkStats& c : chunks["u"]) EXPECT_EQ(c.compression, name);
    // Several pages per chunk for a plain 4-byte column.
    EXPECT_GT(summaries[3].dictionary_data_pages + summaries[3].plain_data_pages,
              static_cast<int64_t>(chunks["i32"].size()));
  }
}

TEST_F(ParquetPyarrowTest, DictionaryFallsBackToPlainAndCanBeDisabled) {
  std::vector<columnar::RecordBatchPtr> batches = {AllTypesBatch(0, 6000)};
  std::vector<std::string> expected = ExpectedRows(batches);
  for (bool dictionary : {true, false}) {
    SCOPED_TRACE(dictionary ? "dictionary" : "plain");
    WriterOptions options;
    options.dictionary = dictionary;
    options.dictionary_page_size_limit = 8192;
    options.data_page_size_bytes = 8192;
    std::string path = dir_.File(dictionary ? "fallback.parquet" : "plain.parquet");
    std::vector<ColumnChunkSummary> summaries;
    WriteFile(path, batches, options, &summaries);
    PyarrowView view;
    ReadWithPyarrow(path, &view);
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_EQ(view.rows, expected);
    auto chunks = ParseChunks(view);
    const ColumnChunkSummary& u = summaries[12];  // all-distinct strings
    const ColumnChunkSummary& s = summaries[11];  // five distinct strings
    ASSERT_EQ(u.path, "u");
    if (dictionary) {
      EXPECT_GT(u.dictionary_data_pages, 0);
      EXPECT_GT(u.plain_data_pages, 0) << "the dictionary limit should have forced PLAIN pages";
      EXPECT_EQ(s.plain_data_pages, 0);
      EXPECT_TRUE(chunks["u"][0].dictionary);
    } else {
      EXPECT_EQ(u.dictionary_data_pages + s.dictionary_data_pages, 0);
      EXPECT_FALSE(chunks["s"][0].dictionary);
      EXPECT_EQ(chunks["s"][0].encodings.find("RLE_DICTIONARY"), std::string::npos);
    }
  }
}

TEST_F(ParquetPyarrowTest, RowGroupsCloseNearTheMemoryBudgetWithinOneBatch) {
  auto batch = AllTypesBatch(0, 4000);
  WriterOptions options;
  options.compression = Compression::kUncompressed;
  options.row_group_size_bytes = 64 << 10;
  std::string path = dir_.File("row_groups.parquet");
  WriteFile(path, {batch}, options);
  PyarrowView view;
  ReadWithPyarrow(path, &view);
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(view.rows, RenderRows(*batch));
  auto chunks = ParseChunks(view);
  // About 600 KB of encoded data. A group closes when it holds 64 KB in memory,
  // which encodes to less; still far more rows than one slice (64) per group.
  EXPECT_GE(chunks["i32"].size(), 5u);
  EXPECT_LE(chunks["i32"].size(), 40u);
}

TEST_F(ParquetPyarrowTest, AllNullAndNaNColumnsHaveNoBounds) {
  auto schema = std::make_shared<columnar::Schema>(std::vector<Field>{
      Field{"s", DataType::String(), true}, Field{"d", DataType::Double(), true},
      Field{"l", DataType::Array(DataType::Long()), true}});
  ColumnBuilder s(schema->field(0).type), d(schema->field(1).type), l(schema->field(2).type);
  for (int i = 0; i < 100; ++i) {
    s.AppendNull();
    if (i == 50) d.AppendDouble(std::nan("")); else d.AppendDouble(i);
    l.AppendListEnd();
  }
  auto batch = std::make_shared<columnar::RecordBatch>(
      schema, 100, std::vector<columnar::ColumnPtr>{s.Finish(), d.Finish(), l.Finish()});
  std::string path = dir_.File("no_bounds.parquet");
  std::vector<ColumnChunkSummary> summaries;
  WriteFile(path, {batch}, WriterOptions{}, &summaries);
  PyarrowView view;
  ReadWithPyarrow(path, &view);
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(view.rows, RenderRows(*batch));
  auto chunks = ParseChunks(view);
  EXPECT_EQ(chunks["s"][0].nulls, "100");
  EXPECT_EQ(chunks["s"][0].min, "unset");
  EXPECT_EQ(chunks["d"][0].min, "unset");
  EXPECT_EQ(chunks["d"][0].max, "unset");
  EXPECT_EQ(chunks["l.list.element"][0].min, "unset");
  EXPECT_FALSE(summaries[0].min_value.has_value());
  EXPECT_FALSE(summaries[1].max_value.has_value());
}

TEST_F(ParquetPyarrowTest, EmptyFileKeepsTheSchema) {
  auto batch = AllTypesBatch(0, 0);
  std::string path = dir_.File("empty.parquet");
  WriteFile(path, {batch}, WriterOptions{});
  PyarrowView view;
  ReadWithPyarrow(path, &view);
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(view.file_line, "num_rows=0 num_row_groups=0 created_by=tributary version 0.1.0");
  EXPECT_TRUE(view.rows.empty());
  EXPECT_EQ(view.fields["m"], "map<string, int64 ('m')>");
}

}  // namespace
}  // namespace tributary::parquet::testing
