#include "decode_fixture.h"

namespace tributary::json {
namespace {

using columnar::DataType;
using ::testing::ElementsAre;

std::string Utf16(std::u16string_view text, bool little_endian, bool bom) {
  std::string out;
  auto put = [&](char16_t unit) {
    char high = static_cast<char>(unit >> 8), low = static_cast<char>(unit & 0xFF);
    out.push_back(little_endian ? low : high);
    out.push_back(little_endian ? high : low);
  };
  if (bom) put(0xFEFF);
  for (char16_t unit : text) put(unit);
  return out;
}

columnar::Schema NameSchema() {
  return SchemaOf({{"name", DataType::String()}, {"_corrupt_record", DataType::String()}});
}

TEST(JsonCharsetTest, Utf16LinesWithExplicitEncoding) {
  std::string content = Utf16(u"{\"name\": \"Zo\u00eb \U0001F600\"}\n{\"name\": \"b\"}\n", true, false);
  Decoded out = DecodeWith(*MakeDecoder({{"encoding", "UTF-16LE"}}), content, NameSchema());
  TRIB_ASSERT_OK(out.status);
  EXPECT_THAT(out.ColumnValues("name"), ElementsAre("Zo\u00eb \U0001F600", "b"));
}

TEST(JsonCharsetTest, MultiLineDetectsUtf16AndUtf32) {
  std::string big_endian = Utf16(u"[{\"name\": \"x\"}]", false, true);
  Decoded out = DecodeWith(*MakeDecoder({{"multiLine", "true"}}), big_endian, NameSchema());
  TRIB_ASSERT_OK(out.status);
  EXPECT_THAT(out.ColumnValues("name"), ElementsAre("x"));

  std::string utf32_le;
  for (char c : std::string("{\"name\": \"y\"}")) utf32_le += std::string{c, 0, 0, 0};
  Decoded wide = DecodeWith(*MakeDecoder({{"multiLine", "true"}}), utf32_le, NameSchema());
  TRIB_ASSERT_OK(wide.status);
  EXPECT_THAT(wide.ColumnValues("name"), ElementsAre("y"));
}

TEST(JsonCharsetTest, LoneSurrogateMakesOnlyItsRecordMalformed) {
  std::u16string text = u"{\"name\": \"a\"}\n{\"name\": \"";
  text.push_back(static_cast<char16_t>(0xD800));
  text += u"\"}\n{\"name\": \"c\"}\n";
  Decoded out = DecodeWith(*MakeDecoder({{"encoding", "UTF-16BE"}}), Utf16(text, false, false), NameSchema());
  TRIB_ASSERT_OK(out.status);
  EXPECT_THAT(out.ColumnValues("name"), ElementsAre("a", "null", "c"));
  EXPECT_EQ(out.counters.malformed, 1);
}

TEST(JsonCharsetTest, Latin1AndAscii) {
  Decoded latin = DecodeWith(*MakeDecoder({{"charset", "ISO-8859-1"}}), "{\"name\": \"caf\xe9\"}\n", NameSchema());
  TRIB_ASSERT_OK(latin.status);
  EXPECT_THAT(latin.ColumnValues("name"), ElementsAre("caf\u00e9"));
  Decoded ascii = DecodeWith(*MakeDecoder({{"encoding", "US-ASCII"}}), "{\"name\": \"caf\xe9\"}\n", NameSchema());
  TRIB_ASSERT_OK(ascii.status);
  EXPECT_EQ(ascii.counters.malformed, 1);
}

}  // namespace
}  // namespace tributary::json
