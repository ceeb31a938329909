#include "tributary/streaming/kafka/kafka_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "tributary/base/status_testing.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/streaming/kafka/kafka_test_broker.h"

namespace tributary::streaming::kafka {
namespace {

using ::testing::HasSubstr;
using testing::TestBroker;
using testing::TestRecord;
using testing::UniqueTopic;

struct Row {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::optional<std::string> key;
  std::string value;
  int64_t timestamp_us = 0;
  int32_t timestamp_type = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  bool headers_null = true;

  bool operator==(const Row& other) const {
    return topic == other.topic && partition == other.partition && offset == other.offset && key == other.key &&
           value == other.value && timestamp_us == other.timestamp_us && headers == other.headers;
  }
};

class KafkaSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state_dir_ = std::filesystem::path(::testing::TempDir()) / UniqueTopic("kafka-state");
  }
  void TearDown() override { std::filesystem::remove_all(state_dir_); }

  std::unique_ptr<Source> Make(OptionMap options, const std::string& query_id = "query-1") {
    options.Set("kafka.bootstrap.servers", broker_.bootstrap());
    SourceSpec spec;
    spec.format = "kafka";
    spec.options = std::move(options);
    auto source = MakeKafkaSource(spec, state_dir_.string(), query_id);
    EXPECT_TRUE(source.ok()) << source.status().ToString();
    if (!source.ok()) return nullptr;
    std::unique_ptr<Source> out = std::move(*source);
    EXPECT_OK(out->Restore(std::nullopt));
    return out;
  }

  static std::vector<Row> Read(Source& source, const std::optional<std::string>& start, const std::string& end) {
    std::vector<Row> rows;
    SourceBatchStats stats;
    Status status = source.GetBatch(
        start, end, 0,
        [&](columnar::RecordBatchPtr batch) -> Status {
          for (int64_t i = 0; i < batch->num_rows(); ++i) {
            Row row;
            if (batch->column(0)->IsValid(i)) row.key = std::string(batch->column(0)->StringValue(i));
            row.value = std::string(batch->column(1)->StringValue(i));
            row.topic = std::string(batch->column(2)->StringValue(i));
            row.partition = batch->column(3)->Value<int32_t>(i);
            row.offset = batch->column(4)->Value<int64_t>(i);
            row.timestamp_us = batch->column(5)->Value<int64_t>(i);
            row.timestamp_type = batch->column(6)->Value<int32_t>(i);
            if (batch->num_columns() > 7 && batch->column(7)->IsValid(i)) {
              const columnar::Column& list = *batch->column(7);
              const columnar::Column& entry = *list.child(0);
              row.headers_null = false;
              for (int32_t j = list.ListStart(i); j < list.ListEnd(i); ++j) {
                row.headers.emplace_back(entry.child(0)->StringValue(j), entry.child(1)->StringValue(j));
              }
            }
            rows.push_back(std::move(row));
          }
          return Status::OK();
        },
        &stats);
    EXPECT_TRUE(status.ok()) << status.ToString();
    EXPECT_EQ(stats.num_input_rows, static_cast<int64_t>(rows.size()));
    return rows;
  }

  static std::set<std::string> Values(const std::vector<Row>& rows) {
    std::set<std::string> out;
    for (const Row& row : rows) out.insert(row.value);
    return out;
  }

  static std::set<std::string> ValueRange(int from, int to) {
    std::set<std::string> out;
    for (int i = from; i < to; ++i) out.insert("v" + std::to_string(i));
    return out;
  }

  // Runs LatestOffset until it offers an offset or the deadline passes.
  static std::optional<std::string> NextOffset(Source& source, const std::optional<std::string>& start,
                                               bool rate_limited = true) {
    auto result = source.LatestOffset(start, rate_limited);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : std::nullopt;
  }

  TestBroker broker_;
  std::filesystem::path state_dir_;
};

