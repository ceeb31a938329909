#pragma once

// The test broker that the ctest fixture `kafka` starts (scripts/kafka/kafka.sh), and
// librdkafka admin and producer calls to prepare topics on it.

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <random>
#include <thread>
#include <string>
#include <vector>

namespace tributary::streaming::kafka::testing {

/// The bootstrap address the fixture wrote; empty (and a test failure) when absent.
inline std::string Bootstrap() {
  std::ifstream in(TRIBUTARY_KAFKA_BOOTSTRAP_FILE);
  std::string address;
  in >> address;
  if (address.empty()) {
    ADD_FAILURE() << "no Kafka broker: " << TRIBUTARY_KAFKA_BOOTSTRAP_FILE
                  << " is missing; run the tests through ctest (fixture 'kafka') or scripts/kafka/kafka.sh start";
  }
  return address;
}

/// A topic name no earlier run used ("<base>-<random>").
inline std::string UniqueTopic(const std::string& base) {
  static std::mt19937_64 random(std::random_device{}());
  return base + "-" + std::to_string(random() % 1000000000);
}

struct TestRecord {
  int32_t partition = 0;
  std::string key;  // empty: null key
  std::string value;
  std::vector<std::pair<std::string, std::string>> headers;
  int64_t timestamp_ms = 0;  // 0: now
};

/// A producer and an admin client on the test broker. Failures are test failures.
class TestBroker {
 public:
  TestBroker() {
    bootstrap_ = Bootstrap();
    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap_.c_str(), error, sizeof(error));
    rd_kafka_conf_set(conf, "linger.ms", "5", error, sizeof(error));
    handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
    if (handle_ == nullptr) ADD_FAILURE() << "producer: " << error;
  }
  ~TestBroker() {
    if (handle_ != nullptr) {
      rd_kafka_flush(handle_, 10000);
      rd_kafka_destroy(handle_);
    }
  }

  const std::string& bootstrap() const { return bootstrap_; }

  void CreateTopic(const std::string& topic, int partitions) {
    char error[512];
    rd_kafka_NewTopic_t* new_topic = rd_kafka_NewTopic_new(topic.c_str(), partitions, 1, error, sizeof(error));
    RunAdmin([&](rd_kafka_queue_t* queue) { rd_kafka_CreateTopics(handle_, &new_topic, 1, nullptr, queue); },
             RD_KAFKA_EVENT_CREATETOPICS_RESULT, "create topic " + topic);
    rd_kafka_NewTopic_destroy(new_topic);
    WaitForPartitions(topic, partitions);
  }

  void CreatePartitions(const std::string& topic, int total) {
    char error[512];
    rd_kafka_NewPartitions_t* request = rd_kafka_NewPartitions_new(topic.c_str(), total, error, sizeof(error));
    RunAdmin([&](rd_kafka_queue_t* queue) { rd_kafka_CreatePartitions(handle_, &request, 1, nullptr, queue); },
             RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT, "create partitions of " + topic);
    rd_kafka_NewPartitions_destroy(request);
    WaitForPartitions(topic, total);
  }

  /// Deletes the records of `topic`/`partition` below `before` (DeleteRecords).
  void DeleteRecordsBefore(const std::string& topic, int32_t partition, int64_t before) {
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(list, topic.c_str(), partition)->offset = before;
    rd_kafka_DeleteRecords_t* request = rd_kafka_DeleteRecords_new(list);
    RunAdmin([&](rd_kafka_queue_t* queue) { rd_kafka_DeleteRecords(handle_, &request, 1, nullptr, queue); },
             RD_KAFKA_EVENT_DELETERECORDS_RESULT, "delete records of " + topic);
    rd_kafka_DeleteRecords_destroy(request);
    rd_kafka_topic_partition_list_destroy(list);
  }

