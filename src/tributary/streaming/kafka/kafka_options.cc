#include "tributary/streaming/kafka/kafka_options.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <re2/re2.h>

#include "tributary/base/ascii.h"
#include "tributary/base/json.h"
#include "tributary/base/log.h"

namespace tributary::streaming::kafka {

namespace {

std::string Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && AsciiLower(text.substr(0, prefix.size())) == prefix;
}

Result<int64_t> ParseInt64(std::string_view text, std::string_view option) {
  std::string value = Trim(text);
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (value.empty() || ec != std::errc() || ptr != value.data() + value.size()) {
    return Status::Invalid("option '{}': '{}' is not an integer", option, text);
  }
  return out;
}

Result<int32_t> ParsePartitionNumber(std::string_view text, std::string_view what) {
  int32_t out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || out < 0) {
    return Status::Invalid("{}: '{}' is not a partition number", what, text);
  }
  return out;
}

// Java client options that the source sets itself; Spark refuses them, and so do we.
struct ForbiddenOption {
  const char* name;
  const char* reason;
};
const ForbiddenOption kForbiddenOptions[] = {
    {"kafka.auto.offset.reset",
     "where a query starts is the source option 'startingOffsets' (earliest, latest or per-partition JSON); "
     "afterwards the checkpoint decides"},
    {"kafka.enable.auto.commit",
     "the source never commits offsets on its own: the checkpoint records them (set 'commitOffsetsToGroup' to "
     "true to also publish them to the consumer group)"},
    {"kafka.key.deserializer",
     "keys are always read as bytes (column 'key', binary); decode them with DataFrame expressions"},
    {"kafka.value.deserializer",
     "values are always read as bytes (column 'value', binary); decode them with DataFrame expressions"},
    {"kafka.interceptor.classes",
     "the source reads raw bytes and client interceptors could change what it sees"},
};

// Batch-query options (Spark's read, not readStream).
const char* const kBatchOnlyOptions[] = {"endingOffsets", "endingTimestamp", "endingOffsetsByTimestamp"};

// Java-client properties with no librdkafka counterpart and no translation.
struct JavaOnlyOption {
  const char* name;
  const char* hint;
};
const JavaOnlyOption kJavaOnlyOptions[] = {
    {"kafka.ssl.truststore.location",
     "librdkafka reads CA certificates in PEM: set 'kafka.ssl.ca.location' to a PEM file instead"},
    {"kafka.ssl.truststore.password", "librdkafka reads CA certificates in PEM: use 'kafka.ssl.ca.location'"},
    {"kafka.ssl.truststore.type", "librdkafka reads CA certificates in PEM: use 'kafka.ssl.ca.location'"},
    {"kafka.ssl.keystore.type",
     "librdkafka reads a PKCS#12 keystore ('kafka.ssl.keystore.location') or PEM files ('kafka.ssl.certificate.location', "
     "'kafka.ssl.key.location')"},
    {"kafka.sasl.login.callback.handler.class", "Java classes cannot be loaded by librdkafka"},
    {"kafka.sasl.client.callback.handler.class", "Java classes cannot be loaded by librdkafka"},
    {"kafka.partition.assignment.strategy",
     "the source assigns partitions itself and never joins a consumer group"},
};

