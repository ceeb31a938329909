// FileReader on a hand-built file with the legacy layouts other writers still
// produce: bare repeated fields, 2-level LIST groups, MAP_KEY_VALUE, BIT_PACKED
// levels, UINT_64 and TIMESTAMP(NANOS).

#include <gtest/gtest.h>

#include <fstream>

#include "tributary/format/parquet/metadata_internal.h"
#include "tributary/format/parquet/pyarrow_reader.h"
#include "tributary/format/parquet/reader.h"
#include "tributary/format/parquet/rle_encoder_internal.h"
#include "tributary/format/parquet/thrift_compact_internal.h"

namespace tributary::parquet {
namespace {

using namespace internal;  // NOLINT: the test builds the file from the format's structs

struct Level {
  int16_t rep;
  int16_t def;
};

// Levels as RLE with the v1 length prefix, or as legacy BIT_PACKED (MSB first).
std::string EncodeLevels(const std::vector<int16_t>& levels, int16_t max_level, bool bit_packed) {
  int width = BitWidth(static_cast<uint64_t>(max_level));
  std::string out;
  if (bit_packed) {
    out.assign((levels.size() * width + 7) / 8, '\0');
    size_t bit = 0;
    for (int16_t level : levels) {
      for (int b = width - 1; b >= 0; --b, ++bit) {
        if ((level >> b) & 1) out[bit / 8] = static_cast<char>(out[bit / 8] | (0x80 >> (bit % 8)));
      }
    }
    return out;
  }
  std::string body;
  RleBitPackedEncoder encoder(width, &body);
  for (int16_t level : levels) encoder.Put(static_cast<uint32_t>(level));
  encoder.Flush();
  uint32_t length = static_cast<uint32_t>(body.size());
  out.append(reinterpret_cast<const char*>(&length), 4);
  return out + body;
}

struct TestColumn {
  std::vector<std::string> path;
  PhysicalType type;
  int16_t max_rep;
  int16_t max_def;
  std::vector<Level> levels;
  std::string plain_values;
  bool bit_packed;
};

std::string Plain32(std::initializer_list<int32_t> values) {
  std::string out;
  for (int32_t v : values) out.append(reinterpret_cast<const char*>(&v), 4);
  return out;
}
std::string Plain64(std::initializer_list<int64_t> values) {
  std::string out;
  for (int64_t v : values) out.append(reinterpret_cast<const char*>(&v), 8);
  return out;
}
std::string PlainBytes(std::initializer_list<std::string> values) {
  std::string out;
  for (const std::string& v : values) {
    uint32_t n = static_cast<uint32_t>(v.size());
    out.append(reinterpret_cast<const char*>(&n), 4);
    out += v;
  }
  return out;
}

SchemaElement Group(std::string name, std::optional<Repetition> repetition, int children,
                    std::optional<ConvertedType> converted = std::nullopt) {
  SchemaElement e;
  e.name = std::move(name);
  e.repetition = repetition;
  e.num_children = children;
  e.converted_type = converted;
  return e;
}
SchemaElement Primitive(std::string name, Repetition repetition, PhysicalType type,
                        std::optional<ConvertedType> converted = std::nullopt) {
  SchemaElement e;
  e.name = std::move(name);
  e.repetition = repetition;
  e.type = type;
  e.converted_type = converted;
  return e;
}

TEST(ParquetReaderLegacyTest, TwoLevelListsBareRepeatedMapKeyValueBitPackedLevels) {
  using R = Repetition;
  std::vector<SchemaElement> schema = {
      Group("schema", std::nullopt, 6),
      Primitive("bare", R::kRepeated, PhysicalType::kInt32),
      Group("legacy", R::kOptional, 1, ConvertedType::kList),
      Primitive("array", R::kRepeated, PhysicalType::kInt32),
      Group("pairs", R::kOptional, 1, ConvertedType::kList),
      Group("pairs_tuple", R::kRepeated, 2),
      Primitive("k", R::kRequired, PhysicalType::kByteArray, ConvertedType::kUtf8),
      Primitive("v", R::kOptional, PhysicalType::kInt64),
      Group("mkv", R::kOptional, 1, ConvertedType::kMapKeyValue),
      Group("map", R::kRepeated, 2),
      Primitive("key", R::kRequired, PhysicalType::kByteArray, ConvertedType::kUtf8),
      Primitive("value", R::kOptional, PhysicalType::kInt32),
      Primitive("u64", R::kOptional, PhysicalType::kInt64, ConvertedType::kUint64),
      Primitive("tsnano", R::kOptional, PhysicalType::kInt64),
  };
  schema.back().logical_type.kind = LogicalKind::kTimestamp;
  schema.back().logical_type.adjusted_to_utc = true;
  schema.back().logical_type.unit = TimeUnit::kNanos;

  std::vector<TestColumn> columns = {
      {{"bare"}, PhysicalType::kInt32, 1, 1, {{0, 1}, {1, 1}, {0, 0}, {0, 1}}, Plain32({1, 2, 3}), true},
      {{"legacy", "array"}, PhysicalType::kInt32, 1, 2, {{0, 2}, {0, 0}, {0, 1}}, Plain32({10}), true},
      {{"pairs", "pairs_tuple", "k"}, PhysicalType::kByteArray, 1, 2, {{0, 2}, {1, 2}, {0, 1}, {0, 0}},
       PlainBytes({"a", "b"}), false},
      {{"pairs", "pairs_tuple", "v"}, PhysicalType::kInt64, 1, 3, {{0, 3}, {1, 2}, {0, 1}, {0, 0}}, Plain64({1}),
       true},
      {{"mkv", "map", "key"}, PhysicalType::kByteArray, 1, 2, {{0, 2}, {0, 0}, {0, 1}}, PlainBytes({"x"}), false},
      {{"mkv", "map", "value"}, PhysicalType::kInt32, 1, 3, {{0, 3}, {0, 0}, {0, 1}}, Plain32({1}), false},
      {{"u64"}, PhysicalType::kInt64, 0, 1, {{0, 1}, {0, 0}, {0, 1}}, Plain64({-1, 5}), true},
      {{"tsnano"}, PhysicalType::kInt64, 0, 1, {{0, 1}, {0, 1}, {0, 0}}, Plain64({1500, -1500}), false},
  };

  std::string file = "PAR1";
  FileMetaData metadata;
  metadata.schema = schema;
  metadata.num_rows = 3;
  metadata.created_by = "hand-built legacy layout";
  metadata.num_leaf_columns = static_cast<int>(columns.size());
  RowGroup group;
  group.num_rows = 3;
  for (const TestColumn& c : columns) {
    std::vector<int16_t> reps, defs;
    for (const Level& l : c.levels) {
      reps.push_back(l.rep);
      defs.push_back(l.def);
    }
    std::string body;
    if (c.max_rep > 0) body += EncodeLevels(reps, c.max_rep, c.bit_packed);
    body += EncodeLevels(defs, c.max_def, c.bit_packed);
    body += c.plain_values;
    std::string header;
    CompactWriter w(&header);
    Encoding level_encoding = c.bit_packed ? Encoding::kBitPacked : Encoding::kRle;
    w.BeginStruct();
    w.FieldI32(1, static_cast<int32_t>(PageType::kDataPage));
    w.FieldI32(2, static_cast<int32_t>(body.size()));
    w.FieldI32(3, static_cast<int32_t>(body.size()));
    w.FieldStructBegin(5);
    w.FieldI32(1, static_cast<int32_t>(c.levels.size()));
    w.FieldI32(2, static_cast<int32_t>(Encoding::kPlain));
    w.FieldI32(3, static_cast<int32_t>(level_encoding));
    w.FieldI32(4, static_cast<int32_t>(level_encoding));
    w.EndStruct();
    w.EndStruct();
    ColumnChunk chunk;
    chunk.file_offset = static_cast<int64_t>(file.size());
    chunk.meta_data.type = c.type;
    chunk.meta_data.encodings = {Encoding::kPlain, level_encoding};
    chunk.meta_data.path_in_schema = c.path;
    chunk.meta_data.num_values = static_cast<int64_t>(c.levels.size());
    chunk.meta_data.total_compressed_size = static_cast<int64_t>(header.size() + body.size());
    chunk.meta_data.total_uncompressed_size = chunk.meta_data.total_compressed_size;
    chunk.meta_data.data_page_offset = static_cast<int64_t>(file.size());
    file += header + body;
    group.columns.push_back(chunk);
  }
  metadata.row_groups.push_back(group);
  std::string footer;
  SerializeFileMetaData(metadata, &footer);
  uint32_t footer_length = static_cast<uint32_t>(footer.size());
  file += footer;
  file.append(reinterpret_cast<const char*>(&footer_length), 4);
  file += "PAR1";

  testing::TempDir dir;
  std::string path = dir.File("legacy.parquet");
  std::ofstream(path, std::ios::binary) << file;

  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(io::LocalFileSystem(), path));
  EXPECT_EQ(reader->schema().AsStruct()->SimpleString(),
            "struct<bare:array<int>,legacy:array<int>,pairs:array<struct<k:string,v:bigint>>,mkv:map<string,int>,"
            "u64:decimal(20,0),tsnano:timestamp>");
  const auto& fields = reader->schema().fields();
  EXPECT_FALSE(fields[0].nullable);
  EXPECT_FALSE(fields[0].type->contains_null());
  EXPECT_FALSE(fields[1].type->contains_null());
  EXPECT_FALSE(fields[2].type->contains_null());
  EXPECT_FALSE(fields[2].type->element_type()->fields()[0].nullable);
  EXPECT_TRUE(fields[3].type->value_contains_null());

  std::vector<std::string> rows;
  ASSERT_OK(reader->ReadAll([&](columnar::RecordBatchPtr batch) {
    for (std::string& row : testing::RenderRows(*batch)) rows.push_back(std::move(row));
    return Status::OK();
  }));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], "[[1,2],[10],[[\"61\",1],[\"62\",null]],[[\"78\",1]],\"18446744073709551615\",1]");
  EXPECT_EQ(rows[1], "[[],null,[],null,null,-2]");
  EXPECT_EQ(rows[2], "[[3],[],null,[],\"5\",null]");
}

}  // namespace
}  // namespace tributary::parquet