TEST_F(KafkaSourceTest, SubscribeEarliestReadsEverythingOnce) {
  std::string topic = UniqueTopic("subscribe");
  broker_.CreateTopic(topic, 3);
  broker_.Produce(topic, {{0, "a", "v0", {}, 1700000000123}, {1, "", "v1", {}, 0}, {2, "c", "v2", {}, 0}});
  auto source = Make({{"subscribe", topic}, {"startingOffsets", "earliest"}});
  ASSERT_TRUE(source);
  auto end = NextOffset(*source, std::nullopt);
  ASSERT_TRUE(end);
  EXPECT_EQ(*end, "{\"" + topic + "\":{\"0\":1,\"1\":1,\"2\":1}}");
  std::vector<Row> rows = Read(*source, std::nullopt, *end);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].topic, topic);
  EXPECT_EQ(rows[0].partition, 0);
  EXPECT_EQ(rows[0].offset, 0);
  EXPECT_EQ(rows[0].key, "a");
  EXPECT_EQ(rows[0].value, "v0");
  EXPECT_EQ(rows[0].timestamp_us, int64_t{1700000000123} * 1000);
  EXPECT_EQ(rows[0].timestamp_type, 0);
  EXPECT_EQ(rows[1].key, std::nullopt);
  // Nothing new: no offset. New records: the next batch has exactly them.
  EXPECT_FALSE(NextOffset(*source, end));
  broker_.ProduceValues(topic, 3, 6, 10);
  auto next = NextOffset(*source, end);
  ASSERT_TRUE(next);
  EXPECT_EQ(Values(Read(*source, end, *next)), ValueRange(10, 16));
}

TEST_F(KafkaSourceTest, SameRangeGivesSameRows) {
  std::string topic = UniqueTopic("replay");
  broker_.CreateTopic(topic, 3);
  broker_.ProduceValues(topic, 3, 300);
  auto source = Make({{"subscribe", topic}, {"startingOffsets", "earliest"}});
  ASSERT_TRUE(source);
  auto end = NextOffset(*source, std::nullopt);
  ASSERT_TRUE(end);
  std::vector<Row> first = Read(*source, std::nullopt, *end);
  broker_.ProduceValues(topic, 3, 30, 300);  // more data after the range must not leak in
  std::vector<Row> again = Read(*source, std::nullopt, *end);
  EXPECT_EQ(first.size(), 300u);
  EXPECT_EQ(first, again);
  // A new source on the same state (a restart) reads the same rows too.
  source.reset();
  auto restarted = Make({{"subscribe", topic}, {"startingOffsets", "earliest"}});
  ASSERT_TRUE(restarted);
  EXPECT_EQ(Read(*restarted, std::nullopt, *end), first);
}

TEST_F(KafkaSourceTest, LatestStartsAfterExistingRecordsAndSurvivesRestart) {
  std::string topic = UniqueTopic("latest");
  broker_.CreateTopic(topic, 2);
  broker_.ProduceValues(topic, 2, 10);
  auto source = Make({{"subscribe", topic}});  // startingOffsets defaults to latest
  ASSERT_TRUE(source);
  EXPECT_FALSE(NextOffset(*source, std::nullopt));
  broker_.ProduceValues(topic, 2, 4, 100);
  // A restart before the first batch keeps the initial offsets resolved before.
  source.reset();
  source = Make({{"subscribe", topic}});
  auto end = NextOffset(*source, std::nullopt);
  ASSERT_TRUE(end);
  EXPECT_EQ(Values(Read(*source, std::nullopt, *end)), ValueRange(100, 104));
}

TEST_F(KafkaSourceTest, AssignWithJsonStartingOffsets) {
  std::string topic = UniqueTopic("assign");
  broker_.CreateTopic(topic, 3);
  broker_.ProduceValues(topic, 3, 30);  // 10 per partition
  auto source = Make({{"assign", "{\"" + topic + "\":[0,2]}"},
                      {"startingOffsets", "{\"" + topic + "\":{\"0\":7,\"2\":-2}}"}});
  ASSERT_TRUE(source);
  auto end = NextOffset(*source, std::nullopt);
  ASSERT_TRUE(end);
  EXPECT_EQ(*end, "{\"" + topic + "\":{\"0\":10,\"2\":10}}");
  std::vector<Row> rows = Read(*source, std::nullopt, *end);
  std::set<std::string> expected = {"v21", "v24", "v27"};  // partition 0 offsets 7..9
  for (int i = 2; i < 30; i += 3) expected.insert("v" + std::to_string(i));
  EXPECT_EQ(Values(rows), expected);
  for (const Row& row : rows) EXPECT_NE(row.partition, 1);
}

