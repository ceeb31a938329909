#include "tributary/delta/table_properties.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/base/status_testing.h"

namespace tributary::delta {
namespace {

constexpr int64_t kSecond = 1000;
constexpr int64_t kHour = 3600 * kSecond;
constexpr int64_t kDay = 24 * kHour;

int64_t Interval(std::string_view text) {
  auto parsed = ParseDeltaInterval(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
  return parsed.ok() ? *parsed : -1;
}

TEST(ParseDeltaInterval, DeltaDefaultsAndSpellings) {
  EXPECT_EQ(Interval("interval 30 days"), 30 * kDay);
  EXPECT_EQ(Interval("interval 1 week"), 7 * kDay);
  EXPECT_EQ(Interval("interval 1 weeks"), 7 * kDay);
  EXPECT_EQ(Interval("INTERVAL 7 DAYS"), 7 * kDay);
  // Delta prepends "interval" when it is missing.
  EXPECT_EQ(Interval("7 days"), 7 * kDay);
  EXPECT_EQ(Interval("  2 weeks "), 14 * kDay);
  EXPECT_EQ(Interval("interval 36 hours"), 36 * kHour);
  EXPECT_EQ(Interval("interval 90 minutes"), 90 * 60 * kSecond);
  EXPECT_EQ(Interval("1 second"), kSecond);
  EXPECT_EQ(Interval("1.5 seconds"), 1500);
  EXPECT_EQ(Interval("250 milliseconds"), 250);
  EXPECT_EQ(Interval("2500 microseconds"), 2);
  EXPECT_EQ(Interval("interval 1 day 12 hours"), kDay + 12 * kHour);
  EXPECT_EQ(Interval("interval 1 day -1 hours"), 23 * kHour);
  EXPECT_EQ(Interval("0 days"), 0);
}

TEST(ParseDeltaInterval, RefusesWhatDeltaRefuses) {
  for (std::string_view bad :
       {"", "interval", "days", "interval x days", "interval 1 fortnight", "interval 1 month",
        "2 years", "interval -1 days", "1.5 days", "interval 1 day 2", "9999999999999 weeks"}) {
    auto parsed = ParseDeltaInterval(bad);
    EXPECT_FALSE(parsed.ok()) << "'" << bad << "' parsed as " << (parsed.ok() ? *parsed : 0);
    if (!parsed.ok()) {
      EXPECT_TRUE(parsed.status().IsInvalid()) << parsed.status().ToString();
      EXPECT_THAT(parsed.status().message(), ::testing::HasSubstr(std::string(bad)));
    }
  }
  EXPECT_THAT(ParseDeltaInterval("interval 1 month").status().message(),
              ::testing::HasSubstr("months and years are not accepted"));
}

TEST(IntervalProperty, DefaultWhenAbsentAndErrorNamesTheProperty) {
  std::map<std::string, std::string> configuration;
  ASSERT_OK_AND_ASSIGN(int64_t fallback, IntervalProperty(configuration, kLogRetentionDuration,
                                                          kDefaultLogRetentionDuration));
  EXPECT_EQ(fallback, 30 * kDay);
  configuration[std::string(kLogRetentionDuration)] = "interval 2 days";
  ASSERT_OK_AND_ASSIGN(int64_t set, IntervalProperty(configuration, kLogRetentionDuration,
                                                     kDefaultLogRetentionDuration));
  EXPECT_EQ(set, 2 * kDay);
  configuration[std::string(kLogRetentionDuration)] = "forever";
  auto bad = IntervalProperty(configuration, kLogRetentionDuration, kDefaultLogRetentionDuration);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), ::testing::HasSubstr("delta.logRetentionDuration"));
  EXPECT_THAT(bad.status().message(), ::testing::HasSubstr("forever"));
}

TEST(BoolProperty, ParsesTrueFalseAnyCase) {
  std::map<std::string, std::string> configuration;
  ASSERT_OK_AND_ASSIGN(bool fallback, BoolProperty(configuration, kEnableExpiredLogCleanup, true));
  EXPECT_TRUE(fallback);
  configuration[std::string(kEnableExpiredLogCleanup)] = "FALSE";
  ASSERT_OK_AND_ASSIGN(bool set, BoolProperty(configuration, kEnableExpiredLogCleanup, true));
  EXPECT_FALSE(set);
  configuration[std::string(kEnableExpiredLogCleanup)] = "yes";
  auto bad = BoolProperty(configuration, kEnableExpiredLogCleanup, true);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), ::testing::HasSubstr("delta.enableExpiredLogCleanup"));
}

}  // namespace
}  // namespace tributary::delta
