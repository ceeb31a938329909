#include "tributary/delta/stats.h"

#include <gmock/gmock.h>

#include <limits>

#include "delta_testing.h"

namespace tributary::delta {
namespace {

using columnar::DataType;
using columnar::Field;

columnar::Schema WideSchema() {
  return columnar::Schema({
      Field{"id", DataType::Long()},
      Field{"name", DataType::String()},
      Field{"price", DataType::Double()},
      Field{"ts", DataType::Timestamp()},
      Field{"ntz", DataType::TimestampNtz()},
      Field{"day", DataType::Date()},
      Field{"amount", DataType::Decimal(10, 2)},
      Field{"nested", DataType::Struct({Field{"a", DataType::Integer()}, Field{"b", DataType::String()}})},
      Field{"tags", DataType::Array(DataType::String())},
      Field{"flag", DataType::Boolean()},
      Field{"raw", DataType::Binary()},
      Field{"ratio", DataType::Float()},
  });
}

columnar::RecordBatchPtr WideBatch(int64_t first_id, bool nested_null_row) {
  auto schema = WideSchema();
  auto b = testing::Builders(schema);
  for (int i = 0; i < 3; ++i) {
    b[0].AppendInt(first_id + i);
    if (i == 1) {
      b[1].AppendNull();
    } else {
      b[1].AppendString(i == 0 ? "apple" : "banana");
    }
    b[2].AppendDouble(i == 2 ? -1.5 : 2.25 * i);
    b[3].AppendInt(1706696430123456 + i * 1000000);  // 2024-01-31T10:20:30.123456Z + i s
    b[4].AppendInt(1706696430999999);
    b[5].AppendInt(19753 + i);
    b[6].AppendDecimal(12345 - i * 100);
    if (nested_null_row && i == 2) {
      b[7].AppendNull();
    } else {
      b[7].child(0).AppendInt(10 * i);
      b[7].child(1).AppendString("x");
      b[7].AppendStructValid();
    }
    b[8].child(0).AppendString("t");
    b[8].AppendListEnd();
    b[9].AppendBool(i == 0);
    b[10].AppendString("\x01\x02");
    b[11].AppendDouble(0.1);
  }
  return testing::MakeBatch(schema, b);
}

TEST(Stats, MinMaxNullCountLikeSpark) {
  StatsCollector stats(WideSchema(), StatsOptions{});
  stats.Update(*WideBatch(5, /*nested_null_row=*/true));
  EXPECT_EQ(stats.num_records(), 3);
  EXPECT_EQ(stats.ToJson(),
            R"({"numRecords":3,)"
            R"("minValues":{"id":5,"name":"apple","price":-1.5,"ts":"2024-01-31T10:20:30.123Z",)"
            R"("ntz":"2024-01-31T10:20:30.999","day":"2024-01-31","amount":121.45,"nested":{"a":0,"b":"x"},"ratio":0.1},)"
            R"("maxValues":{"id":7,"name":"banana","price":2.25,"ts":"2024-01-31T10:20:32.123Z",)"
            R"("ntz":"2024-01-31T10:20:30.999","day":"2024-02-02","amount":123.45,"nested":{"a":10,"b":"x"},"ratio":0.1},)"
            R"("nullCount":{"id":0,"name":1,"price":0,"ts":0,"ntz":0,"day":0,"amount":0,)"
            R"("nested":{"a":1,"b":1},"tags":0,"flag":0,"raw":0,"ratio":0}})");
}

TEST(Stats, AccumulatesAcrossBatches) {
  StatsCollector stats(WideSchema(), StatsOptions{});
  stats.Update(*WideBatch(5, false));
  stats.Update(*WideBatch(-3, false));
  EXPECT_EQ(stats.num_records(), 6);
  EXPECT_THAT(stats.ToJson(), ::testing::HasSubstr(R"("minValues":{"id":-3,)"));
  EXPECT_THAT(stats.ToJson(), ::testing::HasSubstr(R"("maxValues":{"id":7,)"));
  EXPECT_THAT(stats.ToJson(), ::testing::HasSubstr(R"("name":2,)"));
}

TEST(Stats, OnlyFirstIndexedLeafColumns) {
  StatsOptions options;
  options.num_indexed_cols = 8;  // id..amount (7 leaves) + nested.a
  StatsCollector stats(WideSchema(), options);
  stats.Update(*WideBatch(0, false));
  std::string json = stats.ToJson();
  EXPECT_THAT(json, ::testing::HasSubstr(R"("nested":{"a":0})"));
  EXPECT_THAT(json, ::testing::Not(::testing::HasSubstr("\"b\"")));
  EXPECT_THAT(json, ::testing::Not(::testing::HasSubstr("tags")));
  EXPECT_THAT(json, ::testing::Not(::testing::HasSubstr("ratio")));
}

TEST(Stats, LongStringsAreTruncatedToAPrefix) {
  columnar::Schema schema({Field{"s", DataType::String()}});
  auto b = testing::Builders(schema);
  std::string long_a(40, 'a');
  std::string long_b = std::string(32, 'b') + "tail";
  b[0].AppendString(long_a);
  b[0].AppendString(long_b);
  StatsCollector stats(schema, StatsOptions{});
  stats.Update(*testing::MakeBatch(schema, b));
  std::string json = stats.ToJson();
  EXPECT_THAT(json, ::testing::HasSubstr("\"minValues\":{\"s\":\"" + std::string(32, 'a') + "\"}"));
  // The truncated max stays an upper bound: the prefix plus U+10FFFF.
  EXPECT_THAT(json, ::testing::HasSubstr("\"maxValues\":{\"s\":\"" + std::string(32, 'b') +
                                         "\xF4\x8F\xBF\xBF\"}"));
}

TEST(Stats, NonFiniteFloatsDropMinMax) {
  columnar::Schema schema({Field{"d", DataType::Double()}, Field{"e", DataType::Double()}});
  auto b = testing::Builders(schema);
  b[0].AppendDouble(1.0);
  b[0].AppendDouble(std::numeric_limits<double>::quiet_NaN());
  b[1].AppendDouble(1.0);
  b[1].AppendNull();
  StatsCollector stats(schema, StatsOptions{});
  stats.Update(*testing::MakeBatch(schema, b));
  EXPECT_EQ(stats.ToJson(),
            R"({"numRecords":2,"minValues":{"e":1.0},"maxValues":{"e":1.0},"nullCount":{"d":0,"e":1}})");
}

}  // namespace
}  // namespace tributary::delta

namespace tributary::delta {
namespace {

TEST(Stats, StatsColumnsPropertyPicksColumns) {
  EXPECT_EQ(ParseStatsColumns(" id, nested.b ,`we.ird`.x"),
            (std::vector<std::string>{"id", "nested.b", "we.ird.x"}));
  StatsOptions options;
  options.stats_columns = {"RATIO", "nested.b"};
  StatsCollector stats(WideSchema(), options);
  stats.Update(*WideBatch(0, false));
  EXPECT_EQ(stats.ToJson(),
            R"({"numRecords":3,"minValues":{"nested":{"b":"x"},"ratio":0.1},)"
            R"("maxValues":{"nested":{"b":"x"},"ratio":0.1},"nullCount":{"nested":{"b":0},"ratio":0}})");
}

}  // namespace
}  // namespace tributary::delta
