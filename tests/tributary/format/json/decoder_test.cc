#include "tributary/format/json/decoder.h"

#include <thread>

#include "decode_fixture.h"

namespace tributary::json {
namespace {

using columnar::DataType;
using columnar::Schema;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

format::DecodeOptions TypedInference() {
  format::DecodeOptions common;
  common.infer_column_types = true;
  return common;
}

/// The schema as DDL without the identifier quotes, for readable expectations.
std::string Ddl(const Schema& schema) {
  std::string ddl = schema.ToDdl();
  std::erase(ddl, '`');
  return ddl;
}

Schema Infer(std::string_view content, const OptionMap& options = {},
             const format::DecodeOptions& common = TypedInference()) {
  auto decoder = MakeDecoder(options, common);
  Result<Schema> schema = decoder->InferSchema(content, "/data/in.json");
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return schema.ok() ? *schema : Schema();
}

TEST(JsonInferenceTest, TypesFollowSparkAndFieldsAreSortedByName) {
  Schema schema = Infer(
      R"({"name": "a", "id": 1, "score": 1.5, "ok": true, "tags": ["x"], "geo": {"lon": 2, "lat": 1.0}})"
      "\n"
      R"({"id": 2, "extra": null})");
  EXPECT_EQ(Ddl(schema),
            "extra STRING, geo STRUCT<lat: DOUBLE, lon: BIGINT>, id BIGINT, name STRING, ok BOOLEAN, "
            "score DOUBLE, tags ARRAY<STRING>");
}

TEST(JsonInferenceTest, ConflictsWidenAsSpark) {
  Schema schema = Infer(
      "{\"a\": 1, \"b\": 1, \"c\": \"x\", \"d\": [1], \"e\": {\"x\": 1}}\n"
      "{\"a\": 2.5, \"b\": \"two\", \"c\": 3, \"d\": [1.5, null], \"e\": {\"y\": true}}\n");
  EXPECT_EQ(Ddl(schema),
            "a DOUBLE, b STRING, c STRING, d ARRAY<DOUBLE>, e STRUCT<x: BIGINT, y: BOOLEAN>");
}

TEST(JsonInferenceTest, BigIntegerIsDecimal) {
  Schema schema = Infer("{\"big\": 18446744073709551615}\n");
  EXPECT_EQ(Ddl(schema), "big DECIMAL(20,0)");
}

TEST(JsonInferenceTest, PrimitivesAsStringAndPrefersDecimal) {
  EXPECT_EQ(Ddl(Infer("{\"a\": 1, \"b\": true, \"c\": {\"d\": 2.5}}\n", {{"primitivesAsString", "true"}})),
            "a STRING, b STRING, c STRUCT<d: STRING>");
  EXPECT_EQ(Ddl(Infer("{\"a\": 2.25, \"b\": 0.05}\n", {{"prefersDecimal", "true"}})),
            "a DECIMAL(3,2), b DECIMAL(2,2)");
}

TEST(JsonInferenceTest, NullOnlyAndEmptyFields) {
  std::string content = "{\"a\": null, \"b\": [], \"c\": {}, \"d\": 1}\n";
  EXPECT_EQ(Ddl(Infer(content)), "a STRING, b ARRAY<STRING>, d BIGINT");
  EXPECT_EQ(Ddl(Infer(content, {{"dropFieldIfAllNull", "true"}})), "d BIGINT");
}

TEST(JsonInferenceTest, WithoutColumnTypesEveryTopLevelColumnIsString) {
  // Auto Loader's default (cloudFiles.inferColumnTypes=false): "infers all columns as
  // strings (including nested fields in JSON files)".
  Schema schema = Infer("{\"id\": 1, \"geo\": {\"lat\": 1.5}, \"tags\": [1, 2]}\n", {}, format::DecodeOptions());
  EXPECT_EQ(Ddl(schema), "geo STRING, id STRING, tags STRING");
}

TEST(JsonInferenceTest, MalformedRecordsAreSkippedAndCounted) {
  auto decoder = MakeDecoder({}, TypedInference());
  auto* json_decoder = dynamic_cast<JsonDecoder*>(decoder.get());
  ASSERT_NE(json_decoder, nullptr);
  format::DecodeCounters counters;
  Result<Schema> schema = json_decoder->InferSchemaCounting("{\"a\": 1}\n{\"b\": \n42\n", "/x.json", &counters);
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ(Ddl(*schema), "a BIGINT");
  EXPECT_EQ(counters.malformed, 2);

  format::DecodeOptions failfast = TypedInference();
  failfast.mode = format::ParseMode::kFailFast;
  Result<Schema> failed = MakeDecoder({}, failfast)->InferSchema("{\"a\": 1}\n{\"b\": \n", "/x.json");
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(failed.status().IsInvalid());
  EXPECT_THAT(failed.status().message(), HasSubstr("'/x.json' at line 2"));
}

TEST(JsonInferenceTest, SamplingRatioReadsARepeatableFraction) {
  std::string content;
  for (int i = 0; i < 1000; ++i) content += "{\"f" + std::to_string(i) + "\": 1}\n";
  Schema half = Infer(content, {{"samplingRatio", "0.5"}});
  EXPECT_GT(half.num_fields(), 400);
  EXPECT_LT(half.num_fields(), 600);
  EXPECT_TRUE(Infer(content, {{"samplingRatio", "0.5"}}).Equals(half));
  EXPECT_EQ(Infer(content, {{"samplingRatio", "0.995"}}).num_fields(), 1000);
}

TEST(JsonInferenceTest, NamesDifferingOnlyInCaseKeepTheFirst) {
  // Delta column names are case-insensitive; "id" is rescued when decoding.
  EXPECT_EQ(Ddl(Infer("{\"id\": 1, \"Id\": 2, \"s\": {\"x\": 1, \"X\": true}}\n")),
            "Id BIGINT, s STRUCT<X: BOOLEAN>");
}

TEST(JsonInferenceTest, MultiLineArrayOfObjects) {
  Schema schema = Infer("[\n  {\"a\": 1},\n  {\"b\": \"x\"}\n]\n", {{"multiLine", "true"}});
  EXPECT_EQ(Ddl(schema), "a BIGINT, b STRING");
}

TEST(JsonDecodeTest, ConvertsValuesAsSpark) {
  auto decoder = MakeDecoder();
  Schema schema = SchemaOf({{"l", DataType::Long()},
                            {"i", DataType::Integer()},
                            {"d", DataType::Double()},
                            {"f", DataType::Float()},
                            {"b", DataType::Boolean()},
                            {"s", DataType::String()},
                            {"dec", DataType::Decimal(10, 2)},
                            {"day", DataType::Date()},
                            {"ts", DataType::Timestamp()},
                            {"bin", DataType::Binary()}});
  Decoded out = DecodeWith(*decoder,
                           R"({"l": 9007199254740993, "i": -5, "d": 1, "f": 0.5, "b": true, "s": "hé", )"
                           R"("dec": 12.345, "day": "2024-02-29", "ts": "2024-01-31T10:20:30Z", "bin": "AAH/"})"
                           "\n",
                           schema);
  TRIB_ASSERT_OK(out.status);
  ASSERT_EQ(out.num_rows(), 1);
  EXPECT_EQ(out.Cell(0, "l"), "9007199254740993");
  EXPECT_EQ(out.Cell(0, "i"), "-5");
  EXPECT_EQ(out.Cell(0, "d"), "1");
  EXPECT_EQ(out.Cell(0, "f"), "0.5");
  EXPECT_EQ(out.Cell(0, "b"), "true");
  EXPECT_EQ(out.Cell(0, "s"), "hé");
  EXPECT_EQ(out.Cell(0, "dec"), "12.35");  // rounded half up to the scale, as Spark does
  EXPECT_EQ(out.Cell(0, "day"), "2024-02-29");
  EXPECT_EQ(out.Cell(0, "ts"), "2024-01-31T10:20:30Z");
  EXPECT_EQ(out.Cell(0, "bin"), "0001FF");
  EXPECT_EQ(out.counters.records, 1);
  EXPECT_EQ(out.counters.malformed, 0);
}

TEST(JsonDecodeTest, StringColumnTakesAnyValueExactlyAsWritten) {
  // Spark 4 (SPARK-48148, spark.sql.json.enableExactStringParsing): the source text.
  auto decoder = MakeDecoder();
  Schema schema = SchemaOf({{"v", DataType::String()}});
  Decoded out = DecodeWith(*decoder,
                           "{\"v\": {\"b\": [1, 2.50, \"x\\\"y\"], \"c\": null}}\n"
                           "{\"v\": 12}\n{\"v\": 1e2 }\n{\"v\":false}\n{\"v\": null}\n{\"v\": -0}\n"
                           "[{\"v\": [ 1 ]}, {\"v\": 2.0}]\n",
                           schema);
  TRIB_ASSERT_OK(out.status);
  EXPECT_THAT(out.ColumnValues("v"), ElementsAre(R"({"b": [1, 2.50, "x\"y"], "c": null})", "12", "1e2", "false",
                                                 "null", "-0", "[ 1 ]", "2.0"));
}

