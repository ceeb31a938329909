// Kills a process running a query with SIGKILL at random instants, restarts it each
// time, and checks that the table ends up with every row exactly once. Each run is a
// fresh process (this test binary re-executed), as a real restart is.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <random>

#include "query_test_fixture.h"

namespace tributary::streaming {
namespace {

constexpr char kChildDirVariable[] = "TRIBUTARY_KILL_RECOVERY_DIR";

// The query the children run, over the fixture's layout under `dir`.
QueryPlan ChildPlan(const std::string& dir) {
  QueryPlan plan;
  plan.source.format = "cloudFiles";
  plan.source.path = dir + "/landing";
  plan.source.options.Set("cloudFiles.format", "json");
  plan.source.options.Set("cloudFiles.schemaLocation", dir + "/checkpoint");
  plan.source.options.Set("cloudFiles.maxFilesPerTrigger", "1");
  plan.sink.table_name = "main.bronze.events";
  plan.sink.options.Set("checkpointLocation", dir + "/checkpoint");
  plan.sink.trigger.kind = TriggerSpec::Kind::kAvailableNow;
  plan.warehouse = dir + "/warehouse";
  return plan;
}

// Not a test on its own: the body of the process that KillRecoveryTest kills.
TEST(KillRecoveryChild, RunQuery) {
  const char* dir = std::getenv(kChildDirVariable);
  if (dir == nullptr) GTEST_SKIP() << "runs only as the child of KillRecoveryTest";
  auto runner = BuildRunner(ChildPlan(dir), RunnerOptions{}, io::LocalFileSystem());
  Status status = runner.ok() ? (*runner)->RunLoop() : runner.status();
  _exit(status.ok() ? 0 : 1);
}

using KillRecoveryTest = testing::QueryTest;

TEST_F(KillRecoveryTest, SigkillAtRandomInstantsIsExactlyOnce) {
  constexpr int kFiles = 24;
  constexpr int kRowsPerFile = 5;
  WriteBatchFiles(0, kFiles, kRowsPerFile);
  std::string base = landing().substr(0, landing().rfind('/'));

  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> delay_ms(20, 400);
  int killed = 0;
  for (int round = 0; round < 8; ++round) {
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      setenv(kChildDirVariable, base.c_str(), 1);
      execl("/proc/self/exe", "tributary_streaming_tests", "--gtest_filter=KillRecoveryChild.RunQuery",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    // The kill point: a random instant of the child's run.
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    if (kill(child, SIGKILL) == 0) ++killed;
    int wait_status = 0;
    ASSERT_EQ(waitpid(child, &wait_status, 0), child);
    if (WIFEXITED(wait_status)) {
      ASSERT_EQ(WEXITSTATUS(wait_status), 0) << "the query failed on its own in round " << round;
    }
  }
  EXPECT_GT(killed, 0);

  QueryPlan plan = ChildPlan(base);
  std::vector<QueryProgress> progress;
  ASSERT_OK(RunToEnd(plan, &progress));
  EXPECT_EQ(TableRows(), kFiles * kRowsPerFile);
  if (testing::HaveDeltaLake()) {
    EXPECT_EQ(SortedIds(), Range(0, kFiles * kRowsPerFile));
  }
  ASSERT_OK(RunToEnd(plan, &progress));
  EXPECT_TRUE(progress.empty());
}

}  // namespace
}  // namespace tributary::streaming
