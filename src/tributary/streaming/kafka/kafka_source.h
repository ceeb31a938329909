#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "tributary/base/result.h"
#include "tributary/columnar/schema.h"
#include "tributary/streaming/kafka/kafka_options.h"
#include "tributary/streaming/query_plan.h"
#include "tributary/streaming/source.h"

namespace tributary::streaming::kafka {

/// The fixed row schema of Spark's Kafka source: key binary, value binary, topic
/// string, partition int, offset long, timestamp timestamp, timestampType int, and
/// headers array<struct<key: string, value: binary>> when `include_headers`.
columnar::Schema KafkaSourceSchema(bool include_headers);

/// Spark's per-source metrics for progress reports: how far the latest known offsets
/// are ahead of the offsets last offered (or committed), over the partitions read.
struct KafkaSourceMetrics {
  int64_t min_offsets_behind_latest = 0;
  int64_t max_offsets_behind_latest = 0;
  double avg_offsets_behind_latest = 0;
  int64_t total_offsets_behind_latest = 0;
};

/// `spark.readStream.format("kafka")` (Spark's KafkaSource / KafkaMicroBatchStream).
///
/// Offsets are Spark's JSON, {"topic":{"0":123,"1":45}}: per partition, the next
/// offset to read. A batch (start, end] is every record with start <= offset < end in
/// each partition of `end` (a partition absent from `start` is read from its earliest
/// offset). The first batch starts at the initial offsets resolved from
/// startingOffsets / startingTimestamp / startingOffsetsByTimestamp when LatestOffset
/// first runs; they are kept in `<state_dir>/initial-offsets.json` so a restart before
/// the first commit starts at the same place.
///
/// Records are read with an assigned consumer (no group membership, no automatic
/// commits), partition by partition, so a replayed range gives the same rows in the
/// same order. Offsets may skip (compaction, transaction markers). When offsets in a
/// range are gone (retention, DeleteRecords, a deleted partition), failOnDataLoss=true
/// fails naming the topic, partition and offsets; false logs a warning and reads what
/// is left.
///
/// New partitions of subscribed topics, and new topics matching subscribePattern,
/// are found whenever LatestOffset runs and read from their earliest offset.
///
/// Methods are called from the query thread only.
class KafkaSource : public streaming::Source {
 public:
  ~KafkaSource() override;

  std::string Description() const override;
  const columnar::Schema& schema() const override;
  Status Restore(const std::optional<std::string>& committed_end) override;
  Status PrepareForAvailableNow() override;
  Result<std::optional<std::string>> LatestOffset(const std::optional<std::string>& start,
                                                  bool rate_limited) override;
  Status GetBatch(const std::optional<std::string>& start, const std::string& end, int64_t batch_id,
                  const format::BatchCallback& on_batch, streaming::SourceBatchStats* stats) override;
  /// With commitOffsetsToGroup, also commits `end` to the consumer group (a failure
  /// there is logged, not returned).
  Status Commit(const std::string& end, int64_t batch_id) override;
  /// num_files and num_bytes stay 0: Kafka's backlog is in offsets (see Metrics()).
  streaming::SourceBacklog Backlog() const override;

  /// The offsets-behind-latest figures as of the last LatestOffset call.
  KafkaSourceMetrics Metrics() const;
  /// The consumer group id used for commitOffsetsToGroup (and the client's group.id).
  const std::string& group_id() const;
  const KafkaOptions& options() const;

  class Impl;

 private:
  explicit KafkaSource(std::unique_ptr<Impl> impl);
  friend Result<std::unique_ptr<streaming::Source>> MakeKafkaSource(const streaming::SourceSpec& spec,
                                                                    const std::string& state_dir,
                                                                    const std::string& query_id);
  std::unique_ptr<Impl> impl_;
};

/// Parses the options and creates the Kafka client (nothing is read yet). `state_dir`
/// is `<checkpointLocation>/sources/<n>`; `query_id` is the checkpoint's query id,
/// which makes the group id groupIdPrefix + "-" + query id unless kafka.group.id is
/// given. Errors: Invalid naming the option (including kafka.* properties librdkafka
/// rejects).
Result<std::unique_ptr<streaming::Source>> MakeKafkaSource(const streaming::SourceSpec& spec,
                                                           const std::string& state_dir,
                                                           const std::string& query_id);

}  // namespace tributary::streaming::kafka
