#include "tributary/cli/pipeline_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/api/data_stream_reader.h"
#include "tributary/api/data_stream_writer.h"
#include "tributary/api/plan_description.h"
#include "tributary/api/session.h"
#include "tributary/api/trigger.h"
#include "tributary/base/status_testing.h"

namespace tributary::cli {
namespace {

using ::testing::HasSubstr;
using Kind = streaming::TriggerSpec::Kind;

const std::string kExampleDir = std::string(TRIBUTARY_SOURCE_DIR) + "/examples/bronze";

Result<streaming::QueryPlan> Parse(std::string_view yaml) { return ParsePipeline(yaml, "p.yaml", "/pipelines"); }

// The example pipeline and the seed's chain in C++ (as in examples/bronze/bronze_json.cc)
// must build the same plan.
TEST(PipelineLoaderTest, ExamplePipelineEqualsTheCppChain) {
  ASSERT_OK_AND_ASSIGN(streaming::QueryPlan from_yaml, LoadPipelineFile(kExampleDir + "/pipeline.yaml"));

  ASSERT_OK_AND_ASSIGN(Session session,
                       Session::builder().baseDirectory(kExampleDir).warehouse("./warehouse").getOrCreate());
  ASSERT_OK_AND_ASSIGN(streaming::QueryPlan from_cpp,
                       session.readStream()
                           .format("cloudFiles")
                           .option("cloudFiles.format", "json")
                           .option("cloudFiles.schemaLocation", "./checkpoints/schema/raw_events")
                           .option("cloudFiles.inferColumnTypes", true)
                           .load("./landing/events/")
                           .writeStream()
                           .format("delta")
                           .option("checkpointLocation", "./checkpoints/bronze/raw_events")
                           .option("mergeSchema", true)
                           .trigger(Trigger::AvailableNow())
                           .PlanForTable("prod.bronze.raw_events"));

  EXPECT_EQ(DescribePlan(from_yaml), DescribePlan(from_cpp));
  EXPECT_EQ(from_yaml.warehouse, kExampleDir + "/warehouse");
  EXPECT_EQ(from_yaml.source.path, kExampleDir + "/landing/events/");
  EXPECT_EQ(from_yaml.source.options.values(), from_cpp.source.options.values());
  EXPECT_EQ(from_yaml.sink.options.values(), from_cpp.sink.options.values());
  EXPECT_EQ(from_yaml.sink.options.Get("checkpointLocation"), kExampleDir + "/checkpoints/bronze/raw_events");
  EXPECT_EQ(from_yaml.source.options.Get("cloudFiles.inferColumnTypes"), "true");
  EXPECT_EQ(from_yaml.sink.table_name, "prod.bronze.raw_events");
  EXPECT_EQ(from_yaml.sink.trigger.kind, Kind::kAvailableNow);
}

TEST(PipelineLoaderTest, CsvExamplePipelineLoads) {
  ASSERT_OK_AND_ASSIGN(streaming::QueryPlan plan, LoadPipelineFile(kExampleDir + "/pipeline_csv.yaml"));
  EXPECT_EQ(plan.source.options.Get("cloudFiles.format"), "csv");
  EXPECT_EQ(plan.source.options.Get("header"), "true");
  EXPECT_EQ(plan.sink.table_name, "prod.bronze.orders");
}

TEST(PipelineLoaderTest, ScalarsBecomeSparkOptionStrings) {
  ASSERT_OK_AND_ASSIGN(streaming::QueryPlan plan, Parse(R"(
source:
  format: cloudFiles
  path: /in
  options: {a: true, b: False, c: 10, d: 2.5, e: "True", f: 'x y', g: 64m}
sink:
  path: out
  trigger: {processingTime: "5 minutes"}
  partitionBy: day
  outputMode: append
  queryName: q
)"));
  const OptionMap& options = plan.source.options;
  EXPECT_EQ(options.Get("a"), "true");
  EXPECT_EQ(options.Get("b"), "false");
  EXPECT_EQ(options.Get("c"), "10");
  EXPECT_EQ(options.Get("d"), "2.5");
  EXPECT_EQ(options.Get("e"), "True");  // quoted: as written
  EXPECT_EQ(options.Get("f"), "x y");
  EXPECT_EQ(options.Get("g"), "64m");
  EXPECT_EQ(plan.sink.path, "/pipelines/out");
  EXPECT_EQ(plan.warehouse, "/pipelines/warehouse");
  EXPECT_EQ(plan.sink.format, "delta");
  EXPECT_EQ(plan.sink.trigger.kind, Kind::kProcessingTime);
  EXPECT_EQ(plan.sink.trigger.interval_ms, 300000);
  EXPECT_THAT(plan.sink.partition_by, ::testing::ElementsAre("day"));
  EXPECT_EQ(plan.sink.query_name, "q");
}

TEST(PipelineLoaderTest, TriggersAndDefaults) {
  ASSERT_OK_AND_ASSIGN(streaming::QueryPlan once, Parse("source: {format: cloudFiles, path: /in}\n"
                                                        "sink: {table: a.b.c, trigger: {once: true}}\n"));
  EXPECT_EQ(once.sink.trigger.kind, Kind::kOnce);
  ASSERT_OK_AND_ASSIGN(streaming::QueryPlan none, Parse("source: {format: cloudFiles, path: /in}\n"
                                                        "sink: {table: a.b.c, partitionBy: [x, y]}\n"));
  EXPECT_EQ(none.sink.trigger.kind, Kind::kDefault);
  EXPECT_THAT(none.sink.partition_by, ::testing::ElementsAre("x", "y"));
}

TEST(PipelineLoaderTest, UnknownKeysNameTheKeyTheFileAndTheLine) {
  Result<streaming::QueryPlan> top = Parse("source: {format: cloudFiles, path: /in}\nsink: {table: a.b.c}\nsinks: {}\n");
  EXPECT_TRUE(top.status().IsInvalid());
  EXPECT_THAT(top.status().message(), HasSubstr("p.yaml:3:1: unknown key 'sinks'"));

  Result<streaming::QueryPlan> nested = Parse(R"(source:
  format: cloudFiles
  path: /in
  option: {a: b}
sink: {table: a.b.c}
)");
  EXPECT_THAT(nested.status().message(), HasSubstr("p.yaml:4:3: unknown key 'option' in 'source'"));

  Result<streaming::QueryPlan> trigger =
      Parse("source: {format: cloudFiles, path: /in}\nsink: {table: a.b.c, trigger: {availableNOW: true}}\n");
  EXPECT_THAT(trigger.status().message(), HasSubstr("unknown key 'availableNOW'"));
  EXPECT_THAT(trigger.status().message(), HasSubstr("p.yaml:2:"));
}

TEST(PipelineLoaderTest, BadValuesAreErrorsWithTheirLine) {
  Result<streaming::QueryPlan> interval =
      Parse("source: {format: cloudFiles, path: /in}\nsink:\n  table: a.b.c\n  trigger: {processingTime: soon}\n");
  EXPECT_THAT(interval.status().message(), HasSubstr("p.yaml:4:"));
  EXPECT_THAT(interval.status().message(), HasSubstr("processingTime"));

  Result<streaming::QueryPlan> not_true =
      Parse("source: {format: cloudFiles, path: /in}\nsink: {table: a.b.c, trigger: {availableNow: false}}\n");
  EXPECT_THAT(not_true.status().message(), HasSubstr("must be true"));

  Result<streaming::QueryPlan> two =
      Parse("source: {format: cloudFiles, path: /in}\nsink: {table: a.b.c, trigger: {once: true, availableNow: true}}\n");
  EXPECT_THAT(two.status().message(), HasSubstr("exactly one"));

  Result<streaming::QueryPlan> nested_value =
      Parse("source: {format: cloudFiles, path: /in, options: {a: {b: c}}}\nsink: {table: a.b.c}\n");
  EXPECT_THAT(nested_value.status().message(), HasSubstr("source.options.a"));

  Result<streaming::QueryPlan> empty_value =
      Parse("source: {format: cloudFiles, path: /in, options: {a: }}\nsink: {table: a.b.c}\n");
  EXPECT_THAT(empty_value.status().message(), HasSubstr("has no value"));

  Result<streaming::QueryPlan> twice =
      Parse("source: {format: cloudFiles, path: /in, options: {a: 1, A: 2}}\nsink: {table: a.b.c}\n");
  EXPECT_THAT(twice.status().message(), HasSubstr("appears twice"));

  Result<streaming::QueryPlan> both =
      Parse("source: {format: cloudFiles, path: /in}\nsink: {table: a.b.c, path: /out}\n");
  EXPECT_THAT(both.status().message(), HasSubstr("both 'table' and 'path'"));

  Result<streaming::QueryPlan> no_sink = Parse("source: {format: cloudFiles, path: /in}\n");
  EXPECT_THAT(no_sink.status().message(), HasSubstr("no 'sink'"));

  Result<streaming::QueryPlan> schema =
      Parse("source: {format: cloudFiles, path: /in, schema: 'id BIGINTT'}\nsink: {table: a.b.c}\n");
  EXPECT_THAT(schema.status().message(), HasSubstr("p.yaml:1:"));
  EXPECT_THAT(schema.status().message(), HasSubstr("BIGINTT"));
}

TEST(PipelineLoaderTest, MalformedYamlAndMissingFiles) {
  Result<streaming::QueryPlan> broken = Parse("source: {format: cloudFiles\n");
  EXPECT_TRUE(broken.status().IsInvalid());
  EXPECT_THAT(broken.status().message(), HasSubstr("not valid YAML"));
  EXPECT_THAT(Parse("").status().message(), HasSubstr("empty"));
  EXPECT_THAT(Parse("- a\n- b\n").status().message(), HasSubstr("mapping"));
  Result<streaming::QueryPlan> missing = LoadPipelineFile("/nonexistent/pipeline.yaml");
  EXPECT_TRUE(missing.status().IsIOError());
  EXPECT_THAT(missing.status().message(), HasSubstr("/nonexistent/pipeline.yaml"));
}

}  // namespace
}  // namespace tributary::cli
