#include "tributary/base/json.h"
#include "tributary/format/json/json_text_internal.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace tributary::json {
namespace {

std::string JavaDouble(double value) {
  std::string out;
  AppendJavaDouble(value, &out);
  return out;
}

TEST(JsonTextTest, JavaDoubleToString) {
  EXPECT_EQ(JavaDouble(100), "100.0");
  EXPECT_EQ(JavaDouble(1.5), "1.5");
  EXPECT_EQ(JavaDouble(-0.001), "-0.001");
  EXPECT_EQ(JavaDouble(0.0001), "1.0E-4");
  EXPECT_EQ(JavaDouble(1234567.5), "1234567.5");
  EXPECT_EQ(JavaDouble(1e7), "1.0E7");
  EXPECT_EQ(JavaDouble(1.25e20), "1.25E20");
  EXPECT_EQ(JavaDouble(0.0), "0.0");
  EXPECT_EQ(JavaDouble(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(JsonTextTest, DecimalFromTextRoundsHalfUpAndChecksPrecision) {
  auto decimal = [](std::string_view text, int precision, int scale) -> std::string {
    std::optional<__int128> value = DecimalFromText(text, precision, scale);
    return value ? std::to_string(static_cast<long long>(*value)) : "none";
  };
  EXPECT_EQ(decimal("12.345", 10, 2), "1235");
  EXPECT_EQ(decimal("-12.344", 10, 2), "-1234");
  EXPECT_EQ(decimal("1e3", 10, 2), "100000");
  EXPECT_EQ(decimal("0.005", 3, 2), "1");
  EXPECT_EQ(decimal("0.004", 3, 2), "0");
  EXPECT_EQ(decimal("9.999", 3, 2), "none");  // rounds to 10.00: four digits
  EXPECT_EQ(decimal("123.4", 4, 2), "none");
  EXPECT_EQ(decimal("abc", 4, 2), "none");
  EXPECT_EQ(decimal("1.", 4, 2), "100");
  EXPECT_EQ(decimal("", 4, 2), "none");
}

TEST(JsonTextTest, DecimalShapeAsSparkBigDecimal) {
  auto shape = [](std::string_view text) {
    std::optional<DecimalShape> s = DecimalShapeOf(text);
    return s ? std::to_string(s->precision) + "," + std::to_string(s->scale) : "none";
  };
  EXPECT_EQ(shape("18446744073709551615"), "20,0");
  EXPECT_EQ(shape("2.25"), "3,2");
  EXPECT_EQ(shape("0.05"), "2,2");
  EXPECT_EQ(shape("1e+20"), "21,0");
  EXPECT_EQ(shape("1e-50"), "none");
}

TEST(JsonTextTest, Base64) {
  std::string out;
  EXPECT_TRUE(DecodeBase64("aGVsbG8=", &out));
  EXPECT_EQ(out, "hello");
  out.clear();
  EXPECT_TRUE(DecodeBase64("aGVsbG8", &out));
  EXPECT_EQ(out, "hello");
  out.clear();
  EXPECT_FALSE(DecodeBase64("a$b=", &out));
}

TEST(JsonTextTest, StringEscaping) {
  std::string out;
  tributary::AppendJsonString(&out, "a\"b\\c\n\x01é");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001é\"");
}

}  // namespace
}  // namespace tributary::json
