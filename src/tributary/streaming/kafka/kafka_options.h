#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tributary/base/options.h"
#include "tributary/base/result.h"
#include "tributary/streaming/query_plan.h"

namespace tributary::streaming::kafka {

/// One partition of one topic.
struct TopicPartition {
  std::string topic;
  int32_t partition = 0;

  auto operator<=>(const TopicPartition&) const = default;
  bool operator==(const TopicPartition&) const = default;
};

/// "events-2": how errors and logs name a partition.
std::string PartitionName(const TopicPartition& tp);

/// Per-partition offsets (or timestamps), ordered by topic then partition.
using PartitionOffsets = std::map<TopicPartition, int64_t>;

/// In startingOffsets JSON: start at the earliest / latest offset of the partition.
inline constexpr int64_t kEarliestOffset = -2;
inline constexpr int64_t kLatestOffset = -1;

/// Spark's offsets JSON, {"topic":{"0":23,"1":-2}}: topics in name order, partitions
/// in number order.
std::string FormatPartitionOffsets(const PartitionOffsets& offsets);
/// Parses Spark's offsets JSON. Errors (Invalid) name `what` (an option name or
/// "offset") and quote the text.
Result<PartitionOffsets> ParsePartitionOffsets(std::string_view json, std::string_view what);

/// Which partitions the source reads.
enum class SubscriptionKind {
  kSubscribe,         // subscribe: a comma-separated list of topics
  kSubscribePattern,  // subscribePattern: a regular expression (RE2) over topic names
  kAssign,            // assign: {"topic":[0,1]}
};

/// Where a query with no committed batch starts.
struct StartingOffsets {
  enum class Kind {
    kEarliest,            // startingOffsets=earliest
    kLatest,              // startingOffsets=latest (default)
    kSpecific,            // startingOffsets={"t":{"0":23}}; -2 earliest, -1 latest
    kTimestamp,           // startingTimestamp=<ms>: every partition
    kTimestampPerPartition,  // startingOffsetsByTimestamp={"t":{"0":<ms>}}
  };
  Kind kind = Kind::kLatest;
  PartitionOffsets offsets;     // kSpecific
  int64_t timestamp_ms = 0;     // kTimestamp
  PartitionOffsets timestamps;  // kTimestampPerPartition, values in ms
};

/// startingOffsetsByTimestampStrategy: what to do when no record has a timestamp at
/// or after the one asked for.
enum class TimestampStrategy {
  kError,   // "error" (default): fail naming the partition
  kLatest,  // "latest": start at the partition's latest offset
};

/// Everything the Kafka source takes from `readStream.format("kafka").options(...)`,
/// checked. Option names and defaults are Spark's (Structured Streaming + Kafka
/// Integration Guide), plus `commitOffsetsToGroup`.
struct KafkaOptions {
  std::string bootstrap_servers;  // kafka.bootstrap.servers (required)

  SubscriptionKind subscription = SubscriptionKind::kSubscribe;
  std::vector<std::string> topics;                       // subscribe
  std::string topic_pattern;                             // subscribePattern
  std::map<std::string, std::vector<int32_t>> assigned;  // assign

  StartingOffsets starting;                                            // startingOffsets & co.
  TimestampStrategy timestamp_strategy = TimestampStrategy::kError;    // startingOffsetsByTimestampStrategy

  std::optional<int64_t> max_offsets_per_trigger;  // maxOffsetsPerTrigger
  std::optional<int64_t> min_offsets_per_trigger;  // minOffsetsPerTrigger
  int64_t max_trigger_delay_ms = 15 * 60 * 1000;   // maxTriggerDelay, default "15m"

  bool fail_on_data_loss = true;                      // failOnDataLoss
  bool include_headers = false;                       // includeHeaders
  std::string group_id_prefix = "spark-kafka-source";  // groupIdPrefix
  std::optional<std::string> group_id;                // kafka.group.id (warned about, as Spark does)
  int64_t poll_timeout_ms = 120000;                   // kafkaConsumer.pollTimeoutMs
  int fetch_offset_num_retries = 3;                   // fetchOffset.numRetries
  int64_t fetch_offset_retry_interval_ms = 10;        // fetchOffset.retryIntervalMs

  /// commitOffsetsToGroup (Tributary, default false): after a batch is committed,
  /// also commit its end offsets to the consumer group (kafka.group.id, else
  /// groupIdPrefix + "-" + query id) so lag tools see the query's progress. They are
  /// never read back: the checkpoint stays the only truth. A failed group commit is
  /// a warning.
  bool commit_offsets_to_group = false;

  /// Every other kafka.<name> option, as librdkafka property <name> = value (Java
  /// names already translated, e.g. sasl.jaas.config to sasl.username/password).
  std::vector<std::pair<std::string, std::string>> client_properties;

  /// Rows per RecordBatch handed to the callback (not an option).
  int64_t max_rows_per_batch = 65536;
};

/// Every source option name the Kafka source knows, besides kafka.<name>.
const OptionNames& KafkaOptionNames();

/// Checks and parses the source options. Unknown names (other than kafka.*) are
/// Invalid listing the valid ones; bad values are Invalid naming the option; options
/// Spark forbids (kafka.auto.offset.reset, kafka.enable.auto.commit,
/// kafka.key.deserializer, kafka.value.deserializer, kafka.interceptor.classes) and
/// batch-only options (endingOffsets, ...) are Invalid with the reason. kafka.*
/// properties that librdkafka rejects are found when the source is made.
Result<KafkaOptions> ParseKafkaOptions(const streaming::SourceSpec& spec);

}  // namespace tributary::streaming::kafka