TEST(JsonDecodeTest, NestedAndLenientValuesInStringsAreRewrittenCompactly) {
  // Where the source text is not at hand (nested string fields, records rewritten
  // for lenient syntax) values are written back as Spark 3's Jackson generator does.
  auto decoder = MakeDecoder();
  Schema schema = SchemaOf({{"s", DataType::Struct({{"v", DataType::String(), true, "{}"}})},
                            {"w", DataType::String()}});
  Decoded out = DecodeWith(*decoder, "{\"s\": {\"v\": {\"a\": 1e2}}}\n{'w': [1.50, 'x']}\n", schema);
  TRIB_ASSERT_OK(out.status);
  EXPECT_EQ(out.Cell(0, "s"), R"({"v":"{\"a\":100.0}"})");
  EXPECT_EQ(out.Cell(1, "w"), R"([1.5,"x"])");
}

TEST(JsonDecodeTest, NestedStructArrayMapAndMissingFields) {
  auto decoder = MakeDecoder();
  Schema schema = SchemaOf({{"id", DataType::Long()},
                            {"geo", DataType::Struct({{"lat", DataType::Double(), true, "{}"},
                                                      {"lon", DataType::Double(), true, "{}"}})},
                            {"tags", DataType::Array(DataType::String())},
                            {"attrs", DataType::Map(DataType::String(), DataType::Long())}});
  Decoded out = DecodeWith(*decoder,
                           "{\"id\": 1, \"geo\": {\"lon\": 2.5}, \"tags\": [\"a\", null], \"attrs\": {\"k\": 7}}\n"
                           "{\"id\": 2}\n",
                           schema);
  TRIB_ASSERT_OK(out.status);
  ASSERT_EQ(out.num_rows(), 2);
  EXPECT_EQ(out.Cell(0, "geo"), R"({"lat":null,"lon":2.5})");
  EXPECT_EQ(out.Cell(0, "tags"), R"(["a",null])");
  EXPECT_EQ(out.Cell(0, "attrs"), R"({"k"->7})");
  EXPECT_EQ(out.Cell(1, "geo"), "null");
  EXPECT_EQ(out.Cell(1, "tags"), "null");
}

