// End-to-end tests of the cloudFiles source through a real query into a real Delta
// table: schema inference and evolution modes, hints, partitions, filters.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../query_test_fixture.h"
#include "tributary/columnar/ddl_parser.h"

namespace tributary::streaming {
namespace {

using testing::HaveDeltaLake;
using testing::ReadDeltaRows;
using testing::WriteFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class CloudFilesQueryTest : public testing::QueryTest {
 protected:
  columnar::Schema TableSchema() {
    auto opened = delta::Table::Open(io::LocalFileSystem(), table());
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? (*opened)->snapshot().schema() : columnar::Schema();
  }
  std::vector<std::string> ColumnNames() {
    std::vector<std::string> names;
    columnar::Schema schema = TableSchema();
    for (const auto& field : schema.fields()) names.push_back(field.name);
    return names;
  }
};

TEST_F(CloudFilesQueryTest, AddNewColumnsStopsThenRestartPicksUpTheNewSchema) {
  WriteFile(landing() + "/a.json", "{\"id\":1,\"name\":\"a\"}\n", 1700000000);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.sink.options.Set("mergeSchema", "true");
  ASSERT_OK(RunToEnd(plan));
  EXPECT_THAT(ColumnNames(), ElementsAre("id", "name", "_rescued_data"));

  WriteFile(landing() + "/b.json", "{\"id\":2,\"name\":\"b\",\"color\":\"red\"}\n{\"id\":3,\"size\":7}\n",
            1700000001);
  Status status = RunToEnd(plan);
  ASSERT_TRUE(status.IsSchemaChanged()) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr("color, size"));
  EXPECT_THAT(status.message(), HasSubstr("Restart"));
  EXPECT_TRUE(std::filesystem::exists(checkpoint() + "/_schemas/1"));
  EXPECT_TRUE(std::filesystem::exists(checkpoint() + "/offsets/1"));
  EXPECT_FALSE(std::filesystem::exists(checkpoint() + "/commits/1"));
  EXPECT_EQ(TableRows(), 1);

  std::vector<QueryProgress> progress;
  ASSERT_OK(RunToEnd(plan, &progress));
  ASSERT_EQ(progress.size(), 1u);
  EXPECT_EQ(progress[0].batch_id, 1);  // the same batch, re-read with the new schema
  EXPECT_EQ(TableRows(), 3);
  EXPECT_THAT(ColumnNames(), ElementsAre("id", "name", "_rescued_data", "color", "size"));
  if (HaveDeltaLake()) {
    EXPECT_THAT(ReadDeltaRows(table(), "id,color,size"),
                ElementsAre("{\"color\":\"red\",\"id\":\"2\",\"size\":null}",
                            "{\"color\":null,\"id\":\"1\",\"size\":null}",
                            "{\"color\":null,\"id\":\"3\",\"size\":\"7\"}"));
  }
}

TEST_F(CloudFilesQueryTest, AddNewColumnsEvolvesNewFieldsInsideStructs) {
  WriteFile(landing() + "/a.json", "{\"id\":1,\"user\":{\"name\":\"a\"},\"items\":[{\"sku\":\"x\"}]}\n", 1700000000);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("cloudFiles.inferColumnTypes", "true");
  plan.sink.options.Set("mergeSchema", "true");
  ASSERT_OK(RunToEnd(plan));

  WriteFile(landing() + "/b.json",
            "{\"id\":2,\"user\":{\"name\":\"b\",\"plan\":\"pro\"},\"items\":[{\"sku\":\"y\",\"qty\":3}]}\n",
            1700000001);
  Status status = RunToEnd(plan);
  ASSERT_TRUE(status.IsSchemaChanged()) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr("user.plan"));
  EXPECT_THAT(status.message(), HasSubstr("items.element.qty"));
  EXPECT_EQ(TableRows(), 1);

  ASSERT_OK(RunToEnd(plan));
  EXPECT_EQ(TableRows(), 2);
  columnar::Schema schema = TableSchema();
  auto user = schema.FieldIndex("user");
  auto items = schema.FieldIndex("items");
  ASSERT_TRUE(user && items);
  EXPECT_EQ(schema.field(*user).type->SimpleString(), "struct<name:string,plan:string>");
  EXPECT_EQ(schema.field(*items).type->SimpleString(), "array<struct<sku:string,qty:bigint>>");
  // Nothing was rescued: the evolved schema holds every field.
  EXPECT_THAT(ReadDeltaRows(table(), "id,user,items,_rescued_data"),
              ElementsAre("{\"_rescued_data\":null,\"id\":1,\"items\":[{\"qty\":null,\"sku\":\"x\"}],"
                          "\"user\":{\"name\":\"a\",\"plan\":null}}",
                          "{\"_rescued_data\":null,\"id\":2,\"items\":[{\"qty\":3,\"sku\":\"y\"}],"
                          "\"user\":{\"name\":\"b\",\"plan\":\"pro\"}}"));
}

