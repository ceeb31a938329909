#include "tributary/columnar/column_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/base/status_testing.h"
#include "tributary/columnar/record_batch.h"

namespace tributary::columnar {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> Render(const Column& column) {
  std::vector<std::string> out;
  for (int64_t row = 0; row < column.length(); ++row) out.push_back(ValueToString(column, row));
  return out;
}

using Strings = std::vector<std::string>;

TEST(ColumnBuilderTest, IntegralTypesWithNulls) {
  struct Case {
    DataTypePtr type;
    int64_t value;
    int width;
  };
  for (const Case& c : {Case{DataType::Byte(), -128, 1}, Case{DataType::Short(), -32768, 2},
                        Case{DataType::Integer(), 2147483647, 4}, Case{DataType::Long(), -9223372036854775807LL, 8},
                        Case{DataType::Date(), -719162, 4}, Case{DataType::Timestamp(), -1, 8},
                        Case{DataType::TimestampNtz(), 1, 8}}) {
    ColumnBuilder builder(c.type);
    builder.AppendInt(c.value);
    builder.AppendNull();
    builder.AppendInt(0);
    EXPECT_EQ(builder.length(), 3);
    EXPECT_EQ(builder.null_count(), 1);
    ColumnPtr column = builder.Finish();
    EXPECT_EQ(column->length(), 3);
    EXPECT_EQ(column->null_count(), 1);
    EXPECT_EQ(column->values()->size(), static_cast<size_t>(3 * c.width)) << c.type->SimpleString();
    EXPECT_TRUE(column->IsValid(0));
    EXPECT_TRUE(column->IsNull(1));
    EXPECT_TRUE(column->IsValid(2));
    int64_t first = c.width == 1   ? column->Value<int8_t>(0)
                    : c.width == 2 ? column->Value<int16_t>(0)
                    : c.width == 4 ? column->Value<int32_t>(0)
                                   : column->Value<int64_t>(0);
    EXPECT_EQ(first, c.value) << c.type->SimpleString();
    // The builder is empty again and reusable.
    EXPECT_EQ(builder.length(), 0);
    builder.AppendInt(5);
    ColumnPtr again = builder.Finish();
    EXPECT_EQ(again->length(), 1);
    EXPECT_EQ(again->null_count(), 0);
    EXPECT_EQ(again->validity(), nullptr);
  }
}

TEST(ColumnBuilderTest, Dates_And_Timestamps_Render) {
  ColumnBuilder dates(DataType::Date());
  dates.AppendInt(0);
  dates.AppendInt(-1);
  EXPECT_EQ(Render(*dates.Finish()), (Strings{"1970-01-01", "1969-12-31"}));
  ColumnBuilder ts(DataType::Timestamp());
  ts.AppendInt(-1);
  ts.AppendNull();
  EXPECT_EQ(Render(*ts.Finish()), (Strings{"1969-12-31T23:59:59.999999Z", "null"}));
  ColumnBuilder ntz(DataType::TimestampNtz());
  ntz.AppendInt(1500000);
  EXPECT_EQ(Render(*ntz.Finish()), (Strings{"1970-01-01T00:00:01.5"}));
}

TEST(ColumnBuilderTest, FloatingPoint) {
  ColumnBuilder floats(DataType::Float());
  floats.AppendDouble(1.5);
  floats.AppendNull();
  ColumnPtr f = floats.Finish();
  EXPECT_EQ(f->values()->size(), 8u);
  EXPECT_EQ(f->Value<float>(0), 1.5f);
  ColumnBuilder doubles(DataType::Double());
  doubles.AppendDouble(0.1);
  ColumnPtr d = doubles.Finish();
  EXPECT_EQ(d->Value<double>(0), 0.1);
  EXPECT_EQ(Render(*d), (Strings{"0.1"}));
}

TEST(ColumnBuilderTest, BooleansAreBitPackedAcrossBytes) {
  ColumnBuilder builder(DataType::Boolean());
  for (int i = 0; i < 20; ++i) {
    if (i % 5 == 4) builder.AppendNull();
    else builder.AppendBool(i % 2 == 0);
  }
  ColumnPtr column = builder.Finish();
  EXPECT_EQ(column->length(), 20);
  EXPECT_EQ(column->null_count(), 4);
  EXPECT_EQ(column->values()->size(), 3u);
  for (int i = 0; i < 20; ++i) {
    if (i % 5 == 4) {
      EXPECT_TRUE(column->IsNull(i)) << i;
    } else {
      EXPECT_EQ(column->BoolValue(i), i % 2 == 0) << i;
    }
  }
}

TEST(ColumnBuilderTest, Decimals) {
  ColumnBuilder builder(DataType::Decimal(38, 2));
  __int128 big = static_cast<__int128>(1) << 100;
  builder.AppendDecimal(-12345);
  builder.AppendNull();
  builder.AppendDecimal(big);
  ColumnPtr column = builder.Finish();
  EXPECT_EQ(column->values()->size(), 48u);
  EXPECT_TRUE(column->Value<__int128>(0) == -12345);
  EXPECT_TRUE(column->Value<__int128>(2) == big);
  EXPECT_EQ(ValueToString(*column, 0), "-123.45");
  EXPECT_EQ(ValueToString(*column, 1), "null");
}

TEST(ColumnBuilderTest, StringsAndBinary) {
  ColumnBuilder builder(DataType::String());
  builder.AppendString("ab");
  builder.AppendNull();
  builder.AppendString("");
  builder.AppendString("caf\xC3\xA9");
  ColumnPtr column = builder.Finish();
  EXPECT_EQ(column->null_count(), 1);
  EXPECT_EQ(column->values()->size(), 5 * sizeof(int32_t));
  const int32_t* offsets = column->values()->data_as<int32_t>();
  EXPECT_EQ((std::vector<int32_t>(offsets, offsets + 5)), (std::vector<int32_t>{0, 2, 2, 2, 7}));
  EXPECT_EQ(column->StringValue(0), "ab");
  EXPECT_EQ(column->StringValue(2), "");
  EXPECT_EQ(column->StringValue(3), "caf\xC3\xA9");

  ColumnBuilder binary(DataType::Binary());
  binary.AppendString(std::string_view("\x00\xff", 2));
  EXPECT_EQ(Render(*binary.Finish()), (Strings{"00FF"}));
}

TEST(ColumnBuilderTest, EmptyColumnsHaveOneOffset) {
  ColumnBuilder strings(DataType::String());
  ColumnPtr column = strings.Finish();
  EXPECT_EQ(column->length(), 0);
  EXPECT_EQ(column->values()->size(), sizeof(int32_t));
  ColumnBuilder list(DataType::Array(DataType::Integer()));
  EXPECT_EQ(list.Finish()->values()->size(), sizeof(int32_t));
}

TEST(ColumnBuilderTest, StructWithNullRowKeepsChildrenAligned) {
  auto type = DataType::Struct({Field{"a", DataType::Integer()}, Field{"b", DataType::String()}});
  ColumnBuilder builder(type);
  builder.child(0).AppendInt(1);
  builder.child(1).AppendString("x");
  builder.AppendStructValid();
  builder.AppendNull();
  builder.child(0).AppendNull();
  builder.child(1).AppendString("y");
  builder.AppendStructValid();
  ColumnPtr column = builder.Finish();
  EXPECT_EQ(column->length(), 3);
  EXPECT_EQ(column->null_count(), 1);
  EXPECT_EQ(column->values(), nullptr);
  ASSERT_EQ(column->children().size(), 2u);
  EXPECT_EQ(column->child(0)->length(), 3);
  EXPECT_EQ(column->child(1)->length(), 3);
  EXPECT_EQ(column->child(0)->null_count(), 2);
  EXPECT_EQ(Render(*column), (Strings{R"({"a":1,"b":"x"})", "null", R"({"a":null,"b":"y"})"}));
}

TEST(ColumnBuilderTest, ArraysWithEmptyAndNullRows) {
  ColumnBuilder builder(DataType::Array(DataType::Long()));
  builder.child(0).AppendInt(1);
  builder.child(0).AppendNull();
  builder.AppendListEnd();
  builder.AppendListEnd();  // empty
  builder.AppendNull();
  builder.child(0).AppendInt(3);
  builder.AppendListEnd();
  ColumnPtr column = builder.Finish();
  EXPECT_EQ(column->length(), 4);
  EXPECT_EQ(column->null_count(), 1);
  EXPECT_EQ(column->ListStart(0), 0);
  EXPECT_EQ(column->ListEnd(0), 2);
  EXPECT_EQ(column->ListStart(1), column->ListEnd(1));
  EXPECT_EQ(column->ListStart(2), column->ListEnd(2));
  EXPECT_EQ(column->ListEnd(3), 3);
  EXPECT_EQ(Render(*column), (Strings{"[1,null]", "[]", "null", "[3]"}));
}

TEST(ColumnBuilderTest, MapsUseArrowEntriesLayout) {
  ColumnBuilder builder(DataType::Map(DataType::String(), DataType::Integer()));
  ColumnBuilder& entries = builder.child(0);
  entries.child(0).AppendString("a");
  entries.child(1).AppendInt(1);
  entries.AppendStructValid();
  entries.child(0).AppendString("b");
  entries.child(1).AppendNull();
  entries.AppendStructValid();
  builder.AppendListEnd();
  builder.AppendNull();
  ColumnPtr column = builder.Finish();
  EXPECT_EQ(column->null_count(), 1);
  const Column& finished_entries = *column->child(0);
  EXPECT_EQ(finished_entries.type()->SimpleString(), "struct<key:string,value:int>");
  EXPECT_FALSE(finished_entries.type()->fields()[0].nullable);
  EXPECT_EQ(finished_entries.length(), 2);
  EXPECT_EQ(Render(*column), (Strings{R"({"a"->1,"b"->null})", "null"}));
}

TEST(ColumnBuilderTest, NestedStructOfArrayOfStruct) {
  auto inner = DataType::Struct({Field{"x", DataType::Integer()}});
  auto type = DataType::Struct({Field{"list", DataType::Array(inner)}});
  ColumnBuilder builder(type);
  ColumnBuilder& list = builder.child(0);
  for (int i = 0; i < 2; ++i) {
    list.child(0).child(0).AppendInt(i);
    list.child(0).AppendStructValid();
  }
  list.AppendListEnd();
  builder.AppendStructValid();
  builder.AppendNull();  // appends a null list too
  ColumnPtr column = builder.Finish();
  EXPECT_EQ(column->child(0)->length(), 2);
  EXPECT_TRUE(column->child(0)->IsNull(1));
  EXPECT_EQ(Render(*column), (Strings{R"({"list":[{"x":0},{"x":1}]})", "null"}));
}

TEST(ColumnBuilderTest, ByteSizeCountsChildren) {
  ColumnBuilder builder(DataType::Array(DataType::Long()));
  for (int i = 0; i < 10; ++i) builder.child(0).AppendInt(i);
  builder.AppendListEnd();
  EXPECT_GE(builder.ByteSize(), 80 + 8);
}

TEST(ColumnTest, MakeNull) {
  ColumnPtr column = Column::MakeNull(DataType::Struct({Field{"a", DataType::String()}}), 3);
  EXPECT_EQ(column->length(), 3);
  EXPECT_EQ(column->null_count(), 3);
  EXPECT_EQ(column->child(0)->null_count(), 3);
}

TEST(RecordBatchTest, MakeChecksShapeAndRenders) {
  auto schema = std::make_shared<Schema>(std::vector<Field>{Field{"id", DataType::Long()}, Field{"s", DataType::String()}});
  ColumnBuilder ids(DataType::Long());
  ColumnBuilder names(DataType::String());
  ids.AppendInt(1);
  ids.AppendInt(2);
  names.AppendString("a");
  names.AppendNull();
  ColumnPtr id_column = ids.Finish();
  ColumnPtr name_column = names.Finish();
  ASSERT_OK_AND_ASSIGN(RecordBatchPtr batch, RecordBatch::Make(schema, 2, {id_column, name_column}));
  EXPECT_EQ(batch->ToString(), "id | s\n1 | a\n2 | null\n");
  EXPECT_GT(batch->ByteSize(), 0);

  Result<RecordBatchPtr> wrong_rows = RecordBatch::Make(schema, 3, {id_column, name_column});
  ASSERT_FALSE(wrong_rows.ok());
  EXPECT_THAT(wrong_rows.status().message(), HasSubstr("column 'id' has 2 rows, expected 3"));
  Result<RecordBatchPtr> wrong_type = RecordBatch::Make(schema, 2, {name_column, id_column});
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_THAT(wrong_type.status().message(), HasSubstr("column 'id' is string but the schema says bigint"));
  EXPECT_FALSE(RecordBatch::Make(schema, 2, {id_column}).ok());
}

}  // namespace
}  // namespace tributary::columnar