  void Produce(const std::string& topic, const std::vector<TestRecord>& records) {
    for (const TestRecord& record : records) {
      // An empty header list goes on the wire as "no headers".
      rd_kafka_headers_t* headers = rd_kafka_headers_new(record.headers.size());
      for (const auto& [name, value] : record.headers) {
        rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()), value.data(),
                            static_cast<ssize_t>(value.size()));
      }
      rd_kafka_resp_err_t err = rd_kafka_producev(
          handle_, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(record.partition),
          RD_KAFKA_V_VALUE(const_cast<char*>(record.value.data()), record.value.size()),
          RD_KAFKA_V_KEY(record.key.empty() ? nullptr : const_cast<char*>(record.key.data()), record.key.size()),
          RD_KAFKA_V_TIMESTAMP(record.timestamp_ms), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        ADD_FAILURE() << "produce to " << topic << ": " << rd_kafka_err2str(err);
        rd_kafka_headers_destroy(headers);
      }
      rd_kafka_poll(handle_, 0);
    }
    if (rd_kafka_flush(handle_, 20000) != RD_KAFKA_RESP_ERR_NO_ERROR) ADD_FAILURE() << "flush to " << topic;
  }

  /// `count` records "v0".. spread round-robin over `partitions` partitions.
  void ProduceValues(const std::string& topic, int partitions, int count, int first = 0) {
    std::vector<TestRecord> records;
    for (int i = first; i < first + count; ++i) {
      records.push_back({i % partitions, "k" + std::to_string(i), "v" + std::to_string(i), {}, 0});
    }
    Produce(topic, records);
  }

 private:
  template <typename Start>
  void RunAdmin(Start start, rd_kafka_event_type_t type, const std::string& what) {
    rd_kafka_queue_t* queue = rd_kafka_queue_new(handle_);
    start(queue);
    rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 30000);
    if (event == nullptr || rd_kafka_event_type(event) != type) {
      ADD_FAILURE() << what << ": no result";
    } else if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      ADD_FAILURE() << what << ": " << rd_kafka_event_error_string(event);
    } else if (type == RD_KAFKA_EVENT_CREATETOPICS_RESULT || type == RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT) {
      size_t count = 0;
      const rd_kafka_topic_result_t** results =
          type == RD_KAFKA_EVENT_CREATETOPICS_RESULT
              ? rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count)
              : rd_kafka_CreatePartitions_result_topics(rd_kafka_event_CreatePartitions_result(event), &count);
      for (size_t i = 0; i < count; ++i) {
        if (rd_kafka_topic_result_error(results[i]) != RD_KAFKA_RESP_ERR_NO_ERROR) {
          ADD_FAILURE() << what << ": " << rd_kafka_topic_result_error_string(results[i]);
        }
      }
    } else if (type == RD_KAFKA_EVENT_DELETERECORDS_RESULT) {
      const rd_kafka_topic_partition_list_t* offsets =
          rd_kafka_DeleteRecords_result_offsets(rd_kafka_event_DeleteRecords_result(event));
      for (int i = 0; offsets && i < offsets->cnt; ++i) {
        if (offsets->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
          ADD_FAILURE() << what << ": " << rd_kafka_err2str(offsets->elems[i].err);
        }
      }
    }
    if (event) rd_kafka_event_destroy(event);
    rd_kafka_queue_destroy(queue);
  }

  // Waits until the metadata shows `partitions` partitions of `topic` with leaders.
  void WaitForPartitions(const std::string& topic, int partitions) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      rd_kafka_topic_t* handle = rd_kafka_topic_new(handle_, topic.c_str(), nullptr);
      const rd_kafka_metadata_t* metadata = nullptr;
      bool ready = false;
      if (rd_kafka_metadata(handle_, 0, handle, &metadata, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ready = metadata->topic_cnt == 1 && metadata->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR &&
                metadata->topics[0].partition_cnt == partitions;
        for (int i = 0; ready && i < metadata->topics[0].partition_cnt; ++i) {
          ready = metadata->topics[0].partitions[i].leader >= 0;
        }
        rd_kafka_metadata_destroy(metadata);
      }
      rd_kafka_topic_destroy(handle);
      if (ready) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "topic " << topic << " did not get " << partitions << " partitions";
  }

  std::string bootstrap_;
  rd_kafka_t* handle_ = nullptr;
};

}  // namespace tributary::streaming::kafka::testing
