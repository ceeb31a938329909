#include "tributary/delta/actions.h"

#include <gmock/gmock.h>

#include "tributary/base/json.h"
#include "tributary/base/status_testing.h"

namespace tributary::delta {
namespace {

using ::testing::HasSubstr;

TEST(Actions, AddRoundTripsWithNullPartitionValue) {
  AddFile add;
  add.path = "c1=__HIVE_DEFAULT_PARTITION__/part-00000-x.c000.snappy.parquet";
  add.partition_values = {{"c1", std::nullopt}, {"c2", "b"}};
  add.size = 452;
  add.modification_time = 1670892998135;
  add.stats = R"({"numRecords":1})";
  std::string json = ActionToJson(add);
  EXPECT_EQ(json,
            R"({"add":{"path":"c1=__HIVE_DEFAULT_PARTITION__/part-00000-x.c000.snappy.parquet",)"
            R"("partitionValues":{"c1":null,"c2":"b"},"size":452,"modificationTime":1670892998135,)"
            R"("dataChange":true,"stats":"{\"numRecords\":1}"}})");
  ASSERT_OK_AND_ASSIGN(Action parsed, ParseAction(json, "0.json", 1));
  EXPECT_EQ(std::get<AddFile>(parsed), add);
}

TEST(Actions, ProtocolMetadataTxnRoundTrip) {
  Protocol protocol{3, 7, std::vector<std::string>{"timestampNtz"},
                    std::vector<std::string>{"timestampNtz", "appendOnly"}};
  Metadata metadata;
  metadata.id = "aff5cb91";
  metadata.schema_string = R"({"type":"struct","fields":[]})";
  metadata.partition_columns = {"c1"};
  metadata.configuration = {{"delta.checkpointInterval", "5"}};
  metadata.created_time = 17;
  SetTransaction txn{"query-1", 42, 99};
  std::vector<Action> actions = {CommitInfo{R"({"operation":"WRITE"})"}, protocol, metadata, txn};
  std::string commit = CommitToJson(actions);
  EXPECT_THAT(commit, HasSubstr(R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,)"
                                R"("readerFeatures":["timestampNtz"],)"));
  EXPECT_THAT(commit, HasSubstr(R"("format":{"provider":"parquet","options":{}})"));
  EXPECT_THAT(commit, HasSubstr(R"({"txn":{"appId":"query-1","version":42,"lastUpdated":99}})"));
  ASSERT_OK_AND_ASSIGN(auto parsed, ParseCommit(commit, "1.json"));
  EXPECT_EQ(parsed, actions);
}

TEST(Actions, LegacyProtocolHasNoFeatureLists) {
  EXPECT_EQ(ActionToJson(Protocol{}), R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})");
}

TEST(Actions, UnknownActionsAreKeptByKind) {
  ASSERT_OK_AND_ASSIGN(
      Action parsed,
      ParseAction(R"({"domainMetadata":{"domain":"d","configuration":"{}","removed":false}})",
                  "3.json", 1));
  ASSERT_TRUE(std::holds_alternative<OtherAction>(parsed));
  EXPECT_EQ(std::get<OtherAction>(parsed).kind, "domainMetadata");
}

TEST(Actions, DeletionVectorIsPartOfIdentity) {
  ASSERT_OK_AND_ASSIGN(
      Action parsed,
      ParseAction(R"({"add":{"path":"a.parquet","partitionValues":{},"size":1,"modificationTime":2,)"
                  R"("dataChange":true,"deletionVector":{"storageType":"u","pathOrInlineDv":"ab^-aqEH",)"
                  R"("offset":1,"sizeInBytes":36,"cardinality":2}}})",
                  "4.json", 1));
  EXPECT_EQ(std::get<AddFile>(parsed).deletion_vector_id, "uab^-aqEH@1");
}

TEST(Actions, MalformedLinesAreCorruptionNamingFileAndLine) {
  auto bad_json = ParseCommit("{\"txn\":{\"appId\":\"a\",\"version\":1}}\n{\"add\":", "/t/_delta_log/5.json");
  ASSERT_FALSE(bad_json.ok());
  EXPECT_TRUE(bad_json.status().IsCorruption());
  EXPECT_THAT(bad_json.status().message(), HasSubstr("/t/_delta_log/5.json line 2"));

  auto missing = ParseAction(R"({"add":{"path":"x","partitionValues":{},"modificationTime":1,"dataChange":true}})",
                             "6.json", 3);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsCorruption());
  EXPECT_THAT(missing.status().message(), HasSubstr("6.json line 3"));
  EXPECT_THAT(missing.status().message(), HasSubstr("size"));
}

TEST(Actions, FileNames) {
  EXPECT_EQ(CommitFileName(7), "_delta_log/00000000000000000007.json");
  EXPECT_EQ(CheckpointFileName(10), "_delta_log/00000000000000000010.checkpoint.parquet");
}

}  // namespace
}  // namespace tributary::delta
