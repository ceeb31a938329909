#include "tributary/streaming/kafka/kafka_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/base/status_testing.h"
#include "tributary/streaming/kafka/kafka_source.h"

namespace tributary::streaming::kafka {
namespace {

using ::testing::HasSubstr;

SourceSpec Spec(OptionMap options) {
  SourceSpec spec;
  spec.format = "kafka";
  spec.options = std::move(options);
  return spec;
}

std::string ErrorOf(OptionMap options) {
  auto parsed = ParseKafkaOptions(Spec(std::move(options)));
  return parsed.ok() ? "" : parsed.status().ToString();
}

TEST(KafkaOptionsTest, ParsesSparkOptions) {
  ASSERT_OK_AND_ASSIGN(KafkaOptions options,
                       ParseKafkaOptions(Spec({{"kafka.bootstrap.servers", "h:9092"},
                                               {"subscribe", "a, b,a"},
                                               {"startingOffsets", R"({"a":{"0":23,"1":-2}})"},
                                               {"maxOffsetsPerTrigger", "100"},
                                               {"maxTriggerDelay", "2s"},
                                               {"minOffsetsPerTrigger", "10"},
                                               {"failOnDataLoss", "false"},
                                               {"includeHeaders", "true"},
                                               {"kafka.security.protocol", "SASL_SSL"},
                                               {"kafka.sasl.jaas.config",
                                                "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                                "username=\"alice\" password=\"s\\\"ecret\";"}})));
  EXPECT_EQ(options.bootstrap_servers, "h:9092");
  EXPECT_EQ(options.topics, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(options.starting.kind, StartingOffsets::Kind::kSpecific);
  EXPECT_EQ(options.starting.offsets.at({"a", 0}), 23);
  EXPECT_EQ(options.starting.offsets.at({"a", 1}), kEarliestOffset);
  EXPECT_EQ(options.max_offsets_per_trigger, 100);
  EXPECT_EQ(options.min_offsets_per_trigger, 10);
  EXPECT_EQ(options.max_trigger_delay_ms, 2000);
  EXPECT_FALSE(options.fail_on_data_loss);
  EXPECT_TRUE(options.include_headers);
  using Property = std::pair<std::string, std::string>;
  EXPECT_THAT(options.client_properties, ::testing::UnorderedElementsAre(Property{"security.protocol", "SASL_SSL"},
                                                                        Property{"sasl.username", "alice"},
                                                                        Property{"sasl.password", "s\"ecret"}));
}

TEST(KafkaOptionsTest, DefaultsAreSparks) {
  ASSERT_OK_AND_ASSIGN(KafkaOptions options,
                       ParseKafkaOptions(Spec({{"kafka.bootstrap.servers", "h:1"}, {"subscribePattern", "ev.*"}})));
  EXPECT_EQ(options.starting.kind, StartingOffsets::Kind::kLatest);
  EXPECT_TRUE(options.fail_on_data_loss);
  EXPECT_FALSE(options.include_headers);
  EXPECT_EQ(options.max_trigger_delay_ms, 15 * 60 * 1000);
  EXPECT_EQ(options.group_id_prefix, "spark-kafka-source");
  EXPECT_FALSE(options.commit_offsets_to_group);
}

TEST(KafkaOptionsTest, ErrorsNameTheOption) {
  EXPECT_THAT(ErrorOf({{"subscribe", "t"}}), HasSubstr("'kafka.bootstrap.servers' is required"));
  EXPECT_THAT(ErrorOf({{"kafka.bootstrap.servers", "h:1"}}), HasSubstr("exactly one of"));
  EXPECT_THAT(ErrorOf({{"kafka.bootstrap.servers", "h:1"}, {"subscribe", "t"}, {"assign", R"({"t":[0]})"}}),
              HasSubstr("exactly one of"));
  std::string unknown = ErrorOf({{"kafka.bootstrap.servers", "h:1"}, {"subscribe", "t"}, {"startingOffset", "x"}});
  EXPECT_THAT(unknown, HasSubstr("unknown option 'startingOffset'"));
  EXPECT_THAT(unknown, HasSubstr("startingOffsets"));
  EXPECT_THAT(ErrorOf({{"kafka.bootstrap.servers", "h:1"}, {"subscribe", "t"}, {"startingOffsets", "first"}}),
              HasSubstr("option 'startingOffsets'"));
  EXPECT_THAT(ErrorOf({{"kafka.bootstrap.servers", "h:1"}, {"subscribe", "t"}, {"maxOffsetsPerTrigger", "0"}}),
              HasSubstr("option 'maxOffsetsPerTrigger'"));
  EXPECT_THAT(ErrorOf({{"kafka.bootstrap.servers", "h:1"}, {"subscribePattern", "("}}),
              HasSubstr("option 'subscribePattern'"));
  EXPECT_THAT(ErrorOf({{"kafka.bootstrap.servers", "h:1"}, {"assign", "[1]"}}), HasSubstr("option 'assign'"));
  EXPECT_THAT(ErrorOf({{"kafka.bootstrap.servers", "h:1"}, {"subscribe", "t"}, {"endingOffsets", "latest"}}),
              HasSubstr("'endingOffsets' only applies to batch queries"));
  for (const char* forbidden : {"kafka.auto.offset.reset", "kafka.enable.auto.commit", "kafka.key.deserializer",
                                "kafka.value.deserializer", "kafka.interceptor.classes"}) {
    EXPECT_THAT(ErrorOf({{"kafka.bootstrap.servers", "h:1"}, {"subscribe", "t"}, {forbidden, "x"}}),
                HasSubstr(std::string("option '") + forbidden + "' is not supported"));
  }
  EXPECT_THAT(ErrorOf({{"kafka.bootstrap.servers", "h:1"},
                       {"subscribe", "t"},
                       {"kafka.sasl.jaas.config", "com.sun.security.auth.module.Krb5LoginModule required;"}}),
              HasSubstr("option 'kafka.sasl.jaas.config'"));
  EXPECT_THAT(ErrorOf({{"kafka.bootstrap.servers", "h:1"}, {"subscribe", "t"}, {"kafka.ssl.truststore.location", "x"}}),
              HasSubstr("kafka.ssl.ca.location"));
}

TEST(KafkaOptionsTest, LibrdkafkaRejectionNamesTheOption) {
  auto source = MakeKafkaSource(
      Spec({{"kafka.bootstrap.servers", "127.0.0.1:1"}, {"subscribe", "t"}, {"kafka.no.such.property", "1"}}),
      ::testing::TempDir() + "/kafka-options-state", "q");
  ASSERT_FALSE(source.ok());
  EXPECT_THAT(source.status().ToString(), HasSubstr("option 'kafka.no.such.property'"));
  auto bad_value = MakeKafkaSource(
      Spec({{"kafka.bootstrap.servers", "127.0.0.1:1"}, {"subscribe", "t"}, {"kafka.security.protocol", "carrier"}}),
      ::testing::TempDir() + "/kafka-options-state", "q");
  ASSERT_FALSE(bad_value.ok());
  EXPECT_THAT(bad_value.status().ToString(), HasSubstr("option 'kafka.security.protocol'"));
}

TEST(KafkaOptionsTest, OffsetsJsonRoundTrips) {
  PartitionOffsets offsets = {{{"b", 0}, 5}, {{"a", 10}, 7}, {{"a", 2}, 3}};
  std::string json = FormatPartitionOffsets(offsets);
  EXPECT_EQ(json, R"({"a":{"2":3,"10":7},"b":{"0":5}})");
  ASSERT_OK_AND_ASSIGN(PartitionOffsets parsed, ParsePartitionOffsets(json, "offset"));
  EXPECT_EQ(parsed, offsets);
  EXPECT_FALSE(ParsePartitionOffsets(R"({"a":{"x":1}})", "offset").ok());
}

TEST(KafkaOptionsTest, SchemaIsSparks) {
  EXPECT_EQ(KafkaSourceSchema(false).ToDdl(),
            "`key` BINARY, `value` BINARY, `topic` STRING, `partition` INT, `offset` BIGINT, `timestamp` TIMESTAMP, "
            "`timestampType` INT");
  EXPECT_EQ(KafkaSourceSchema(true).num_fields(), 8);
  EXPECT_EQ(KafkaSourceSchema(true).field(7).name, "headers");
}

}  // namespace
}  // namespace tributary::streaming::kafka
