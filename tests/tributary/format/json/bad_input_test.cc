#include "decode_fixture.h"

namespace tributary::json {
namespace {

using columnar::DataType;
using columnar::Schema;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

format::DecodeOptions WithMode(format::ParseMode mode) {
  format::DecodeOptions common;
  common.mode = mode;
  return common;
}

Schema IdWithCorrupt() { return SchemaOf({{"id", DataType::Long()}, {"_corrupt_record", DataType::String()}}); }

// Line 2 is cut off, line 3 holds invalid UTF-8, line 4 is a scalar.
const std::string kMixed =
    "{\"id\": 1}\n"
    "{\"id\": 2, \"name\": \"tru\n"
    "{\"id\": 3, \"s\": \"\xff\xfe\"}\n"
    "42\n"
    "{\"id\": 5}\n";

TEST(JsonBadInputTest, PermissiveKeepsRowsWithTheRawRecord) {
  auto decoder = MakeDecoder();
  Decoded out = DecodeWith(*decoder, kMixed, IdWithCorrupt());
  TRIB_ASSERT_OK(out.status);
  EXPECT_THAT(out.ColumnValues("id"), ElementsAre("1", "null", "null", "null", "5"));
  EXPECT_EQ(out.Cell(1, "_corrupt_record"), "{\"id\": 2, \"name\": \"tru");
  EXPECT_EQ(out.Cell(2, "_corrupt_record"), "{\"id\": 3, \"s\": \"\xff\xfe\"}");
  EXPECT_EQ(out.Cell(3, "_corrupt_record"), "42");
  EXPECT_EQ(out.Cell(0, "_corrupt_record"), "null");
  EXPECT_EQ(out.counters.malformed, 3);
  EXPECT_EQ(out.counters.records, 5);
}

TEST(JsonBadInputTest, PermissiveWithoutCorruptColumnKeepsAllNullRows) {
  auto decoder = MakeDecoder();
  Decoded out = DecodeWith(*decoder, kMixed, SchemaOf({{"id", DataType::Long()}}));
  TRIB_ASSERT_OK(out.status);
  EXPECT_THAT(out.ColumnValues("id"), ElementsAre("1", "null", "null", "null", "5"));
}

TEST(JsonBadInputTest, DropMalformedDropsAndCounts) {
  auto decoder = MakeDecoder({}, WithMode(format::ParseMode::kDropMalformed));
  Decoded out = DecodeWith(*decoder, kMixed, IdWithCorrupt());
  TRIB_ASSERT_OK(out.status);
  EXPECT_THAT(out.ColumnValues("id"), ElementsAre("1", "5"));
  EXPECT_EQ(out.counters.malformed, 3);
  EXPECT_EQ(out.counters.dropped, 3);
  EXPECT_EQ(out.counters.records, 2);
}

TEST(JsonBadInputTest, FailFastNamesFileLineAndReason) {
  auto decoder = MakeDecoder({}, WithMode(format::ParseMode::kFailFast));
  Decoded out = DecodeWith(*decoder, kMixed, IdWithCorrupt(), "/landing/events/a.json");
  ASSERT_FALSE(out.status.ok());
  EXPECT_TRUE(out.status.IsInvalid());
  EXPECT_THAT(out.status.message(), HasSubstr("'/landing/events/a.json' at line 2"));
  EXPECT_THAT(out.status.message(), HasSubstr("FAILFAST"));

  Decoded utf8 = DecodeWith(*decoder, "{\"id\": 1}\n\n{\"s\": \"\xc3\x28\"}\n", IdWithCorrupt(), "/b.json");
  ASSERT_FALSE(utf8.status.ok());
  EXPECT_THAT(utf8.status.message(), HasSubstr("'/b.json' at line 3"));
  EXPECT_THAT(utf8.status.message(), HasSubstr("UTF-8"));
}

TEST(JsonBadInputTest, TypeMismatchIsMalformedWithoutRescue) {
  Schema schema = IdWithCorrupt();
  std::string content = "{\"id\": \"seven\"}\n{\"id\": 8}\n";

  Decoded permissive = DecodeWith(*MakeDecoder(), content, schema);
  TRIB_ASSERT_OK(permissive.status);
  EXPECT_THAT(permissive.ColumnValues("id"), ElementsAre("null", "8"));
  EXPECT_EQ(permissive.Cell(0, "_corrupt_record"), "{\"id\": \"seven\"}");
  EXPECT_EQ(permissive.counters.malformed, 1);

  Decoded dropped = DecodeWith(*MakeDecoder({}, WithMode(format::ParseMode::kDropMalformed)), content, schema);
  TRIB_ASSERT_OK(dropped.status);
  EXPECT_THAT(dropped.ColumnValues("id"), ElementsAre("8"));
  EXPECT_EQ(dropped.counters.dropped, 1);

  Decoded failed = DecodeWith(*MakeDecoder({}, WithMode(format::ParseMode::kFailFast)), content, schema);
  ASSERT_FALSE(failed.status.ok());
  EXPECT_THAT(failed.status.message(), HasSubstr("line 1: field 'id': cannot convert a JSON string to bigint"));
}

TEST(JsonBadInputTest, RescuedDataKeepsMismatchesAndUnknownFields) {
  format::DecodeOptions common = WithMode(format::ParseMode::kFailFast);  // rescue wins over FAILFAST
  common.rescued_data_column = "_rescued_data";
  auto decoder = MakeDecoder({}, common);
  Schema schema = SchemaOf({{"id", DataType::Long()},
                            {"geo", DataType::Struct({{"lat", DataType::Double(), true, "{}"}})},
                            {"_rescued_data", DataType::String()}});
  Decoded out = DecodeWith(*decoder,
                           "{\"id\": \"x1\", \"new\": [1, {\"a\": null}], \"ID\": 3}\n"
                           "{\"id\": 2, \"geo\": {\"lat\": 1.5, \"alt\": 9}}\n"
                           "{\"id\": 3}\n",
                           schema, "/in/a.json");
  TRIB_ASSERT_OK(out.status);
  EXPECT_THAT(out.ColumnValues("id"), ElementsAre("null", "2", "3"));
  // Values are kept exactly as written.
  EXPECT_EQ(out.Cell(0, "_rescued_data"), R"({"id":"x1","new":[1, {"a": null}],"ID":3,"_file_path":"/in/a.json"})");
  EXPECT_EQ(out.Cell(1, "geo"), R"({"lat":1.5})");
  EXPECT_EQ(out.Cell(1, "_rescued_data"), R"({"geo":{"lat": 1.5, "alt": 9},"_file_path":"/in/a.json"})");
  EXPECT_EQ(out.Cell(2, "_rescued_data"), "null");
  EXPECT_EQ(out.counters.rescued, 2);
  EXPECT_EQ(out.counters.malformed, 0);
  // "ID" differs from "id" only in case: rescued, but not a new column.
  EXPECT_THAT(out.counters.unknown_fields, ElementsAre("new"));
}

TEST(JsonBadInputTest, UnknownFieldsAreCountedWithoutRescue) {
  Decoded out = DecodeWith(*MakeDecoder(), "{\"id\": 1, \"b\": 2}\n{\"a\": 1}\n", SchemaOf({{"id", DataType::Long()}}));
  TRIB_ASSERT_OK(out.status);
  EXPECT_THAT(out.counters.unknown_fields, ElementsAre("a", "b"));
  EXPECT_EQ(out.counters.malformed, 0);
}

TEST(JsonBadInputTest, NumbersOutOfRange) {
  Schema schema = SchemaOf({{"i", DataType::Integer()},
                            {"b", DataType::Byte()},
                            {"l", DataType::Long()},
                            {"dec", DataType::Decimal(4, 2)},
                            {"_corrupt_record", DataType::String()}});
  Decoded out = DecodeWith(*MakeDecoder(),
                           "{\"i\": 2147483648, \"b\": 127}\n"
                           "{\"b\": -129}\n"
                           "{\"l\": 9223372036854775808}\n"
                           "{\"dec\": 123.4}\n"
                           "{\"l\": 1e999}\n",
                           schema);
  TRIB_ASSERT_OK(out.status);
  EXPECT_THAT(out.ColumnValues("i"), ElementsAre("null", "null", "null", "null", "null"));
  EXPECT_EQ(out.Cell(0, "b"), "127");
  EXPECT_THAT(out.ColumnValues("l"), ElementsAre("null", "null", "null", "null", "null"));
  EXPECT_EQ(out.Cell(3, "dec"), "null");
  EXPECT_EQ(out.counters.malformed, 5);
  EXPECT_EQ(out.Cell(4, "_corrupt_record"), "{\"l\": 1e999}");
}

TEST(JsonBadInputTest, ArrayWhereObjectsAreExpected) {
  Decoded out = DecodeWith(*MakeDecoder(), "[1, 2]\n[{\"id\": 1}, 3]\n[]\n{\"id\": 4}\n", IdWithCorrupt());
  TRIB_ASSERT_OK(out.status);
  EXPECT_THAT(out.ColumnValues("id"), ElementsAre("null", "null", "4"));
  EXPECT_EQ(out.Cell(1, "_corrupt_record"), "[{\"id\": 1}, 3]");
  EXPECT_EQ(out.counters.malformed, 2);
}

TEST(JsonBadInputTest, EmptyAndBlankFiles) {
  for (std::string content : {"", "\n\n", "  \r\n\t\n"}) {
    Decoded out = DecodeWith(*MakeDecoder(), content, IdWithCorrupt());
    TRIB_ASSERT_OK(out.status);
    EXPECT_EQ(out.num_rows(), 0);
    EXPECT_TRUE(out.batches.empty());
  }
  format::DecodeOptions typed;
  typed.infer_column_types = true;
  Result<Schema> schema = MakeDecoder({}, typed)->InferSchema("", "/empty.json");
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ(schema->num_fields(), 0);
  Decoded multi = DecodeWith(*MakeDecoder({{"multiLine", "true"}}), "\n", IdWithCorrupt());
  TRIB_ASSERT_OK(multi.status);
  EXPECT_EQ(multi.num_rows(), 0);
}

TEST(JsonBadInputTest, DeeplyNestedRecordIsMalformedNotACrash) {
  std::string deep(100000, '[');
  std::string content = "{\"id\": 1}\n{\"v\": " + deep + "\n{\"id\": 3}\n";
  Decoded out = DecodeWith(*MakeDecoder(), content, IdWithCorrupt());
  TRIB_ASSERT_OK(out.status);
  EXPECT_THAT(out.ColumnValues("id"), ElementsAre("1", "null", "3"));
  EXPECT_EQ(out.counters.malformed, 1);

  // Nesting within simdjson's limit decodes into a string column.
  std::string nested;
  for (int i = 0; i < 500; ++i) nested += "{\"a\":";
  nested += "1";
  for (int i = 0; i < 500; ++i) nested += "}";
  Decoded ok = DecodeWith(*MakeDecoder(), "{\"v\": " + nested + "}\n", SchemaOf({{"v", DataType::String()}}));
  TRIB_ASSERT_OK(ok.status);
  EXPECT_EQ(ok.Cell(0, "v"), nested);
}

TEST(JsonBadInputTest, FiftyMegabyteLine) {
  std::string big(50 << 20, 'x');
  std::string content = "{\"id\": 1, \"blob\": \"" + big + "\"}\n{\"id\": 2}";
  Schema schema = SchemaOf({{"id", DataType::Long()}, {"blob", DataType::String()}});
  Decoded out = DecodeWith(*MakeDecoder(), content, schema);
  TRIB_ASSERT_OK(out.status);
  ASSERT_EQ(out.num_rows(), 2);
  EXPECT_EQ(out.Cell(0, "blob").size(), big.size());
  EXPECT_EQ(out.Cell(1, "id"), "2");
  // The same line as the file's last record (copied for padding), and truncated.
  Decoded last = DecodeWith(*MakeDecoder(), "{\"blob\": \"" + big + "\"}", schema);
  TRIB_ASSERT_OK(last.status);
  EXPECT_EQ(last.Cell(0, "blob").size(), big.size());
  Decoded cut = DecodeWith(*MakeDecoder(), "{\"blob\": \"" + big, schema);
  TRIB_ASSERT_OK(cut.status);
  EXPECT_EQ(cut.counters.malformed, 1);
}

TEST(JsonBadInputTest, CorruptColumnMustBeString) {
  Schema schema = SchemaOf({{"id", DataType::Long()}, {"_corrupt_record", DataType::Long()}});
  Decoded out = DecodeWith(*MakeDecoder(), "{\"id\": 1}\n", schema);
  EXPECT_TRUE(out.status.IsInvalid());
  EXPECT_THAT(out.status.message(), HasSubstr("_corrupt_record"));
}

}  // namespace
}  // namespace tributary::json

