#include "tributary/base/json.h"
#include "tributary/format/csv/value_parsers.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "tributary/format/csv/rescued_data.h"

namespace tributary::csv {
namespace {

TEST(CsvValueParsersTest, IntegralsFollowJavaParseInt) {
  EXPECT_EQ(ParseJavaIntegral("+42", INT32_MIN, INT32_MAX), 42);
  EXPECT_EQ(ParseJavaIntegral("-2147483648", INT32_MIN, INT32_MAX), INT32_MIN);
  EXPECT_FALSE(ParseJavaIntegral("2147483648", INT32_MIN, INT32_MAX));
  EXPECT_EQ(ParseJavaIntegral("-9223372036854775808", INT64_MIN, INT64_MAX), INT64_MIN);
  EXPECT_FALSE(ParseJavaIntegral("9223372036854775808", INT64_MIN, INT64_MAX));
  for (const char* bad : {"", "-", " 1", "1 ", "1.0", "0x10", "1e3"}) {
    EXPECT_FALSE(ParseJavaIntegral(bad, INT64_MIN, INT64_MAX)) << bad;
  }
}

TEST(CsvValueParsersTest, DoublesFollowJavaParseDouble) {
  EXPECT_EQ(ParseJavaDouble("1.5"), 1.5);
  EXPECT_EQ(ParseJavaDouble(" -2.5e3 "), -2500.0);
  EXPECT_EQ(ParseJavaDouble(".5"), 0.5);
  EXPECT_EQ(ParseJavaDouble("1."), 1.0);
  EXPECT_EQ(ParseJavaDouble("3d"), 3.0);
  EXPECT_EQ(ParseJavaDouble("-Infinity"), -HUGE_VAL);
  EXPECT_TRUE(std::isnan(*ParseJavaDouble("NaN")));
  EXPECT_EQ(ParseJavaDouble("1e400"), HUGE_VAL);
  for (const char* bad : {"", "inf", "nan", "Inf", "1,5", "e5", "1e", "abc", "."}) {
    EXPECT_FALSE(ParseJavaDouble(bad)) << bad;
  }
}

TEST(CsvValueParsersTest, Booleans) {
  EXPECT_EQ(ParseJavaBoolean("TRUE"), true);
  EXPECT_EQ(ParseJavaBoolean("fAlSe"), false);
  EXPECT_FALSE(ParseJavaBoolean("1"));
  EXPECT_FALSE(ParseJavaBoolean("yes"));
}

TEST(CsvValueParsersTest, DecimalsRoundHalfUpAndCheckPrecision) {
  EXPECT_EQ(ParseDecimalHalfUp("1.005", 5, 2), __int128{101});
  EXPECT_EQ(ParseDecimalHalfUp("-1.005", 5, 2), __int128{-101});
  EXPECT_EQ(ParseDecimalHalfUp("1.004", 5, 2), __int128{100});
  EXPECT_EQ(ParseDecimalHalfUp("1,234.5", 6, 2), __int128{123450});
  EXPECT_EQ(ParseDecimalHalfUp("1.5E2", 5, 0), __int128{150});
  EXPECT_EQ(ParseDecimalHalfUp("0.000", 1, 0), __int128{0});
  EXPECT_EQ(ParseDecimalHalfUp("99999999999999999999999999999999999999", 38, 0),
            __int128{9999999999999999999ULL} * __int128{10000000000000000000ULL} +
                __int128{9999999999999999999ULL});
  EXPECT_FALSE(ParseDecimalHalfUp("999.995", 5, 2));  // rounds to 1000.00: 6 digits
  EXPECT_FALSE(ParseDecimalHalfUp("abc", 5, 2));
  EXPECT_FALSE(ParseDecimalHalfUp("1.2.3", 5, 2));
}

TEST(CsvValueParsersTest, DecimalLiteralPrecisionAndScale) {
  auto literal = ParseDecimalLiteral("-000123");
  ASSERT_TRUE(literal);
  EXPECT_EQ(DecimalPrecisionScale(*literal), (std::make_pair(3, 0)));
  literal = ParseDecimalLiteral("1.50");
  EXPECT_EQ(DecimalPrecisionScale(*literal), (std::make_pair(3, 2)));
  literal = ParseDecimalLiteral("15E3");
  EXPECT_EQ(DecimalPrecisionScale(*literal), (std::make_pair(2, -3)));
}

TEST(CsvRescuedDataTest, JsonEscaping) {
  std::string out;
  tributary::AppendJsonString(&out, "a\"b\\c\nd\x01\xC3\xA9");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\u0001\xC3\xA9\"");
  RescuedDataBuilder builder;
  builder.Add("x", "1");
  builder.Add("y", "");
  EXPECT_EQ(builder.Finish("/p"), R"({"x":"1","y":"","_file_path":"/p"})");
  builder.Reset();
  EXPECT_TRUE(builder.empty());
}

}  // namespace
}  // namespace tributary::csv
