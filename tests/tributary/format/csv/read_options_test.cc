#include "tributary/format/csv/read_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/format/csv/decoder.h"

namespace tributary::csv {
namespace {

using ::testing::HasSubstr;

Result<CsvReadOptions> Parse(const OptionMap& options) { return ParseCsvReadOptions(options, {}); }

TEST(CsvReadOptionsTest, DefaultsAreSparks) {
  auto options = Parse({});
  ASSERT_TRUE(options.ok());
  EXPECT_FALSE(options->header);
  EXPECT_EQ(options->delimiter, ",");
  EXPECT_EQ(options->quote, '"');
  EXPECT_EQ(options->escape, '\\');
  EXPECT_EQ(options->escape_of_escape, '\\');
  EXPECT_EQ(options->null_value, "");
  EXPECT_EQ(options->nan_value, "NaN");
  EXPECT_EQ(options->charset, Charset::kUtf8);
  EXPECT_EQ(options->mode, format::ParseMode::kPermissive);
  EXPECT_EQ(options->column_name_of_corrupt_record, "_corrupt_record");
  EXPECT_EQ(options->max_columns, 20480);
}

TEST(CsvReadOptionsTest, NamesAreCaseInsensitiveAndAliasesWork) {
  auto options = Parse({{"HEADER", "TRUE"}, {"delimiter", ";"}, {"Charset", "iso-8859-1"}, {"quote", ""},
                        {"escape", "\""}, {"MODE", "dropmalformed"}, {"lineSep", "\\n"}});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_TRUE(options->header);
  EXPECT_EQ(options->delimiter, ";");
  EXPECT_EQ(options->charset, Charset::kLatin1);
  EXPECT_EQ(options->quote, '\0');
  EXPECT_EQ(options->escape_of_escape, '"');  // defaults to the escape when it differs from the quote
  EXPECT_EQ(options->mode, format::ParseMode::kDropMalformed);
  EXPECT_EQ(options->line_sep, '\n');
  // `sep` wins over `delimiter`, `encoding` over `charset`, as in Spark.
  options = Parse({{"sep", "\\t"}, {"delimiter", ";"}, {"encoding", "UTF-8"}, {"charset", "latin1"}});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->delimiter, "\t");
  EXPECT_EQ(options->charset, Charset::kUtf8);
}

TEST(CsvReadOptionsTest, UnsupportedValuesAreNotImplementedAndNamed) {
  struct Case {
    const char* name;
    const char* value;
  };
  for (Case c : {Case{"encoding", "UTF-16"}, Case{"dateFormat", "dd/MM/yyyy"}, Case{"timestampFormat", "yyyy"},
                 Case{"timestampNTZFormat", "yyyy"}, Case{"locale", "fr-FR"}, Case{"timeZone", "Europe/Paris"},
                 Case{"samplingRatio", "0.5"}, Case{"unescapedQuoteHandling", "BACK_TO_DELIMITER"}}) {
    auto options = Parse({{c.name, c.value}});
    ASSERT_FALSE(options.ok()) << c.name;
    EXPECT_TRUE(options.status().IsNotImplemented()) << options.status().ToString();
    EXPECT_THAT(options.status().message(), HasSubstr(c.name));
  }
  EXPECT_THAT(Parse({{"charset", "UTF-16"}}).status().message(), HasSubstr("UTF-16"));
}

TEST(CsvReadOptionsTest, MalformedValuesAreInvalid) {
  for (auto [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"header", "yes"}, {"sep", ""}, {"quote", "ab"}, {"mode", "LENIENT"}, {"maxColumns", "0"},
           {"maxCharsPerColumn", "-5"}, {"lineSep", "\r\n"}, {"multiLine", "1"}, {"samplingRatio", "x"}}) {
    auto options = Parse({{name, value}});
    ASSERT_FALSE(options.ok()) << name;
    EXPECT_TRUE(options.status().IsInvalid()) << options.status().ToString();
    EXPECT_THAT(options.status().message(), HasSubstr(name));
  }
}

TEST(CsvReadOptionsTest, DefaultValuesSpelledOutAreAccepted) {
  auto options = Parse({{"dateFormat", "yyyy-MM-dd"}, {"timeZone", "UTC"}, {"inferSchema", "true"},
                        {"enforceSchema", "false"}, {"samplingRatio", "1.0"}, {"locale", "en-US"}});
  EXPECT_TRUE(options.ok()) << options.status().ToString();
}

TEST(CsvReadOptionsTest, OptionNamesListEveryAcceptedOption) {
  const OptionNames& names = CsvOptionNames();
  for (const char* name : {"header", "sep", "delimiter", "multiLine", "nullValue", "encoding", "charset", "mode",
                           "columnNameOfCorruptRecord", "unescapedQuoteHandling", "timeZone"}) {
    EXPECT_EQ(names.count(name), 1u) << name;
  }
  EXPECT_EQ(names.count("MULTILINE"), 1u);
  EXPECT_EQ(names.count("cloudFiles.format"), 0u);
}

TEST(CsvReadOptionsTest, AutoLoaderAssumesAHeaderUnlessTold) {
  EXPECT_EQ(WithAutoLoaderCsvDefaults({}).GetString("header", ""), "true");
  EXPECT_EQ(WithAutoLoaderCsvDefaults({{"Header", "false"}}).GetString("header", ""), "false");
}

}  // namespace
}  // namespace tributary::csv
