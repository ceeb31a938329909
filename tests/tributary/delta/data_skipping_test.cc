#include "tributary/delta/data_skipping.h"

#include <gtest/gtest.h>

#include "tributary/columnar/temporal.h"

namespace tributary::delta {
namespace {

using columnar::DataType;
using columnar::Field;

columnar::Schema TestSchema() {
  return columnar::Schema({Field{"id", DataType::Long()}, Field{"name", DataType::String()},
                           Field{"ts", DataType::Timestamp()}, Field{"d", DataType::Date()},
                           Field{"amount", DataType::Decimal(10, 2)},
                           Field{"nested", DataType::Struct({Field{"x", DataType::Integer()}})},
                           Field{"p", DataType::Integer()}});
}

AddFile File(std::string stats, std::optional<std::string> p = "1") {
  AddFile file;
  file.path = "f.parquet";
  file.stats = std::move(stats);
  file.partition_values["p"] = std::move(p);
  return file;
}

bool May(const ColumnConstraint& c, const AddFile& file) {
  return FileSkipper(TestSchema(), {"p"}, FilePredicate{{c}}).MayMatch(file);
}

const char* kStats =
    R"({"numRecords":10,"minValues":{"id":5,"name":"apple","ts":"2024-01-01T00:00:00.000Z","d":"2024-01-01",)"
    R"("amount":1.50,"nested":{"x":3}},"maxValues":{"id":15,"name":"melon","ts":"2024-01-02T10:00:00.123Z",)"
    R"("d":"2024-01-31","amount":99.99,"nested":{"x":7}},"nullCount":{"id":0,"name":2,"ts":0,"d":0,"amount":0,"nested":{"x":0}}})";

TEST(DataSkipping, IntegerBounds) {
  AddFile file = File(kStats);
  EXPECT_TRUE(May(ColumnConstraint::Equal("id", int64_t{5}), file));
  EXPECT_TRUE(May(ColumnConstraint::Equal("id", int64_t{15}), file));
  EXPECT_FALSE(May(ColumnConstraint::Equal("id", int64_t{4}), file));
  EXPECT_FALSE(May(ColumnConstraint::Equal("id", int64_t{16}), file));
  EXPECT_FALSE(May(ColumnConstraint::Greater("id", int64_t{15}, false), file));
  EXPECT_TRUE(May(ColumnConstraint::Greater("id", int64_t{15}, true), file));
  EXPECT_FALSE(May(ColumnConstraint::Less("id", int64_t{5}, false), file));
  EXPECT_TRUE(May(ColumnConstraint::Between("id", int64_t{0}, int64_t{5}), file));
  EXPECT_FALSE(May(ColumnConstraint::In("id", {int64_t{1}, int64_t{20}}), file));
  EXPECT_TRUE(May(ColumnConstraint::In("id", {int64_t{1}, int64_t{7}}), file));
  EXPECT_FALSE(May(ColumnConstraint::In("id", {}), file));
  EXPECT_TRUE(May(ColumnConstraint::Equal("ID", int64_t{7}), file));  // names ignore case
}

TEST(DataSkipping, NestedDecimalDateAndTimestamp) {
  AddFile file = File(kStats);
  EXPECT_FALSE(May(ColumnConstraint::Equal("nested.x", int64_t{8}), file));
  EXPECT_TRUE(May(ColumnConstraint::Equal("nested.x", int64_t{7}), file));
  EXPECT_FALSE(May(ColumnConstraint::Equal("amount", 100.0), file));
  EXPECT_TRUE(May(ColumnConstraint::Equal("amount", 99.99), file));
  EXPECT_FALSE(May(ColumnConstraint::Equal("d", int64_t{*columnar::ParseDate("2024-02-01")}), file));
  EXPECT_TRUE(May(ColumnConstraint::Equal("d", int64_t{*columnar::ParseDate("2024-01-31")}), file));
  // The max timestamp is truncated to milliseconds: 10:00:00.123999 may be in the file.
  EXPECT_TRUE(May(ColumnConstraint::Equal("ts", *columnar::ParseTimestamp("2024-01-02T10:00:00.123999Z")), file));
  EXPECT_FALSE(May(ColumnConstraint::Equal("ts", *columnar::ParseTimestamp("2024-01-03T00:00:00Z")), file));
}

TEST(DataSkipping, StringsAreComparedBytewiseAndTruncatedMaximaWidened) {
  AddFile file = File(kStats);
  EXPECT_FALSE(May(ColumnConstraint::Equal("name", std::string("zebra")), file));
  EXPECT_FALSE(May(ColumnConstraint::Equal("name", std::string("aardvark")), file));
  EXPECT_TRUE(May(ColumnConstraint::Equal("name", std::string("banana")), file));
  // A max that may be a truncated prefix: "melonade" > "melon" may still be there.
  EXPECT_TRUE(May(ColumnConstraint::Equal("name", std::string("melonade")), file));
}

TEST(DataSkipping, NullsMissingStatsAndPartitions) {
  // Every value of name is null: no bound can match.
  AddFile all_null = File(R"({"numRecords":3,"nullCount":{"name":3}})");
  EXPECT_FALSE(May(ColumnConstraint::Equal("name", std::string("x")), all_null));
  AddFile no_stats = File("");
  EXPECT_TRUE(May(ColumnConstraint::Equal("id", int64_t{1000}), no_stats));
  AddFile bad_stats = File("{not json");
  EXPECT_TRUE(May(ColumnConstraint::Equal("id", int64_t{1000}), bad_stats));
  EXPECT_TRUE(May(ColumnConstraint::Equal("unknown_column", int64_t{1}), File(kStats)));
  EXPECT_TRUE(May(ColumnConstraint::Equal("p", int64_t{1}), File(kStats, "1")));
  EXPECT_FALSE(May(ColumnConstraint::Equal("p", int64_t{2}), File(kStats, "1")));
  EXPECT_FALSE(May(ColumnConstraint::Equal("p", int64_t{1}), File(kStats, std::nullopt)));
  EXPECT_TRUE(May(ColumnConstraint::In("p", {int64_t{3}, int64_t{1}}), File(kStats, "1")));
}

TEST(DataSkipping, PredicateText) {
  FilePredicate predicate{{ColumnConstraint::Between("id", int64_t{1}, int64_t{9}),
                           ColumnConstraint::In("name", {std::string("a'b"), std::string("c")}),
                           ColumnConstraint::Equal("p", int64_t{3})}};
  EXPECT_EQ(predicate.ToString(), "id >= 1 AND id <= 9 AND name IN ('a''b', 'c') AND p = 3");
  EXPECT_EQ(FilePredicate{}.ToString(), "true");
}

}  // namespace
}  // namespace tributary::delta
