// The lenient JSON syntax Spark's Jackson parser accepts, option by option.

#include "decode_fixture.h"

namespace tributary::json {
namespace {

using columnar::DataType;
using columnar::Schema;
using ::testing::ElementsAre;

Schema AbWithCorrupt() {
  return SchemaOf({{"a", DataType::String()}, {"b", DataType::Double()}, {"_corrupt_record", DataType::String()}});
}

/// Decodes one record and returns "a|b", or "malformed".
std::string One(const OptionMap& options, std::string_view record) {
  Decoded out = DecodeWith(*MakeDecoder(options), record, AbWithCorrupt());
  EXPECT_TRUE(out.status.ok()) << out.status.ToString();
  if (out.num_rows() != 1) return "rows: " + std::to_string(out.num_rows());
  if (out.counters.malformed > 0) return "malformed";
  return out.Cell(0, "a") + "|" + out.Cell(0, "b");
}

TEST(JsonLenientSyntaxTest, SingleQuotesByDefault) {
  EXPECT_EQ(One({}, R"({'a': 'say "hi"', 'b': 1})"), "say \"hi\"|1");
  EXPECT_EQ(One({}, R"({"a": 'it\'s'})"), "it's|null");
  EXPECT_EQ(One({{"allowSingleQuotes", "false"}}, R"({'a': 'x'})"), "malformed");
  EXPECT_EQ(One({}, R"({'a': 'unterminated})"), "malformed");
}

TEST(JsonLenientSyntaxTest, Comments) {
  std::string record = "{\"a\": \"x /* not a comment */\", /* c */ \"b\": 2} // tail";
  EXPECT_EQ(One({}, record), "malformed");
  EXPECT_EQ(One({{"allowComments", "true"}}, record), "x /* not a comment */|2");
  EXPECT_EQ(One({{"allowComments", "true"}}, "{\"a\": \"x\" /* open"), "malformed");
}

TEST(JsonLenientSyntaxTest, UnquotedFieldNames) {
  std::string record = "{a: \"x\", b : 2}";
  EXPECT_EQ(One({}, record), "malformed");
  EXPECT_EQ(One({{"allowUnquotedFieldNames", "true"}}, record), "x|2");
}

TEST(JsonLenientSyntaxTest, NumericLeadingZeros) {
  std::string record = "{\"a\": 007, \"b\": -00.5}";
  EXPECT_EQ(One({}, record), "malformed");
  EXPECT_EQ(One({{"allowNumericLeadingZeros", "true"}}, record), "7|-0.5");
}

TEST(JsonLenientSyntaxTest, BackslashEscapingAnyCharacter) {
  std::string record = R"({"a": "\q\%"})";
  EXPECT_EQ(One({}, record), "malformed");
  EXPECT_EQ(One({{"allowBackslashEscapingAnyCharacter", "true"}}, record), "q%|null");
}

TEST(JsonLenientSyntaxTest, UnquotedControlChars) {
  std::string record = "{\"a\": \"x\ty\"}";
  EXPECT_EQ(One({}, record), "malformed");
  EXPECT_EQ(One({{"allowUnquotedControlChars", "true"}}, record), "x\ty|null");
}

TEST(JsonLenientSyntaxTest, EverythingAtOnceAndCleanRecordsUntouched) {
  OptionMap all{{"allowComments", "true"}, {"allowUnquotedFieldNames", "true"},
                {"allowNumericLeadingZeros", "true"}, {"allowBackslashEscapingAnyCharacter", "true"}};
  Decoded out = DecodeWith(*MakeDecoder(all),
                           "{a: 'v\\w', /* n */ b: 010, \"c\": NaN}\n"
                           "{\"a\": \"\\u0000N12\", \"b\": 1}\n",
                           AbWithCorrupt());
  TRIB_ASSERT_OK(out.status);
  EXPECT_THAT(out.ColumnValues("a"), ElementsAre("vw", std::string("\0N12", 4)));
  EXPECT_THAT(out.ColumnValues("b"), ElementsAre("10", "1"));
  EXPECT_EQ(out.counters.malformed, 0);
}

}  // namespace
}  // namespace tributary::json