TEST_F(KafkaSourceTest, SubscribePatternFindsNewTopics) {
  std::string prefix = UniqueTopic("pattern");
  broker_.CreateTopic(prefix + "-a", 1);
  broker_.ProduceValues(prefix + "-a", 1, 2);
  auto source = Make({{"subscribePattern", prefix + "-.*"}, {"startingOffsets", "earliest"}});
  ASSERT_TRUE(source);
  auto end = NextOffset(*source, std::nullopt);
  ASSERT_TRUE(end);
  EXPECT_EQ(Values(Read(*source, std::nullopt, *end)), ValueRange(0, 2));
  broker_.CreateTopic(prefix + "-b", 1);
  broker_.ProduceValues(prefix + "-b", 1, 3, 50);
  auto next = NextOffset(*source, end);
  ASSERT_TRUE(next);
  EXPECT_THAT(*next, HasSubstr(prefix + "-b"));
  EXPECT_EQ(Values(Read(*source, end, *next)), ValueRange(50, 53));
}

TEST_F(KafkaSourceTest, StartingTimestamp) {
  std::string topic = UniqueTopic("timestamp");
  broker_.CreateTopic(topic, 1);
  broker_.Produce(topic, {{0, "", "old", {}, 1000000}, {0, "", "new1", {}, 2000000}, {0, "", "new2", {}, 3000000}});
  auto source = Make({{"subscribe", topic}, {"startingTimestamp", "1500000"}});
  ASSERT_TRUE(source);
  auto end = NextOffset(*source, std::nullopt);
  ASSERT_TRUE(end);
  EXPECT_EQ(Values(Read(*source, std::nullopt, *end)), (std::set<std::string>{"new1", "new2"}));

  std::filesystem::remove_all(state_dir_);
  auto too_late = Make({{"subscribe", topic}, {"startingTimestamp", "9000000"}});
  ASSERT_TRUE(too_late);
  auto result = too_late->LatestOffset(std::nullopt, true);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().ToString(), HasSubstr("option 'startingTimestamp'"));
}

TEST_F(KafkaSourceTest, MaxOffsetsPerTriggerSplitsByLag) {
  std::string topic = UniqueTopic("ratelimit");
  broker_.CreateTopic(topic, 3);
  std::vector<TestRecord> records;
  for (int i = 0; i < 60; ++i) records.push_back({0, "", "a" + std::to_string(i), {}, 0});
  for (int i = 0; i < 30; ++i) records.push_back({1, "", "b" + std::to_string(i), {}, 0});
  for (int i = 0; i < 10; ++i) records.push_back({2, "", "c" + std::to_string(i), {}, 0});
  broker_.Produce(topic, records);
  auto source = Make({{"subscribe", topic}, {"startingOffsets", "earliest"}, {"maxOffsetsPerTrigger", "10"}});
  ASSERT_TRUE(source);
  auto end = NextOffset(*source, std::nullopt);
  ASSERT_TRUE(end);
  EXPECT_EQ(*end, "{\"" + topic + "\":{\"0\":6,\"1\":3,\"2\":1}}");
  EXPECT_EQ(Read(*source, std::nullopt, *end).size(), 10u);
  // Without the rate limit (Trigger.Once) everything comes at once.
  auto all = NextOffset(*source, end, /*rate_limited=*/false);
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, "{\"" + topic + "\":{\"0\":60,\"1\":30,\"2\":10}}");
  // Batches under the limit until everything was offered.
  int64_t total = 10;
  std::optional<std::string> start = end;
  for (int i = 0; i < 20; ++i) {
    auto next = NextOffset(*source, start);
    if (!next) break;
    size_t rows = Read(*source, start, *next).size();
    EXPECT_LE(rows, 10u);
    total += static_cast<int64_t>(rows);
    start = next;
  }
  EXPECT_EQ(total, 100);
  auto* kafka = dynamic_cast<KafkaSource*>(source.get());
  ASSERT_NE(kafka, nullptr);
  EXPECT_EQ(kafka->Metrics().max_offsets_behind_latest, 0);
}

