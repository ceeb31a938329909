#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "tributary/format/csv/csv_test_util.h"
#include "tributary/format/csv/decoder.h"

namespace tributary::csv {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using columnar::DataType;
using columnar::Field;
using columnar::Schema;
using testing::DecodeRows;
using testing::MakeDecoder;
using testing::StringSchema;

const OptionMap kHeader = {{"header", "true"}};

TEST(CsvDecodeTest, QuotedValuesEscapedQuotesAndCrlf) {
  auto decoder = MakeDecoder(kHeader);
  auto out = DecodeRows(decoder.get(), "id,text\r\n1,\"a,b\"\r\n2,\"say \\\"hi\\\"\"\r\n3,plain\r\n",
                        StringSchema({"id", "text"}));
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("1|a,b", "2|say \"hi\"", "3|plain"));
  EXPECT_EQ(out.counters.records, 3);
  EXPECT_EQ(out.counters.malformed, 0);
}

TEST(CsvDecodeTest, MultiLineValues) {
  auto decoder = MakeDecoder({{"header", "true"}, {"multiLine", "true"}});
  auto out = DecodeRows(decoder.get(), "id,text\n1,\"first\nsecond\"\n2,x\n", StringSchema({"id", "text"}));
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("1|first\nsecond", "2|x"));
}

TEST(CsvDecodeTest, Latin1AndAsciiAreConvertedToUtf8) {
  auto latin1 = MakeDecoder({{"header", "true"}, {"charset", "latin1"}});
  auto out = DecodeRows(latin1.get(), "name\nJos\xE9\n", StringSchema({"name"}));
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("Jos\xC3\xA9"));
  auto ascii = MakeDecoder({{"header", "true"}, {"encoding", "US-ASCII"}});
  out = DecodeRows(ascii.get(), "name\nJos\xE9\n", StringSchema({"name"}));
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("Jos\xEF\xBF\xBD"));
  // Invalid UTF-8 is replaced too, so string columns always hold valid UTF-8.
  auto utf8 = MakeDecoder(kHeader);
  out = DecodeRows(utf8.get(), "\xEF\xBB\xBFname\nJos\xE9\n", StringSchema({"name"}));
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("Jos\xEF\xBF\xBD"));
}

TEST(CsvDecodeTest, NullValueAndEmptyValue) {
  auto defaults = MakeDecoder(kHeader);
  auto out = DecodeRows(defaults.get(), "a,b\n,\"\"\nx,y\n", StringSchema({"a", "b"}));
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("null|null", "x|y"));  // Spark reads both as NULL by default
  auto custom = MakeDecoder({{"header", "true"}, {"nullValue", "NA"}, {"emptyValue", "<empty>"}});
  out = DecodeRows(custom.get(), "a,b\nNA,\"\"\n,\"NA\"\n", StringSchema({"a", "b"}));
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("null|<empty>", "null|null"));
}

TEST(CsvDecodeTest, WithoutHeaderValuesArePositional) {
  auto decoder = MakeDecoder({});
  auto out = DecodeRows(decoder.get(), "1,x\n2,y\n", StringSchema({"_c0", "_c1"}));
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("1|x", "2|y"));
}

TEST(CsvDecodeTest, EachFileIsReadByItsOwnHeader) {
  Schema schema({{"id", DataType::Integer()}, {"name", DataType::String()}, {"score", DataType::Double()}});
  auto decoder = MakeDecoder(kHeader);
  auto out = DecodeRows(decoder.get(), "score,id,name\n1.5,1,a\n", schema);
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("1|a|1.5"));
  // A file without `score` leaves it NULL; `extra` is not in the schema.
  out = DecodeRows(decoder.get(), "name,extra,id\nb,zz,2\n", schema);
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("2|b|null"));
  EXPECT_THAT(out.counters.unknown_fields, ElementsAre("extra"));
}

TEST(CsvDecodeTest, HeaderMatchingFollowsCaseSensitivity) {
  Schema schema({{"id", DataType::Integer()}, {"_rescued_data", DataType::String()}});
  format::DecodeOptions common;
  common.rescued_data_column = "_rescued_data";
  auto sensitive = MakeDecoder(kHeader, common);
  auto out = DecodeRows(sensitive.get(), "ID\n7\n", schema, "/in/f.csv");
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre(R"(null|{"ID":"7","_file_path":"/in/f.csv"})"));
  EXPECT_TRUE(out.counters.unknown_fields.empty());  // a case variant is not a new column
  common.case_sensitive = false;
  auto insensitive = MakeDecoder(kHeader, common);
  out = DecodeRows(insensitive.get(), "ID\n7\n", schema);
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("7|null"));
}

