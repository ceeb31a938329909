#include "tributary/format/type_merge.h"

#include <gtest/gtest.h>

namespace tributary::format {
namespace {

using columnar::DataType;
using columnar::Field;
using columnar::Schema;

TEST(MergeInferredTypesTest, WidensAsSparkJsonInference) {
  EXPECT_EQ(MergeInferredTypes(DataType::Long(), DataType::Double())->id(), columnar::TypeId::kDouble);
  EXPECT_EQ(MergeInferredTypes(nullptr, DataType::Boolean())->id(), columnar::TypeId::kBoolean);
  EXPECT_EQ(MergeInferredTypes(DataType::Long(), DataType::Boolean())->id(), columnar::TypeId::kString);
  auto a = DataType::Struct({Field{"x", DataType::Long()}});
  auto b = DataType::Struct({Field{"x", DataType::Double()}, Field{"y", DataType::String()}});
  EXPECT_EQ(MergeInferredTypes(a, b)->SimpleString(), "struct<x:double,y:string>");
  EXPECT_EQ(MergeInferredTypes(a, DataType::Long())->id(), columnar::TypeId::kString);
}

// Two files with different fields give the same schema whichever is read first.
TEST(SortStructFieldsTest, OrdersEveryLevelByName) {
  Schema first({Field{"b", DataType::Long()}, Field{"a", DataType::Struct({Field{"z", DataType::Long()}})}});
  Schema second({Field{"c", DataType::String()}, Field{"a", DataType::Struct({Field{"y", DataType::Long()}})}});
  auto one = SortStructFields(MergeInferredSchemas(first, second).AsStruct());
  auto other = SortStructFields(MergeInferredSchemas(second, first).AsStruct());
  EXPECT_EQ(one->SimpleString(), "struct<a:struct<y:bigint,z:bigint>,b:bigint,c:string>");
  EXPECT_TRUE(one->Equals(*other));
  auto in_array = DataType::Array(DataType::Struct({Field{"q", DataType::Long()}, Field{"p", DataType::Long()}}));
  EXPECT_EQ(SortStructFields(in_array)->SimpleString(), "array<struct<p:bigint,q:bigint>>");
}

}  // namespace
}  // namespace tributary::format
