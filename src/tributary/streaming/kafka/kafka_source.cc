#include "tributary/streaming/kafka/kafka_source.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "tributary/base/log.h"
#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/io/file_system.h"
#include "tributary/streaming/kafka/kafka_client.h"

namespace tributary::streaming::kafka {

namespace {

using columnar::DataType;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A batch is handed on at this many bytes even when it has fewer rows.
constexpr int64_t kMaxBatchBytes = int64_t{64} << 20;

// Appends records to the columns of KafkaSourceSchema.
class RowBuilder {
 public:
  RowBuilder(columnar::SchemaPtr schema, bool include_headers) : schema_(std::move(schema)), headers_(include_headers) {
    for (const columnar::Field& field : schema_->fields()) columns_.emplace_back(field.type);
  }

  int64_t num_rows() const { return columns_[0].length(); }
  int64_t ByteSize() const {
    int64_t size = 0;
    for (const auto& column : columns_) size += column.ByteSize();
    return size;
  }

  void Append(const rd_kafka_message_t& message) {
    if (message.key == nullptr) {
      columns_[0].AppendNull();
    } else {
      columns_[0].AppendString(std::string_view(static_cast<const char*>(message.key), message.key_len));
    }
    if (message.payload == nullptr) {
      columns_[1].AppendNull();
    } else {
      columns_[1].AppendString(std::string_view(static_cast<const char*>(message.payload), message.len));
    }
    columns_[2].AppendString(rd_kafka_topic_name(message.rkt));
    columns_[3].AppendInt(message.partition);
    columns_[4].AppendInt(message.offset);
    rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    int64_t timestamp_ms = rd_kafka_message_timestamp(&message, &type);
    columns_[5].AppendInt(timestamp_ms * 1000);
    // Java's TimestampType ids: -1 none, 0 create time, 1 log append time.
    columns_[6].AppendInt(type == RD_KAFKA_TIMESTAMP_CREATE_TIME       ? 0
                          : type == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME ? 1
                                                                       : -1);
    if (headers_) AppendHeaders(message);
  }

  Result<columnar::RecordBatchPtr> Finish() {
    int64_t rows = num_rows();
    std::vector<columnar::ColumnPtr> columns;
    for (auto& column : columns_) columns.push_back(column.Finish());
    return columnar::RecordBatch::Make(schema_, rows, std::move(columns));
  }

 private:
  void AppendHeaders(const rd_kafka_message_t& message) {
    columnar::ColumnBuilder& column = columns_[7];
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(&message, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR || headers == nullptr ||
        rd_kafka_header_cnt(headers) == 0) {
      column.AppendNull();  // Spark gives null, not an empty array, for no headers
      return;
    }
    columnar::ColumnBuilder& entry = column.child(0);
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    for (size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
      entry.child(0).AppendString(name);
      if (value == nullptr) {
        entry.child(1).AppendNull();
      } else {
        entry.child(1).AppendString(std::string_view(static_cast<const char*>(value), size));
      }
      entry.AppendStructValid();
    }
    column.AppendListEnd();
  }

  columnar::SchemaPtr schema_;
  bool headers_;
  std::vector<columnar::ColumnBuilder> columns_;
};

}  // namespace

columnar::Schema KafkaSourceSchema(bool include_headers) {
  std::vector<columnar::Field> fields = {
      {"key", DataType::Binary()},          {"value", DataType::Binary()},
      {"topic", DataType::String()},        {"partition", DataType::Integer()},
      {"offset", DataType::Long()},         {"timestamp", DataType::Timestamp()},
      {"timestampType", DataType::Integer()},
  };
  if (include_headers) {
    fields.push_back({"headers", DataType::Array(DataType::Struct({{"key", DataType::String()},
                                                                   {"value", DataType::Binary()}}))});
  }
  return columnar::Schema(std::move(fields));
}

class KafkaSource::Impl {
 public:
  KafkaOptions options;
  std::string state_dir;
  std::string group_id;
  columnar::SchemaPtr schema;
  std::unique_ptr<KafkaClient> client;
  std::shared_ptr<io::FileSystem> fs = io::LocalFileSystem();

