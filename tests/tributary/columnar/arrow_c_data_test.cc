#include "tributary/columnar/arrow_c_data.h"

#include <cstring>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/base/status_testing.h"
#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/ddl_parser.h"

namespace tributary::columnar {
namespace {

using ::testing::HasSubstr;

bool BitSet(const void* bits, int64_t i) { return GetBit(static_cast<const uint8_t*>(bits), i); }

// Releases a schema/array at scope exit unless the test already did.
struct SchemaGuard {
  ArrowSchema schema{};
  ~SchemaGuard() {
    if (schema.release != nullptr) schema.release(&schema);
  }
};
struct ArrayGuard {
  ArrowArray array{};
  ~ArrayGuard() {
    if (array.release != nullptr) array.release(&array);
  }
};

TEST(ArrowCDataTest, FormatStrings) {
  ASSERT_OK_AND_ASSIGN(Schema schema,
                       ParseDdlSchema("b BOOLEAN, c TINYINT, s SMALLINT, i INT, l BIGINT, f FLOAT, g DOUBLE, "
                                      "d DECIMAL(12,3), u STRING, z BINARY, dt DATE, ts TIMESTAMP, "
                                      "ntz TIMESTAMP_NTZ, st STRUCT<x: INT>, a ARRAY<INT>, m MAP<STRING, INT>"));
  const char* expected[] = {"b", "c", "s", "i", "l", "f", "g", "d:12,3", "u", "z", "tdD", "tsu:UTC", "tsu:",
                            "+s", "+l", "+m"};
  SchemaGuard guard;
  ASSERT_OK(ExportSchema(schema, &guard.schema));
  EXPECT_STREQ(guard.schema.format, "+s");
  EXPECT_STREQ(guard.schema.name, "");
  EXPECT_EQ(guard.schema.flags, 0);
  ASSERT_EQ(guard.schema.n_children, 16);
  for (int i = 0; i < 16; ++i) {
    const ArrowSchema* child = guard.schema.children[i];
    EXPECT_STREQ(child->format, expected[i]) << i;
    EXPECT_STREQ(child->name, schema.field(i).name.c_str());
    EXPECT_EQ(child->flags, ARROW_FLAG_NULLABLE);
    EXPECT_EQ(child->dictionary, nullptr);
    EXPECT_EQ(child->metadata, nullptr);
    EXPECT_NE(child->release, nullptr);
  }
}

TEST(ArrowCDataTest, NestedSchemaChildrenAndFlags) {
  Field field{"m", DataType::Map(DataType::String(), DataType::Array(DataType::Long(), false), false), false};
  SchemaGuard guard;
  ASSERT_OK(ExportField(field, &guard.schema));
  const ArrowSchema& map = guard.schema;
  EXPECT_STREQ(map.format, "+m");
  EXPECT_STREQ(map.name, "m");
  EXPECT_EQ(map.flags, 0);
  ASSERT_EQ(map.n_children, 1);
  const ArrowSchema& entries = *map.children[0];
  EXPECT_STREQ(entries.format, "+s");
  EXPECT_STREQ(entries.name, "entries");
  EXPECT_EQ(entries.flags, 0);
  ASSERT_EQ(entries.n_children, 2);
  EXPECT_STREQ(entries.children[0]->name, "key");
  EXPECT_STREQ(entries.children[0]->format, "u");
  EXPECT_EQ(entries.children[0]->flags, 0);
  EXPECT_STREQ(entries.children[1]->name, "value");
  EXPECT_STREQ(entries.children[1]->format, "+l");
  EXPECT_EQ(entries.children[1]->flags, 0);  // valueContainsNull = false
  const ArrowSchema& element = *entries.children[1]->children[0];
  EXPECT_STREQ(element.name, "element");
  EXPECT_STREQ(element.format, "l");
  EXPECT_EQ(element.flags, 0);  // containsNull = false
}

// A batch with every layout: fixed width with nulls, strings, booleans, decimals,
// a struct with a null row, an array and a map.
RecordBatchPtr MakeBatch() {
  auto schema = std::make_shared<Schema>(std::vector<Field>{
      Field{"id", DataType::Integer(), false},
      Field{"name", DataType::String()},
      Field{"flag", DataType::Boolean()},
      Field{"amount", DataType::Decimal(10, 2)},
      Field{"s", DataType::Struct({Field{"x", DataType::Long()}})},
      Field{"list", DataType::Array(DataType::Integer())},
      Field{"map", DataType::Map(DataType::String(), DataType::Integer())},
  });
  std::vector<ColumnBuilder> builders;
  for (const Field& field : schema->fields()) builders.emplace_back(field.type);
  for (int row = 0; row < 3; ++row) {
    builders[0].AppendInt(row + 10);
    if (row == 1) builders[1].AppendNull(); else builders[1].AppendString(row == 0 ? "ab" : "cde");
    builders[2].AppendBool(row != 1);
    builders[3].AppendDecimal(-12345 + row);
    if (row == 2) {
      builders[4].AppendNull();
    } else {
      builders[4].child(0).AppendInt(row * 100);
      builders[4].AppendStructValid();
    }
    for (int k = 0; k < row; ++k) builders[5].child(0).AppendInt(k);
    builders[5].AppendListEnd();
    builders[6].child(0).child(0).AppendString("k");
    builders[6].child(0).child(1).AppendInt(row);
    builders[6].child(0).AppendStructValid();
    builders[6].AppendListEnd();
  }
  std::vector<ColumnPtr> columns;
  for (ColumnBuilder& builder : builders) columns.push_back(builder.Finish());
  return RecordBatch::Make(schema, 3, std::move(columns)).MoveValue();
}

TEST(ArrowCDataTest, BatchBuffersAreTheColumnsBuffers) {
  RecordBatchPtr batch = MakeBatch();
  SchemaGuard schema;
  ArrayGuard array;
  ASSERT_OK(ExportRecordBatch(*batch, &schema.schema, &array.array));
  const ArrowArray& top = array.array;
  EXPECT_EQ(top.length, 3);
  EXPECT_EQ(top.null_count, 0);
  EXPECT_EQ(top.offset, 0);
  EXPECT_EQ(top.n_buffers, 1);
  EXPECT_EQ(top.buffers[0], nullptr);
  ASSERT_EQ(top.n_children, 7);
  EXPECT_EQ(schema.schema.children[0]->flags, 0);  // id NOT NULL

  const ArrowArray& id = *top.children[0];
  EXPECT_EQ(id.n_buffers, 2);
  EXPECT_EQ(id.null_count, 0);
  EXPECT_EQ(id.buffers[0], nullptr);
  EXPECT_EQ(id.buffers[1], batch->column(0)->values()->data());
  EXPECT_EQ(static_cast<const int32_t*>(id.buffers[1])[2], 12);

  const ArrowArray& name = *top.children[1];
  EXPECT_EQ(name.n_buffers, 3);
  EXPECT_EQ(name.null_count, 1);
  EXPECT_TRUE(BitSet(name.buffers[0], 0));
  EXPECT_FALSE(BitSet(name.buffers[0], 1));
  const auto* offsets = static_cast<const int32_t*>(name.buffers[1]);
  const auto* chars = static_cast<const char*>(name.buffers[2]);
  EXPECT_EQ(std::string(chars + offsets[2], static_cast<size_t>(offsets[3] - offsets[2])), "cde");
  EXPECT_EQ(name.buffers[2], batch->column(1)->data()->data());

  const ArrowArray& flag = *top.children[2];
  EXPECT_TRUE(BitSet(flag.buffers[1], 0));
  EXPECT_FALSE(BitSet(flag.buffers[1], 1));
  EXPECT_TRUE(BitSet(flag.buffers[1], 2));

  const ArrowArray& amount = *top.children[3];
  __int128 first;
  std::memcpy(&first, amount.buffers[1], sizeof(first));
  EXPECT_TRUE(first == -12345);

  const ArrowArray& s = *top.children[4];
  EXPECT_EQ(s.n_buffers, 1);
  EXPECT_EQ(s.null_count, 1);
  EXPECT_FALSE(BitSet(s.buffers[0], 2));
  ASSERT_EQ(s.n_children, 1);
  EXPECT_EQ(s.children[0]->length, 3);
  EXPECT_EQ(static_cast<const int64_t*>(s.children[0]->buffers[1])[1], 100);

  const ArrowArray& list = *top.children[5];
  EXPECT_EQ(list.n_buffers, 2);
  const auto* list_offsets = static_cast<const int32_t*>(list.buffers[1]);
  EXPECT_EQ(list_offsets[0], 0);
  EXPECT_EQ(list_offsets[3], 3);
  EXPECT_EQ(list.children[0]->length, 3);

  const ArrowArray& map = *top.children[6];
  EXPECT_EQ(map.n_buffers, 2);
  ASSERT_EQ(map.n_children, 1);
  const ArrowArray& entries = *map.children[0];
  EXPECT_EQ(entries.length, 3);
  EXPECT_EQ(entries.n_buffers, 1);
  ASSERT_EQ(entries.n_children, 2);
  EXPECT_EQ(static_cast<const int32_t*>(entries.children[1]->buffers[1])[2], 2);
}

TEST(ArrowCDataTest, ReleaseDropsEveryReference) {
  RecordBatchPtr batch = MakeBatch();
  std::vector<long> before;
  for (const ColumnPtr& column : batch->columns()) before.push_back(column.use_count());
  long nested_before = batch->column(6)->child(0).use_count();

  ArrowSchema schema{};
  ArrowArray array{};
  ASSERT_OK(ExportRecordBatch(*batch, &schema, &array));
  EXPECT_GT(batch->column(0).use_count(), before[0]);
  EXPECT_GT(batch->column(6)->child(0).use_count(), nested_before);

  // The consumer may keep data beyond the producer's objects.
  batch.reset();
  EXPECT_EQ(static_cast<const int32_t*>(array.children[0]->buffers[1])[1], 11);

  array.release(&array);
  EXPECT_EQ(array.release, nullptr);
  schema.release(&schema);
  EXPECT_EQ(schema.release, nullptr);
}

TEST(ArrowCDataTest, UseCountsReturnAfterRelease) {
  RecordBatchPtr batch = MakeBatch();
  std::vector<long> before;
  for (const ColumnPtr& column : batch->columns()) before.push_back(column.use_count());
  long nested_before = batch->column(6)->child(0)->child(1).use_count();
  {
    SchemaGuard schema;
    ArrayGuard array;
    ASSERT_OK(ExportRecordBatch(*batch, &schema.schema, &array.array));
  }
  for (int i = 0; i < batch->num_columns(); ++i) EXPECT_EQ(batch->column(i).use_count(), before[i]) << i;
  EXPECT_EQ(batch->column(6)->child(0)->child(1).use_count(), nested_before);
}

TEST(ArrowCDataTest, ChildMovedOutOutlivesParent) {
  RecordBatchPtr batch = MakeBatch();
  long before = batch->column(1).use_count();
  ArrowArray array{};
  ASSERT_OK(ExportColumn(batch->column(1), &array));
  EXPECT_EQ(array.n_children, 0);

  SchemaGuard schema;
  ArrayGuard top;
  ASSERT_OK(ExportRecordBatch(*batch, &schema.schema, &top.array));
  ArrowArray moved = *top.array.children[1];
  top.array.children[1]->release = nullptr;  // moved, as the spec allows
  top.array.release(&top.array);
  EXPECT_GT(batch->column(1).use_count(), before + 1);  // `array` and `moved` hold it
  moved.release(&moved);
  array.release(&array);
  EXPECT_EQ(batch->column(1).use_count(), before);
}

TEST(ArrowCDataTest, EmptyColumnsHaveNonNullBuffers) {
  ColumnBuilder strings(DataType::String());
  ColumnBuilder bools(DataType::Boolean());
  for (ColumnPtr column : {strings.Finish(), bools.Finish()}) {
    ArrayGuard guard;
    ASSERT_OK(ExportColumn(column, &guard.array));
    EXPECT_EQ(guard.array.length, 0);
    for (int64_t i = 1; i < guard.array.n_buffers; ++i) EXPECT_NE(guard.array.buffers[i], nullptr);
  }
}

TEST(ArrowCDataTest, MalformedColumnIsRejectedAndOutputLeftReleased) {
  auto column = std::make_shared<Column>(DataType::Integer(), 2, 1, nullptr, std::make_shared<Buffer>(8), nullptr,
                                         std::vector<ColumnPtr>{});
  ArrowArray array{};
  array.release = reinterpret_cast<void (*)(ArrowArray*)>(1);  // garbage the export must clear
  Status status = ExportColumn(column, &array);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("1 nulls but no validity bitmap"));
  EXPECT_EQ(array.release, nullptr);
}

}  // namespace
}  // namespace tributary::columnar
