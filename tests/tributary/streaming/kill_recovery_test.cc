// Kills a process running a query with SIGKILL at random instants, restarts it each
// time, and checks that the table ends up with every row exactly once. Each run is a
// fresh process (kill_recovery_child.cc), as a real restart is.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <random>

#include "kill_recovery_plan.h"
#include "query_test_fixture.h"

namespace tributary::streaming {
namespace {

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
      execl(TRIBUTARY_KILL_RECOVERY_CHILD, TRIBUTARY_KILL_RECOVERY_CHILD, base.c_str(), static_cast<char*>(nullptr));
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

  QueryPlan plan = KillRecoveryPlan(base);
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
