#include "tributary/api/data_stream_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/api/data_stream_reader.h"
#include "tributary/api/plan_description.h"
#include "tributary/api/session.h"
#include "tributary/api/trigger.h"
#include "tributary/base/status_testing.h"

namespace tributary {
namespace {

using ::testing::HasSubstr;
using Kind = streaming::TriggerSpec::Kind;

Session TestSession() {
  Result<Session> session = Session::builder().baseDirectory("/data/project").warehouse("./wh").getOrCreate();
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  return session.MoveValue();
}

TEST(SessionTest, ResolvesRelativePathsAgainstTheBaseDirectory) {
  Session session = TestSession();
  EXPECT_EQ(session.warehouse(), "/data/project/wh");
  EXPECT_EQ(session.ResolvePath("./landing/events/"), "/data/project/landing/events/");
  EXPECT_EQ(session.ResolvePath("../other/x"), "/data/other/x");
  EXPECT_EQ(session.ResolvePath("/abs/path"), "/abs/path");
  EXPECT_EQ(session.ResolvePath("s3://bucket/key"), "s3://bucket/key");
  EXPECT_EQ(session.ResolvePath("file:/tmp/x"), "file:/tmp/x");
}

TEST(SessionTest, DefaultSessionUsesTheWorkingDirectory) {
  Session session;
  EXPECT_FALSE(session.baseDirectory().empty());
  EXPECT_EQ(session.warehouse(), session.ResolvePath("warehouse"));
}

TEST(TriggerTest, Kinds) {
  EXPECT_EQ(Trigger::AvailableNow().spec().kind, Kind::kAvailableNow);
  EXPECT_EQ(Trigger::Once().spec().kind, Kind::kOnce);
  Trigger five_minutes = Trigger::ProcessingTime("5 minutes");
  ASSERT_OK(five_minutes.status());
  EXPECT_EQ(five_minutes.spec().kind, Kind::kProcessingTime);
  EXPECT_EQ(five_minutes.spec().interval_ms, 300000);
  EXPECT_EQ(Trigger::ProcessingTime(int64_t{1500}).spec().interval_ms, 1500);
  EXPECT_THAT(Trigger::ProcessingTime("5 minuts").status().message(), HasSubstr("processingTime"));
  EXPECT_TRUE(Trigger::ProcessingTime(int64_t{-1}).status().IsInvalid());
}

TEST(DataStreamWriterTest, BuildsThePlanOfTheChain) {
  Session session = TestSession();
  ASSERT_OK_AND_ASSIGN(streaming::QueryPlan plan,
                       session.readStream()
                           .format("cloudFiles")
                           .option("cloudFiles.format", "json")
                           .option("cloudFiles.schemaLocation", "./checkpoints/schema")
                           .option("cloudFiles.inferColumnTypes", true)
                           .option("cloudFiles.maxFilesPerTrigger", 10)
                           .option("cloudFiles.maxBytesPerTrigger", int64_t{1} << 30)
                           .load("landing")
                           .writeStream()
                           .format("delta")
                           .option("checkpointLocation", "./checkpoints/bronze")
                           .option("mergeSchema", false)
                           .partitionBy("event_type", "day")
                           .queryName("raw_events")
                           .trigger(Trigger::ProcessingTime("10 seconds"))
                           .PlanForTable("prod.bronze.raw_events"));
  EXPECT_EQ(plan.warehouse, "/data/project/wh");
  EXPECT_EQ(plan.source.format, "cloudFiles");
  EXPECT_EQ(plan.source.path, "/data/project/landing");
  EXPECT_EQ(plan.source.options.Get("CLOUDFILES.FORMAT"), "json");
  EXPECT_EQ(plan.source.options.Get("cloudFiles.schemaLocation"), "/data/project/checkpoints/schema");
  EXPECT_EQ(plan.source.options.Get("cloudFiles.inferColumnTypes"), "true");
  EXPECT_EQ(plan.source.options.Get("cloudFiles.maxFilesPerTrigger"), "10");
  EXPECT_EQ(plan.source.options.Get("cloudFiles.maxBytesPerTrigger"), "1073741824");
  EXPECT_FALSE(plan.source.user_schema.has_value());
  EXPECT_EQ(plan.sink.format, "delta");
  EXPECT_EQ(plan.sink.table_name, "prod.bronze.raw_events");
  EXPECT_FALSE(plan.sink.path.has_value());
  EXPECT_EQ(plan.sink.options.Get("checkpointLocation"), "/data/project/checkpoints/bronze");
  EXPECT_EQ(plan.sink.options.Get("mergeSchema"), "false");
  EXPECT_THAT(plan.sink.partition_by, ::testing::ElementsAre("event_type", "day"));
  EXPECT_EQ(plan.sink.query_name, "raw_events");
  EXPECT_EQ(plan.sink.output_mode, "append");
  EXPECT_EQ(plan.sink.trigger.kind, Kind::kProcessingTime);
  EXPECT_EQ(plan.sink.trigger.interval_ms, 10000);
}

TEST(DataStreamWriterTest, UserSchemaFromDdl) {
  Session session = TestSession();
  ASSERT_OK_AND_ASSIGN(streaming::QueryPlan plan, session.readStream()
                                                      .format("cloudFiles")
                                                      .schema("id BIGINT, user STRUCT<name: STRING>")
                                                      .load("in")
                                                      .writeStream()
                                                      .PlanForPath("out"));
  ASSERT_TRUE(plan.source.user_schema.has_value());
  EXPECT_EQ(plan.source.user_schema->num_fields(), 2);
  EXPECT_EQ(plan.sink.path, "/data/project/out");
  EXPECT_FALSE(plan.sink.table_name.has_value());
}

TEST(DataStreamWriterTest, PathFromOption) {
  Session session = TestSession();
  DataStreamWriter writer = session.readStream().format("cloudFiles").load("in").writeStream();
  writer.option("path", "tables/t");
  ASSERT_OK_AND_ASSIGN(streaming::QueryPlan plan, writer.PlanForPath(""));
  EXPECT_EQ(plan.sink.path, "/data/project/tables/t");
  EXPECT_THAT(writer.PlanForPath("elsewhere").status().message(), HasSubstr("give the path once"));
}

// The first error of the chain comes out of the terminal call, whatever follows it.
TEST(DataStreamWriterTest, FirstErrorReachesTheTerminalCall) {
  Session session = TestSession();
  Result<streaming::QueryPlan> no_format = session.readStream().load("in").writeStream().PlanForTable("a.b.c");
  EXPECT_TRUE(no_format.status().IsInvalid());
  EXPECT_THAT(no_format.status().message(), HasSubstr("format"));

  Result<streaming::QueryPlan> bad_schema = session.readStream()
                                                .format("cloudFiles")
                                                .schema("id BIGINTT")
                                                .load("in")
                                                .writeStream()
                                                .PlanForTable("a.b.c");
  EXPECT_THAT(bad_schema.status().message(), HasSubstr("BIGINTT"));

  Result<streaming::QueryPlan> bad_trigger = session.readStream()
                                                 .format("cloudFiles")
                                                 .load("in")
                                                 .writeStream()
                                                 .trigger(Trigger::ProcessingTime("soon"))
                                                 .outputMode("append")
                                                 .PlanForTable("a.b.c");
  EXPECT_THAT(bad_trigger.status().message(), HasSubstr("processingTime"));

  Result<streaming::QueryPlan> complete =
      session.readStream().format("cloudFiles").load("in").writeStream().outputMode("complete").PlanForTable("a.b.c");
  EXPECT_THAT(complete.status().message(), HasSubstr("complete"));

  Result<streaming::QueryPlan> bad_name =
      session.readStream().format("cloudFiles").load("in").writeStream().PlanForTable("a..c");
  EXPECT_TRUE(bad_name.status().IsInvalid());

  Result<streaming::QueryPlan> no_path = session.readStream().format("cloudFiles").load().writeStream().PlanForTable("a.b.c");
  EXPECT_THAT(no_path.status().message(), HasSubstr("path"));
}

TEST(DataStreamWriterTest, StartFailsBeforeTheEngineOnAnInvalidChain) {
  Session session = TestSession();
  Result<StreamingQuery> query = session.readStream().format("").load("in").writeStream().toTable("a.b.c");
  EXPECT_TRUE(query.status().IsInvalid());
}

TEST(PlanDescriptionTest, EqualPlansDescribeEqually) {
  Session session = TestSession();
  auto build = [&](bool infer) {
    return session.readStream()
        .format("cloudFiles")
        .option("cloudFiles.inferColumnTypes", infer)
        .option("cloudFiles.format", "json")
        .load("in")
        .writeStream()
        .trigger(Trigger::AvailableNow())
        .PlanForTable("a.b.c");
  };
  ASSERT_OK_AND_ASSIGN(streaming::QueryPlan first, build(true));
  ASSERT_OK_AND_ASSIGN(streaming::QueryPlan second, build(true));
  ASSERT_OK_AND_ASSIGN(streaming::QueryPlan third, build(false));
  EXPECT_EQ(DescribePlan(first), DescribePlan(second));
  EXPECT_NE(DescribePlan(first), DescribePlan(third));
  EXPECT_THAT(DescribePlan(first), HasSubstr("sink.trigger: availableNow\n"));
  EXPECT_THAT(DescribePlan(first), HasSubstr("    cloudFiles.format = json\n"));
}

}  // namespace
}  // namespace tributary
