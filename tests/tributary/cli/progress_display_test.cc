#include "tributary/cli/progress_display.h"

#include <gtest/gtest.h>

#include "tributary/cli/run_command.h"

namespace tributary::cli {
namespace {

TEST(ProgressDisplayTest, SummaryLine) {
  QueryProgress progress;
  progress.batch_id = 12;
  progress.num_input_rows = 4000;
  progress.processed_rows_per_second = 51230.4;
  progress.num_files_outstanding = 37;
  EXPECT_EQ(ProgressDisplay::SummaryLine(progress, 48000),
            "batch 12 | 48,000 rows (+4,000) | 51,230 rows/s | 37 files outstanding");
}

TEST(ProgressDisplayTest, GroupDigits) {
  EXPECT_EQ(GroupDigits(0), "0");
  EXPECT_EQ(GroupDigits(999), "999");
  EXPECT_EQ(GroupDigits(1000), "1,000");
  EXPECT_EQ(GroupDigits(1234567), "1,234,567");
  EXPECT_EQ(GroupDigits(-1234), "-1,234");
}

TEST(ProgressDisplayTest, CountsBatchesAndRows) {
  std::FILE* sink = std::tmpfile();
  ASSERT_NE(sink, nullptr);
  ProgressDisplay display(/*live=*/true, sink);
  QueryProgress progress;
  progress.num_input_rows = 10;
  display.OnProgress(progress);
  progress.batch_id = 1;
  progress.num_input_rows = 5;
  display.OnProgress(progress);
  display.Finish();
  EXPECT_EQ(display.batches(), 2);
  EXPECT_EQ(display.total_rows(), 15);
  std::fclose(sink);
}

TEST(RunCommandTest, ExitCodes) {
  EXPECT_EQ(ExitCodeFor(Status::OK()), kExitOk);
  EXPECT_EQ(ExitCodeFor(Status::SchemaChanged("new column 'x'")), kExitSchemaChanged);
  EXPECT_EQ(ExitCodeFor(Status::Invalid("bad")), kExitError);
  EXPECT_EQ(ExitCodeFor(Status::Corruption("bad")), kExitError);
}

}  // namespace
}  // namespace tributary::cli
