// The API facade driving the real engine: a chain started with toTable()/start() runs,
// reports progress, and a second run on the same checkpoint finds nothing new.

#include "tributary/api/streaming_query.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/api/data_stream_reader.h"
#include "tributary/api/data_stream_writer.h"
#include "tributary/api/session.h"
#include "tributary/api/trigger.h"
#include "tributary/base/status_testing.h"

namespace tributary {
namespace {

namespace fs = std::filesystem;

class StreamingQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("tributary_api_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "landing");
  }
  void TearDown() override { fs::remove_all(root_); }

  void WriteFile(const std::string& name, int first_id, int rows) {
    std::ofstream out(root_ / "landing" / name);
    for (int i = first_id; i < first_id + rows; ++i) {
      out << "{\"id\": " << i << ", \"name\": \"n" << i << "\", \"nested\": {\"x\": " << i * 2 << "}}\n";
    }
  }

  Result<StreamingQuery> StartQuery(const Trigger& trigger) {
    Result<Session> session = Session::builder().baseDirectory(root_.string()).getOrCreate();
    if (!session.ok()) return session.status();
    return session->readStream()
        .format("cloudFiles")
        .option("cloudFiles.format", "json")
        .option("cloudFiles.schemaLocation", "./checkpoints/schema")
        .option("cloudFiles.inferColumnTypes", true)
        .option("cloudFiles.maxFilesPerTrigger", 1)
        .load("./landing")
        .writeStream()
        .format("delta")
        .option("checkpointLocation", "./checkpoints/stream")
        .queryName("api_test")
        .trigger(trigger)
        .toTable("test.api.events");
  }

  static int64_t TotalRows(const StreamingQuery& query) {
    int64_t rows = 0;
    for (const QueryProgress& progress : query.recentProgress()) rows += progress.num_input_rows;
    return rows;
  }

  fs::path root_;
};

TEST_F(StreamingQueryTest, AvailableNowRunsTheBacklogAndStops) {
  WriteFile("a.json", 1, 5);
  WriteFile("b.json", 6, 7);
  ASSERT_OK_AND_ASSIGN(StreamingQuery query, StartQuery(Trigger::AvailableNow()));
  ASSERT_OK(query.awaitTermination());
  EXPECT_FALSE(query.isActive());
  EXPECT_EQ(TotalRows(query), 12);
  EXPECT_EQ(query.recentProgress().size(), 2u);  // maxFilesPerTrigger 1
  ASSERT_TRUE(query.lastProgress().has_value());
  EXPECT_EQ(query.lastProgress()->num_files_outstanding, 0);
  EXPECT_EQ(query.name(), "api_test");
  EXPECT_TRUE(fs::exists(root_ / "warehouse" / "test" / "api" / "events" / "_delta_log"));
  const std::string id = query.id();
  EXPECT_FALSE(id.empty());

  // Same checkpoint: the same persistent id, a new run id, nothing new to read.
  WriteFile("c.json", 20, 3);
  ASSERT_OK_AND_ASSIGN(StreamingQuery again, StartQuery(Trigger::Once()));
  ASSERT_OK(again.awaitTermination());
  EXPECT_EQ(again.id(), id);
  EXPECT_NE(again.runId(), query.runId());
  EXPECT_EQ(TotalRows(again), 3);
}

TEST_F(StreamingQueryTest, ProcessingTimeRunsUntilStopped) {
  WriteFile("a.json", 1, 4);
  ASSERT_OK_AND_ASSIGN(StreamingQuery query, StartQuery(Trigger::ProcessingTime("50 milliseconds")));
  // Wait on the condition (a committed batch), with a deadline.
  std::optional<Status> ended;
  for (int i = 0; i < 600 && TotalRows(query) < 4; ++i) ended = query.awaitTermination(int64_t{50});
  EXPECT_FALSE(ended.has_value()) << ended->ToString();
  EXPECT_EQ(TotalRows(query), 4);
  EXPECT_TRUE(query.isActive());
  query.stop();
  ASSERT_OK(query.awaitTermination());
  EXPECT_FALSE(query.isActive());
}

TEST_F(StreamingQueryTest, EngineErrorsComeFromTheTerminalCall) {
  Result<Session> session = Session::builder().baseDirectory(root_.string()).getOrCreate();
  ASSERT_OK(session);
  Result<StreamingQuery> query = session->readStream()
                                     .format("cloudFiles")
                                     .option("cloudFiles.format", "json")
                                     .option("cloudFiles.formatt", "json")
                                     .load("./landing")
                                     .writeStream()
                                     .option("checkpointLocation", "./checkpoints/stream")
                                     .start("./tables/t");
  EXPECT_TRUE(query.status().IsInvalid());
  EXPECT_THAT(query.status().message(), ::testing::HasSubstr("cloudFiles.formatt"));
}

}  // namespace
}  // namespace tributary
