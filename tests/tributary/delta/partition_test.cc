#include "tributary/delta/partition.h"

#include <gmock/gmock.h>

#include "delta_testing.h"

namespace tributary::delta {
namespace {

using columnar::ColumnBuilder;
using columnar::DataType;

TEST(Partition, ValuesSerializeAsDeltaStoresThem) {
  struct Case {
    columnar::DataTypePtr type;
    std::function<void(ColumnBuilder&)> append;
    std::optional<std::string> expected;
  };
  std::vector<Case> cases = {
      {DataType::Integer(), [](ColumnBuilder& b) { b.AppendInt(-4); }, "-4"},
      {DataType::Long(), [](ColumnBuilder& b) { b.AppendInt(1LL << 40); }, "1099511627776"},
      {DataType::Boolean(), [](ColumnBuilder& b) { b.AppendBool(true); }, "true"},
      {DataType::Double(), [](ColumnBuilder& b) { b.AppendDouble(1.0); }, "1.0"},
      {DataType::Double(), [](ColumnBuilder& b) { b.AppendDouble(2.5); }, "2.5"},
      {DataType::Decimal(10, 2), [](ColumnBuilder& b) { b.AppendDecimal(-12345); }, "-123.45"},
      {DataType::Date(), [](ColumnBuilder& b) { b.AppendInt(19753); }, "2024-01-31"},
      {DataType::Timestamp(), [](ColumnBuilder& b) { b.AppendInt(1706696430123456); },
       "2024-01-31T10:20:30.123456Z"},
      {DataType::TimestampNtz(), [](ColumnBuilder& b) { b.AppendInt(1706696430000000); },
       "2024-01-31 10:20:30"},
      {DataType::String(), [](ColumnBuilder& b) { b.AppendString("a b"); }, "a b"},
      {DataType::String(), [](ColumnBuilder& b) { b.AppendString(""); }, std::nullopt},
      {DataType::String(), [](ColumnBuilder& b) { b.AppendNull(); }, std::nullopt},
  };
  for (auto& c : cases) {
    ColumnBuilder builder(c.type);
    c.append(builder);
    auto column = builder.Finish();
    ASSERT_OK_AND_ASSIGN(auto value, PartitionValueToString(*column, 0));
    EXPECT_EQ(value, c.expected) << c.type->SimpleString();
  }
}

TEST(Partition, NestedTypesCannotPartition) {
  ColumnBuilder builder(DataType::Array(DataType::Long()));
  builder.AppendListEnd();
  auto column = builder.Finish();
  EXPECT_TRUE(PartitionValueToString(*column, 0).status().IsInvalid());
}

TEST(Partition, HiveEscapingThenUriEncoding) {
  EXPECT_EQ(EscapePartitionValue("a%percent"), "a%25percent");
  EXPECT_EQ(EscapePartitionValue("x/y=z:1?#"), "x%2Fy%3Dz%3A1%3F%23");
  EXPECT_EQ(EscapePartitionValue("a b é"), "a b é");
  EXPECT_EQ(EscapePartitionValue(std::string("\x01[]{}^'\"*\\", 10)), "%01%5B%5D%7B}%5E%27%22%2A%5C");
  // Spark writes part=a%2525percent in add.path for the value a%percent (reference A4).
  std::string dir = PartitionDirectory({"part"}, {std::string("a%percent")});
  EXPECT_EQ(dir, "part=a%25percent");
  EXPECT_EQ(EncodePathUri(dir + "/f.parquet"), "part=a%2525percent/f.parquet");
  EXPECT_EQ(EncodePathUri("p=a b/é"), "p=a%20b/%C3%A9");
  ASSERT_OK_AND_ASSIGN(auto decoded, DecodePathUri("part=a%2525percent/x%20y"));
  EXPECT_EQ(decoded, "part=a%25percent/x y");
  EXPECT_TRUE(DecodePathUri("bad%2").status().IsInvalid());
  EXPECT_TRUE(DecodePathUri("bad%zz").status().IsInvalid());
}

TEST(Partition, NullDirectoryIsHiveDefault) {
  EXPECT_EQ(PartitionDirectory({"a", "b"}, {std::nullopt, std::string("1")}),
            "a=__HIVE_DEFAULT_PARTITION__/b=1");
  EXPECT_EQ(PartitionDirectory({}, {}), "");
}

TEST(Partition, GroupByKeepsFirstAppearanceOrderAndTakesRows) {
  columnar::Schema schema({columnar::Field{"k", DataType::String()},
                           columnar::Field{"v", DataType::Struct({columnar::Field{"x", DataType::Long()}})},
                           columnar::Field{"l", DataType::Array(DataType::String())}});
  auto builders = testing::Builders(schema);
  const char* keys[] = {"b", "a", "b", nullptr, "a"};
  for (int i = 0; i < 5; ++i) {
    if (keys[i]) {
      builders[0].AppendString(keys[i]);
    } else {
      builders[0].AppendNull();
    }
    builders[1].child(0).AppendInt(i);
    builders[1].AppendStructValid();
    for (int j = 0; j < i; ++j) builders[2].child(0).AppendString(std::to_string(j));
    builders[2].AppendListEnd();
  }
  auto batch = testing::MakeBatch(schema, builders);
  ASSERT_OK_AND_ASSIGN(auto groups, GroupByPartition(*batch, {0}));
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].values[0], "b");
  EXPECT_EQ(groups[0].rows, (std::vector<int64_t>{0, 2}));
  EXPECT_EQ(groups[1].values[0], "a");
  EXPECT_EQ(groups[1].rows, (std::vector<int64_t>{1, 4}));
  EXPECT_EQ(groups[2].values[0], std::nullopt);
  EXPECT_EQ(groups[2].rows, (std::vector<int64_t>{3}));

  auto taken = TakeRows(*batch->column(1), groups[1].rows);
  ASSERT_EQ(taken->length(), 2);
  EXPECT_EQ(columnar::ValueToString(*taken, 1), columnar::ValueToString(*batch->column(1), 4));
  auto lists = TakeRows(*batch->column(2), groups[1].rows);
  EXPECT_EQ(columnar::ValueToString(*lists, 1), columnar::ValueToString(*batch->column(2), 4));
}

}  // namespace
}  // namespace tributary::delta
