#include "tributary/columnar/schema_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/base/status_testing.h"
#include "tributary/columnar/ddl_parser.h"

namespace tributary::columnar {
namespace {

using ::testing::HasSubstr;

// The example schemaString of the Delta protocol (as written by Spark): compact, one
// field with a comment, nested struct, arrays with and without nulls, and a map.
constexpr const char* kDeltaExample =
    R"j({"type":"struct","fields":[{"name":"a","type":"integer","nullable":false,"metadata":{"comment":"this is a comment"}},)j"
    R"j({"name":"b","type":{"type":"struct","fields":[{"name":"d","type":"integer","nullable":false,"metadata":{}}]},"nullable":true,"metadata":{}},)j"
    R"j({"name":"c","type":{"type":"array","elementType":"integer","containsNull":false},"nullable":true,"metadata":{}},)j"
    R"j({"name":"e","type":{"type":"array","elementType":{"type":"struct","fields":[{"name":"d","type":"integer","nullable":false,"metadata":{}}]},"containsNull":true},"nullable":true,"metadata":{}},)j"
    R"j({"name":"f","type":{"type":"map","keyType":"string","valueType":"string","valueContainsNull":true},"nullable":true,"metadata":{}}]})j";

TEST(SchemaJsonTest, ReadsTheDeltaProtocolExampleAndWritesItBackByteForByte) {
  ASSERT_OK_AND_ASSIGN(Schema schema, SchemaFromJson(kDeltaExample));
  ASSERT_EQ(schema.num_fields(), 5);
  EXPECT_EQ(schema.field(0).name, "a");
  EXPECT_EQ(schema.field(0).type->id(), TypeId::kInteger);
  EXPECT_FALSE(schema.field(0).nullable);
  EXPECT_EQ(schema.field(0).metadata_json, R"j({"comment":"this is a comment"})j");
  EXPECT_EQ(schema.field(1).type->SimpleString(), "struct<d:int>");
  EXPECT_FALSE(schema.field(1).type->fields()[0].nullable);
  EXPECT_FALSE(schema.field(2).type->contains_null());
  EXPECT_TRUE(schema.field(3).type->contains_null());
  EXPECT_EQ(schema.field(4).type->SimpleString(), "map<string,string>");
  EXPECT_TRUE(schema.field(4).type->value_contains_null());
  EXPECT_EQ(SchemaToJson(schema), kDeltaExample);
}

TEST(SchemaJsonTest, AllPrimitiveNames) {
  ASSERT_OK_AND_ASSIGN(Schema schema,
                       ParseDdlSchema("s STRING, l BIGINT, i INT, sh SMALLINT, b TINYINT, f FLOAT, d DOUBLE, "
                                      "bo BOOLEAN, bi BINARY, dt DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ, "
                                      "dec DECIMAL(38,18)"));
  std::string json = SchemaToJson(schema);
  for (const char* name : {"\"string\"", "\"long\"", "\"integer\"", "\"short\"", "\"byte\"", "\"float\"", "\"double\"",
                           "\"boolean\"", "\"binary\"", "\"date\"", "\"timestamp\"", "\"timestamp_ntz\"",
                           "\"decimal(38,18)\""}) {
    EXPECT_THAT(json, HasSubstr(std::string("\"type\":") + name));
  }
  ASSERT_OK_AND_ASSIGN(Schema back, SchemaFromJson(json));
  EXPECT_TRUE(back.Equals(schema));
}

TEST(SchemaJsonTest, NestedRoundTripKeepsNullabilityAndMetadata) {
  Field mapped{"value", DataType::String(), true,
               R"j({"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-5f3c"})j"};
  Schema schema({
      mapped,
      Field{"m", DataType::Map(DataType::String(), DataType::Array(DataType::Decimal(9, 2), false), false), false},
      Field{"s", DataType::Struct({Field{"x", DataType::Long(), false, R"j({"comment":"q\"uote"})j"},
                                   Field{"y", DataType::Struct({})}})},
  });
  std::string json = SchemaToJson(schema);
  ASSERT_OK_AND_ASSIGN(Schema back, SchemaFromJson(json));
  EXPECT_TRUE(back.Equals(schema)) << json;
  EXPECT_EQ(back.field(0).metadata_json, mapped.metadata_json);
  EXPECT_EQ(back.field(2).type->fields()[0].metadata_json, R"j({"comment":"q\"uote"})j");
  EXPECT_EQ(SchemaToJson(back), json);
}

TEST(SchemaJsonTest, EmptyMetadataIsWrittenAsEmptyObject) {
  Schema schema({Field{"a", DataType::Integer(), true, ""}});
  EXPECT_EQ(SchemaToJson(schema), R"j({"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{}}]})j");
}

