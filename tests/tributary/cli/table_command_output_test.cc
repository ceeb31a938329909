#include "tributary/cli/table_command_output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/base/status_testing.h"
#include "tributary/columnar/column_builder.h"

namespace tributary::cli {
namespace {

using columnar::DataType;
using columnar::Field;

DataFrame Rows() {
  auto schema = std::make_shared<columnar::Schema>(std::vector<Field>{
      Field{"id", DataType::Long()}, Field{"name", DataType::String()}, Field{"ts", DataType::Timestamp()},
      Field{"amount", DataType::Decimal(10, 2)}, Field{"raw", DataType::Binary()}});
  columnar::ColumnBuilder id(DataType::Long()), name(DataType::String()), ts(DataType::Timestamp()),
      amount(DataType::Decimal(10, 2)), raw(DataType::Binary());
  id.AppendInt(1);
  name.AppendString("a,\"b\"");
  ts.AppendInt(1795824000123456);  // 2026-11-28T00:00:00.123456Z
  amount.AppendDecimal(150);
  raw.AppendString(std::string("\x01\xff", 2));
  id.AppendInt(2);
  name.AppendNull();
  ts.AppendNull();
  amount.AppendDecimal(-5);
  raw.AppendString("");
  std::vector<columnar::ColumnPtr> columns{id.Finish(), name.Finish(), ts.Finish(), amount.Finish(), raw.Finish()};
  auto batch = std::make_shared<columnar::RecordBatch>(schema, 2, std::move(columns));
  return DataFrame::FromBatches(Session(), schema, {batch});
}

TEST(RenderRowsTest, JsonFollowsSparkToJson) {
  ASSERT_OK_AND_ASSIGN(std::string text, RenderRows(Rows(), RowFormat::kJson, -1));
  EXPECT_EQ(text,
            "{\"id\":1,\"name\":\"a,\\\"b\\\"\",\"ts\":\"2026-11-28T00:00:00.123Z\",\"amount\":1.50,\"raw\":\"Af8=\"}\n"
            "{\"id\":2,\"amount\":-0.05,\"raw\":\"\"}\n");
}

TEST(RenderRowsTest, TableIsSparkShowWithALimit) {
  ASSERT_OK_AND_ASSIGN(std::string text, RenderRows(Rows(), RowFormat::kTable, 1));
  EXPECT_EQ(text,
            "+---+-----+--------------------------+------+-------+\n"
            "| id| name|                        ts|amount|    raw|\n"
            "+---+-----+--------------------------+------+-------+\n"
            "|  1|a,\"b\"|2026-11-28 00:00:00.123456|  1.50|[01 FF]|\n"
            "+---+-----+--------------------------+------+-------+\n"
            "only showing top 1 row\n");
}

TEST(RenderRowsTest, CsvQuotesWhatNeedsIt) {
  ASSERT_OK_AND_ASSIGN(std::string text, RenderRows(Rows(), RowFormat::kCsv, -1));
  EXPECT_EQ(text,
            "id,name,ts,amount,raw\n"
            "1,\"a,\"\"b\"\"\",2026-11-28 00:00:00.123456,1.50,[01 FF]\n"
            "2,,,-0.05,[]\n");
}

TEST(TableCommandOutputTest, SchemaTreeIsPrintSchema) {
  columnar::Schema schema({Field{"id", DataType::Long(), false},
                           Field{"tags", DataType::Array(DataType::String())},
                           Field{"s", DataType::Struct({Field{"m", DataType::Map(DataType::String(), DataType::Integer())}})}});
  EXPECT_EQ(SchemaTreeString(schema),
            "root\n"
            " |-- id: long (nullable = false)\n"
            " |-- tags: array (nullable = true)\n"
            " |    |-- element: string (containsNull = true)\n"
            " |-- s: struct (nullable = true)\n"
            " |    |-- m: map (nullable = true)\n"
            " |    |    |-- key: string\n"
            " |    |    |-- value: integer (valueContainsNull = true)\n");
}

TEST(TableCommandOutputTest, HistoryJsonPutsVersionAndCommitTimestampFirst) {
  delta::HistoryEntry entry;
  entry.version = 3;
  entry.timestamp_ms = 1795824000500;
  entry.info.json = R"({"timestamp":1,"engineInfo":"x","operation":"RESTORE","txnId":"t","userId":null,)"
                    R"("operationParameters":{"version":2,"timestamp":null},"operationMetrics":{"numFiles":3}})";
  EXPECT_EQ(HistoryJson({entry}),
            R"({"version":3,"timestamp":"2026-11-28T00:00:00.500Z","operation":"RESTORE",)"
            R"("operationParameters":{"version":"2","timestamp":null},"operationMetrics":{"numFiles":"3"},)"
            R"("engineInfo":"x"})"
            "\n");
  EXPECT_EQ(TimestampText(1795824000500), "2026-11-28 00:00:00.5");
  EXPECT_EQ(TimestampText(1795824000000), "2026-11-28 00:00:00");
}

TEST(TableCommandOutputTest, RestoreMetricsUseDeltaNames) {
  delta::RestoreMetrics metrics;
  metrics.version = 5;
  metrics.restored_version = 2;
  metrics.num_restored_files = 3;
  metrics.restored_files_size = 300;
  EXPECT_EQ(RestoreJson(metrics),
            R"({"version":5,"restoredVersion":2,"tableSizeAfterRestore":0,"numOfFilesAfterRestore":0,)"
            R"("numRemovedFiles":0,"numRestoredFiles":3,"removedFilesSize":0,"restoredFilesSize":300})"
            "\n");
  EXPECT_THAT(RestoreText(metrics), ::testing::StartsWith("restored version 2 as version 5\n"));
  EXPECT_THAT(RestoreText(metrics), ::testing::HasSubstr("numRestoredFiles        3\n"));
}

}  // namespace
}  // namespace tributary::cli