  std::optional<PartitionOffsets> initial;
  std::optional<PartitionOffsets> available_now_end;
  PartitionOffsets latest;   // as of the last LatestOffset
  PartitionOffsets offered;  // the end of the last offset handed out or committed
  int64_t last_trigger_ms = NowMs();

  std::string InitialOffsetsPath() const { return io::JoinPath(state_dir, "initial-offsets.json"); }

  Result<PartitionOffsets> ResolveStarting(const std::vector<TopicPartition>& partitions) {
    const StartingOffsets& starting = options.starting;
    switch (starting.kind) {
      case StartingOffsets::Kind::kEarliest:
        return client->ListOffsets(partitions, kEarliestOffset);
      case StartingOffsets::Kind::kLatest:
        return client->ListOffsets(partitions, kLatestOffset);
      case StartingOffsets::Kind::kSpecific: {
        PartitionOffsets out;
        for (const TopicPartition& tp : partitions) {
          auto it = starting.offsets.find(tp);
          if (it == starting.offsets.end()) {
            return Status::Invalid("option 'startingOffsets' has no offset for partition {}: give every partition "
                                   "of the subscription (-2 for earliest, -1 for latest)",
                                   PartitionName(tp));
          }
          out[tp] = it->second;
        }
        for (const auto& [tp, offset] : starting.offsets) {
          if (!out.count(tp)) {
            return Status::Invalid("option 'startingOffsets' names partition {}, which does not exist or is not "
                                   "subscribed",
                                   PartitionName(tp));
          }
        }
        PartitionOffsets symbolic;
        for (const auto& [tp, offset] : out) {
          if (offset < 0) symbolic[tp] = offset;
        }
        TRIB_ASSIGN_OR_RETURN(PartitionOffsets resolved, client->ListOffsets(symbolic));
        for (const auto& [tp, offset] : resolved) out[tp] = offset;
        return out;
      }
      case StartingOffsets::Kind::kTimestamp:
      case StartingOffsets::Kind::kTimestampPerPartition: {
        PartitionOffsets query;
        const std::string option = starting.kind == StartingOffsets::Kind::kTimestamp ? "startingTimestamp"
                                                                                      : "startingOffsetsByTimestamp";
        for (const TopicPartition& tp : partitions) {
          if (starting.kind == StartingOffsets::Kind::kTimestamp) {
            query[tp] = starting.timestamp_ms;
            continue;
          }
          auto it = starting.timestamps.find(tp);
          if (it == starting.timestamps.end()) {
            return Status::Invalid("option 'startingOffsetsByTimestamp' has no timestamp for partition {}: give "
                                   "every partition of the subscription",
                                   PartitionName(tp));
          }
          query[tp] = it->second;
        }
        TRIB_ASSIGN_OR_RETURN(PartitionOffsets out, client->ListOffsets(query));
        std::vector<TopicPartition> past_end;
        for (const auto& [tp, offset] : out) {
          if (offset >= 0) continue;
          if (options.timestamp_strategy == TimestampStrategy::kError) {
            return Status::Invalid("option '{}': partition {} has no record with a timestamp at or after {} ms (set "
                                   "startingOffsetsByTimestampStrategy=latest to start at its end instead)",
                                   option, PartitionName(tp), query[tp]);
          }
          past_end.push_back(tp);
        }
        TRIB_ASSIGN_OR_RETURN(PartitionOffsets ends, client->ListOffsets(past_end, kLatestOffset));
        for (const auto& [tp, offset] : ends) out[tp] = offset;
        return out;
      }
    }
    return Status::Internal("kafka: unknown startingOffsets kind");
  }

  // The offsets the first batch starts at: resolved once, then kept in the state dir.
  Result<PartitionOffsets> Initial() {
    if (initial) return *initial;
    std::string path = InitialOffsetsPath();
    TRIB_ASSIGN_OR_RETURN(bool exists, fs->Exists(path));
    if (exists) {
      TRIB_ASSIGN_OR_RETURN(std::string text, fs->ReadFile(path));
      auto parsed = ParsePartitionOffsets(text, "file '" + path + "'");
      if (!parsed.ok()) return Status::Corruption("{}", parsed.status().message());
      initial = std::move(*parsed);
      return *initial;
    }
    TRIB_ASSIGN_OR_RETURN(std::vector<TopicPartition> partitions, client->Partitions());
    TRIB_ASSIGN_OR_RETURN(PartitionOffsets resolved, ResolveStarting(partitions));
    TRIB_RETURN_NOT_OK(fs->CreateDirectories(state_dir));
    TRIB_RETURN_NOT_OK(fs->WriteFileAtomic(path, FormatPartitionOffsets(resolved)));
    log::Info("kafka: initial offsets {} written to '{}'", FormatPartitionOffsets(resolved), path);
    initial = std::move(resolved);
    return *initial;
  }

