#include "tributary/columnar/decimal.h"

#include <gtest/gtest.h>

namespace tributary::columnar {
namespace {

__int128 Pow10(int n) {
  __int128 value = 1;
  for (int i = 0; i < n; ++i) value *= 10;
  return value;
}

TEST(DecimalTest, Format) {
  EXPECT_EQ(FormatDecimal(12345, 2), "123.45");
  EXPECT_EQ(FormatDecimal(-12345, 2), "-123.45");
  EXPECT_EQ(FormatDecimal(5, 2), "0.05");
  EXPECT_EQ(FormatDecimal(-5, 3), "-0.005");
  EXPECT_EQ(FormatDecimal(0, 2), "0.00");
  EXPECT_EQ(FormatDecimal(0, 0), "0");
  EXPECT_EQ(FormatDecimal(42, 0), "42");
  EXPECT_EQ(FormatDecimal(Pow10(38) - 1, 0), std::string(38, '9'));
  EXPECT_EQ(FormatDecimal(-(Pow10(38) - 1), 38), "-0." + std::string(38, '9'));
}

TEST(DecimalTest, Parse) {
  auto parse = [](std::string_view text, int precision, int scale) { return ParseDecimal(text, precision, scale); };
  EXPECT_TRUE(parse("123.45", 10, 2) == std::optional<__int128>(12345));
  EXPECT_TRUE(parse("-123.45", 10, 2) == std::optional<__int128>(-12345));
  EXPECT_TRUE(parse("+1.5", 10, 2) == std::optional<__int128>(150));
  EXPECT_TRUE(parse("7", 10, 2) == std::optional<__int128>(700));
  EXPECT_TRUE(parse("0.05", 3, 2) == std::optional<__int128>(5));
  EXPECT_TRUE(parse(".5", 3, 2) == std::optional<__int128>(50));
  EXPECT_TRUE(parse("1.", 3, 2) == std::optional<__int128>(100));
  EXPECT_TRUE(parse("1.500", 3, 1) == std::optional<__int128>(15));  // trailing zeros lose nothing
  EXPECT_TRUE(parse("000123", 3, 0) == std::optional<__int128>(123));  // leading zeros are not digits
  EXPECT_TRUE(parse(std::string(38, '9'), 38, 0) == std::optional<__int128>(Pow10(38) - 1));
  EXPECT_TRUE(parse("-0." + std::string(38, '9'), 38, 38) == std::optional<__int128>(-(Pow10(38) - 1)));
}

TEST(DecimalTest, ParseRefusesToLoseDigitsOrOverflow) {
  for (auto [text, precision, scale] : {std::tuple<const char*, int, int>{"1.234", 10, 2}, {"1.0005", 10, 1},
                                        {"1000", 5, 2}, {"99.9", 2, 1}, {"1e3", 10, 0}, {"", 10, 2}, {"-", 10, 2},
                                        {".", 10, 2}, {"1.2.3", 10, 2}, {" 1", 10, 2}, {"1,5", 10, 2}, {"abc", 10, 2}}) {
    EXPECT_FALSE(ParseDecimal(text, precision, scale).has_value()) << text << " (" << precision << "," << scale << ")";
  }
}

TEST(DecimalTest, RoundTrip) {
  for (__int128 value : {__int128{0}, __int128{1}, __int128{-1}, __int128{123456789}, Pow10(20) + 7,
                         -(Pow10(37) + 3)}) {
    for (int scale : {0, 2, 10}) {
      std::string text = FormatDecimal(value, scale);
      EXPECT_TRUE(ParseDecimal(text, 38, scale) == std::optional<__int128>(value)) << text;
    }
  }
}

}  // namespace
}  // namespace tributary::columnar
