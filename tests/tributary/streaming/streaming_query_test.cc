// End-to-end tests: real files in temp directories, real Delta tables, the whole
// micro-batch protocol. Rows are read back with delta-rs when it is installed, and
// counted from the Delta log's stats otherwise.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "query_test_fixture.h"
#include "tributary/delta/table.h"
#include "tributary/io/file_system.h"
#include "tributary/streaming/query/streaming_query.h"
#include "tributary/streaming/query/streaming_query_internal.h"

namespace tributary::streaming {
namespace {

using testing::HaveDeltaLake;
using testing::WaitFor;
using StreamingQueryTest = testing::QueryTest;
using testing::IdNameLines;
using testing::ReadDeltaRows;
using testing::TempDir;
using testing::WriteFile;
using ::testing::HasSubstr;

TEST_F(StreamingQueryTest, AvailableNowHonoursMaxFilesPerTriggerThenStops) {
  WriteBatchFiles(0, 5, 10);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("cloudFiles.maxFilesPerTrigger", "2");
  std::vector<QueryProgress> progress;
  ASSERT_OK(RunToEnd(plan, &progress));
  ASSERT_EQ(progress.size(), 3u);
  EXPECT_EQ(progress[0].num_input_rows, 20);
  EXPECT_EQ(progress[0].num_files_outstanding, 3);
  EXPECT_EQ(progress[1].num_files_outstanding, 1);
  EXPECT_EQ(progress[2].num_input_rows, 10);
  EXPECT_EQ(progress[2].num_files_outstanding, 0);
  EXPECT_EQ(progress[2].batch_id, 2);
  EXPECT_EQ(TableRows(), 50);
  if (HaveDeltaLake()) {
    EXPECT_EQ(SortedIds(), Range(0, 50));
  }

  // Checkpoint layout as Spark writes it.
  for (const char* file : {"metadata", "offsets/0", "offsets/2", "commits/2", "_schemas/0"}) {
    EXPECT_TRUE(std::filesystem::exists(checkpoint() + "/" + file)) << file;
  }
  EXPECT_TRUE(std::filesystem::is_directory(checkpoint() + "/sources/0/rocksdb"));

  // A second run finds nothing new, runs no batch, and stops.
  ASSERT_OK(RunToEnd(plan, &progress));
  EXPECT_TRUE(progress.empty());
  // New files are picked up by the next run, and only they.
  WriteBatchFiles(5, 1, 10);
  ASSERT_OK(RunToEnd(plan, &progress));
  ASSERT_EQ(progress.size(), 1u);
  EXPECT_EQ(progress[0].batch_id, 3);
  EXPECT_EQ(TableRows(), 60);
}

TEST_F(StreamingQueryTest, OnceIgnoresRateLimits) {
  WriteBatchFiles(0, 4, 5);
  QueryPlan plan = Plan(TriggerSpec::Kind::kOnce);
  plan.source.options.Set("cloudFiles.maxFilesPerTrigger", "1");
  std::vector<QueryProgress> progress;
  ASSERT_OK(RunToEnd(plan, &progress));
  ASSERT_EQ(progress.size(), 1u);
  EXPECT_EQ(progress[0].num_input_rows, 20);
  EXPECT_EQ(progress[0].num_input_files, 4);
  EXPECT_EQ(TableRows(), 20);
}

TEST_F(StreamingQueryTest, MaxBytesPerTriggerIsSoft) {
  WriteBatchFiles(0, 3, 10);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("cloudFiles.maxBytesPerTrigger", "1");  // every batch takes one file
  std::vector<QueryProgress> progress;
  ASSERT_OK(RunToEnd(plan, &progress));
  ASSERT_EQ(progress.size(), 3u);
  EXPECT_EQ(TableRows(), 30);
}

// A crash after the offsets file but before the sink: the restart re-runs the same
// batch with exactly its recorded files, even though more files arrived since.
TEST_F(StreamingQueryTest, CrashAfterWalReplaysTheRecordedRange) {
  WriteBatchFiles(0, 2, 10);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  RunnerOptions crash;
  crash.fault_hook = [](std::string_view point, int64_t batch_id) {
    return point == "afterOffsets" && batch_id == 0 ? Status::IOError("simulated crash") : Status::OK();
  };
  Status status = RunToEnd(plan, nullptr, crash);
  ASSERT_TRUE(status.IsIOError()) << status.ToString();
  EXPECT_TRUE(std::filesystem::exists(checkpoint() + "/offsets/0"));
  EXPECT_FALSE(std::filesystem::exists(checkpoint() + "/commits/0"));
  EXPECT_FALSE(std::filesystem::exists(table() + "/_delta_log/00000000000000000001.json"));

  WriteBatchFiles(2, 1, 10);  // arrives while the query is down
  std::vector<QueryProgress> progress;
  ASSERT_OK(RunToEnd(plan, &progress));
  ASSERT_EQ(progress.size(), 2u);
  EXPECT_EQ(progress[0].batch_id, 0);
  EXPECT_EQ(progress[0].num_input_rows, 20);  // the recorded two files only
  EXPECT_EQ(progress[1].batch_id, 1);
  EXPECT_EQ(progress[1].num_input_rows, 10);
  EXPECT_EQ(TableRows(), 30);
  if (HaveDeltaLake()) {
    EXPECT_EQ(SortedIds(), Range(0, 30));
  }
}

// A crash after the Delta commit but before commits/N: the restart re-runs batch N,
// the sink sees txn(queryId) >= N and skips it: no duplicates.
TEST_F(StreamingQueryTest, CrashAfterSinkCommitDoesNotDuplicate) {
  WriteBatchFiles(0, 3, 10);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("cloudFiles.maxFilesPerTrigger", "1");
  RunnerOptions crash;
  crash.fault_hook = [](std::string_view point, int64_t batch_id) {
    return point == "afterSink" && batch_id == 1 ? Status::IOError("simulated crash") : Status::OK();
  };
  ASSERT_TRUE(RunToEnd(plan, nullptr, crash).IsIOError());
  EXPECT_EQ(TableRows(), 20);
  EXPECT_FALSE(std::filesystem::exists(checkpoint() + "/commits/1"));

  std::vector<QueryProgress> progress;
  ASSERT_OK(RunToEnd(plan, &progress));
  ASSERT_EQ(progress.size(), 2u);
  EXPECT_EQ(progress[0].batch_id, 1);
  EXPECT_EQ(progress[0].num_output_rows, 0);  // skipped by the sink
  EXPECT_EQ(progress[1].batch_id, 2);
  EXPECT_TRUE(std::filesystem::exists(checkpoint() + "/commits/1"));
  EXPECT_EQ(TableRows(), 30);
  if (HaveDeltaLake()) {
    EXPECT_EQ(SortedIds(), Range(0, 30));
  }
}

// A crash after commits/N but before the source released its files.
TEST_F(StreamingQueryTest, CrashAfterCommitLogIsHarmless) {
  WriteBatchFiles(0, 2, 10);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  RunnerOptions crash;
  crash.fault_hook = [](std::string_view point, int64_t) {
    return point == "afterCommit" ? Status::IOError("simulated crash") : Status::OK();
  };
  ASSERT_TRUE(RunToEnd(plan, nullptr, crash).IsIOError());
  std::vector<QueryProgress> progress;
  ASSERT_OK(RunToEnd(plan, &progress));
  EXPECT_TRUE(progress.empty());
  EXPECT_EQ(TableRows(), 20);
}

TEST_F(StreamingQueryTest, CorruptOffsetsFileIsReportedNotGuessed) {
  WriteBatchFiles(0, 1, 10);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  ASSERT_OK(RunToEnd(plan));
  WriteFile(checkpoint() + "/offsets/1", "v1\n{not json", 1700000000);
  auto runner = BuildRunner(plan, RunnerOptions{}, io::LocalFileSystem());
  ASSERT_FALSE(runner.ok());
  EXPECT_TRUE(runner.status().IsCorruption()) << runner.status().ToString();
  EXPECT_THAT(runner.status().message(), HasSubstr("offsets/1"));
}

TEST_F(StreamingQueryTest, StartReportsBadOptionsByName) {
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.sink.options.Set("mergeSchemaa", "true");
  auto query = StreamingQuery::Start(plan);
  ASSERT_FALSE(query.ok());
  EXPECT_TRUE(query.status().IsInvalid());
  EXPECT_THAT(query.status().message(), HasSubstr("mergeSchemaa"));
  EXPECT_FALSE(std::filesystem::exists(checkpoint())) << "nothing is created for an invalid plan";

  plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("cloudFiles.maxFilesPerTriger", "3");
  query = StreamingQuery::Start(plan);
  ASSERT_FALSE(query.ok());
  EXPECT_THAT(query.status().message(), HasSubstr("cloudFiles.maxFilesPerTriger"));

  plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.sink.options = OptionMap{};
  query = StreamingQuery::Start(plan);
  ASSERT_FALSE(query.ok());
  EXPECT_THAT(query.status().message(), HasSubstr("checkpointLocation"));
}

TEST_F(StreamingQueryTest, DefaultTriggerPicksUpNewFilesUntilStopped) {
  WriteBatchFiles(0, 1, 10);
  QueryPlan plan = Plan(TriggerSpec::Kind::kDefault);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<StreamingQuery> query, StreamingQuery::Start(plan));
  std::atomic<int64_t> listener_calls{0};
  query->SetProgressListener([&](const QueryProgress&) { ++listener_calls; });
  ASSERT_TRUE(WaitFor([&] { return query->RecentProgress().size() >= 1; }));
  WriteBatchFiles(1, 2, 10);
  ASSERT_TRUE(WaitFor([&] {
    int64_t rows = 0;
    for (const QueryProgress& progress : query->RecentProgress()) rows += progress.num_input_rows;
    return rows >= 30;
  })) << "new files were not ingested within a minute";
  EXPECT_TRUE(query->IsActive());
  query->Stop();
  ASSERT_OK(query->AwaitTermination());
  EXPECT_FALSE(query->IsActive());
  EXPECT_GE(listener_calls.load(), 1);
  ASSERT_TRUE(query->LastProgress().has_value());
  EXPECT_EQ(query->LastProgress()->id, query->id());
  EXPECT_THAT(query->LastProgress()->ToJson(), HasSubstr("\"numFilesOutstanding\":\"0\""));
  EXPECT_EQ(TableRows(), 30);
}

TEST_F(StreamingQueryTest, ProcessingTimeRunsNoBatchWithoutData) {
  WriteBatchFiles(0, 2, 5);
  QueryPlan plan = Plan(TriggerSpec::Kind::kProcessingTime);
  plan.sink.trigger.interval_ms = 50;
  plan.source.options.Set("cloudFiles.maxFilesPerTrigger", "1");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<StreamingQuery> query, StreamingQuery::Start(plan));
  ASSERT_TRUE(WaitFor([&] { return query->RecentProgress().size() >= 2; }));
  // Ten idle intervals: no data, so no batch.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(query->RecentProgress().size(), 2u);
  query->Stop();
  ASSERT_OK(query->AwaitTermination());
  EXPECT_EQ(TableRows(), 10);
}

