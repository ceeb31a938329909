#include "tributary/columnar/row_key.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/ddl_parser.h"

namespace tributary::columnar {
namespace {

std::string Key(const Column& c, int64_t row) {
  std::string out;
  AppendRowKey(c, row, &out);
  return out;
}

TEST(AppendRowKey, DoublesFollowSparkGrouping) {
  ColumnBuilder b(DataType::Double());
  b.AppendDouble(0.0);
  b.AppendDouble(-0.0);
  b.AppendDouble(std::numeric_limits<double>::quiet_NaN());
  b.AppendDouble(-std::numeric_limits<double>::quiet_NaN());
  b.AppendNull();
  b.AppendDouble(1.0);
  auto c = b.Finish();
  EXPECT_EQ(Key(*c, 0), Key(*c, 1));
  EXPECT_EQ(Key(*c, 2), Key(*c, 3));
  EXPECT_NE(Key(*c, 0), Key(*c, 4));
  EXPECT_NE(Key(*c, 0), Key(*c, 5));
}

TEST(AppendRowKey, NullDistinctAndStringsSelfDelimit) {
  ColumnBuilder b(DataType::String());
  b.AppendString("");
  b.AppendNull();
  b.AppendString("ab");
  b.AppendString("a");
  b.AppendString("b");
  auto c = b.Finish();
  EXPECT_NE(Key(*c, 0), Key(*c, 1));
  // ("ab", "") and ("a", "b") must not collide when keys are concatenated.
  EXPECT_NE(Key(*c, 2) + Key(*c, 0), Key(*c, 3) + Key(*c, 4));
}

TEST(AppendRowKey, NestedByContent) {
  auto type = *ParseDdlType("STRUCT<a: INT, t: ARRAY<STRING>>");
  ColumnBuilder b(type);
  for (int i = 0; i < 3; ++i) {
    b.child(0).AppendInt(1);
    b.child(1).child(0).AppendString(i == 2 ? "y" : "x");
    b.child(1).AppendListEnd();
    b.AppendStructValid();
  }
  b.AppendNull();
  auto c = b.Finish();
  EXPECT_EQ(Key(*c, 0), Key(*c, 1));
  EXPECT_NE(Key(*c, 0), Key(*c, 2));
  EXPECT_NE(Key(*c, 0), Key(*c, 3));
}

}  // namespace
}  // namespace tributary::columnar