  Result<PartitionOffsets> Start(const std::optional<std::string>& start) {
    if (!start) return Initial();
    return ParsePartitionOffsets(*start, "offset");
  }

  Status DataLoss(const std::string& message) {
    if (options.fail_on_data_loss) {
      return Status::Invalid("kafka: {}. Some data may have been lost; set failOnDataLoss=false to continue from "
                             "what is available",
                             message);
    }
    log::Warn("kafka: {}. Some data may have been lost; continuing (failOnDataLoss=false)", message);
    return Status::OK();
  }

  // Spark's rateLimit: the limit shared across partitions in proportion to their lag.
  static PartitionOffsets RateLimit(int64_t limit, const PartitionOffsets& begin, const PartitionOffsets& target) {
    double total = 0;
    for (const auto& [tp, end] : target) total += static_cast<double>(std::max<int64_t>(0, end - begin.at(tp)));
    if (total <= static_cast<double>(limit)) return target;
    PartitionOffsets out;
    for (const auto& [tp, end] : target) {
      int64_t from = begin.at(tp);
      int64_t size = std::max<int64_t>(0, end - from);
      double share = static_cast<double>(limit) * (static_cast<double>(size) / total);
      int64_t take = static_cast<int64_t>(share < 1 ? std::ceil(share) : std::floor(share));
      out[tp] = std::min(end, from + std::min(size, take));
    }
    return out;
  }

  Result<std::optional<std::string>> LatestOffset(const std::optional<std::string>& start_text, bool rate_limited) {
    TRIB_ASSIGN_OR_RETURN(PartitionOffsets start, Start(start_text));
    PartitionOffsets target;
    if (available_now_end) {
      target = *available_now_end;
    } else {
      TRIB_ASSIGN_OR_RETURN(std::vector<TopicPartition> partitions, client->Partitions());
      TRIB_ASSIGN_OR_RETURN(target, client->ListOffsets(partitions, kLatestOffset));
    }
    // Where each partition of the target starts: its offset in `start`, or its earliest
    // offset for a partition that appeared since.
    PartitionOffsets begin;
    std::vector<TopicPartition> new_partitions;
    for (const auto& [tp, end] : target) {
      auto it = start.find(tp);
      if (it == start.end()) {
        new_partitions.push_back(tp);
      } else {
        begin[tp] = it->second;
      }
    }
    TRIB_ASSIGN_OR_RETURN(PartitionOffsets earliest, client->ListOffsets(new_partitions, kEarliestOffset));
    for (const auto& [tp, offset] : earliest) {
      log::Info("kafka: new partition {} found; reading it from its earliest offset {}", PartitionName(tp), offset);
      begin[tp] = offset;
    }
    for (const auto& [tp, offset] : start) {
      if (target.count(tp)) continue;
      if (available_now_end) {
        target[tp] = offset;  // not part of this AvailableNow run
        begin[tp] = offset;
        continue;
      }
      TRIB_RETURN_NOT_OK(DataLoss("partition " + PartitionName(tp) + " is gone (at offset " + std::to_string(offset) +
                                  ")"));
    }
    for (auto& [tp, end] : target) {
      if (end < begin[tp]) {
        TRIB_RETURN_NOT_OK(DataLoss("partition " + PartitionName(tp) + " went back from offset " +
                                    std::to_string(begin[tp]) + " to " + std::to_string(end)));
        begin[tp] = end;
      }
    }
    latest = target;

    int64_t available = 0;
    for (const auto& [tp, end] : target) available += end - begin[tp];
    if (rate_limited && !available_now_end && options.min_offsets_per_trigger &&
        available < *options.min_offsets_per_trigger && NowMs() - last_trigger_ms < options.max_trigger_delay_ms) {
      return std::optional<std::string>();
    }
    PartitionOffsets end = target;
    if (rate_limited && options.max_offsets_per_trigger) end = RateLimit(*options.max_offsets_per_trigger, begin, target);

    // A partition that is only new carries no data yet unless it moved: nothing to offer
    // when no offset advanced.
    bool advanced = false;
    for (const auto& [tp, offset] : end) {
      auto it = start.find(tp);
      if (it == start.end() ? offset > begin[tp] : offset != it->second) advanced = true;
    }
    if (!advanced) return std::optional<std::string>();
    // Spark keeps the begin of a new partition implicit (read from earliest); keep
    // partitions that vanished out of the new end.
    last_trigger_ms = NowMs();
    offered = end;
    return std::optional<std::string>(FormatPartitionOffsets(end));
  }

