#include "tributary/columnar/ddl_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/base/status_testing.h"

namespace tributary::columnar {
namespace {

using ::testing::HasSubstr;

TEST(DdlParserTest, ParsesTheBriefExample) {
  ASSERT_OK_AND_ASSIGN(Schema schema,
                       ParseDdlSchema("id BIGINT, name STRING NOT NULL, s STRUCT<a: INT, b: ARRAY<STRING>>, "
                                      "m MAP<STRING, INT>, d DECIMAL(10,2)"));
  Schema expected({
      Field{"id", DataType::Long(), true},
      Field{"name", DataType::String(), false},
      Field{"s", DataType::Struct({Field{"a", DataType::Integer()}, Field{"b", DataType::Array(DataType::String())}})},
      Field{"m", DataType::Map(DataType::String(), DataType::Integer())},
      Field{"d", DataType::Decimal(10, 2)},
  });
  EXPECT_TRUE(schema.Equals(expected)) << schema.ToDdl();
}

struct TypeCase {
  const char* ddl;
  std::string simple_string;
};

class DdlTypeTest : public ::testing::TestWithParam<TypeCase> {};

TEST_P(DdlTypeTest, ParsesAliasesCaseInsensitively) {
  ASSERT_OK_AND_ASSIGN(DataTypePtr type, ParseDdlType(GetParam().ddl));
  EXPECT_EQ(type->SimpleString(), GetParam().simple_string) << GetParam().ddl;
}

INSTANTIATE_TEST_SUITE_P(
    Aliases, DdlTypeTest,
    ::testing::Values(TypeCase{"TINYINT", "tinyint"}, TypeCase{"byte", "tinyint"}, TypeCase{"SMALLINT", "smallint"},
                      TypeCase{"Short", "smallint"}, TypeCase{"int", "int"}, TypeCase{"INTEGER", "int"},
                      TypeCase{"bigint", "bigint"}, TypeCase{"LONG", "bigint"}, TypeCase{"float", "float"},
                      TypeCase{"REAL", "float"}, TypeCase{"double", "double"}, TypeCase{"decimal", "decimal(10,0)"},
                      TypeCase{"DEC(5)", "decimal(5,0)"}, TypeCase{"numeric(38, 38)", "decimal(38,38)"},
                      TypeCase{"Decimal ( 12 , 3 )", "decimal(12,3)"}, TypeCase{"string", "string"},
                      TypeCase{"VARCHAR(20)", "string"}, TypeCase{"char(1)", "string"}, TypeCase{"binary", "binary"},
                      TypeCase{"boolean", "boolean"}, TypeCase{"date", "date"}, TypeCase{"TIMESTAMP", "timestamp"},
                      TypeCase{"timestamp_ltz", "timestamp"}, TypeCase{"TIMESTAMP_NTZ", "timestamp_ntz"},
                      TypeCase{"array<array<int>>", "array<array<int>>"},
                      TypeCase{"map<string,array<struct<x:long>>>", "map<string,array<struct<x:bigint>>>"},
                      TypeCase{"struct<>", "struct<>"}, TypeCase{"STRUCT<a INT, `b c`: STRING>", "struct<a:int,b c:string>"}));

TEST(DdlParserTest, BackquotedNamesWithEscapes) {
  ASSERT_OK_AND_ASSIGN(Schema schema, ParseDdlSchema("`a b` INT, `we``ird` STRING, `x.y` LONG, `` DATE"));
  ASSERT_EQ(schema.num_fields(), 4);
  EXPECT_EQ(schema.field(0).name, "a b");
  EXPECT_EQ(schema.field(1).name, "we`ird");
  EXPECT_EQ(schema.field(2).name, "x.y");
  EXPECT_EQ(schema.field(3).name, "");
}

TEST(DdlParserTest, CommentGoesToMetadataAndNotNullAnywhereInStruct) {
  ASSERT_OK_AND_ASSIGN(Schema schema,
                       ParseDdlSchema("id INT NOT NULL COMMENT 'the \\'key\\'', s STRUCT<a: INT NOT NULL COMMENT \"x\">"));
  EXPECT_FALSE(schema.field(0).nullable);
  EXPECT_EQ(schema.field(0).metadata_json, R"({"comment":"the 'key'"})");
  const Field& a = schema.field(1).type->fields()[0];
  EXPECT_FALSE(a.nullable);
  EXPECT_EQ(a.metadata_json, R"({"comment":"x"})");
}

TEST(DdlParserTest, EmptyAndBlankGiveNoColumns) {
  ASSERT_OK_AND_ASSIGN(Schema schema, ParseDdlSchema("  "));
  EXPECT_EQ(schema.num_fields(), 0);
}

struct BadDdl {
  const char* ddl;
  const char* message;
};

class DdlErrorTest : public ::testing::TestWithParam<BadDdl> {};

TEST_P(DdlErrorTest, NamesPositionAndToken) {
  Result<Schema> result = ParseDdlSchema(GetParam().ddl);
  ASSERT_FALSE(result.ok()) << GetParam().ddl;
  EXPECT_TRUE(result.status().IsInvalid());
  EXPECT_THAT(result.status().message(), HasSubstr(GetParam().message)) << result.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Errors, DdlErrorTest,
    ::testing::Values(BadDdl{"id BIGINTT", "unknown type 'BIGINTT' at position 3 (found 'BIGINTT')"},
                      BadDdl{"id", "expected a type at position 2 (found end of input)"},
                      BadDdl{"id INT,", "expected a column name at position 7"},
                      BadDdl{"id INT name STRING", "expected NOT NULL, COMMENT, ',' or the end of the field at position 7 (found 'name')"},
                      BadDdl{"a ARRAY<INT", "'>' to close ARRAY< at position 11"},
                      BadDdl{"m MAP<STRING>", "',' between the MAP key and value types at position 12 (found '>')"},
                      BadDdl{"s STRUCT<a INT b INT>", "at position 15 (found 'b')"},
                      BadDdl{"d DECIMAL(39,0)", "decimal precision 39 is outside 1..38"},
                      BadDdl{"d DECIMAL(5,6)", "decimal scale 6 exceeds precision 5"},
                      BadDdl{"d DECIMAL(a)", "expected a decimal precision at position 10 (found 'a')"},
                      BadDdl{"v VARCHAR", "'(' and a length after VARCHAR"},
                      BadDdl{"`open INT", "unterminated backquoted name at position 0"},
                      BadDdl{"x INT NOT", "expected NULL after NOT at position 9"},
                      BadDdl{"x INT COMMENT nope", "expected a quoted string at position 14"},
                      BadDdl{"x INTERVAL", "unknown type 'INTERVAL'"}));

TEST(DdlParserTest, SingleTypeRejectsTrailingText) {
  Result<DataTypePtr> result = ParseDdlType("INT INT");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("unexpected text after the type at position 4"));
}

TEST(DdlParserTest, RoundTripsThroughToDdl) {
  Schema schema({
      Field{"id", DataType::Long(), false},
      Field{"a b", DataType::String()},
      Field{"we`ird", DataType::Integer()},
      Field{"nested", DataType::Struct({Field{"x", DataType::Decimal(38, 9), false},
                                        Field{"y.z", DataType::Array(DataType::Map(DataType::String(),
                                                                                   DataType::TimestampNtz()))}})},
      Field{"b", DataType::Binary()},
      Field{"t", DataType::Timestamp()},
      Field{"dt", DataType::Date()},
      Field{"f", DataType::Float()},
      Field{"dbl", DataType::Double()},
      Field{"bool", DataType::Boolean()},
      Field{"s", DataType::Short()},
      Field{"by", DataType::Byte()},
  });
  std::string ddl = schema.ToDdl();
  ASSERT_OK_AND_ASSIGN(Schema back, ParseDdlSchema(ddl));
  EXPECT_TRUE(back.Equals(schema)) << ddl << "\n" << back.ToDdl();
}

TEST(DdlPathListTest, DottedAndQuotedPaths) {
  ASSERT_OK_AND_ASSIGN(std::vector<DdlPathColumn> columns,
                       ParseDdlPathList("a.b.c DATE, `x.y` INT, arr.element STRING NOT NULL, m . `k``q`.value LONG"));
  ASSERT_EQ(columns.size(), 4u);
  EXPECT_EQ(columns[0].path, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(columns[0].type->id(), TypeId::kDate);
  EXPECT_EQ(columns[0].text, "a.b.c DATE");
  EXPECT_EQ(columns[1].path, (std::vector<std::string>{"x.y"}));
  EXPECT_EQ(columns[2].path, (std::vector<std::string>{"arr", "element"}));
  EXPECT_FALSE(columns[2].nullable);
  EXPECT_EQ(columns[3].path, (std::vector<std::string>{"m", "k`q", "value"}));
  EXPECT_EQ(columns[3].type->id(), TypeId::kLong);
}

TEST(DdlPathListTest, ErrorsNamePosition) {
  Result<std::vector<DdlPathColumn>> result = ParseDdlPathList("a..b INT");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("expected a column name at position 2 (found '.')"));
  result = ParseDdlPathList("a.b");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("expected a type at position 3"));
  ASSERT_OK_AND_ASSIGN(auto empty, ParseDdlPathList(""));
  EXPECT_TRUE(empty.empty());
}

TEST(DdlParserTest, QuoteDdlName) {
  EXPECT_EQ(QuoteDdlName("plain_1"), "plain_1");
  EXPECT_EQ(QuoteDdlName("a b"), "`a b`");
  EXPECT_EQ(QuoteDdlName("x.y"), "`x.y`");
  EXPECT_EQ(QuoteDdlName("we`ird"), "`we``ird`");
  EXPECT_EQ(QuoteDdlName(""), "``");
}

}  // namespace
}  // namespace tributary::columnar