TEST_F(StreamingQueryTest, RestartKeepsTheQueryId) {
  WriteBatchFiles(0, 1, 3);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<StreamingQuery> first, StreamingQuery::Start(plan));
  ASSERT_OK(first->AwaitTermination());
  std::string id = first->id();
  std::string run_id = first->run_id();
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<StreamingQuery> second, StreamingQuery::Start(plan));
  ASSERT_OK(second->AwaitTermination());
  EXPECT_EQ(second->id(), id);
  EXPECT_NE(second->run_id(), run_id);
  auto opened = delta::Table::Open(io::LocalFileSystem(), table());
  ASSERT_OK(opened);
  EXPECT_EQ((*opened)->snapshot().TxnVersion(id), 0);
}


// Abort() while a batch is in flight abandons it before the sink commits; the restart
// re-runs it with its recorded files: nothing lost, nothing twice.
TEST_F(StreamingQueryTest, AbortDuringABatchAbandonsItAndRestartIsExactlyOnce) {
  WriteBatchFiles(0, 3, 10);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("cloudFiles.maxFilesPerTrigger", "2");
  MicroBatchRunner* running = nullptr;
  RunnerOptions options;
  options.fault_hook = [&running](std::string_view point, int64_t batch_id) {
    if (point == "afterOffsets" && batch_id == 1) running->RequestAbort();
    return Status::OK();
  };
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<MicroBatchRunner> runner,
                       BuildRunner(plan, std::move(options), io::LocalFileSystem()));
  running = runner.get();
  Status status = runner->RunLoop();
  EXPECT_TRUE(status.IsCancelled()) << status.ToString();
  EXPECT_EQ(runner->RecentProgress().size(), 1u);
  runner.reset();
  EXPECT_EQ(TableRows(), 20);
  EXPECT_TRUE(std::filesystem::exists(checkpoint() + "/offsets/1"));
  EXPECT_FALSE(std::filesystem::exists(checkpoint() + "/commits/1"));

  std::vector<QueryProgress> progress;
  ASSERT_OK(RunToEnd(plan, &progress));
  ASSERT_EQ(progress.size(), 1u);
  EXPECT_EQ(progress[0].batch_id, 1);
  EXPECT_EQ(progress[0].num_input_rows, 10);
  EXPECT_EQ(TableRows(), 30);
  if (HaveDeltaLake()) {
    EXPECT_EQ(SortedIds(), Range(0, 30));
  }
}

