// The process KillRecoveryTest kills: runs KillRecoveryPlan(argv[1]) to the end and
// exits 0, or 1 when the query fails on its own.

#include <cstdio>

#include "kill_recovery_plan.h"
#include "tributary/io/file_system.h"
#include "tributary/streaming/query/streaming_query_internal.h"

int main(int argc, char** argv) {
  using namespace tributary::streaming;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <fixture dir>\n", argv[0]);
    return 2;
  }
  auto runner = BuildRunner(KillRecoveryPlan(argv[1]), RunnerOptions{}, tributary::io::LocalFileSystem());
  tributary::Status status = runner.ok() ? (*runner)->RunLoop() : runner.status();
  if (!status.ok()) std::fprintf(stderr, "%s\n", status.ToString().c_str());
  return status.ok() ? 0 : 1;
}