TEST_F(KafkaSourceTest, MinOffsetsPerTriggerWaitsForMaxTriggerDelay) {
  std::string topic = UniqueTopic("mintrigger");
  broker_.CreateTopic(topic, 1);
  auto source = Make({{"subscribe", topic},
                      {"startingOffsets", "earliest"},
                      {"minOffsetsPerTrigger", "10"},
                      {"maxTriggerDelay", "1500ms"}});
  ASSERT_TRUE(source);
  broker_.ProduceValues(topic, 1, 5);
  EXPECT_FALSE(NextOffset(*source, std::nullopt));  // 5 < 10 and the delay has not passed
  broker_.ProduceValues(topic, 1, 5, 5);
  auto end = NextOffset(*source, std::nullopt);  // 10 offsets: enough
  ASSERT_TRUE(end);
  EXPECT_EQ(Read(*source, std::nullopt, *end).size(), 10u);
  broker_.ProduceValues(topic, 1, 2, 10);
  EXPECT_FALSE(NextOffset(*source, end));
  std::optional<std::string> next;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!next && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    next = NextOffset(*source, end);
  }
  ASSERT_TRUE(next) << "maxTriggerDelay passed but no batch was offered";
  EXPECT_EQ(Values(Read(*source, end, *next)), ValueRange(10, 12));
}

TEST_F(KafkaSourceTest, AvailableNowStopsAtWhatWasThere) {
  std::string topic = UniqueTopic("availablenow");
  broker_.CreateTopic(topic, 2);
  broker_.ProduceValues(topic, 2, 8);
  auto source = Make({{"subscribe", topic}, {"startingOffsets", "earliest"}, {"maxOffsetsPerTrigger", "5"}});
  ASSERT_TRUE(source);
  ASSERT_OK(source->PrepareForAvailableNow());
  broker_.ProduceValues(topic, 2, 8, 100);
  std::optional<std::string> start;
  std::set<std::string> seen;
  for (int i = 0; i < 10; ++i) {
    auto next = NextOffset(*source, start);
    if (!next) break;
    for (const std::string& value : Values(Read(*source, start, *next))) seen.insert(value);
    start = next;
  }
  EXPECT_EQ(seen, ValueRange(0, 8));
}

TEST_F(KafkaSourceTest, NewPartitionIsReadFromEarliest) {
  std::string topic = UniqueTopic("newpartition");
  broker_.CreateTopic(topic, 1);
  broker_.ProduceValues(topic, 1, 3);
  auto source = Make({{"subscribe", topic}, {"startingOffsets", "earliest"}});
  ASSERT_TRUE(source);
  auto end = NextOffset(*source, std::nullopt);
  ASSERT_TRUE(end);
  ASSERT_EQ(Read(*source, std::nullopt, *end).size(), 3u);
  broker_.CreatePartitions(topic, 2);
  broker_.Produce(topic, {{1, "", "p1-a", {}, 0}, {1, "", "p1-b", {}, 0}});
  auto next = NextOffset(*source, end);
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, "{\"" + topic + "\":{\"0\":3,\"1\":2}}");
  EXPECT_EQ(Values(Read(*source, end, *next)), (std::set<std::string>{"p1-a", "p1-b"}));
}

