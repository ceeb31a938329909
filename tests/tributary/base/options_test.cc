#include "tributary/base/options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/base/status_testing.h"

namespace tributary {
namespace {

using ::testing::HasSubstr;

struct SizeCase {
  const char* text;
  int64_t bytes;
};

class ByteSizeTest : public ::testing::TestWithParam<SizeCase> {};

TEST_P(ByteSizeTest, Parses) {
  ASSERT_OK_AND_ASSIGN(int64_t bytes, ParseByteSize(GetParam().text, "maxBytesPerTrigger"));
  EXPECT_EQ(bytes, GetParam().bytes) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(Units, ByteSizeTest,
                         ::testing::Values(SizeCase{"1024", 1024}, SizeCase{"0", 0}, SizeCase{"10b", 10},
                                           SizeCase{"10k", 10240}, SizeCase{"10kb", 10240}, SizeCase{"10KB", 10240},
                                           SizeCase{"64m", 64LL << 20}, SizeCase{"64MB", 64LL << 20},
                                           SizeCase{"10g", 10LL << 30}, SizeCase{"10G", 10LL << 30},
                                           SizeCase{"1t", 1LL << 40}, SizeCase{" 2gb ", 2LL << 30},
                                           SizeCase{"3 mib", 3LL << 20}));

TEST(ByteSizeTest, ErrorsNameTheOption) {
  Result<int64_t> bad_unit = ParseByteSize("10x", "cloudFiles.maxBytesPerTrigger");
  ASSERT_FALSE(bad_unit.ok());
  EXPECT_TRUE(bad_unit.status().IsInvalid());
  EXPECT_THAT(bad_unit.status().message(), HasSubstr("option 'cloudFiles.maxBytesPerTrigger'"));
  EXPECT_THAT(bad_unit.status().message(), HasSubstr("unknown byte unit 'x'"));
  for (const char* text : {"", "g", "-1g", "ten"}) {
    Result<int64_t> result = ParseByteSize(text, "opt");
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_THAT(result.status().message(), HasSubstr("option 'opt'"));
  }
}

TEST(ByteSizeTest, TooLargeIsAnErrorNotAWrap) {
  Result<int64_t> result = ParseByteSize("99999999999t", "opt");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("too large"));
}

struct DurationCase {
  const char* text;
  int64_t ms;
};

class DurationTest : public ::testing::TestWithParam<DurationCase> {};

TEST_P(DurationTest, Parses) {
  ASSERT_OK_AND_ASSIGN(int64_t ms, ParseDurationMs(GetParam().text, "trigger"));
  EXPECT_EQ(ms, GetParam().ms) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Units, DurationTest,
    ::testing::Values(DurationCase{"500", 500}, DurationCase{"500 ms", 500}, DurationCase{"2s", 2000},
                      DurationCase{"10 seconds", 10000}, DurationCase{"1 second", 1000},
                      DurationCase{"5 minutes", 300000}, DurationCase{"5 MINUTES", 300000},
                      DurationCase{"1 min", 60000}, DurationCase{"1 hour", 3600000}, DurationCase{"2h", 7200000},
                      DurationCase{"1 day", 86400000}, DurationCase{"1 week", 604800000},
                      DurationCase{"1.5 seconds", 1500}, DurationCase{"interval 10 seconds", 10000},
                      DurationCase{"INTERVAL 1 minute", 60000}));

TEST(DurationTest, ErrorsNameTheOption) {
  Result<int64_t> result = ParseDurationMs("5 fortnights", "cloudFiles.maxFileAge");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(),
            "option 'cloudFiles.maxFileAge': unknown time unit 'fortnights' in '5 fortnights'");
  Result<int64_t> empty = ParseDurationMs("soon", "cloudFiles.maxFileAge");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("'soon' is not a duration"));
  Result<int64_t> huge = ParseDurationMs("99999999999999 weeks", "x");
  ASSERT_FALSE(huge.ok());
  EXPECT_THAT(huge.status().message(), HasSubstr("too large"));
}

TEST(ParseBoolTest, CaseInsensitive) {
  EXPECT_TRUE(ParseBool("TRUE", "x").ValueOr(false));
  EXPECT_FALSE(ParseBool(" false ", "x").ValueOr(true));
  Result<bool> bad = ParseBool("yes", "header");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("option 'header': 'yes' is not a boolean"));
}