// Reads username="..." / password="..." out of a JAAS login module line such as
// org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";
Status TranslateJaasConfig(std::string_view jaas, KafkaOptions* out) {
  const std::string option = "kafka.sasl.jaas.config";
  std::string module;
  if (!RE2::PartialMatch(std::string(jaas), R"(^\s*([\w.$]+)\s+(?:required|requisite|sufficient|optional))",
                         &module)) {
    return Status::Invalid("option '{}': expected '<LoginModule> required key=\"value\" ...;'", option);
  }
  if (module.find("PlainLoginModule") == std::string::npos && module.find("ScramLoginModule") == std::string::npos) {
    return Status::NotImplemented(
        "option '{}': login module '{}' has no librdkafka equivalent that Tributary can derive; set the "
        "librdkafka properties directly (e.g. kafka.sasl.mechanism, kafka.sasl.oauthbearer.*, "
        "kafka.sasl.kerberos.*)",
        option, module);
  }
  std::string username, password;
  static const RE2 kUser(R"re(\busername\s*=\s*"((?:[^"\\]|\\.)*)")re");
  static const RE2 kPassword(R"re(\bpassword\s*=\s*"((?:[^"\\]|\\.)*)")re");
  if (!RE2::PartialMatch(std::string(jaas), kUser, &username) ||
      !RE2::PartialMatch(std::string(jaas), kPassword, &password)) {
    return Status::Invalid("option '{}': {} needs username=\"...\" and password=\"...\"", option, module);
  }
  auto unescape = [](const std::string& text) {
    std::string result;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\\' && i + 1 < text.size()) ++i;
      result += text[i];
    }
    return result;
  };
  out->client_properties.emplace_back("sasl.username", unescape(username));
  out->client_properties.emplace_back("sasl.password", unescape(password));
  return Status::OK();
}

std::string KnownNamesText() {
  std::string out;
  for (const std::string& name : KafkaOptionNames()) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out + ", kafka.<librdkafka property>";
}

}  // namespace

std::string PartitionName(const TopicPartition& tp) { return tp.topic + "-" + std::to_string(tp.partition); }

std::string FormatPartitionOffsets(const PartitionOffsets& offsets) {
  JsonWriter writer;
  writer.StartObject();
  const std::string* topic = nullptr;
  for (const auto& [tp, offset] : offsets) {
    if (topic == nullptr || *topic != tp.topic) {
      if (topic != nullptr) writer.EndObject();
      writer.Key(tp.topic).StartObject();
      topic = &tp.topic;
    }
    writer.Key(std::to_string(tp.partition)).Int(offset);
  }
  if (topic != nullptr) writer.EndObject();
  writer.EndObject();
  return writer.Finish();
}

Result<PartitionOffsets> ParsePartitionOffsets(std::string_view json, std::string_view what) {
  auto parsed = ParseJson(json);
  if (!parsed.ok()) {
    return Status::Invalid("{}: '{}' is not offsets JSON ({}); expected {{\"topic\":{{\"0\":23,\"1\":-2}}}}", what,
                           json, parsed.status().message());
  }
  if (!parsed->is_object()) {
    return Status::Invalid("{}: '{}' is not a JSON object; expected {{\"topic\":{{\"0\":23,\"1\":-2}}}}", what, json);
  }
  PartitionOffsets out;
  for (const auto& [topic, partitions] : parsed->members()) {
    if (!partitions.is_object()) {
      return Status::Invalid("{}: topic '{}' must map partition numbers to offsets, got {}", what, topic,
                             JsonKindName(partitions.kind()));
    }
    for (const auto& [partition, offset] : partitions.members()) {
      TRIB_ASSIGN_OR_RETURN(int32_t number, ParsePartitionNumber(partition, std::string(what) + " topic '" + topic + "'"));
      if (!offset.is_int()) {
        return Status::Invalid("{}: topic '{}' partition {} must have an integer, got {}", what, topic, partition,
                               JsonKindName(offset.kind()));
      }
      out[TopicPartition{topic, number}] = offset.int_value();
    }
  }
  return out;
}

const OptionNames& KafkaOptionNames() {
  static const OptionNames names = {
      "subscribe",
      "subscribePattern",
      "assign",
      "startingOffsets",
      "startingTimestamp",
      "startingOffsetsByTimestamp",
      "startingOffsetsByTimestampStrategy",
      "maxOffsetsPerTrigger",
      "minOffsetsPerTrigger",
      "maxTriggerDelay",
      "failOnDataLoss",
      "includeHeaders",
      "groupIdPrefix",
      "kafkaConsumer.pollTimeoutMs",
      "fetchOffset.numRetries",
      "fetchOffset.retryIntervalMs",
      "minPartitions",
      "maxRecordsPerPartition",
      "commitOffsetsToGroup",
      "endingOffsets",
      "endingTimestamp",
      "endingOffsetsByTimestamp",
  };
  return names;
}

Result<KafkaOptions> ParseKafkaOptions(const streaming::SourceSpec& spec) {
  const OptionMap& options = spec.options;
  KafkaOptions out;

  // Names first, so that a typo is reported before anything that depends on it.
  for (const auto& [name, value] : options.values()) {
    if (StartsWithIgnoreCase(name, "kafka.")) {
      if (name.size() == 6) return Status::Invalid("option 'kafka.' has no property name");
      continue;
    }
    if (KafkaOptionNames().count(name)) continue;
    return Status::Invalid("unknown option '{}' for the kafka source; valid options are: {}", name, KnownNamesText());
  }
  for (const char* name : kBatchOnlyOptions) {
    if (options.Has(name)) {
      return Status::Invalid("option '{}' only applies to batch queries (spark.read); a streaming query reads "
                             "until it is stopped or its trigger ends it",
                             name);
    }
  }
  for (const ForbiddenOption& forbidden : kForbiddenOptions) {
    if (options.Has(forbidden.name)) {
      return Status::Invalid("option '{}' is not supported by the kafka source: {}", forbidden.name,
                             forbidden.reason);
    }
  }
  for (const JavaOnlyOption& java : kJavaOnlyOptions) {
    if (options.Has(java.name)) {
      return Status::Invalid("option '{}' is a Java client setting with no librdkafka equivalent: {}", java.name,
                             java.hint);
    }
  }

  // Subscription.
  if (!spec.path.empty()) {
    return Status::Invalid("the kafka source takes no path (load() without arguments); got '{}'", spec.path);
  }
  auto bootstrap = options.Get("kafka.bootstrap.servers");
  if (!bootstrap || Trim(*bootstrap).empty()) {
    return Status::Invalid("option 'kafka.bootstrap.servers' is required for the kafka source (host:port,...)");
  }
  out.bootstrap_servers = Trim(*bootstrap);

  int strategies = options.Has("subscribe") + options.Has("subscribePattern") + options.Has("assign");
  if (strategies != 1) {
    return Status::Invalid("the kafka source needs exactly one of the options 'subscribe', 'subscribePattern', "
                           "'assign'; {} given",
                           strategies);
  }
  if (auto subscribe = options.Get("subscribe")) {
    out.subscription = SubscriptionKind::kSubscribe;
    size_t begin = 0;
    while (begin <= subscribe->size()) {
      size_t comma = subscribe->find(',', begin);
      if (comma == std::string::npos) comma = subscribe->size();
      std::string topic = Trim(std::string_view(*subscribe).substr(begin, comma - begin));
      if (!topic.empty() && std::find(out.topics.begin(), out.topics.end(), topic) == out.topics.end()) {
        out.topics.push_back(topic);
      }
      begin = comma + 1;
    }
    if (out.topics.empty()) {
      return Status::Invalid("option 'subscribe': no topic given (expected a comma-separated list of topics)");
    }
  } else if (auto pattern = options.Get("subscribePattern")) {
    out.subscription = SubscriptionKind::kSubscribePattern;
    out.topic_pattern = *pattern;
    RE2 regex(out.topic_pattern, RE2::Quiet);
    if (out.topic_pattern.empty() || !regex.ok()) {
      return Status::Invalid("option 'subscribePattern': '{}' is not a regular expression{}{}", *pattern,
                             regex.ok() ? "" : ": ", regex.ok() ? "" : regex.error());
    }
  } else {
    out.subscription = SubscriptionKind::kAssign;
    std::string assign = *options.Get("assign");
    auto parsed = ParseJson(assign);
    if (!parsed.ok() || !parsed->is_object() || parsed->members().empty()) {
      return Status::Invalid("option 'assign': '{}' is not JSON of the form {{\"topic\":[0,1]}}", assign);
    }
    for (const auto& [topic, partitions] : parsed->members()) {
      if (!partitions.is_array()) {
        return Status::Invalid("option 'assign': topic '{}' must have an array of partition numbers", topic);
      }
      std::vector<int32_t>& list = out.assigned[topic];
      for (const JsonValue& partition : partitions.array()) {
        if (!partition.is_int() || partition.int_value() < 0 || partition.int_value() > INT32_MAX) {
          return Status::Invalid("option 'assign': topic '{}' has a partition that is not a number >= 0", topic);
        }
        int32_t number = static_cast<int32_t>(partition.int_value());
        if (std::find(list.begin(), list.end(), number) == list.end()) list.push_back(number);
      }
      std::sort(list.begin(), list.end());
    }
  }

  // Where to start: startingTimestamp wins over startingOffsetsByTimestamp, which wins
  // over startingOffsets (Spark's order).
  if (auto timestamp = options.Get("startingTimestamp")) {
    out.starting.kind = StartingOffsets::Kind::kTimestamp;
    TRIB_ASSIGN_OR_RETURN(out.starting.timestamp_ms, ParseInt64(*timestamp, "startingTimestamp"));
    if (out.starting.timestamp_ms < 0) {
      return Status::Invalid("option 'startingTimestamp': {} is negative (milliseconds since the epoch)",
                             out.starting.timestamp_ms);
    }
  } else if (auto by_timestamp = options.Get("startingOffsetsByTimestamp")) {
    out.starting.kind = StartingOffsets::Kind::kTimestampPerPartition;
    TRIB_ASSIGN_OR_RETURN(out.starting.timestamps,
                          ParsePartitionOffsets(*by_timestamp, "option 'startingOffsetsByTimestamp'"));
    for (const auto& [tp, ms] : out.starting.timestamps) {
      if (ms < 0) {
        return Status::Invalid("option 'startingOffsetsByTimestamp': partition {} has negative timestamp {}",
                               PartitionName(tp), ms);
      }
    }
  } else if (auto starting = options.Get("startingOffsets")) {
    std::string value = AsciiLower(Trim(*starting));
    if (value == "earliest") {
      out.starting.kind = StartingOffsets::Kind::kEarliest;
    } else if (value == "latest") {
      out.starting.kind = StartingOffsets::Kind::kLatest;
    } else if (!value.empty() && value.front() == '{') {
      out.starting.kind = StartingOffsets::Kind::kSpecific;
      TRIB_ASSIGN_OR_RETURN(out.starting.offsets, ParsePartitionOffsets(*starting, "option 'startingOffsets'"));
      for (const auto& [tp, offset] : out.starting.offsets) {
        if (offset < kEarliestOffset) {
          return Status::Invalid("option 'startingOffsets': partition {} has offset {} (use >= 0, -2 for earliest "
                                 "or -1 for latest)",
                                 PartitionName(tp), offset);
        }
      }
    } else {
      return Status::Invalid("option 'startingOffsets': '{}' is not 'earliest', 'latest' or offsets JSON such as "
                             "{{\"topic\":{{\"0\":23,\"1\":-2}}}}",
                             *starting);
    }
  }
  if (auto strategy = options.Get("startingOffsetsByTimestampStrategy")) {
    std::string value = AsciiLower(Trim(*strategy));
    if (value == "error") {
      out.timestamp_strategy = TimestampStrategy::kError;
    } else if (value == "latest") {
      out.timestamp_strategy = TimestampStrategy::kLatest;
    } else {
      return Status::Invalid("option 'startingOffsetsByTimestampStrategy': '{}' is not 'error' or 'latest'",
                             *strategy);
    }
  }
  if (out.subscription == SubscriptionKind::kAssign) {
    const PartitionOffsets* given = out.starting.kind == StartingOffsets::Kind::kSpecific ? &out.starting.offsets
                                    : out.starting.kind == StartingOffsets::Kind::kTimestampPerPartition
                                        ? &out.starting.timestamps
                                        : nullptr;
    if (given) {
      for (const auto& [tp, value] : *given) {
        auto it = out.assigned.find(tp.topic);
        if (it == out.assigned.end() ||
            std::find(it->second.begin(), it->second.end(), tp.partition) == it->second.end()) {
          return Status::Invalid("option '{}' names partition {}, which option 'assign' does not include",
                                 out.starting.kind == StartingOffsets::Kind::kSpecific ? "startingOffsets"
                                                                                       : "startingOffsetsByTimestamp",
                                 PartitionName(tp));
        }
      }
    }
  }

  // Rate limits.
  if (auto max = options.Get("maxOffsetsPerTrigger")) {
    TRIB_ASSIGN_OR_RETURN(int64_t value, ParseInt64(*max, "maxOffsetsPerTrigger"));
    if (value <= 0) return Status::Invalid("option 'maxOffsetsPerTrigger': {} must be positive", value);
    out.max_offsets_per_trigger = value;
  }
  if (auto min = options.Get("minOffsetsPerTrigger")) {
    TRIB_ASSIGN_OR_RETURN(int64_t value, ParseInt64(*min, "minOffsetsPerTrigger"));
    if (value <= 0) return Status::Invalid("option 'minOffsetsPerTrigger': {} must be positive", value);
    out.min_offsets_per_trigger = value;
  }
  if (out.min_offsets_per_trigger && out.max_offsets_per_trigger &&
      *out.min_offsets_per_trigger > *out.max_offsets_per_trigger) {
    return Status::Invalid("option 'minOffsetsPerTrigger' ({}) is above option 'maxOffsetsPerTrigger' ({})",
                           *out.min_offsets_per_trigger, *out.max_offsets_per_trigger);
  }
  TRIB_ASSIGN_OR_RETURN(auto delay, options.GetDurationMs("maxTriggerDelay"));
  if (delay) {
    if (*delay < 0) return Status::Invalid("option 'maxTriggerDelay' must not be negative");
    out.max_trigger_delay_ms = *delay;
  }

  TRIB_ASSIGN_OR_RETURN(out.fail_on_data_loss, options.GetBool("failOnDataLoss", true));
  TRIB_ASSIGN_OR_RETURN(out.include_headers, options.GetBool("includeHeaders", false));
  TRIB_ASSIGN_OR_RETURN(out.commit_offsets_to_group, options.GetBool("commitOffsetsToGroup", false));
  out.group_id_prefix = options.GetString("groupIdPrefix", "spark-kafka-source");
  if (out.group_id_prefix.empty()) return Status::Invalid("option 'groupIdPrefix' must not be empty");
  if (auto group = options.Get("kafka.group.id")) {
    if (Trim(*group).empty()) return Status::Invalid("option 'kafka.group.id' must not be empty");
    out.group_id = *group;
    log::Warn("option 'kafka.group.id' is set: queries sharing group id '{}' interfere with each other's group "
              "commits; Tributary never joins the group, it assigns partitions itself",
              *group);
  }
  TRIB_ASSIGN_OR_RETURN(out.poll_timeout_ms, options.GetInt("kafkaConsumer.pollTimeoutMs", 120000));
  if (out.poll_timeout_ms <= 0) return Status::Invalid("option 'kafkaConsumer.pollTimeoutMs' must be positive");
  TRIB_ASSIGN_OR_RETURN(int64_t retries, options.GetInt("fetchOffset.numRetries", 3));
  if (retries < 0 || retries > 1000) {
    return Status::Invalid("option 'fetchOffset.numRetries': {} is not in [0, 1000]", retries);
  }
  out.fetch_offset_num_retries = static_cast<int>(retries);
  TRIB_ASSIGN_OR_RETURN(out.fetch_offset_retry_interval_ms, options.GetInt("fetchOffset.retryIntervalMs", 10));
  if (out.fetch_offset_retry_interval_ms < 0) {
    return Status::Invalid("option 'fetchOffset.retryIntervalMs' must not be negative");
  }
  for (const char* name : {"minPartitions", "maxRecordsPerPartition"}) {
    if (auto value = options.Get(name)) {
      TRIB_ASSIGN_OR_RETURN(int64_t number, ParseInt64(*value, name));
      if (number <= 0) return Status::Invalid("option '{}': {} must be positive", name, number);
      log::Info("option '{}' splits Spark tasks; Tributary reads each batch in one pass and ignores it", name);
    }
  }

  // Client properties: kafka.<name> -> <name>.
  for (const auto& [name, value] : options.values()) {
    if (!StartsWithIgnoreCase(name, "kafka.")) continue;
    std::string property = name.substr(6);
    std::string lower = AsciiLower(property);
    if (lower == "bootstrap.servers" || lower == "group.id") continue;
    if (lower == "sasl.jaas.config") {
      TRIB_RETURN_NOT_OK(TranslateJaasConfig(value, &out));
      continue;
    }
    out.client_properties.emplace_back(property, value);
  }
  return out;
}

}  // namespace tributary::streaming::kafka