TEST_F(CloudFilesQueryTest, NewColumnsWithoutMergeSchemaFailInTheSink) {
  WriteFile(landing() + "/a.json", "{\"id\":1}\n", 1700000000);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  ASSERT_OK(RunToEnd(plan));
  WriteFile(landing() + "/b.json", "{\"id\":2,\"extra\":true}\n", 1700000001);
  ASSERT_TRUE(RunToEnd(plan).IsSchemaChanged());
  Status status = RunToEnd(plan);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("extra"));
  EXPECT_EQ(TableRows(), 1);
}

TEST_F(CloudFilesQueryTest, RescueModeKeepsUnknownFieldsInRescuedData) {
  WriteFile(landing() + "/a.json", "{\"id\":1}\n", 1700000000);
  WriteFile(landing() + "/b.json", "{\"id\":2,\"extra\":\"x\"}\n", 1700000001);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("cloudFiles.schemaEvolutionMode", "rescue");
  plan.source.options.Set("cloudFiles.schemaInference.sampleSize.numFiles", "1");
  ASSERT_OK(RunToEnd(plan));
  EXPECT_THAT(ColumnNames(), ElementsAre("id", "_rescued_data"));
  EXPECT_FALSE(std::filesystem::exists(checkpoint() + "/_schemas/1"));
  EXPECT_EQ(TableRows(), 2);
  if (HaveDeltaLake()) {
    std::vector<std::string> rows = ReadDeltaRows(table(), "id,_rescued_data");
    ASSERT_EQ(rows.size(), 2u);
    // Sorted text: the rescued row first.
    EXPECT_THAT(rows[0], HasSubstr("\"id\":\"2\""));
    EXPECT_THAT(rows[0], HasSubstr("extra"));
    EXPECT_THAT(rows[0], HasSubstr("b.json"));
    EXPECT_EQ(rows[1], "{\"_rescued_data\":null,\"id\":\"1\"}");
  }
}

TEST_F(CloudFilesQueryTest, FailOnNewColumnsNamesFileAndColumnAndDoesNotRecover) {
  WriteFile(landing() + "/a.json", "{\"id\":1}\n", 1700000000);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("cloudFiles.schemaEvolutionMode", "failOnNewColumns");
  ASSERT_OK(RunToEnd(plan));
  WriteFile(landing() + "/b.json", "{\"id\":2,\"extra\":1}\n", 1700000001);
  for (int attempt = 0; attempt < 2; ++attempt) {
    Status status = RunToEnd(plan);
    ASSERT_TRUE(status.IsInvalid()) << status.ToString();
    EXPECT_THAT(status.message(), HasSubstr("b.json"));
    EXPECT_THAT(status.message(), HasSubstr("extra"));
  }
  EXPECT_EQ(TableRows(), 1);
}

TEST_F(CloudFilesQueryTest, UserSchemaWithModeNoneIgnoresNewColumns) {
  WriteFile(landing() + "/a.json", "{\"id\":1,\"extra\":\"x\"}\n", 1700000000);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options = OptionMap{{"cloudFiles.format", "json"}};
  ASSERT_OK_AND_ASSIGN(plan.source.user_schema, columnar::ParseDdlSchema("id BIGINT"));
  ASSERT_OK(RunToEnd(plan));
  EXPECT_THAT(ColumnNames(), ElementsAre("id"));
  EXPECT_EQ(TableRows(), 1);
  EXPECT_FALSE(std::filesystem::exists(checkpoint() + "/_schemas"));

  plan.source.options.Set("cloudFiles.schemaEvolutionMode", "addNewColumns");
  auto query = StreamingQuery::Start(plan);
  ASSERT_FALSE(query.ok());
  EXPECT_THAT(query.status().message(), HasSubstr("cloudFiles.schemaEvolutionMode"));
}

TEST_F(CloudFilesQueryTest, SchemaHintsTypesAndPartitionColumns) {
  WriteFile(landing() + "/date=2024-01-01/a.json", "{\"id\":1,\"amount\":2.5}\n", 1700000000);
  WriteFile(landing() + "/date=2024-01-02/b.json", "{\"id\":2,\"amount\":3}\n", 1700000001);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("cloudFiles.schemaHints", "id BIGINT, amount DOUBLE, date DATE");
  ASSERT_OK(RunToEnd(plan));
  columnar::Schema schema = TableSchema();
  // JSON inference orders fields by name, as Spark's does.
  EXPECT_EQ(schema.ToDdl(), "`amount` DOUBLE, `id` BIGINT, `date` DATE, `_rescued_data` STRING");
  if (HaveDeltaLake()) {
    EXPECT_THAT(ReadDeltaRows(table(), "id,amount,date"),
                ElementsAre("{\"amount\":2.5,\"date\":\"2024-01-01\",\"id\":1}",
                            "{\"amount\":3.0,\"date\":\"2024-01-02\",\"id\":2}"));
  }
}

