#pragma once

// A fixture for end-to-end query tests: a landing directory, a checkpoint, a
// warehouse, and helpers that run a query to its end and read the table back.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "streaming_testing.h"
#include "tributary/delta/table.h"
#include "tributary/io/file_system.h"
#include "tributary/streaming/query/streaming_query.h"
#include "tributary/streaming/query/streaming_query_internal.h"

namespace tributary::streaming::testing {

// Waits until `condition` holds, up to a minute.
template <typename Condition>
bool WaitFor(Condition condition) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

class QueryTest : public ::testing::Test {
 protected:
  std::string landing() const { return dir_.Join("landing"); }
  std::string checkpoint() const { return dir_.Join("checkpoint"); }
  std::string table() const { return dir_.Join("warehouse/main/bronze/events"); }

  QueryPlan Plan(TriggerSpec::Kind trigger) const {
    QueryPlan plan;
    plan.source.format = "cloudFiles";
    plan.source.path = landing();
    plan.source.options.Set("cloudFiles.format", "json");
    plan.source.options.Set("cloudFiles.schemaLocation", checkpoint());
    plan.sink.table_name = "main.bronze.events";
    plan.sink.options.Set("checkpointLocation", checkpoint());
    plan.sink.trigger.kind = trigger;
    plan.warehouse = dir_.Join("warehouse");
    return plan;
  }

  // Builds and runs a query on this thread until its trigger ends; returns the
  // runner's status and its progress list.
  Status RunToEnd(const QueryPlan& plan, std::vector<QueryProgress>* progress = nullptr,
                  RunnerOptions options = RunnerOptions{}) {
    auto runner = BuildRunner(plan, std::move(options), io::LocalFileSystem());
    if (!runner.ok()) return runner.status();
    Status status = (*runner)->RunLoop();
    if (progress) *progress = (*runner)->RecentProgress();
    return status;
  }

  int64_t TableRows() {
    auto opened = delta::Table::Open(io::LocalFileSystem(), table());
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? (*opened)->snapshot().num_records() : -1;
  }

  std::vector<int64_t> SortedIds() {
    std::vector<int64_t> ids;
    if (!HaveDeltaLake()) return ids;
    for (const std::string& row : ReadDeltaRows(table(), "id")) {
      // {"id":"12"} (strings: inferColumnTypes is off) or {"id":12}
      std::string digits;
      for (char c : row) {
        if (c >= '0' && c <= '9') digits += c;
      }
      ids.push_back(std::stoll(digits));
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  static std::vector<int64_t> Range(int64_t first, int64_t count) {
    std::vector<int64_t> out;
    for (int64_t i = first; i < first + count; ++i) out.push_back(i);
    return out;
  }

  void WriteBatchFiles(int first_file, int files, int rows_per_file) {
    for (int f = first_file; f < first_file + files; ++f) {
      WriteFile(landing() + "/part-" + std::to_string(1000 + f) + ".json", IdNameLines(f * rows_per_file, rows_per_file),
                1700000000 + f);
    }
  }

  TempDir dir_;
};



}  // namespace tributary::streaming::testing
