#include <gtest/gtest.h>

#include <vector>

#include "tributary/columnar/column_builder.h"
#include "tributary/format/parquet/schema_internal.h"
#include "tributary/format/parquet/memory_sink.h"

namespace tributary::parquet::internal {
namespace {

using columnar::ColumnBuilder;
using columnar::DataType;
using columnar::Field;
using columnar::Schema;

struct Computed {
  std::vector<int16_t> defs, reps;
  std::vector<int64_t> indices;
  LeafColumn leaf;
};

Computed Levels(const Schema& schema, const columnar::Column& column, size_t leaf_index) {
  std::vector<SchemaElement> elements;
  std::vector<LeafColumn> leaves;
  Status st = BuildParquetSchema(schema, &elements, &leaves);
  EXPECT_TRUE(st.ok()) << st.ToString();
  LeafLevels levels;
  st = ComputeLevels(leaves.at(leaf_index), column, 0, column.length(), &levels);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return {levels.def_levels, levels.rep_levels, levels.value_indices, leaves.at(leaf_index)};
}

TEST(LevelsTest, FlatNullableColumnUsesTheValidityBitmap) {
  ColumnBuilder b(DataType::Integer());
  b.AppendInt(1);
  b.AppendNull();
  b.AppendInt(3);
  auto column = b.Finish();
  Schema schema({Field{"x", DataType::Integer(), true}});
  Computed c = Levels(schema, *column, 0);
  EXPECT_EQ(c.leaf.max_def, 1);
  EXPECT_EQ(c.leaf.max_rep, 0);
  EXPECT_EQ(c.defs, (std::vector<int16_t>{1, 0, 1}));
  EXPECT_TRUE(c.reps.empty());
}

TEST(LevelsTest, RequiredFieldInOptionalStruct) {
  auto type = DataType::Struct({Field{"x", DataType::Integer(), false}});
  ColumnBuilder b(type);
  b.child(0).AppendInt(1);
  b.AppendStructValid();
  b.AppendNull();
  auto column = b.Finish();
  Computed c = Levels(Schema({Field{"st", type, true}}), *column, 0);
  EXPECT_EQ(c.leaf.DottedPath(), "st.x");
  EXPECT_EQ(c.leaf.max_def, 1);
  EXPECT_EQ(c.defs, (std::vector<int16_t>{1, 0}));
}

// arr: array<struct<a: array<int>>>, every level nullable.
TEST(LevelsTest, ListOfStructOfList) {
  auto inner = DataType::Array(DataType::Integer());
  auto element = DataType::Struct({Field{"a", inner, true}});
  auto type = DataType::Array(element);
  ColumnBuilder arr(type);
  ColumnBuilder& st = arr.child(0);
  ColumnBuilder& a = st.child(0);
  ColumnBuilder& ints = a.child(0);
  // r0: [{a: [1, 2]}, null, {a: null}, {a: []}]
  ints.AppendInt(1);
  ints.AppendInt(2);
  a.AppendListEnd();
  st.AppendStructValid();
  st.AppendNull();
  a.AppendNull();
  st.AppendStructValid();
  a.AppendListEnd();
  st.AppendStructValid();
  arr.AppendListEnd();
  // r1: null, r2: []
  arr.AppendNull();
  arr.AppendListEnd();
  // r3: [{a: [null, 3]}]
  ints.AppendNull();
  ints.AppendInt(3);
  a.AppendListEnd();
  st.AppendStructValid();
  arr.AppendListEnd();
  auto column = arr.Finish();

  Computed c = Levels(Schema({Field{"arr", type, true}}), *column, 0);
  EXPECT_EQ(c.leaf.DottedPath(), "arr.list.element.a.list.element");
  EXPECT_EQ(c.leaf.max_def, 6);
  EXPECT_EQ(c.leaf.max_rep, 2);
  EXPECT_EQ(c.defs, (std::vector<int16_t>{6, 6, 2, 3, 4, 0, 1, 5, 6}));
  EXPECT_EQ(c.reps, (std::vector<int16_t>{0, 2, 1, 1, 1, 0, 0, 0, 2}));
  // Present values only: 1, 2, then 3 (the null at index 2 is not a value).
  EXPECT_EQ(c.indices, (std::vector<int64_t>{0, 1, 3}));
}

TEST(LevelsTest, MapKeysAndValues) {
  auto type = DataType::Map(DataType::String(), DataType::Integer());
  ColumnBuilder m(type);
  ColumnBuilder& entries = m.child(0);
  entries.child(0).AppendString("a");
  entries.child(1).AppendInt(1);
  entries.AppendStructValid();
  entries.child(0).AppendString("b");
  entries.child(1).AppendNull();
  entries.AppendStructValid();
  m.AppendListEnd();
  m.AppendNull();
  m.AppendListEnd();
  auto column = m.Finish();
  Schema schema({Field{"m", type, true}});

  Computed key = Levels(schema, *column, 0);
  EXPECT_EQ(key.leaf.DottedPath(), "m.key_value.key");
  EXPECT_EQ(key.leaf.max_def, 2);
  EXPECT_EQ(key.defs, (std::vector<int16_t>{2, 2, 0, 1}));
  EXPECT_EQ(key.reps, (std::vector<int16_t>{0, 1, 0, 0}));

  Computed value = Levels(schema, *column, 1);
  EXPECT_EQ(value.leaf.DottedPath(), "m.key_value.value");
  EXPECT_EQ(value.leaf.max_def, 3);
  EXPECT_EQ(value.defs, (std::vector<int16_t>{3, 2, 0, 1}));
  EXPECT_EQ(value.reps, (std::vector<int16_t>{0, 1, 0, 0}));
  EXPECT_EQ(value.indices, (std::vector<int64_t>{0}));
}

TEST(LevelsTest, NullInARequiredNestedFieldIsAnError) {
  auto type = DataType::Struct({Field{"x", DataType::Integer(), false}});
  ColumnBuilder b(type);
  b.child(0).AppendNull();  // present struct, null in its required field
  b.AppendStructValid();
  auto column = b.Finish();
  std::vector<SchemaElement> elements;
  std::vector<LeafColumn> leaves;
  ASSERT_OK(BuildParquetSchema(Schema({Field{"st", type, true}}), &elements, &leaves));
  LeafLevels levels;
  Status st = ComputeLevels(leaves[0], *column, 0, 1, &levels);
  EXPECT_TRUE(st.IsInvalid());
  EXPECT_NE(st.message().find("st.x"), std::string::npos) << st.ToString();
}

TEST(SchemaTest, NestedTypesFollowTheThreeLevelLayout) {
  Schema schema({Field{"l", DataType::Array(DataType::Long(), false), false},
                 Field{"m", DataType::Map(DataType::String(), DataType::String()), true}});
  std::vector<SchemaElement> elements;
  std::vector<LeafColumn> leaves;
  ASSERT_OK(BuildParquetSchema(schema, &elements, &leaves));
  ASSERT_EQ(elements.size(), 8u);
  EXPECT_EQ(elements[0].num_children, 2);
  EXPECT_EQ(elements[1].name, "l");
  EXPECT_EQ(elements[1].repetition, Repetition::kRequired);
  EXPECT_EQ(elements[1].converted_type, ConvertedType::kList);
  EXPECT_EQ(elements[2].name, "list");
  EXPECT_EQ(elements[2].repetition, Repetition::kRepeated);
  EXPECT_EQ(elements[3].name, "element");
  EXPECT_EQ(elements[3].repetition, Repetition::kRequired);
  EXPECT_EQ(elements[4].name, "m");
  EXPECT_EQ(elements[4].converted_type, ConvertedType::kMap);
  EXPECT_EQ(elements[5].name, "key_value");
  EXPECT_EQ(elements[6].name, "key");
  EXPECT_EQ(elements[6].repetition, Repetition::kRequired);
  EXPECT_EQ(elements[7].name, "value");
  EXPECT_EQ(elements[7].repetition, Repetition::kOptional);
  ASSERT_EQ(leaves.size(), 3u);
  EXPECT_EQ(leaves[0].max_def, 1);
  EXPECT_EQ(leaves[0].max_rep, 1);
}

TEST(SchemaTest, DecimalWidths) {
  EXPECT_EQ(DecimalByteWidth(9), 4);
  EXPECT_EQ(DecimalByteWidth(18), 8);
  EXPECT_EQ(DecimalByteWidth(19), 9);
  EXPECT_EQ(DecimalByteWidth(20), 9);
  EXPECT_EQ(DecimalByteWidth(38), 16);
}

}  // namespace
}  // namespace tributary::parquet::internal
