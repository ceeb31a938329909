#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/streaming/kafka/kafka_options.h"

struct rd_kafka_s;
struct rd_kafka_message_s;

namespace tributary::streaming::kafka {

/// The librdkafka consumer behind one KafkaSource: metadata, offset look-ups, reading
/// one partition range, and group commits. It never subscribes (no group membership,
/// no rebalances); partitions are assigned explicitly. Not thread-safe.
class KafkaClient {
 public:
  /// Creates the consumer with `options.client_properties` on top of the source's own
  /// settings (auto commit off, partition EOF events on). A property librdkafka
  /// rejects is Invalid naming the option 'kafka.<name>'.
  static Result<std::unique_ptr<KafkaClient>> Make(const KafkaOptions& options, const std::string& group_id);
  ~KafkaClient();

  /// The partitions the subscription covers now (assign: exactly the assigned ones,
  /// NotFound when one does not exist), in order.
  Result<std::vector<TopicPartition>> Partitions();

  /// Per partition, the earliest (kEarliestOffset) or latest (kLatestOffset) offset,
  /// or the first offset whose timestamp is >= the value in ms (-1 when none).
  Result<PartitionOffsets> ListOffsets(const PartitionOffsets& query);
  Result<PartitionOffsets> ListOffsets(const std::vector<TopicPartition>& partitions, int64_t query);

  /// The low and high watermarks of one partition.
  Result<std::pair<int64_t, int64_t>> Watermarks(const TopicPartition& tp);

  /// What ReadRange saw when the range could not be read to its end.
  struct ReadOutcome {
    int64_t rows = 0;
    /// Set when offsets [missing_from, missing_to) were no longer in the log.
    bool lost = false;
    int64_t missing_from = 0;
    int64_t missing_to = 0;
  };
  /// Calls `on_message` for every record of `tp` with from <= offset < until, in
  /// order. Offsets that vanished before or during the read are reported in the
  /// outcome (and skipped) when `skip_lost`, else returned as an error naming them.
  Result<ReadOutcome> ReadRange(const TopicPartition& tp, int64_t from, int64_t until, bool skip_lost,
                                const std::function<Status(const rd_kafka_message_s&)>& on_message);

  /// Commits `offsets` to the consumer group (synchronously).
  Status CommitToGroup(const PartitionOffsets& offsets);

 private:
  KafkaClient(const KafkaOptions& options, rd_kafka_s* handle);
  Status Retry(const std::string& what, const std::function<Status()>& attempt);
  // Moves the consumer to `from` on `tp` alone.
  Status AssignAt(const TopicPartition& tp, int64_t from);

  const KafkaOptions& options_;
  rd_kafka_s* handle_;
  int request_timeout_ms_;
};

}  // namespace tributary::streaming::kafka
