#include "tributary/base/json.h"

#include <cmath>
#include <limits>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/base/status_testing.h"

namespace tributary {
namespace {

using ::testing::HasSubstr;

TEST(JsonParseTest, ScalarsKeepTheirKinds) {
  ASSERT_OK_AND_ASSIGN(JsonValue v, ParseJson(R"([null, true, false, 0, -12, 9223372036854775807,
      -9223372036854775808, 1.5, -0.25e2, 1E3, "x"])"));
  ASSERT_TRUE(v.is_array());
  const auto& a = v.array();
  ASSERT_EQ(a.size(), 11u);
  EXPECT_TRUE(a[0].is_null());
  EXPECT_TRUE(a[1].bool_value());
  EXPECT_FALSE(a[2].bool_value());
  EXPECT_TRUE(a[3].is_int());
  EXPECT_EQ(a[4].int_value(), -12);
  EXPECT_EQ(a[5].int_value(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(a[6].int_value(), std::numeric_limits<int64_t>::min());
  EXPECT_TRUE(a[7].is_double());
  EXPECT_EQ(a[7].double_value(), 1.5);
  EXPECT_EQ(a[8].double_value(), -25.0);
  EXPECT_TRUE(a[9].is_double());
  EXPECT_EQ(a[9].double_value(), 1000.0);
  EXPECT_EQ(a[10].string_value(), "x");
}

TEST(JsonParseTest, IntegerBeyondInt64BecomesDouble) {
  ASSERT_OK_AND_ASSIGN(JsonValue v, ParseJson("18446744073709551616"));
  ASSERT_TRUE(v.is_double());
  EXPECT_EQ(v.double_value(), 18446744073709551616.0);
}

TEST(JsonParseTest, ObjectKeepsKeyOrderAndFinds) {
  ASSERT_OK_AND_ASSIGN(JsonValue v, ParseJson(R"( {"z": 1, "a": {"b": [1, 2]}, "m": "s"} )"));
  ASSERT_TRUE(v.is_object());
  ASSERT_EQ(v.members().size(), 3u);
  EXPECT_EQ(v.members()[0].first, "z");
  EXPECT_EQ(v.members()[1].first, "a");
  EXPECT_EQ(v.members()[2].first, "m");
  ASSERT_NE(v.Find("a"), nullptr);
  EXPECT_EQ(v.Find("a")->Find("b")->array()[1].int_value(), 2);
  EXPECT_EQ(v.Find("missing"), nullptr);
  EXPECT_EQ(v.Serialize(), R"({"z":1,"a":{"b":[1,2]},"m":"s"})");
}

TEST(JsonParseTest, Escapes) {
  ASSERT_OK_AND_ASSIGN(JsonValue v, ParseJson(R"("a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\u20ac\ud83d\ude00")"));
  EXPECT_EQ(v.string_value(), "a\"b\\c/d\b\f\n\r\tA\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST(JsonParseTest, RawUtf8IsAccepted) {
  ASSERT_OK_AND_ASSIGN(JsonValue v, ParseJson("\"caf\xC3\xA9 \xF0\x9F\x98\x80\""));
  EXPECT_EQ(v.string_value(), "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

struct BadJson {
  const char* text;
  size_t offset;
  const char* message;
};

class JsonParseErrorTest : public ::testing::TestWithParam<BadJson> {};

TEST_P(JsonParseErrorTest, NamesTheByteOffset) {
  const BadJson& bad = GetParam();
  Result<JsonValue> result = ParseJson(bad.text);
  ASSERT_FALSE(result.ok()) << bad.text;
  EXPECT_TRUE(result.status().IsInvalid());
  EXPECT_THAT(result.status().message(), HasSubstr(fmt::format("at byte {}:", bad.offset))) << bad.text;
  EXPECT_THAT(result.status().message(), HasSubstr(bad.message)) << bad.text;
}

INSTANTIATE_TEST_SUITE_P(
    Strict, JsonParseErrorTest,
    ::testing::Values(BadJson{"", 0, "expected a value"}, BadJson{"  ", 2, "expected a value"},
                      BadJson{"{\"a\" 1}", 5, "expected ':'"}, BadJson{"{\"a\":1,}", 7, "expected a string object key"},
                      BadJson{"[1,]", 3, "expected a value"}, BadJson{"[1 2]", 3, "expected ',' or ']'"},
                      BadJson{"{a:1}", 1, "expected a string object key"}, BadJson{"01", 0, "leading zeros"},
                      BadJson{"1.", 2, "digit after the decimal point"}, BadJson{"1e", 2, "exponent"},
                      BadJson{"-", 0, "expected a value"}, BadJson{"NaN", 0, "expected a value"},
                      BadJson{"tru", 0, "'true'"}, BadJson{"nul", 0, "'null'"}, BadJson{"1 2", 2, "after the JSON value"},
                      BadJson{"\"abc", 4, "unterminated string"}, BadJson{"\"a\tb\"", 2, "control character"},
                      BadJson{"\"\\x\"", 1, "invalid escape"}, BadJson{"\"\\u12G4\"", 5, "invalid hex digit"},
                      BadJson{"\"\\ud83d\"", 1, "low surrogate"}, BadJson{"\"\\ude00\"", 1, "unpaired low surrogate"},
                      BadJson{"\"\xC3\"", 1, "invalid UTF-8"}, BadJson{"\"\xED\xA0\x80\"", 1, "invalid UTF-8"},
                      BadJson{"\"\xC0\xAF\"", 1, "invalid UTF-8"}, BadJson{"1e999", 0, "out of range"},
                      BadJson{"// c\n1", 0, "expected a value"}));

TEST(JsonParseTest, DeepNestingIsRejectedNotCrashing) {
  std::string deep(100000, '[');
  Result<JsonValue> result = ParseJson(deep);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("nesting deeper than 512"));
}

TEST(JsonSerializeTest, DoublesRoundTripAndStayDoubles) {
  const double values[] = {0.1, 1.0, -2.0, 1e20, 1e-7, 123456.789, 5e-324, 1.7976931348623157e308, -0.0, 3.0e15};
  for (double value : values) {
    std::string text = JsonValue(value).Serialize();
    ASSERT_OK_AND_ASSIGN(JsonValue back, ParseJson(text));
    ASSERT_TRUE(back.is_double()) << text;
    EXPECT_EQ(back.double_value(), value) << text;
    EXPECT_EQ(std::signbit(back.double_value()), std::signbit(value)) << text;
  }
  EXPECT_EQ(JsonValue(0.1).Serialize(), "0.1");
  EXPECT_EQ(JsonValue(1.0).Serialize(), "1.0");
  EXPECT_EQ(JsonValue(std::nan("")).Serialize(), "null");
  EXPECT_EQ(JsonValue(std::numeric_limits<double>::infinity()).Serialize(), "null");
}

TEST(JsonSerializeTest, StringEscaping) {
  std::string out;
  AppendJsonString(&out, "q\"b\\s/\n\t\x01\x1f\x7f caf\xC3\xA9");
  EXPECT_EQ(out, "\"q\\\"b\\\\s/\\n\\t\\u0001\\u001f\x7f caf\xC3\xA9\"");
}

TEST(JsonSerializeTest, InvalidUtf8BecomesReplacementCharacter) {
  std::string out;
  AppendJsonString(&out, "a\xFF" "b\xC3");
  EXPECT_EQ(out, "\"a\xEF\xBF\xBD" "b\xEF\xBF\xBD\"");
  EXPECT_OK(ParseJson(out));
}

TEST(JsonSerializeTest, EmbeddedNulIsEscaped) {
  std::string out;
  AppendJsonString(&out, std::string_view("a\0b", 3));
  EXPECT_EQ(out, "\"a\\u0000b\"");
  ASSERT_OK_AND_ASSIGN(JsonValue back, ParseJson(out));
  EXPECT_EQ(back.string_value(), std::string("a\0b", 3));
}

TEST(JsonValueTest, ParseSerializeRoundTrip) {
  const char* text =
      R"({"commitInfo":{"timestamp":1700000000123,"operation":"STREAMING UPDATE",)"
      R"("operationParameters":{"outputMode":"Append","queryId":"q","epochId":"7"},)"
      R"("isBlindAppend":true,"operationMetrics":{"numFiles":"1"},"ratio":0.5,"none":null,"list":[[],{}]}})";
  ASSERT_OK_AND_ASSIGN(JsonValue v, ParseJson(text));
  EXPECT_EQ(v.Serialize(), text);
  ASSERT_OK_AND_ASSIGN(JsonValue again, ParseJson(v.Serialize()));
  EXPECT_EQ(again, v);
}

TEST(JsonParseTest, RawKeysKeepTheirSourceText) {
  JsonParseOptions options;
  options.raw_keys = {"metadata"};
  const char* text = R"({"a":{"metadata": { "x" : 1.50, "y":[ 1 ,2]} ,"name":"n"},"metadata":"s","list":[{"metadata":null}]})";
  ASSERT_OK_AND_ASSIGN(JsonValue v, ParseJson(text, options));
  const JsonValue* raw = v.Find("a")->Find("metadata");
  ASSERT_TRUE(raw->is_string());
  EXPECT_EQ(raw->string_value(), R"({ "x" : 1.50, "y":[ 1 ,2]})");
  EXPECT_EQ(v.Find("a")->Find("name")->string_value(), "n");
  EXPECT_EQ(v.Find("metadata")->string_value(), "\"s\"");
  EXPECT_EQ(v.Find("list")->array()[0].Find("metadata")->string_value(), "null");
  // The raw value is still validated.
  Result<JsonValue> bad = ParseJson(R"({"metadata":{"x":}})", options);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("at byte 17"));
}

TEST(JsonLinesTest, OneValuePerLine) {
  ASSERT_OK_AND_ASSIGN(std::vector<JsonValue> values,
                       ParseJsonLines("{\"protocol\":{\"minReaderVersion\":1}}\r\n\n  \n{\"add\":{}}\n[1]"));
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0].Find("protocol")->GetInt("minReaderVersion").ValueOr(0), 1);
  EXPECT_TRUE(values[1].Find("add")->is_object());
  EXPECT_TRUE(values[2].is_array());
  ASSERT_OK_AND_ASSIGN(std::vector<JsonValue> none, ParseJsonLines(""));
  EXPECT_TRUE(none.empty());
  Result<std::vector<JsonValue>> bad = ParseJsonLines("{}\n\n{\"a\" 1}\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "line 3: invalid JSON at byte 5: expected ':' after object key");
}

TEST(JsonValueTest, IntAndDoubleAreNotEqual) {
  EXPECT_FALSE(JsonValue(1) == JsonValue(1.0));
  EXPECT_TRUE(JsonValue(int64_t{1}) == JsonValue(1));
  EXPECT_TRUE(JsonValue(size_t{7}).is_int());
}

TEST(JsonValueTest, BuildAndSet) {
  JsonValue v = JsonValue::MakeObject();
  v.Set("b", 1);
  v.Set("a", "x");
  v.Set("b", 2);  // replaces in place, order kept
  JsonValue list = JsonValue::MakeArray();
  list.Append(true);
  list.Append(nullptr);
  v.Set("list", std::move(list));
  EXPECT_EQ(v.Serialize(), R"({"b":2,"a":"x","list":[true,null]})");
}

TEST(JsonValueTest, TypedGettersNameTheKey) {
  ASSERT_OK_AND_ASSIGN(JsonValue v, ParseJson(R"({"size":"12","n":3,"d":2.5,"ok":true,"o":{},"a":[]})"));
  EXPECT_EQ(v.GetInt("n").ValueOr(0), 3);
  EXPECT_EQ(v.GetDouble("n").ValueOr(0), 3.0);
  EXPECT_EQ(v.GetDouble("d").ValueOr(0), 2.5);
  EXPECT_TRUE(v.GetBool("ok").ValueOr(false));
  EXPECT_EQ(v.GetString("size").ValueOr(""), "12");
  EXPECT_OK(v.GetObject("o"));
  EXPECT_OK(v.GetArray("a"));

  Result<int64_t> wrong = v.GetInt("size");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().message(), "field 'size' must be an integer, got string");
  Result<int64_t> not_int = v.GetInt("d");
  ASSERT_FALSE(not_int.ok());
  EXPECT_THAT(not_int.status().message(), HasSubstr("'d'"));
  Result<std::string> missing = v.GetString("path");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsInvalid());
  EXPECT_EQ(missing.status().message(), "field 'path' is missing");
  Result<const JsonValue*> not_object = v.GetObject("a");
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.status().message(), "field 'a' must be an object, got array");
  EXPECT_FALSE(JsonValue(1).GetInt("x").ok());
}

TEST(JsonWriterTest, CompactOutputWithCommasAndKeys) {
  JsonWriter w;
  w.StartObject()
      .Key("add")
      .StartObject()
      .Key("path")
      .String("part-0.parquet")
      .Key("size")
      .Int(1234)
      .Key("dataChange")
      .Bool(true)
      .Key("stats")
      .Null()
      .Key("tags")
      .Raw(R"({"k":"v"})")
      .Key("ratio")
      .Double(2.0)
      .Key("list")
      .StartArray()
      .Int(1)
      .StartArray()
      .EndArray()
      .StartObject()
      .EndObject()
      .String("s")
      .EndArray()
      .EndObject()
      .EndObject();
  std::string text = w.Finish();
  EXPECT_EQ(text,
            R"({"add":{"path":"part-0.parquet","size":1234,"dataChange":true,"stats":null,)"
            R"("tags":{"k":"v"},"ratio":2.0,"list":[1,[],{},"s"]}})");
  EXPECT_OK(ParseJson(text));
  EXPECT_TRUE(w.str().empty());
}

TEST(JsonWriterTest, WritesJsonValueAndEscapesKeys) {
  ASSERT_OK_AND_ASSIGN(JsonValue v, ParseJson(R"({"a":[1,2.5,"x"]})"));
  JsonWriter w;
  w.StartObject().Key("we\"ird").Value(v).Key("n").Int(-5).EndObject();
  EXPECT_EQ(w.str(), R"({"we\"ird":{"a":[1,2.5,"x"]},"n":-5})");
}

}  // namespace
}  // namespace tributary