TEST(JsonDecodeTest, LinesBlankLinesCrLfAndArraysOfObjects) {
  auto decoder = MakeDecoder();
  Schema schema = SchemaOf({{"a", DataType::Long()}});
  Decoded out = DecodeWith(*decoder, "{\"a\": 1}\r\n\r\n   \n[{\"a\": 2}, {\"a\": 3}]\r{\"a\": 4}", schema);
  TRIB_ASSERT_OK(out.status);
  EXPECT_THAT(out.ColumnValues("a"), ElementsAre("1", "2", "3", "4"));
}

TEST(JsonDecodeTest, Utf8ByteOrderMarkIsSkipped) {
  Schema schema = SchemaOf({{"a", DataType::Long()}, {"_corrupt_record", DataType::String()}});
  Decoded lines = DecodeWith(*MakeDecoder(), "\xEF\xBB\xBF{\"a\": 1}\n{\"a\": 2}\n", schema);
  TRIB_ASSERT_OK(lines.status);
  EXPECT_THAT(lines.ColumnValues("a"), ElementsAre("1", "2"));
  EXPECT_EQ(lines.counters.malformed, 0);
  Decoded whole = DecodeWith(*MakeDecoder({{"multiLine", "true"}}), "\xEF\xBB\xBF[{\"a\": 3}]", schema);
  TRIB_ASSERT_OK(whole.status);
  EXPECT_THAT(whole.ColumnValues("a"), ElementsAre("3"));
}

TEST(JsonDecodeTest, CustomLineSeparator) {
  auto decoder = MakeDecoder({{"lineSep", "||"}});
  Decoded out = DecodeWith(*decoder, "{\"a\": 1}||{\"a\": 2}||", SchemaOf({{"a", DataType::Long()}}));
  TRIB_ASSERT_OK(out.status);
  EXPECT_THAT(out.ColumnValues("a"), ElementsAre("1", "2"));
}