TEST(OptionMapTest, NamesMatchIgnoringCase) {
  OptionMap options{{"cloudFiles.Format", "json"}, {"header", "True"}};
  EXPECT_TRUE(options.Has("cloudfiles.format"));
  EXPECT_EQ(options.Get("CLOUDFILES.FORMAT").value_or(""), "json");
  EXPECT_EQ(options.GetString("missing", "dflt"), "dflt");
  ASSERT_OK_AND_ASSIGN(bool header, options.GetBool("HEADER", false));
  EXPECT_TRUE(header);
  options.Set("CLOUDFILES.FORMAT", "csv");  // replaces, does not add
  EXPECT_EQ(options.values().size(), 2u);
  EXPECT_EQ(options.Get("cloudFiles.format").value_or(""), "csv");
}

TEST(OptionMapTest, TypedGetters) {
  OptionMap options{{"cloudFiles.maxFilesPerTrigger", " 10 "},
                    {"bad", "ten"},
                    {"cloudFiles.maxBytesPerTrigger", "10g"},
                    {"cloudFiles.maxFileAge", "1 week"},
                    {"sep", "\\t"},
                    {"quote", ""},
                    {"long", "ab"}};
  EXPECT_EQ(options.GetInt("cloudFiles.maxFilesPerTrigger", 1000).ValueOr(-1), 10);
  EXPECT_EQ(options.GetInt("absent", 1000).ValueOr(-1), 1000);
  Result<int64_t> bad = options.GetInt("BAD", 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("option 'bad': 'ten' is not an integer"));

  ASSERT_OK_AND_ASSIGN(std::optional<int64_t> bytes, options.GetByteSize("cloudfiles.maxbytespertrigger"));
  EXPECT_EQ(bytes, std::optional<int64_t>(10LL << 30));
  ASSERT_OK_AND_ASSIGN(std::optional<int64_t> absent, options.GetByteSize("absent"));
  EXPECT_FALSE(absent.has_value());
  ASSERT_OK_AND_ASSIGN(std::optional<int64_t> age, options.GetDurationMs("cloudFiles.maxFileAge"));
  EXPECT_EQ(age, std::optional<int64_t>(7LL * 86400 * 1000));

  EXPECT_EQ(options.GetChar("sep", ',').ValueOr('?'), '\t');
  EXPECT_EQ(options.GetChar("quote", '"').ValueOr('?'), '\0');
  EXPECT_EQ(options.GetChar("escape", '\\').ValueOr('?'), '\\');
  Result<char> too_long = options.GetChar("long", ',');
  ASSERT_FALSE(too_long.ok());
  EXPECT_THAT(too_long.status().message(), HasSubstr("option 'long': 'ab' must be a single character"));
}

TEST(OptionMapTest, CheckKnown) {
  OptionNames known{"cloudFiles.format", "cloudFiles.schemaLocation", "header"};
  OptionMap good{{"CLOUDFILES.FORMAT", "csv"}, {"Header", "true"}};
  EXPECT_OK(good.CheckKnown(known, "the cloudFiles source"));
  OptionMap typo{{"cloudFiles.format", "csv"}, {"cloudFiles.formt", "csv"}};
  Status status = typo.CheckKnown(known, "the cloudFiles source");
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(status.IsInvalid());
  EXPECT_THAT(status.message(), HasSubstr("unknown option 'cloudFiles.formt' for the cloudFiles source"));
  EXPECT_THAT(status.message(), HasSubstr("known options are: cloudFiles.format, cloudFiles.schemaLocation, header"));
  EXPECT_OK(OptionMap().CheckKnown({}, "x"));
}

TEST(CaseInsensitiveLessTest, OrdersIgnoringCase) {
  CaseInsensitiveLess less;
  EXPECT_FALSE(less("ABC", "abc"));
  EXPECT_FALSE(less("abc", "ABC"));
  EXPECT_TRUE(less("ab", "ABC"));
  EXPECT_TRUE(less("abc", "abd"));
  EXPECT_FALSE(less("b", "A"));
}

}  // namespace
}  // namespace tributary