TEST_F(CloudFilesQueryTest, InferColumnTypes) {
  WriteFile(landing() + "/a.json", "{\"id\":1,\"ok\":true,\"score\":1.5}\n", 1700000000);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("cloudFiles.inferColumnTypes", "true");
  ASSERT_OK(RunToEnd(plan));
  EXPECT_EQ(TableSchema().ToDdl(), "`id` BIGINT, `ok` BOOLEAN, `score` DOUBLE, `_rescued_data` STRING");
}

TEST_F(CloudFilesQueryTest, HiddenFilesGlobAndIncludeExistingFiles) {
  WriteFile(landing() + "/old.json", "{\"id\":0}\n", 1700000000);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("cloudFiles.includeExistingFiles", "false");
  plan.source.options.Set("pathGlobFilter", "*.json");
  ASSERT_OK(RunToEnd(plan));
  EXPECT_EQ(TableRows(), 0);

  WriteFile(landing() + "/new.json", "{\"id\":1}\n", 1700000001);
  WriteFile(landing() + "/new.txt", "{\"id\":2}\n", 1700000002);
  WriteFile(landing() + "/_staging/x.json", "{\"id\":3}\n", 1700000003);
  WriteFile(landing() + "/.hidden.json", "{\"id\":4}\n", 1700000004);
  WriteFile(landing() + "/sub/deep.json", "{\"id\":5}\n", 1700000005);
  std::vector<QueryProgress> progress;
  ASSERT_OK(RunToEnd(plan, &progress));
  EXPECT_EQ(TableRows(), 2);
  if (HaveDeltaLake()) {
    EXPECT_THAT(ReadDeltaRows(table(), "id"), ElementsAre("{\"id\":\"1\"}", "{\"id\":\"5\"}"));
  }
}

TEST_F(CloudFilesQueryTest, CsvWithHeaderAndGzip) {
  WriteFile(landing() + "/a.csv", "id,name\n1,a\n2,b\n", 1700000000);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("cloudFiles.format", "csv");
  plan.source.options.Set("cloudFiles.schemaHints", "id INT");
  ASSERT_OK(RunToEnd(plan));
  EXPECT_EQ(TableSchema().ToDdl(), "`id` INT, `name` STRING, `_rescued_data` STRING");
  EXPECT_EQ(TableRows(), 2);
}

TEST_F(CloudFilesQueryTest, UnsupportedFormatAndOptionsAreNamed) {
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("cloudFiles.format", "parquet");
  auto query = StreamingQuery::Start(plan);
  ASSERT_TRUE(query.status().IsNotImplemented());
  EXPECT_THAT(query.status().message(), HasSubstr("parquet"));

  plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("cloudFiles.useNotifications", "true");
  query = StreamingQuery::Start(plan);
  ASSERT_TRUE(query.status().IsNotImplemented());
  EXPECT_THAT(query.status().message(), HasSubstr("cloudFiles.useNotifications"));

  plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("badRecordsPath", "/tmp/bad");
  query = StreamingQuery::Start(plan);
  ASSERT_TRUE(query.status().IsNotImplemented());
  EXPECT_THAT(query.status().message(), HasSubstr("badRecordsPath"));

  plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("multiLine", "true");  // a JSON option: known
  plan.source.options.Set("header", "true");     // a CSV option: unknown for JSON
  query = StreamingQuery::Start(plan);
  ASSERT_TRUE(query.status().IsInvalid());
  EXPECT_THAT(query.status().message(), HasSubstr("'header'"));

  plan.source.options.Set("cloudFiles.validateOptions", "false");
  WriteFile(landing() + "/a.json", "{\"id\":1}\n", 1700000000);
  ASSERT_OK(RunToEnd(plan));

  plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options = OptionMap{{"cloudFiles.format", "json"}};
  query = StreamingQuery::Start(plan);
  ASSERT_TRUE(query.status().IsInvalid());
  EXPECT_THAT(query.status().message(), HasSubstr("cloudFiles.schemaLocation"));
}


TEST_F(CloudFilesQueryTest, UserSchemaTakesPartitionColumnsFromPaths) {
  WriteFile(landing() + "/region=eu/year=2024/a.json", "{\"id\":1}\n", 1700000000);
  WriteFile(landing() + "/region=us/year=2025/b.json", "{\"id\":2}\n", 1700000001);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options = OptionMap{{"cloudFiles.format", "json"}};
  plan.sink.partition_by = {"region"};
  ASSERT_OK_AND_ASSIGN(plan.source.user_schema, columnar::ParseDdlSchema("region STRING, id BIGINT, year INT"));
  ASSERT_OK(RunToEnd(plan));
  EXPECT_EQ(TableSchema().ToDdl(), "`region` STRING, `id` BIGINT, `year` INT");
  EXPECT_TRUE(std::filesystem::is_directory(table() + "/region=eu"));
  if (HaveDeltaLake()) {
    EXPECT_THAT(ReadDeltaRows(table(), "region,id,year"),
                ElementsAre("{\"id\":1,\"region\":\"eu\",\"year\":2024}", "{\"id\":2,\"region\":\"us\",\"year\":2025}"));
  }
}

}  // namespace
}  // namespace tributary::streaming