TEST(SchemaJsonTest, LenientReading) {
  ASSERT_OK_AND_ASSIGN(DataTypePtr spaced, DataTypeFromJson(R"j("decimal(10, 2)")j"));
  EXPECT_EQ(spaced->SimpleString(), "decimal(10,2)");
  ASSERT_OK_AND_ASSIGN(DataTypePtr bare, DataTypeFromJson(R"j("decimal")j"));
  EXPECT_EQ(bare->SimpleString(), "decimal(10,0)");
  ASSERT_OK_AND_ASSIGN(DataTypePtr varchar, DataTypeFromJson(R"j("varchar(10)")j"));
  EXPECT_EQ(varchar->id(), TypeId::kString);
  // Whitespace-formatted input, missing optional members.
  ASSERT_OK_AND_ASSIGN(Schema schema, SchemaFromJson(R"j({
      "type": "struct",
      "fields": [ { "name": "a", "type": { "type": "array", "elementType": "long" } } ] })j"));
  EXPECT_TRUE(schema.field(0).nullable);
  EXPECT_TRUE(schema.field(0).type->contains_null());
  EXPECT_EQ(schema.field(0).metadata_json, "{}");
}

TEST(SchemaJsonTest, MetadataIsKeptVerbatim) {
  const char* json =
      R"j({"type":"struct","fields":[{"name":"a","type":"double","nullable":true,)j"
      R"j("metadata": {"delta.columnMapping.id": 3, "x": 1.0E10, "s": "\u00e9/"} }]})j";
  ASSERT_OK_AND_ASSIGN(Schema schema, SchemaFromJson(json));
  EXPECT_EQ(schema.field(0).metadata_json, R"j({"delta.columnMapping.id": 3, "x": 1.0E10, "s": "\u00e9/"})j");
  EXPECT_THAT(SchemaToJson(schema), HasSubstr(R"j("metadata":{"delta.columnMapping.id": 3, "x": 1.0E10, "s": "\u00e9/"}})j"));
  // From an already parsed tree, metadata is re-serialized compactly.
  ASSERT_OK_AND_ASSIGN(JsonValue tree, ParseJson(json));
  ASSERT_OK_AND_ASSIGN(DataTypePtr type, DataTypeFromJsonValue(tree));
  EXPECT_EQ(type->fields()[0].metadata_json, "{\"delta.columnMapping.id\":3,\"x\":10000000000.0,\"s\":\"\u00e9/\"}");
}

TEST(SchemaJsonTest, PrimitiveTypeJsonIsAQuotedName) {
  EXPECT_EQ(DataTypeToJson(*DataType::Long()), "\"long\"");
  EXPECT_EQ(DataTypeToJson(*DataType::Array(DataType::Integer(), false)),
            R"j({"type":"array","elementType":"integer","containsNull":false})j");
}

struct BadSchema {
  const char* json;
  const char* message;
};

class SchemaJsonErrorTest : public ::testing::TestWithParam<BadSchema> {};

TEST_P(SchemaJsonErrorTest, SaysWhere) {
  Result<Schema> result = SchemaFromJson(GetParam().json);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalid());
  EXPECT_THAT(result.status().message(), HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Errors, SchemaJsonErrorTest,
    ::testing::Values(
        BadSchema{R"j({"type":"struct","fields":[{"name":"a","type":"lng"}]})j", "schema JSON: fields[0].type: unknown type 'lng'"},
        BadSchema{R"j({"type":"struct","fields":[{"name":"a","type":"integer"},{"type":"integer"}]})j", "fields[1]: 'name' is missing"},
        BadSchema{R"j({"type":"struct","fields":[{"name":"a","type":{"type":"array"}}]})j", "fields[0].type: 'elementType' is missing"},
        BadSchema{R"j({"type":"struct","fields":[{"name":"a","type":"decimal(40,2)"}]})j", "needs 1 <= precision <= 38"},
        BadSchema{R"j({"type":"struct","fields":[{"name":"a","type":"integer","nullable":"yes"}]})j", "fields[0].nullable: must be a boolean, got string"},
        BadSchema{R"j({"type":"struct","fields":[{"name":"a","type":{"type":"udt"}}]})j", "unknown nested type 'udt'"},
        BadSchema{R"j({"type":"struct","fields":[{"name":"s","type":{"type":"struct","fields":[{"name":"x","type":7}]}}]})j",
                  "fields[0].type.fields[0].type: a type must be a string or an object, got integer"},
        BadSchema{R"j("long")j", "expected a struct type, got bigint"},
        BadSchema{R"j({"type":"struct","fields":[{"name":"a","type":"long","metadata":[]}]})j", "fields[0].metadata: must be an object"},
        BadSchema{R"j({"type":"struct","fields":[)j", "schema JSON: invalid JSON at byte 27"}));

}  // namespace
}  // namespace tributary::columnar
