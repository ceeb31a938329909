#include "tributary/format/json/read_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/format/json/decoder.h"

namespace tributary::json {
namespace {

using ::testing::HasSubstr;

TEST(JsonReadOptionsTest, DefaultsAreSparks) {
  Result<JsonReadOptions> options = ParseJsonReadOptions({});
  ASSERT_TRUE(options.ok());
  EXPECT_FALSE(options->multi_line);
  EXPECT_FALSE(options->primitives_as_string);
  EXPECT_FALSE(options->drop_field_if_all_null);
  EXPECT_TRUE(options->line_sep.empty());
}

TEST(JsonReadOptionsTest, ImplementedOptionsParse) {
  Result<JsonReadOptions> options = ParseJsonReadOptions(
      {{"MULTILINE", "true"}, {"primitivesAsString", "TRUE"}, {"lineSep", ";"}, {"dropFieldIfAllNull", "true"},
       {"encoding", "utf-8"}, {"samplingRatio", "1.0"}, {"allowComments", "false"}, {"dateFormat", "yyyy-MM-dd"}});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_TRUE(options->multi_line);
  EXPECT_TRUE(options->primitives_as_string);
  EXPECT_TRUE(options->drop_field_if_all_null);
  EXPECT_EQ(options->line_sep, ";");
}

TEST(JsonReadOptionsTest, UnhonouredValuesAreNotImplementedNamingOptionAndValue) {
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"dateFormat", "dd/MM/yyyy"},
           {"timestampFormat", "yyyy-MM-dd HH:mm"},
           {"timestampNTZFormat", "yyyy"},
           {"encoding", "EBCDIC-037"},
           {"locale", "fr-FR"},
           {"timeZone", "America/New_York"},
       }) {
    Result<JsonReadOptions> options = ParseJsonReadOptions({{name, value}});
    ASSERT_FALSE(options.ok()) << name;
    EXPECT_TRUE(options.status().IsNotImplemented()) << options.status().ToString();
    EXPECT_THAT(options.status().message(), HasSubstr("'" + name + "'"));
    EXPECT_THAT(options.status().message(), HasSubstr(value));
  }
}

TEST(JsonReadOptionsTest, LenientSyntaxKnobsParse) {
  Result<JsonReadOptions> defaults = ParseJsonReadOptions({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->allow_single_quotes);
  EXPECT_TRUE(defaults->allow_non_numeric_numbers);
  EXPECT_FALSE(defaults->allow_comments);
  Result<JsonReadOptions> options =
      ParseJsonReadOptions({{"allowComments", "true"}, {"allowSingleQuotes", "false"},
                            {"allowUnquotedFieldNames", "true"}, {"allowNumericLeadingZeros", "true"},
                            {"allowBackslashEscapingAnyCharacter", "true"}, {"allowUnquotedControlChars", "true"},
                            {"allowNonNumericNumbers", "false"}});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_TRUE(options->allow_comments);
  EXPECT_FALSE(options->allow_single_quotes);
  EXPECT_TRUE(options->allow_unquoted_field_names);
  EXPECT_TRUE(options->allow_numeric_leading_zeros);
  EXPECT_TRUE(options->allow_backslash_escaping_any_character);
  EXPECT_TRUE(options->allow_unquoted_control_chars);
  EXPECT_FALSE(options->allow_non_numeric_numbers);
  EXPECT_TRUE(ParseJsonReadOptions({{"allowComments", "yes"}}).status().IsInvalid());
}

TEST(JsonReadOptionsTest, MalformedValuesAreInvalid) {
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"multiLine", "maybe"}, {"lineSep", ""}, {"samplingRatio", "2"}, {"samplingRatio", "x"}}) {
    Result<JsonReadOptions> options = ParseJsonReadOptions({{name, value}});
    ASSERT_FALSE(options.ok()) << name;
    EXPECT_TRUE(options.status().IsInvalid()) << options.status().ToString();
  }
}

TEST(JsonReadOptionsTest, KnownNamesIncludeSharedOptions) {
  const OptionNames& names = JsonOptionNames();
  for (const char* name : {"multiLine", "mode", "columnNameOfCorruptRecord", "rescuedDataColumn", "lineSep",
                           "primitivesAsString", "dropFieldIfAllNull", "allowSingleQuotes"}) {
    EXPECT_EQ(names.count(name), 1u) << name;
  }
  OptionMap typo{{"multiline", "true"}, {"mulitLine", "true"}};
  EXPECT_FALSE(typo.CheckKnown(names, "JSON reader").ok());
}

TEST(JsonReadOptionsTest, FactoryRejectsUnhonouredOptions) {
  auto decoder = MakeJsonDecoder({{"dateFormat", "MM/dd/yyyy"}}, format::DecodeOptions());
  ASSERT_FALSE(decoder.ok());
  EXPECT_TRUE(decoder.status().IsNotImplemented());
}

}  // namespace
}  // namespace tributary::json
