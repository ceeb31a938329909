#include "tributary/format/schema_hints.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/base/status_testing.h"
#include "tributary/columnar/ddl_parser.h"

namespace tributary::format {
namespace {

using columnar::ParseDdlSchema;
using columnar::Schema;
using ::testing::HasSubstr;

Schema Ddl(std::string_view ddl) { return ParseDdlSchema(ddl).MoveValue(); }

// Inferred from JSON without inferColumnTypes: everything is a string.
const char* kInferred =
    "date STRING, user_info STRUCT<name: STRING, dob: STRING>, purchase_options STRUCT<gift: STRING>, "
    "time STRING, tags ARRAY<STRING>, attrs MAP<STRING, STRING>, "
    "events ARRAY<STRUCT<id: STRING, at: STRING>>";

void ExpectSchema(const Schema& actual, std::string_view expected_ddl) {
  Schema expected = Ddl(expected_ddl);
  EXPECT_TRUE(actual.Equals(expected)) << "actual:   " << actual.ToDdl() << "\nexpected: " << expected.ToDdl();
}

TEST(SchemaHintsTest, TheDocumentedExample) {
  ASSERT_OK_AND_ASSIGN(Schema hinted,
                       ApplySchemaHints(Ddl(kInferred), "date DATE, user_info.dob DATE, "
                                                        "purchase_options MAP<STRING,STRING>, time TIMESTAMP"));
  ExpectSchema(hinted,
               "date DATE, user_info STRUCT<name: STRING, dob: DATE>, purchase_options MAP<STRING, STRING>, "
               "time TIMESTAMP, tags ARRAY<STRING>, attrs MAP<STRING, STRING>, "
               "events ARRAY<STRUCT<id: STRING, at: STRING>>");
}

TEST(SchemaHintsTest, ArrayElementsAndMapKeysAndValues) {
  ASSERT_OK_AND_ASSIGN(Schema hinted,
                       ApplySchemaHints(Ddl(kInferred), "tags.element INT, attrs.key LONG, attrs.value DOUBLE, "
                                                        "events.element.at TIMESTAMP, events.element.extra BOOLEAN"));
  ExpectSchema(hinted,
               "date STRING, user_info STRUCT<name: STRING, dob: STRING>, purchase_options STRUCT<gift: STRING>, "
               "time STRING, tags ARRAY<INT>, attrs MAP<BIGINT, DOUBLE>, "
               "events ARRAY<STRUCT<id: STRING, at: TIMESTAMP, extra: BOOLEAN>>");
}

TEST(SchemaHintsTest, MissingColumnsAreAddedAtTheEndOfTheirStruct) {
  ASSERT_OK_AND_ASSIGN(Schema hinted,
                       ApplySchemaHints(Ddl("a INT, s STRUCT<x: INT>"),
                                        "new_col DECIMAL(10,2), s.y DATE, deep.inner.leaf LONG, `dotted.name` INT"));
  ExpectSchema(hinted,
               "a INT, s STRUCT<x: INT, y: DATE>, new_col DECIMAL(10,2), "
               "deep STRUCT<inner: STRUCT<leaf: BIGINT>>, `dotted.name` INT");
}

TEST(SchemaHintsTest, EmptyHintsChangeNothing) {
  Schema inferred = Ddl(kInferred);
  ASSERT_OK_AND_ASSIGN(Schema hinted, ApplySchemaHints(inferred, "  "));
  EXPECT_TRUE(hinted.Equals(inferred));
}

TEST(SchemaHintsTest, NamesMatchIgnoringCaseAndKeepTheirSpelling) {
  ASSERT_OK_AND_ASSIGN(Schema hinted, ApplySchemaHints(Ddl("UserId STRING, Info STRUCT<Age: STRING>"),
                                                       "userid BIGINT, INFO.age INT"));
  ExpectSchema(hinted, "UserId BIGINT, Info STRUCT<Age: INT>");
}

TEST(SchemaHintsTest, ExactNameWinsOverCaseInsensitiveMatch) {
  ASSERT_OK_AND_ASSIGN(Schema hinted, ApplySchemaHints(Ddl("ID STRING, id STRING"), "id INT"));
  ExpectSchema(hinted, "ID STRING, id INT");
}

TEST(SchemaHintsTest, NotNullCommentAndMetadata) {
  Schema inferred = Ddl("id STRING COMMENT 'kept', v STRING");
  ASSERT_OK_AND_ASSIGN(Schema hinted, ApplySchemaHints(inferred, "id BIGINT NOT NULL, v INT COMMENT 'new'"));
  EXPECT_FALSE(hinted.field(0).nullable);
  EXPECT_EQ(hinted.field(0).metadata_json, R"({"comment":"kept"})");
  EXPECT_TRUE(hinted.field(1).nullable);
  EXPECT_EQ(hinted.field(1).metadata_json, R"({"comment":"new"})");
}

TEST(SchemaHintsTest, LaterHintWins) {
  ASSERT_OK_AND_ASSIGN(Schema hinted, ApplySchemaHints(Ddl("a STRING"), "a INT, a LONG"));
  ExpectSchema(hinted, "a BIGINT");
}

TEST(SchemaHintsTest, WholeNestedTypeCanBeReplaced) {
  ASSERT_OK_AND_ASSIGN(Schema hinted,
                       ApplySchemaHints(Ddl(kInferred), "events ARRAY<STRUCT<id: LONG, at: TIMESTAMP>>"));
  EXPECT_EQ(hinted.field(6).type->SimpleString(), "array<struct<id:bigint,at:timestamp>>");
}

struct BadHint {
  const char* hints;
  const char* message;
};

class SchemaHintsErrorTest : public ::testing::TestWithParam<BadHint> {};

TEST_P(SchemaHintsErrorTest, NameTheHint) {
  Result<Schema> result = ApplySchemaHints(Ddl(kInferred), GetParam().hints);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalid());
  EXPECT_THAT(result.status().message(), HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Errors, SchemaHintsErrorTest,
    ::testing::Values(
        BadHint{"date DATE, time.x INT", "cloudFiles.schemaHints: hint 'time.x INT': 'time' is string, not a struct"},
        BadHint{"tags.item INT", "hint 'tags.item INT': 'tags' is an array; address its elements as 'tags.element'"},
        BadHint{"attrs.k INT", "'attrs' is a map; address it as 'attrs.key' or 'attrs.value'"},
        BadHint{"tags.element.x INT", "'tags.element' is string, not a struct"},
        BadHint{"date DAT", "cloudFiles.schemaHints: DDL: unknown type 'DAT' at position 5"},
        BadHint{"date DATE,, x INT", "expected a column name at position 10"}));

}  // namespace
}  // namespace tributary::format
