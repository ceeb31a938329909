#include <gtest/gtest.h>

#include "tributary/format/csv/decoder.h"
#include "tributary/format/csv/csv_test_util.h"

namespace tributary::csv {
namespace {

using columnar::Schema;
using testing::MakeDecoder;

std::string Ddl(const OptionMap& options, std::string_view content, bool infer_types) {
  format::DecodeOptions common;
  common.infer_column_types = infer_types;
  auto decoder = MakeDecoder(options, common);
  auto schema = decoder->InferSchema(content, "/data/in.csv");
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  if (!schema.ok()) return "";
  std::string ddl = schema->ToDdl();
  std::erase(ddl, '`');  // names here need no quoting; keep expectations readable
  return ddl;
}

TEST(CsvInferSchemaTest, HeaderNamesInHeaderOrderAllStringsByDefault) {
  EXPECT_EQ(Ddl({{"header", "true"}}, "b,a,c\n1,x,2.5\n", false), "b STRING, a STRING, c STRING");
}

TEST(CsvInferSchemaTest, WithoutHeaderColumnsArePositional) {
  EXPECT_EQ(Ddl({}, "1,x\n2,y\n", false), "_c0 STRING, _c1 STRING");
  EXPECT_EQ(Ddl({}, "1,x\n2,y\n", true), "_c0 INT, _c1 STRING");
}

TEST(CsvInferSchemaTest, DuplicateAndEmptyHeaderNamesGetTheirIndex) {
  EXPECT_EQ(Ddl({{"header", "true"}}, "a,,A,b,a\n", false),
            "a0 STRING, _c1 STRING, A2 STRING, b STRING, a4 STRING");
  EXPECT_EQ(Ddl({{"header", "true"}, {"nullValue", "NA"}}, "x,NA\n", false), "x STRING, _c1 STRING");
}

TEST(CsvInferSchemaTest, InfersEachColumnInSparkOrder) {
  std::string content =
      "i,l,dec,d,date,ts,b,s,nulls,mixed\n"
      "1,3000000000,12345678901234567890,1.5,2024-01-31,2024-01-31 10:00:00,true,x,,1\n"
      "-2,4,1,2,2024-02-01,2024-02-01T10:00:00Z,FALSE,1,,true\n"
      ",,,NaN,,,,,,\n";
  EXPECT_EQ(Ddl({{"header", "true"}}, content, true),
            "i INT, l BIGINT, dec DECIMAL(20,0), d DOUBLE, date DATE, ts TIMESTAMP, b BOOLEAN, s STRING, "
            "nulls STRING, mixed STRING");
}

TEST(CsvInferSchemaTest, WideningAcrossRows) {
  // int -> long -> decimal, int + double -> double, date + timestamp -> timestamp.
  std::string content = "a,b,c,d\n1,1,1,2024-01-01\n3000000000,2.5,99999999999999999999,2024-01-01 10:00\n";
  EXPECT_EQ(Ddl({{"header", "true"}}, content, true), "a BIGINT, b DOUBLE, c DECIMAL(20,0), d TIMESTAMP");
}

TEST(CsvInferSchemaTest, PreferDateFalseInfersTimestampForDates) {
  EXPECT_EQ(Ddl({{"header", "true"}, {"preferDate", "false"}}, "d\n2024-01-31\n", true), "d TIMESTAMP");
}

TEST(CsvInferSchemaTest, NullValueTokensDoNotConstrain) {
  EXPECT_EQ(Ddl({{"header", "true"}, {"nullValue", "-"}}, "a,b\n-,-\n5,-\n", true), "a INT, b STRING");
}

TEST(CsvInferSchemaTest, EmptyAndHeaderOnlyFiles) {
  EXPECT_EQ(Ddl({{"header", "true"}}, "", true), "");
  EXPECT_EQ(Ddl({{"header", "true"}}, "a,b\r\n", true), "a STRING, b STRING");
}

TEST(CsvInferSchemaTest, Latin1HeaderIsConvertedToUtf8) {
  std::string content = "caf\xE9,n\n\xE9t\xE9,1\n";
  EXPECT_EQ(Ddl({{"header", "true"}, {"encoding", "ISO-8859-1"}}, content, false), "caf\xC3\xA9 STRING, n STRING");
}

TEST(CsvInferSchemaTest, SingleValuesInferAsSpark4Does) {
  // Expectations observed with pyspark 4.3 (inferSchema=true, header=true).
  std::vector<std::pair<std::string, std::string>> cases = {
      {"2024-01", "TIMESTAMP"}, {"2024-01-01 10:00", "TIMESTAMP"}, {"2024-1-5", "TIMESTAMP"},
      {"2024-01-01 10:00:00+01:00", "TIMESTAMP"}, {"20240101", "INT"}, {"1f", "DOUBLE"}, {"1d", "DOUBLE"},
      {"+5", "INT"}, {"Infinity", "DOUBLE"}, {"NaN", "DOUBLE"}, {"Inf", "DOUBLE"}, {"1e5", "DOUBLE"},
      {"00012", "INT"}, {"tRuE", "BOOLEAN"}, {"1.0E400", "DOUBLE"}, {"2024-01-31", "DATE"}};
  for (const auto& [value, type] : cases) {
    EXPECT_EQ(Ddl({{"header", "true"}}, "c\n" + value + "\n", true), "c " + type) << value;
  }
}

TEST(CsvInferSchemaTest, IntegersWithBlanksInferAsDoubleLikeSpark) {
  // Integer.parseInt rejects blanks but Double.parseDouble trims them.
  EXPECT_EQ(Ddl({{"header", "true"}}, "a\n 5\n", true), "a DOUBLE");
}

}  // namespace
}  // namespace tributary::csv
