#include "tributary/columnar/temporal.h"

#include <gtest/gtest.h>

namespace tributary::columnar {
namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

TEST(TemporalTest, CivilDaysRoundTripOverCenturies) {
  for (int64_t days = -800000; days <= 800000; days += 37) {
    int64_t year;
    unsigned month, day;
    CivilFromDays(days, &year, &month, &day);
    ASSERT_EQ(DaysFromCivil(year, month, day), days) << year << "-" << month << "-" << day;
  }
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(1, 1, 1), -719162);
}

TEST(TemporalTest, Dates) {
  EXPECT_EQ(FormatDate(0), "1970-01-01");
  EXPECT_EQ(FormatDate(-1), "1969-12-31");
  EXPECT_EQ(FormatDate(19753), "2024-01-31");
  EXPECT_EQ(ParseDate("2024-02-29"), std::optional<int32_t>(19782));
  EXPECT_EQ(ParseDate("1900-01-01"), std::optional<int32_t>(-25567));
  for (const char* bad : {"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-01-32", "2024-1-01",
                          "2024-01-01x", "", "24-01-01", "2024/01/01"}) {
    EXPECT_FALSE(ParseDate(bad).has_value()) << bad;
  }
  EXPECT_TRUE(ParseDate("2000-02-29").has_value());
  for (int32_t days : {-719162, -1, 0, 1, 11016, 2932896}) {
    EXPECT_EQ(ParseDate(FormatDate(days)), std::optional<int32_t>(days)) << days;
  }
}

TEST(TemporalTest, FormatTimestamps) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(1500000), "1970-01-01T00:00:01.5Z");
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatTimestamp(-kMicrosPerDay), "1969-12-31T00:00:00Z");
  EXPECT_EQ(FormatTimestampNtz(1706696430123456), "2024-01-31T10:20:30.123456");
  EXPECT_EQ(FormatTimestampMillis(1706696430123456, true), "2024-01-31T10:20:30.123Z");
  EXPECT_EQ(FormatTimestampMillis(1706696430000000, false), "2024-01-31T10:20:30.000");
  // Truncation goes towards the past for negative values too.
  EXPECT_EQ(FormatTimestampMillis(-1, true), "1969-12-31T23:59:59.999Z");
}

TEST(TemporalTest, ParseTimestampForms) {
  const int64_t base = 1706696430LL * kMicrosPerSecond;  // 2024-01-31T10:20:30Z
  EXPECT_EQ(ParseTimestamp("2024-01-31T10:20:30Z"), std::optional<int64_t>(base));
  EXPECT_EQ(ParseTimestamp("2024-01-31 10:20:30"), std::optional<int64_t>(base));
  EXPECT_EQ(ParseTimestamp("2024-01-31T10:20:30UTC"), std::optional<int64_t>(base));
  EXPECT_EQ(ParseTimestamp("2024-01-31T10:20:30.5Z"), std::optional<int64_t>(base + 500000));
  EXPECT_EQ(ParseTimestamp("2024-01-31T10:20:30.123456789"), std::optional<int64_t>(base + 123456));
  EXPECT_EQ(ParseTimestamp("2024-01-31T10:20"), std::optional<int64_t>(base - 30 * kMicrosPerSecond));
  EXPECT_EQ(ParseTimestamp("2024-01-31"), std::optional<int64_t>(base - (10 * 3600 + 20 * 60 + 30) * kMicrosPerSecond));
}

TEST(TemporalTest, ParseTimestampZones) {
  const int64_t base = 1706696430LL * kMicrosPerSecond;
  EXPECT_EQ(ParseTimestamp("2024-01-31T12:20:30+02:00"), std::optional<int64_t>(base));
  EXPECT_EQ(ParseTimestamp("2024-01-31T12:20:30+0200"), std::optional<int64_t>(base));
  EXPECT_EQ(ParseTimestamp("2024-01-31T05:20:30-05:00"), std::optional<int64_t>(base));
  EXPECT_EQ(ParseTimestamp("2024-01-31T15:50:30+05:30"), std::optional<int64_t>(base));
  EXPECT_EQ(ParseTimestamp("2024-01-31T12:20:30+02"), std::optional<int64_t>(base));
  // Crossing midnight backwards into the previous day.
  EXPECT_EQ(ParseTimestamp("1970-01-01T00:30:00+01:00"), std::optional<int64_t>(-30 * 60 * kMicrosPerSecond));
  for (const char* bad : {"2024-01-31T10:20:30+19:00", "2024-01-31T10:20:30+02:60", "2024-01-31T10:20:30 PST",
                          "2024-01-31T24:00:00", "2024-01-31T10:60:00", "2024-01-31T10:20:61", "2024-01-31T10",
                          "2024-01-31T10:20:30.", "2024-02-30T00:00:00"}) {
    EXPECT_FALSE(ParseTimestamp(bad).has_value()) << bad;
  }
}

TEST(TemporalTest, NegativeTimestampsRoundTrip) {
  for (int64_t micros : {int64_t{-1}, int64_t{-999999}, int64_t{-1000000}, -kMicrosPerDay - 1,
                         int64_t{-62135596800LL} * kMicrosPerSecond, int64_t{-2208988800LL} * kMicrosPerSecond + 7,
                         int64_t{253402300799LL} * kMicrosPerSecond + 999999}) {
    EXPECT_EQ(ParseTimestamp(FormatTimestamp(micros)), std::optional<int64_t>(micros)) << FormatTimestamp(micros);
    EXPECT_EQ(ParseTimestampNtz(FormatTimestampNtz(micros)), std::optional<int64_t>(micros));
  }
  EXPECT_EQ(FormatTimestamp(int64_t{-62135596800LL} * kMicrosPerSecond), "0001-01-01T00:00:00Z");
}

TEST(TemporalTest, NtzRejectsZones) {
  EXPECT_EQ(ParseTimestampNtz("2024-01-31 10:20:30"), std::optional<int64_t>(1706696430LL * kMicrosPerSecond));
  EXPECT_FALSE(ParseTimestampNtz("2024-01-31T10:20:30Z").has_value());
  EXPECT_FALSE(ParseTimestampNtz("2024-01-31T10:20:30+01:00").has_value());
}

}  // namespace
}  // namespace tributary::columnar