TEST(JsonDecodeTest, MultiLineObjectAndArray) {
  auto decoder = MakeDecoder({{"multiLine", "true"}});
  Schema schema = SchemaOf({{"a", DataType::Long()}});
  Decoded one = DecodeWith(*decoder, "{\n  \"a\": 1\n}\n", schema);
  TRIB_ASSERT_OK(one.status);
  EXPECT_THAT(one.ColumnValues("a"), ElementsAre("1"));
  Decoded many = DecodeWith(*decoder, "[\n {\"a\": 1},\n {\"a\": 2}\n]", schema);
  TRIB_ASSERT_OK(many.status);
  EXPECT_THAT(many.ColumnValues("a"), ElementsAre("1", "2"));
}

TEST(JsonDecodeTest, CaseInsensitiveMatching) {
  format::DecodeOptions common;
  common.case_sensitive = false;
  auto decoder = MakeDecoder({}, common);
  Decoded out = DecodeWith(*decoder, "{\"ID\": 7}\n", SchemaOf({{"id", DataType::Long()}}));
  TRIB_ASSERT_OK(out.status);
  EXPECT_EQ(out.Cell(0, "id"), "7");
  EXPECT_TRUE(out.counters.unknown_fields.empty());
}

TEST(JsonDecodeTest, BatchesAreBoundedByRows) {
  format::DecodeOptions common;
  common.max_batch_rows = 3;
  auto decoder = MakeDecoder({}, common);
  std::string content;
  for (int i = 0; i < 10; ++i) content += "{\"a\": " + std::to_string(i) + "}\n";
  Decoded out = DecodeWith(*decoder, content, SchemaOf({{"a", DataType::Long()}}));
  TRIB_ASSERT_OK(out.status);
  ASSERT_EQ(out.batches.size(), 4u);
  EXPECT_EQ(out.batches[0]->num_rows(), 3);
  EXPECT_EQ(out.batches[3]->num_rows(), 1);
  EXPECT_EQ(out.Cell(9, "a"), "9");
  EXPECT_EQ(out.counters.records, 10);
}

TEST(JsonDecodeTest, BatchesAreBoundedByBytes) {
  format::DecodeOptions common;
  common.max_batch_bytes = 64 << 10;
  auto decoder = MakeDecoder({}, common);
  std::string content;
  std::string payload(1000, 'x');
  for (int i = 0; i < 1000; ++i) content += "{\"s\": \"" + payload + "\"}\n";
  Decoded out = DecodeWith(*decoder, content, SchemaOf({{"s", DataType::String()}}));
  TRIB_ASSERT_OK(out.status);
  EXPECT_EQ(out.num_rows(), 1000);
  EXPECT_GE(out.batches.size(), 8u);
  for (const auto& batch : out.batches) EXPECT_LT(batch->ByteSize(), 2 * (64 << 10));
}

TEST(JsonDecodeTest, OneDecoderServesSeveralThreads) {
  format::DecodeOptions common;
  common.rescued_data_column = "_rescued_data";
  auto decoder = MakeDecoder({}, common);
  Schema schema = SchemaOf({{"a", DataType::Long()}, {"_rescued_data", DataType::String()}});
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "{\"a\": " + std::to_string(i) + ", \"b\": [" + std::to_string(i) + "]}\n";
  Decoded results[2];
  std::thread first([&] { results[0] = DecodeWith(*decoder, content, schema, "/one.json"); });
  std::thread second([&] { results[1] = DecodeWith(*decoder, content, schema, "/two.json"); });
  first.join();
  second.join();
  for (const Decoded& out : results) {
    TRIB_ASSERT_OK(out.status);
    EXPECT_EQ(out.num_rows(), 20000);
    EXPECT_EQ(out.counters.rescued, 20000);
    EXPECT_EQ(out.Cell(19999, "a"), "19999");
  }
  EXPECT_EQ(results[1].Cell(7, "_rescued_data"), R"({"b":[7],"_file_path":"/two.json"})");
}

TEST(JsonDecodeTest, CallbackErrorStopsDecoding) {
  format::DecodeOptions common;
  common.max_batch_rows = 1;
  auto decoder = MakeDecoder({}, common);
  int calls = 0;
  Status status = decoder->Decode(
      "{\"a\": 1}\n{\"a\": 2}\n", "/x.json", SchemaOf({{"a", DataType::Long()}}),
      [&](columnar::RecordBatchPtr) {
        ++calls;
        return Status::Cancelled("stop");
      },
      nullptr);
  EXPECT_TRUE(status.IsCancelled());
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace tributary::json