  Status GetBatch(const std::optional<std::string>& start_text, const std::string& end_text, int64_t batch_id,
                  const format::BatchCallback& on_batch, streaming::SourceBatchStats* stats) {
    TRIB_ASSIGN_OR_RETURN(PartitionOffsets start, Start(start_text));
    TRIB_ASSIGN_OR_RETURN(PartitionOffsets end, ParsePartitionOffsets(end_text, "offset"));
    RowBuilder rows(schema, options.include_headers);
    auto flush = [&]() -> Status {
      if (rows.num_rows() == 0) return Status::OK();
      TRIB_ASSIGN_OR_RETURN(columnar::RecordBatchPtr batch, rows.Finish());
      stats->num_input_rows += batch->num_rows();
      return on_batch(std::move(batch));
    };
    for (const auto& [tp, until] : end) {
      auto it = start.find(tp);
      int64_t from = it == start.end() ? kEarliestOffset : it->second;
      if (from == kEarliestOffset) {
        TRIB_ASSIGN_OR_RETURN(auto marks, client->Watermarks(tp));
        from = marks.first;
      }
      if (from > until) {
        log::Warn("kafka: batch {}: partition {} range [{}, {}) is reversed; nothing read from it", batch_id,
                  PartitionName(tp), from, until);
        continue;
      }
      if (from == until) continue;
      auto read = client->ReadRange(tp, from, until, !options.fail_on_data_loss,
                                    [&](const rd_kafka_message_t& message) -> Status {
                                      rows.Append(message);
                                      if (rows.num_rows() >= options.max_rows_per_batch ||
                                          rows.ByteSize() >= kMaxBatchBytes) {
                                        return flush();
                                      }
                                      return Status::OK();
                                    });
      if (!read.ok()) {
        return read.status().IsInvalid() && read.status().message().find("data loss") != std::string::npos
                   ? Status::Invalid("batch {}: {}", batch_id, read.status().message())
                   : read.status().WithContext("batch " + std::to_string(batch_id));
      }
      if (read->lost) {
        log::Warn("kafka: batch {}: partition {} offsets {} to {} are no longer available; skipped "
                  "(failOnDataLoss=false)",
                  batch_id, PartitionName(tp), read->missing_from, read->missing_to - 1);
      }
    }
    return flush();
  }
};

KafkaSource::KafkaSource(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KafkaSource::~KafkaSource() = default;

std::string KafkaSource::Description() const {
  const KafkaOptions& options = impl_->options;
  switch (options.subscription) {
    case SubscriptionKind::kSubscribe: {
      std::string topics;
      for (const std::string& topic : options.topics) topics += (topics.empty() ? "" : ",") + topic;
      return "KafkaSource[Subscribe[" + topics + "]]";
    }
    case SubscriptionKind::kSubscribePattern:
      return "KafkaSource[SubscribePattern[" + options.topic_pattern + "]]";
    case SubscriptionKind::kAssign: {
      PartitionOffsets partitions;
      for (const auto& [topic, numbers] : options.assigned) {
        for (int32_t number : numbers) partitions[{topic, number}] = 0;
      }
      std::string text;
      for (const auto& [tp, unused] : partitions) text += (text.empty() ? "" : ", ") + PartitionName(tp);
      return "KafkaSource[Assign[" + text + "]]";
    }
  }
  return "KafkaSource";
}

const columnar::Schema& KafkaSource::schema() const { return *impl_->schema; }

Status KafkaSource::Restore(const std::optional<std::string>& committed_end) {
  if (committed_end) {
    TRIB_ASSIGN_OR_RETURN(impl_->offered, ParsePartitionOffsets(*committed_end, "committed offset"));
  }
  impl_->last_trigger_ms = NowMs();
  return Status::OK();
}

Status KafkaSource::PrepareForAvailableNow() {
  TRIB_ASSIGN_OR_RETURN(std::vector<TopicPartition> partitions, impl_->client->Partitions());
  TRIB_ASSIGN_OR_RETURN(PartitionOffsets latest, impl_->client->ListOffsets(partitions, kLatestOffset));
  impl_->available_now_end = std::move(latest);
  return Status::OK();
}

Result<std::optional<std::string>> KafkaSource::LatestOffset(const std::optional<std::string>& start,
                                                             bool rate_limited) {
  return impl_->LatestOffset(start, rate_limited);
}

Status KafkaSource::GetBatch(const std::optional<std::string>& start, const std::string& end, int64_t batch_id,
                             const format::BatchCallback& on_batch, streaming::SourceBatchStats* stats) {
  return impl_->GetBatch(start, end, batch_id, on_batch, stats);
}

Status KafkaSource::Commit(const std::string& end, int64_t batch_id) {
  TRIB_ASSIGN_OR_RETURN(PartitionOffsets offsets, ParsePartitionOffsets(end, "offset"));
  if (impl_->options.commit_offsets_to_group) {
    Status committed = impl_->client->CommitToGroup(offsets);
    if (!committed.ok()) {
      log::Warn("kafka: batch {}: committing offsets {} to consumer group '{}' failed (commitOffsetsToGroup; the "
                "checkpoint is unaffected): {}",
                batch_id, end, impl_->group_id, committed.message());
    }
  }
  return Status::OK();
}

streaming::SourceBacklog KafkaSource::Backlog() const { return {}; }

KafkaSourceMetrics KafkaSource::Metrics() const {
  KafkaSourceMetrics metrics;
  int64_t count = 0;
  for (const auto& [tp, latest] : impl_->latest) {
    auto it = impl_->offered.find(tp);
    int64_t behind = std::max<int64_t>(0, latest - (it == impl_->offered.end() ? latest : it->second));
    metrics.min_offsets_behind_latest = count == 0 ? behind : std::min(metrics.min_offsets_behind_latest, behind);
    metrics.max_offsets_behind_latest = std::max(metrics.max_offsets_behind_latest, behind);
    metrics.total_offsets_behind_latest += behind;
    ++count;
  }
  if (count > 0) {
    metrics.avg_offsets_behind_latest =
        static_cast<double>(metrics.total_offsets_behind_latest) / static_cast<double>(count);
  }
  return metrics;
}

const std::string& KafkaSource::group_id() const { return impl_->group_id; }
const KafkaOptions& KafkaSource::options() const { return impl_->options; }

Result<std::unique_ptr<streaming::Source>> MakeKafkaSource(const streaming::SourceSpec& spec,
                                                           const std::string& state_dir,
                                                           const std::string& query_id) {
  if (spec.user_schema) {
    return Status::Invalid("the kafka source has a fixed schema (key, value, topic, partition, offset, timestamp, "
                           "timestampType[, headers]); remove .schema(...)");
  }
  auto impl = std::make_unique<KafkaSource::Impl>();
  TRIB_ASSIGN_OR_RETURN(impl->options, ParseKafkaOptions(spec));
  impl->state_dir = state_dir;
  impl->group_id = impl->options.group_id.value_or(impl->options.group_id_prefix + "-" + query_id);
  impl->schema = std::make_shared<const columnar::Schema>(KafkaSourceSchema(impl->options.include_headers));
  TRIB_ASSIGN_OR_RETURN(impl->client, KafkaClient::Make(impl->options, impl->group_id));
  return std::unique_ptr<streaming::Source>(new KafkaSource(std::move(impl)));
}

}  // namespace tributary::streaming::kafka