// Stop() while a batch is in flight lets it commit, then runs no further batch.
TEST_F(StreamingQueryTest, StopDuringABatchFinishesItThenStops) {
  WriteBatchFiles(0, 3, 10);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.source.options.Set("cloudFiles.maxFilesPerTrigger", "1");
  MicroBatchRunner* running = nullptr;
  RunnerOptions options;
  options.fault_hook = [&running](std::string_view point, int64_t batch_id) {
    if (point == "afterOffsets" && batch_id == 1) running->RequestStop();
    return Status::OK();
  };
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<MicroBatchRunner> runner,
                       BuildRunner(plan, std::move(options), io::LocalFileSystem()));
  running = runner.get();
  ASSERT_OK(runner->RunLoop());
  EXPECT_EQ(runner->RecentProgress().size(), 2u);
  runner.reset();
  EXPECT_TRUE(std::filesystem::exists(checkpoint() + "/commits/1"));
  EXPECT_FALSE(std::filesystem::exists(checkpoint() + "/offsets/2"));
  EXPECT_EQ(TableRows(), 20);
}

TEST_F(StreamingQueryTest, ProgressJsonHasSparkShape) {
  WriteBatchFiles(0, 2, 4);
  QueryPlan plan = Plan(TriggerSpec::Kind::kAvailableNow);
  plan.sink.query_name = "bronze";
  plan.source.options.Set("cloudFiles.maxFilesPerTrigger", "1");
  std::vector<QueryProgress> progress;
  ASSERT_OK(RunToEnd(plan, &progress));
  ASSERT_EQ(progress.size(), 2u);
  std::string json = progress[0].ToJson();
  for (const char* key : {"\"id\":", "\"runId\":", "\"name\":\"bronze\"", "\"timestamp\":", "\"batchId\":0",
                          "\"numInputRows\":4", "\"durationMs\":{", "\"walCommit\":", "\"addBatch\":",
                          "\"triggerExecution\":", "\"startOffset\":null",
                          "\"endOffset\":{\"seqFrom\":0,\"seqTo\":0}", "\"numFilesOutstanding\":\"1\"",
                          "\"sink\":{\"description\":\"DeltaSink["}) {
    EXPECT_THAT(json, HasSubstr(key)) << json;
  }
  EXPECT_THAT(progress[1].ToJson(), HasSubstr("\"startOffset\":{\"seqFrom\":0,\"seqTo\":0}"));
  EXPECT_EQ(progress[0].timestamp.size(), 24u);  // 2026-01-01T00:00:00.000Z
}

}  // namespace
}  // namespace tributary::streaming
