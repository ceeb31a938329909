#include "tributary/format/csv/spark_datetime.h"

#include <gtest/gtest.h>

#include "tributary/columnar/temporal.h"

namespace tributary::csv {
namespace {

std::string Ts(std::string_view text, bool allow_zone = true) {
  auto micros = ParseSparkTimestamp(text, allow_zone);
  return micros ? columnar::FormatTimestamp(*micros) : "invalid";
}

std::string Day(std::string_view text) {
  auto days = ParseSparkDate(text);
  return days ? columnar::FormatDate(*days) : "invalid";
}

TEST(SparkDateTimeTest, LenientTimestampsAsSparkInfersThem) {
  // Each of these was inferred as a timestamp by Spark 4 (pyspark 4.3).
  EXPECT_EQ(Ts("2024-01"), "2024-01-01T00:00:00Z");
  EXPECT_EQ(Ts("2024-01-01 10:00"), "2024-01-01T10:00:00Z");
  EXPECT_EQ(Ts("2024-01-01T10:00:00.123456"), "2024-01-01T10:00:00.123456Z");
  EXPECT_EQ(Ts("2024-01-01 10:00:00+01:00"), "2024-01-01T09:00:00Z");
  EXPECT_EQ(Ts("2024-1-5"), "2024-01-05T00:00:00Z");
  EXPECT_EQ(Ts("2024"), "2024-01-01T00:00:00Z");
  EXPECT_EQ(Ts(" 2024-01-01T10:00:00Z "), "2024-01-01T10:00:00Z");
  EXPECT_EQ(Ts("2024-01-01T10:00:00-0130"), "2024-01-01T11:30:00Z");
  EXPECT_EQ(Ts("2024-01-01 10:00:00 UTC"), "2024-01-01T10:00:00Z");
  EXPECT_EQ(Ts("2024-01-01 10:00:00 GMT+2"), "2024-01-01T08:00:00Z");
  for (const char* bad : {"20240101", "2024-13-01", "2024-02-30", "2024-01-01 24:00", "2024-01-01x", "abc", "",
                          "2024-01-01 10:00:00 Mars"}) {
    EXPECT_EQ(Ts(bad), "invalid") << bad;
  }
  EXPECT_EQ(Ts("2024-01-01 10:00:00+01:00", /*allow_zone=*/false), "invalid");
  EXPECT_EQ(Ts("2024-01-01 10:00:00", /*allow_zone=*/false), "2024-01-01T10:00:00Z");
}

TEST(SparkDateTimeTest, LenientDates) {
  EXPECT_EQ(Day("2024-02-29"), "2024-02-29");
  EXPECT_EQ(Day("2024-2-9"), "2024-02-09");
  EXPECT_EQ(Day("2024-02"), "2024-02-01");
  EXPECT_EQ(Day("2024-02-29 12:00"), "2024-02-29");
  EXPECT_EQ(Day("2024-02-29T12:00:00Z"), "2024-02-29");
  EXPECT_EQ(Day("2023-02-29"), "invalid");
  EXPECT_EQ(Day("2024-02-29x"), "invalid");
}

}  // namespace
}  // namespace tributary::csv