TEST(CsvDecodeTest, RescuedDataHoldsUnknownColumnsAndTypeMismatches) {
  Schema schema({{"id", DataType::Integer()}, {"amount", DataType::Double()}, {"_rescued_data", DataType::String()}});
  format::DecodeOptions common;
  common.rescued_data_column = "_rescued_data";
  auto decoder = MakeDecoder(kHeader, common);
  auto out = DecodeRows(decoder.get(),
                        "id,amount,note\n1,2.5,\n2,abc,\"he said \\\"x\\\"\"\nthree,1,\"tab\there\"\n", schema,
                        "/land/a \"b\".csv");
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows,
              ElementsAre("1|2.5|null",
                          R"(2|null|{"amount":"abc","note":"he said \"x\"","_file_path":"/land/a \"b\".csv"})",
                          R"(null|1|{"id":"three","note":"tab\there","_file_path":"/land/a \"b\".csv"})"));
  EXPECT_EQ(out.counters.rescued, 2);
  EXPECT_EQ(out.counters.malformed, 0);
  EXPECT_THAT(out.counters.unknown_fields, ElementsAre("note"));
}

TEST(CsvDecodeTest, TypeMismatchWithoutRescueIsMalformedInPermissive) {
  Schema schema({{"id", DataType::Integer()}, {"name", DataType::String()}, {"_corrupt_record", DataType::String()}});
  auto decoder = MakeDecoder(kHeader);
  auto out = DecodeRows(decoder.get(), "id,name\n1,a\nx,b\n", schema);
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("1|a|null", "null|b|x,b"));
  EXPECT_EQ(out.counters.malformed, 1);
  EXPECT_EQ(out.counters.records, 2);
}

TEST(CsvDecodeTest, RowShapeErrorsInPermissive) {
  Schema schema({{"a", DataType::String()}, {"b", DataType::String()}, {"_corrupt_record", DataType::String()}});
  auto decoder = MakeDecoder(kHeader);
  auto out = DecodeRows(decoder.get(), "a,b\n1\n1,2,3\n1,2\n\"open,2\n", schema);
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("1|null|1", "1|2|1,2,3", "1|2|null", "open,2|null|\"open,2"));
  EXPECT_EQ(out.counters.malformed, 3);
  EXPECT_EQ(out.counters.records, 4);
}

TEST(CsvDecodeTest, WrongLengthRecordKeepsTheValuesThatConvert) {
  // Checked against Spark 4 (pyspark 4.3): x,y,z -> [null, y, "x,y,z"].
  Schema schema({{"a", DataType::Integer()}, {"b", DataType::String()}, {"_corrupt_record", DataType::String()}});
  auto decoder = MakeDecoder(kHeader);
  auto out = DecodeRows(decoder.get(), "a,b\nx,y,z\n", schema);
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("null|y|x,y,z"));
}

TEST(CsvDecodeTest, DropMalformedDropsAndCounts) {
  auto decoder = MakeDecoder({{"header", "true"}, {"mode", "DROPMALFORMED"}});
  Schema schema({{"a", DataType::Integer()}, {"b", DataType::String()}});
  auto out = DecodeRows(decoder.get(), "a,b\n1,x\nbad,y\n2\n3,z\n", schema);
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("1|x", "3|z"));
  EXPECT_EQ(out.counters.malformed, 2);
  EXPECT_EQ(out.counters.dropped, 2);
  EXPECT_EQ(out.counters.records, 2);
}

TEST(CsvDecodeTest, FailFastNamesFileLineAndReason) {
  format::DecodeOptions common;
  common.mode = format::ParseMode::kFailFast;
  auto decoder = MakeDecoder(kHeader, common);
  Schema schema({{"a", DataType::Integer()}});
  auto out = DecodeRows(decoder.get(), "a\n1\n\n2\nx\n", schema, "/land/f.csv");
  EXPECT_TRUE(out.status.IsInvalid());
  EXPECT_THAT(out.status.message(), HasSubstr("/land/f.csv:5"));
  EXPECT_THAT(out.status.message(), HasSubstr("value 'x' of column 'a' is not a valid int"));
  // With a rescued data column a type mismatch is not a malformed record.
  common.rescued_data_column = "_rescued_data";
  auto rescuing = MakeDecoder(kHeader, common);
  out = DecodeRows(rescuing.get(), "a\nx\n", schema.AddField({"_rescued_data", DataType::String()}));
  CSV_ASSERT_OK(out.status);
  // But a record of the wrong length still is.
  out = DecodeRows(rescuing.get(), "a\n1,2\n", schema);
  EXPECT_THAT(out.status.message(), HasSubstr("/data/in.csv:2: malformed CSV record (2 values where the header has 1"));
  EXPECT_THAT(out.status.message(), HasSubstr("FAILFAST: 1,2"));
}