namespace tributary::json {
namespace {

// Jackson (Spark) reads these; simdjson alone rejects them.
const std::string kLenientNumbers =
    "{\"big\": 123456789012345678901234567890, \"nan\": NaN, \"inf\": -Infinity, \"huge\": 1e400, "
    "\"s\": \"NaN 1e400 \\\" Infinity\"}\n";

TEST(JsonLenientNumbersTest, InferenceTypesThemAsSpark) {
  format::DecodeOptions typed;
  typed.infer_column_types = true;
  Result<columnar::Schema> schema = MakeDecoder({}, typed)->InferSchema(kLenientNumbers, "/n.json");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  std::string ddl = schema->ToDdl();
  std::erase(ddl, '`');
  EXPECT_EQ(ddl, "big DECIMAL(30,0), huge DOUBLE, inf DOUBLE, nan DOUBLE, s STRING");
}

TEST(JsonLenientNumbersTest, DecodeIntoNumbersAndStrings) {
  using columnar::DataType;
  columnar::Schema typed = SchemaOf({{"big", DataType::Decimal(38, 0)},
                                     {"nan", DataType::Double()},
                                     {"inf", DataType::Double()},
                                     {"huge", DataType::Double()},
                                     {"s", DataType::String()}});
  Decoded out = DecodeWith(*MakeDecoder(), kLenientNumbers, typed);
  TRIB_ASSERT_OK(out.status);
  EXPECT_EQ(out.Cell(0, "big"), "123456789012345678901234567890");
  EXPECT_EQ(out.Cell(0, "nan"), "nan");
  EXPECT_EQ(out.Cell(0, "inf"), "-inf");
  EXPECT_EQ(out.Cell(0, "huge"), "inf");
  EXPECT_EQ(out.Cell(0, "s"), "NaN 1e400 \" Infinity");
  EXPECT_EQ(out.counters.malformed, 0);

  columnar::Schema strings = SchemaOf({{"big", DataType::String()},
                                       {"nan", DataType::String()},
                                       {"huge", DataType::String()},
                                       {"_rescued_data", DataType::String()}});
  format::DecodeOptions common;
  common.rescued_data_column = "_rescued_data";
  Decoded text = DecodeWith(*MakeDecoder({}, common), kLenientNumbers, strings, "/n.json");
  TRIB_ASSERT_OK(text.status);
  EXPECT_EQ(text.Cell(0, "big"), "123456789012345678901234567890");
  EXPECT_EQ(text.Cell(0, "nan"), "NaN");
  EXPECT_EQ(text.Cell(0, "huge"), "Infinity");
  EXPECT_EQ(text.Cell(0, "_rescued_data"),
            R"({"inf":"-Infinity","s":"NaN 1e400 \" Infinity","_file_path":"/n.json"})");
}

TEST(JsonLenientNumbersTest, AllowNonNumericNumbersFalseRejectsNaN) {
  using columnar::DataType;
  columnar::Schema schema = SchemaOf({{"a", DataType::Double()}, {"_corrupt_record", DataType::String()}});
  Decoded out = DecodeWith(*MakeDecoder({{"allowNonNumericNumbers", "false"}}),
                           "{\"a\": NaN}\n{\"a\": 1e400}\n", schema);
  TRIB_ASSERT_OK(out.status);
  EXPECT_EQ(out.Cell(0, "_corrupt_record"), "{\"a\": NaN}");
  EXPECT_EQ(out.Cell(1, "a"), "inf");
  EXPECT_EQ(out.counters.malformed, 1);
}

TEST(JsonLenientNumbersTest, BadTokensStayMalformed) {
  using columnar::DataType;
  columnar::Schema schema = SchemaOf({{"a", DataType::Double()}, {"_corrupt_record", DataType::String()}});
  Decoded out = DecodeWith(*MakeDecoder(), "{\"a\": Nan}\n{\"a\": 01}\n{\"a\": 1e400,}\n{\"a\": +1}\n", schema);
  TRIB_ASSERT_OK(out.status);
  EXPECT_EQ(out.counters.malformed, 4);
}

}  // namespace
}  // namespace tributary::json