TEST_F(KafkaSourceTest, IncludeHeaders) {
  std::string topic = UniqueTopic("headers");
  broker_.CreateTopic(topic, 1);
  broker_.Produce(topic, {{0, "k", "with", {{"trace", "abc"}, {"bin", std::string("\0\1", 2)}}, 0},
                          {0, "k", "without", {}, 0}});
  auto source = Make({{"subscribe", topic}, {"startingOffsets", "earliest"}, {"includeHeaders", "true"}});
  ASSERT_TRUE(source);
  EXPECT_EQ(source->schema().num_fields(), 8);
  auto end = NextOffset(*source, std::nullopt);
  ASSERT_TRUE(end);
  std::vector<Row> rows = Read(*source, std::nullopt, *end);
  ASSERT_EQ(rows.size(), 2u);
  using Header = std::pair<std::string, std::string>;
  EXPECT_EQ(rows[0].headers, (std::vector<Header>{{"trace", "abc"}, {"bin", std::string("\0\1", 2)}}));
  EXPECT_TRUE(rows[1].headers_null);
}

TEST_F(KafkaSourceTest, FailOnDataLoss) {
  std::string topic = UniqueTopic("dataloss");
  broker_.CreateTopic(topic, 1);
  broker_.ProduceValues(topic, 1, 10);
  auto source = Make({{"subscribe", topic}, {"startingOffsets", "earliest"}});
  ASSERT_TRUE(source);
  std::string start = "{\"" + topic + "\":{\"0\":2}}";
  auto end = NextOffset(*source, start);
  ASSERT_TRUE(end);
  broker_.DeleteRecordsBefore(topic, 0, 6);
  SourceBatchStats stats;
  Status status = source->GetBatch(start, *end, 7, [](columnar::RecordBatchPtr) { return Status::OK(); }, &stats);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.ToString(), HasSubstr("partition " + topic + "-0"));
  EXPECT_THAT(status.ToString(), HasSubstr("offsets 2 to 5"));
  EXPECT_THAT(status.ToString(), HasSubstr("failOnDataLoss"));

  auto lenient = Make({{"subscribe", topic}, {"startingOffsets", "earliest"}, {"failOnDataLoss", "false"}});
  ASSERT_TRUE(lenient);
  EXPECT_EQ(Values(Read(*lenient, start, *end)), ValueRange(6, 10));
}

TEST_F(KafkaSourceTest, CommitOffsetsToGroup) {
  std::string topic = UniqueTopic("groupcommit");
  broker_.CreateTopic(topic, 2);
  broker_.ProduceValues(topic, 2, 10);
  std::string query_id = UniqueTopic("query");
  auto source = Make({{"subscribe", topic}, {"startingOffsets", "earliest"}, {"commitOffsetsToGroup", "true"}},
                     query_id);
  ASSERT_TRUE(source);
  auto end = NextOffset(*source, std::nullopt);
  ASSERT_TRUE(end);
  Read(*source, std::nullopt, *end);
  ASSERT_OK(source->Commit(*end, 0));
  std::string group = "spark-kafka-source-" + query_id;
  EXPECT_EQ(dynamic_cast<KafkaSource&>(*source).group_id(), group);
  // What other tools see: the Python AdminClient's list_consumer_group_offsets.
  std::string command = "python3 - " + broker_.bootstrap() + " " + group + " " + topic + R"( <<'PY'
import sys
from confluent_kafka import ConsumerGroupTopicPartitions, TopicPartition
from confluent_kafka.admin import AdminClient
admin = AdminClient({"bootstrap.servers": sys.argv[1]})
request = ConsumerGroupTopicPartitions(sys.argv[2], [TopicPartition(sys.argv[3], 0), TopicPartition(sys.argv[3], 1)])
result = admin.list_consumer_group_offsets([request])[sys.argv[2]].result(timeout=20)
print(" ".join(f"{tp.partition}:{tp.offset}" for tp in sorted(result.topic_partitions, key=lambda tp: tp.partition)))
PY)";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 256> buffer;
  while (fgets(buffer.data(), buffer.size(), pipe)) output += buffer.data();
  EXPECT_EQ(pclose(pipe), 0) << output;
  EXPECT_EQ(output, "0:5 1:5\n");
}

}  // namespace
}  // namespace tributary::streaming::kafka
