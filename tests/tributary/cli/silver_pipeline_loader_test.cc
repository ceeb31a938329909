// The YAML form of the silver pipeline: transform steps and a declared merge build the
// same plan as the C++ chain, and mistakes are errors naming the key and the line.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/api/data_stream_reader.h"
#include "tributary/api/data_stream_writer.h"
#include "tributary/api/plan_description.h"
#include "tributary/api/session.h"
#include "tributary/api/trigger.h"
#include "tributary/base/status_testing.h"
#include "tributary/cli/pipeline_loader.h"

namespace tributary::cli {
namespace {

using ::testing::HasSubstr;
using namespace tributary::functions;

const std::string kSilverDir = std::string(TRIBUTARY_SOURCE_DIR) + "/examples/silver";

Result<streaming::QueryPlan> Parse(std::string_view yaml) { return ParsePipeline(yaml, "p.yaml", "/pipelines"); }

TEST(SilverPipelineLoaderTest, ExamplePipelineEqualsTheCppChain) {
  ASSERT_OK_AND_ASSIGN(streaming::QueryPlan from_yaml, LoadPipelineFile(kSilverDir + "/pipeline.yaml"));

  ASSERT_OK_AND_ASSIGN(Session session,
                       Session::builder().baseDirectory(kSilverDir).warehouse("./warehouse").getOrCreate());
  streaming::MergeSinkSpec merge;
  merge.into = "prod.silver.orders";
  merge.condition = "t.order_id = s.order_id";
  merge.latest_by = "updated_at";
  streaming::MergeClauseSpec update;
  update.kind = streaming::MergeClauseSpec::Kind::kMatchedUpdate;
  update.all = true;
  streaming::MergeClauseSpec insert;
  insert.kind = streaming::MergeClauseSpec::Kind::kNotMatchedInsert;
  insert.all = true;
  merge.clauses = {update, insert};
  ASSERT_OK_AND_ASSIGN(
      streaming::QueryPlan from_cpp,
      session.readStream()
          .format("kafka")
          .option("kafka.bootstrap.servers", "127.0.0.1:9092")
          .option("subscribe", "orders_topic")
          .option("startingOffsets", "earliest")
          .option("maxOffsetsPerTrigger", 100000)
          .load()
          .select({from_json(col("value").cast("string"),
                             "order_id STRING, status STRING, amount DOUBLE, updated_at TIMESTAMP")
                       .alias("data"),
                   col("timestamp").alias("kafka_ts")})
          .select(std::vector<std::string>{"data.*", "kafka_ts"})
          .where("order_id IS NOT NULL")
          .writeStream()
          .mergeInto(merge)
          .option("checkpointLocation", "./checkpoints/silver/orders")
          .trigger(Trigger::ProcessingTime("10 seconds"))
          .PlanForPath(""));

  EXPECT_EQ(DescribePlan(from_yaml), DescribePlan(from_cpp));
  std::string description = DescribePlan(from_yaml);
  EXPECT_THAT(description, HasSubstr("select from_json(CAST(value AS STRING)"));
  EXPECT_THAT(description, HasSubstr("where (order_id IS NOT NULL)"));
  EXPECT_THAT(description, HasSubstr("sink.merge.into: prod.silver.orders"));
  EXPECT_THAT(description, HasSubstr("whenMatched update *"));
  ASSERT_EQ(from_yaml.transforms.size(), 3u);
  ASSERT_TRUE(from_yaml.sink.merge.has_value());
  EXPECT_EQ(from_yaml.sink.merge->latest_by, "updated_at");
  EXPECT_EQ(from_yaml.sink.trigger.interval_ms, 10000);
}

TEST(SilverPipelineLoaderTest, MergeClausesOfEveryKind) {
  ASSERT_OK_AND_ASSIGN(streaming::QueryPlan plan, Parse(R"yaml(
source: {format: kafka, options: {kafka.bootstrap.servers: "h:1", subscribe: t}}
transform:
  - withColumn: {doubled: "amount * 2", status: "upper(status)"}
  - drop: [junk]
sink:
  merge:
    into: ./tables/orders
    on: "t.id = s.id"
    targetAlias: t
    sourceAlias: s
    whenMatched:
      - {delete: true, condition: "s.op = 'D'"}
      - {update: {amount: "t.amount + s.amount"}, condition: "s.op = 'A'"}
      - {update: "*"}
    whenNotMatched: [{insert: {id: "s.id", amount: "s.amount"}}]
    whenNotMatchedBySource: [{update: {status: "'stale'"}, condition: "t.status <> 'stale'"}, {delete: true}]
  options: {checkpointLocation: ./cp}
)yaml"));
  ASSERT_TRUE(plan.sink.merge.has_value());
  const streaming::MergeSinkSpec& merge = *plan.sink.merge;
  EXPECT_EQ(merge.into, "/pipelines/tables/orders");
  using Kind = streaming::MergeClauseSpec::Kind;
  ASSERT_EQ(merge.clauses.size(), 6u);
  EXPECT_EQ(merge.clauses[0].kind, Kind::kMatchedDelete);
  EXPECT_EQ(merge.clauses[0].condition, "s.op = 'D'");
  EXPECT_EQ(merge.clauses[1].kind, Kind::kMatchedUpdate);
  EXPECT_EQ(merge.clauses[1].assignments,
            (std::vector<std::pair<std::string, std::string>>{{"amount", "t.amount + s.amount"}}));
  EXPECT_TRUE(merge.clauses[2].all);
  EXPECT_EQ(merge.clauses[3].kind, Kind::kNotMatchedInsert);
  EXPECT_EQ(merge.clauses[4].kind, Kind::kNotMatchedBySourceUpdate);
  EXPECT_EQ(merge.clauses[5].kind, Kind::kNotMatchedBySourceDelete);
  ASSERT_EQ(plan.transforms.size(), 3u);  // two withColumn steps, one drop
  EXPECT_EQ(plan.transforms[0].names, std::vector<std::string>{"doubled"});
  EXPECT_EQ(plan.transforms[2].kind, streaming::TransformStep::Kind::kDrop);
}

TEST(SilverPipelineLoaderTest, MistakesNameTheKeyAndTheLine) {
  auto error = [](std::string_view yaml) {
    Result<streaming::QueryPlan> plan = Parse(yaml);
    EXPECT_FALSE(plan.ok());
    return plan.status().message();
  };
  const char* source = "source: {format: kafka, options: {kafka.bootstrap.servers: \"h:1\", subscribe: t}}\n";
  EXPECT_THAT(error(std::string(source) + "transform:\n  - selekt: [a]\nsink: {path: ./x}\n"),
              HasSubstr("p.yaml:3:5: unknown key 'selekt' in 'transform[0]'"));
  EXPECT_THAT(error(std::string(source) + "transform:\n  - select: [\"from_json(value,\"]\nsink: {path: ./x}\n"),
              HasSubstr("p.yaml:3:"));
  EXPECT_THAT(error(std::string(source) +
                    "sink:\n  merge:\n    into: c.s.t\n    whenMatched: [{update: \"*\"}]\n"
                    "  options: {checkpointLocation: ./cp}\n"),
              HasSubstr("needs 'on'"));
  EXPECT_THAT(error(std::string(source) +
                    "sink:\n  merge:\n    into: c.s.t\n    on: \"t.id = s.id\"\n"
                    "    whenMatched: [{update: \"*\"}, {delete: true}]\n"
                    "  options: {checkpointLocation: ./cp}\n"),
              HasSubstr("not the last clause of its kind"));
  EXPECT_THAT(error(std::string(source) +
                    "sink:\n  merge:\n    into: c.s.t\n    on: \"t.id = s.id\"\n"
                    "    whenNotMatched: [{update: \"*\"}]\n"
                    "  options: {checkpointLocation: ./cp}\n"),
              HasSubstr("unknown key 'update' in 'sink.merge.whenNotMatched[0]'"));
  EXPECT_THAT(error(std::string(source) +
                    "sink:\n  merge:\n    into: c.s.t\n    on: \"t.id > s.id\"\n    latestBy: ts\n"
                    "    whenMatched: [{update: \"*\"}]\n"
                    "  options: {checkpointLocation: ./cp}\n"),
              HasSubstr("no equality"));
  EXPECT_THAT(error(std::string(source) +
                    "sink:\n  table: c.s.t\n  merge: {into: c.s.t, on: \"t.id = s.id\", whenMatched: [{delete: true}]}\n"
                    "  options: {checkpointLocation: ./cp}\n"),
              HasSubstr("names its own target"));
  EXPECT_THAT(error(std::string(source) +
                    "sink:\n  merge: {into: orders, on: \"t.id = s.id\", whenMatched: [{delete: true}]}\n"
                    "  options: {checkpointLocation: ./cp}\n"),
              HasSubstr("merge 'into'"));
  EXPECT_THAT(error(std::string(source) +
                    "sink:\n  merge: {into: c.s.t, on: \"t.id = s.id\", keys: [id], whenMatched: [{delete: true}]}\n"
                    "  options: {checkpointLocation: ./cp}\n"),
              HasSubstr("give latestBy too"));
  EXPECT_THAT(error(std::string(source) +
                    "sink:\n  partitionBy: [status]\n"
                    "  merge: {into: c.s.t, on: \"t.id = s.id\", whenMatched: [{delete: true}]}\n"
                    "  options: {checkpointLocation: ./cp}\n"),
              HasSubstr("partitionBy applies to a table the query creates"));
}

}  // namespace
}  // namespace tributary::cli