TEST(CsvDecodeTest, ParserLimitsStopTheReadInEveryMode) {
  // As in Spark 4, where Univocity's TextParsingException fails the query even in PERMISSIVE.
  Schema schema({{"a", DataType::String()}, {"_corrupt_record", DataType::String()}});
  struct Case {
    OptionMap options;
    const char* content;
    const char* reason;
  };
  for (const Case& c : {Case{{{"header", "true"}, {"unescapedQuoteHandling", "RAISE_ERROR"}}, "a\n\"1\"2\n",
                             "unescaped quote"},
                        Case{{{"header", "true"}, {"maxCharsPerColumn", "3"}}, "a\nabcd\n", "maxCharsPerColumn"},
                        Case{{{"header", "true"}, {"maxColumns", "2"}}, "a\n1,2,3\n", "maxColumns"}}) {
    auto decoder = MakeDecoder(c.options);
    auto out = DecodeRows(decoder.get(), c.content, schema, "/f.csv");
    EXPECT_TRUE(out.status.IsInvalid()) << c.reason;
    EXPECT_THAT(out.status.message(), HasSubstr("/f.csv:2: cannot parse CSV input"));
    EXPECT_THAT(out.status.message(), HasSubstr(c.reason));
  }
}

TEST(CsvDecodeTest, EmptyAndHeaderOnlyFilesGiveNoRows) {
  auto decoder = MakeDecoder(kHeader);
  for (std::string_view content : {"", "a,b\n", "\n\n"}) {
    auto out = DecodeRows(decoder.get(), content, StringSchema({"a", "b"}));
    CSV_ASSERT_OK(out.status);
    EXPECT_TRUE(out.rows.empty());
    EXPECT_TRUE(out.batch_sizes.empty());
  }
}

TEST(CsvDecodeTest, ConvertsEveryPrimitiveTypeLikeSpark) {
  Schema schema({{"b", DataType::Boolean()},   {"i8", DataType::Byte()},       {"i64", DataType::Long()},
                 {"f", DataType::Float()},     {"d", DataType::Double()},      {"dec", DataType::Decimal(6, 2)},
                 {"day", DataType::Date()},    {"ts", DataType::Timestamp()},  {"ntz", DataType::TimestampNtz()}});
  auto decoder = MakeDecoder({});
  auto out = DecodeRows(decoder.get(),
                        "TRUE,-128,9223372036854775807,1.5,-Inf,\"1,234.565\",2024-02-29,2024-01-01T10:00:00+01:00,"
                        "2024-01-01 10:00:00\n"
                        "false,127,-1,NaN,Inf,0.004,2024-02-29 12:00,2024-01-01,2024-01-01T00:00:00\n",
                        schema);
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows,
              ElementsAre("true|-128|9223372036854775807|1.5|-inf|1234.57|2024-02-29|2024-01-01T09:00:00Z|"
                          "2024-01-01T10:00:00",
                          "false|127|-1|nan|inf|0.00|2024-02-29|2024-01-01T00:00:00Z|2024-01-01T00:00:00"));
  out = DecodeRows(decoder.get(), "x,128,1.5,a,b,10000,2024-02-30,x,x\n", schema);
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.rows, ElementsAre("null|null|null|null|null|null|null|null|null"));
  EXPECT_EQ(out.counters.malformed, 1);
}

TEST(CsvDecodeTest, BatchesRespectMaxRows) {
  format::DecodeOptions common;
  common.max_batch_rows = 2;
  auto decoder = MakeDecoder(kHeader, common);
  auto out = DecodeRows(decoder.get(), "a\n1\n2\n3\n4\n5\n", StringSchema({"a"}));
  CSV_ASSERT_OK(out.status);
  EXPECT_THAT(out.batch_sizes, ElementsAre(2, 2, 1));
  EXPECT_EQ(out.rows.size(), 5u);
}

TEST(CsvDecodeTest, BatchesRespectMaxBytes) {
  format::DecodeOptions common;
  common.max_batch_bytes = 4096;
  auto decoder = MakeDecoder(kHeader, common);
  std::string content = "a\n";
  for (int i = 0; i < 100; ++i) content += std::string(1000, 'x') + "\n";
  auto out = DecodeRows(decoder.get(), content, StringSchema({"a"}));
  CSV_ASSERT_OK(out.status);
  EXPECT_EQ(out.rows.size(), 100u);
  ASSERT_GT(out.batch_sizes.size(), 10u);
  for (int64_t size : out.batch_sizes) EXPECT_LE(size, 5);  // about 4 KB of 1 KB values each
}

TEST(CsvDecodeTest, CallbackErrorStopsDecoding) {
  format::DecodeOptions common;
  common.max_batch_rows = 1;
  auto decoder = MakeDecoder(kHeader, common);
  int calls = 0;
  Status status = decoder->Decode("a\n1\n2\n", "/f.csv", StringSchema({"a"}),
                                  [&](columnar::RecordBatchPtr) {
                                    ++calls;
                                    return Status::Cancelled("stop");
                                  },
                                  nullptr);
  EXPECT_TRUE(status.IsCancelled());
  EXPECT_EQ(calls, 1);
}

TEST(CsvDecodeTest, NestedColumnsAreNotSupported) {
  auto decoder = MakeDecoder(kHeader);
  Schema schema({{"a", DataType::Array(DataType::String())}});
  auto out = DecodeRows(decoder.get(), "a\n1\n", schema);
  EXPECT_TRUE(out.status.IsNotImplemented());
  EXPECT_THAT(out.status.message(), HasSubstr("'a'"));
}

}  // namespace
}  // namespace tributary::csv
