#include "tributary/columnar/take.h"

#include <gtest/gtest.h>

#include "tributary/base/status_testing.h"
#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/ddl_parser.h"

namespace tributary::columnar {
namespace {

/// A batch with nested columns: s STRUCT<a: INT, t: ARRAY<STRING>>, m MAP<STRING, BIGINT>, d DOUBLE.
RecordBatchPtr NestedBatch(int rows, int offset) {
  auto schema = std::make_shared<Schema>(*ParseDdlSchema("s STRUCT<a: INT, t: ARRAY<STRING>>, m MAP<STRING, BIGINT>, d DOUBLE, b BOOLEAN"));
  ColumnBuilder s(schema->field(0).type), m(schema->field(1).type), d(schema->field(2).type), b(schema->field(3).type);
  for (int i = 0; i < rows; ++i) {
    int v = i + offset;
    if (v % 3 == 2) {
      s.AppendNull();
    } else {
      s.child(0).AppendInt(v);
      for (int k = 0; k < v % 3; ++k) s.child(1).child(0).AppendString("t" + std::to_string(v) + "_" + std::to_string(k));
      s.child(1).AppendListEnd();
      s.AppendStructValid();
    }
    m.child(0).child(0).AppendString("k" + std::to_string(v));
    m.child(0).child(1).AppendInt(v * 100);
    m.child(0).AppendStructValid();
    m.AppendListEnd();
    if (v % 2) {
      d.AppendNull();
    } else {
      d.AppendDouble(v + 0.5);
    }
    b.AppendBool(v % 2 == 0);
  }
  return std::make_shared<RecordBatch>(schema, rows, std::vector<ColumnPtr>{s.Finish(), m.Finish(), d.Finish(), b.Finish()});
}

std::vector<std::string> Render(const RecordBatch& batch) {
  std::vector<std::string> out;
  for (int64_t r = 0; r < batch.num_rows(); ++r) {
    std::string row;
    for (const auto& c : batch.columns()) row += ValueToString(*c, r) + "|";
    out.push_back(row);
  }
  return out;
}

TEST(Take, GathersNestedRowsWithRepeats) {
  auto batch = NestedBatch(5, 0);
  std::vector<int64_t> rows{4, 1, 1, 2, 0};
  ASSERT_OK_AND_ASSIGN(auto taken, TakeRows(*batch, rows));
  auto original = Render(*batch);
  auto result = Render(*taken);
  ASSERT_EQ(result.size(), 5u);
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(result[i], original[static_cast<size_t>(rows[i])]);
  EXPECT_EQ(result[1], "{\"a\":1,\"t\":[\"t1_0\"]}|{\"k1\"->100}|null|false|");
  EXPECT_EQ(taken->column(0)->null_count(), 1);
  std::vector<int64_t> bad{5};
  EXPECT_FALSE(Take(*batch->column(0), bad).ok());
}

TEST(FilterRows, NullMaskCountsAsFalse) {
  auto batch = NestedBatch(4, 0);
  ColumnBuilder mask(DataType::Boolean());
  mask.AppendBool(true);
  mask.AppendNull();
  mask.AppendBool(false);
  mask.AppendBool(true);
  ASSERT_OK_AND_ASSIGN(auto kept, FilterRows(*batch, *mask.Finish()));
  auto original = Render(*batch);
  EXPECT_EQ(Render(*kept), (std::vector<std::string>{original[0], original[3]}));
  ColumnBuilder short_mask(DataType::Boolean());
  short_mask.AppendBool(true);
  EXPECT_FALSE(FilterRows(*batch, *short_mask.Finish()).ok());
}

TEST(Concatenate, JoinsNestedBatches) {
  auto first = NestedBatch(3, 0);
  auto second = NestedBatch(4, 3);
  ASSERT_OK_AND_ASSIGN(auto joined, ConcatenateBatches(first->schema(), {first, second}));
  auto whole = NestedBatch(7, 0);
  EXPECT_EQ(Render(*joined), Render(*whole));
  EXPECT_EQ(joined->column(0)->null_count(), whole->column(0)->null_count());
  // Concatenating taken (re-based) columns works too.
  std::vector<int64_t> rows{2, 1};
  ASSERT_OK_AND_ASSIGN(auto taken, TakeRows(*second, rows));
  ASSERT_OK_AND_ASSIGN(auto again, ConcatenateBatches(first->schema(), {taken, first}));
  EXPECT_EQ(again->num_rows(), 5);
  EXPECT_EQ(Render(*again)[0], Render(*second)[2]);
  ColumnBuilder ints(DataType::Integer());
  ints.AppendInt(1);
  EXPECT_FALSE(Concatenate({first->column(2), ints.Finish()}).ok());
  ASSERT_OK_AND_ASSIGN(auto empty, ConcatenateBatches(first->schema(), {}));
  EXPECT_EQ(empty->num_rows(), 0);
}

}  // namespace
}  // namespace tributary::columnar
