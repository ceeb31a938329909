#include "tributary/cli/run_command.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "tributary/api/plan_description.h"
#include "tributary/api/streaming_query.h"
#include "tributary/base/log.h"
#include "tributary/cli/pipeline_loader.h"
#include "tributary/cli/progress_display.h"
#include "tributary/streaming/query/streaming_query.h"

namespace tributary::cli {
namespace {

// Shared with the signal handler: only lock-free atomics.
std::atomic<StreamingQuery*> g_running_query{nullptr};
std::atomic<int> g_signal_count{0};
// Set once the query has ended: later signals only race with a normal exit.
std::atomic<bool> g_query_ended{false};
static_assert(std::atomic<StreamingQuery*>::is_always_lock_free);

void WriteToStderr(const char* text) {
  ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

extern "C" void HandleStopSignal(int signal_number) {
  if (g_query_ended.load()) return;
  int count = g_signal_count.fetch_add(1) + 1;
  StreamingQuery* query = g_running_query.load();
  if (count == 1) {
    WriteToStderr("\ntributary: stopping after the batch in flight (signal again to abandon it)\n");
    if (query != nullptr) query->RequestStop();
  } else if (count == 2) {
    WriteToStderr("\ntributary: abandoning the batch in flight; a restart re-runs it (signal again to exit now)\n");
    if (query != nullptr) query->RequestAbort();
  } else {
    WriteToStderr("\ntributary: exiting now; a restart re-runs the batch in flight\n");
    ::_exit(128 + signal_number);
  }
}

void InstallSignalHandlers() {
  struct sigaction action;
  std::memset(&action, 0, sizeof(action));
  action.sa_handler = HandleStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void PrintError(const Status& status) { std::fprintf(stderr, "tributary: error: %s\n", status.ToString().c_str()); }

}  // namespace

ExitCode ExitCodeFor(const Status& status) {
  if (status.ok()) return kExitOk;
  if (status.IsSchemaChanged()) return kExitSchemaChanged;
  return kExitError;
}

int ValidatePipeline(const std::string& pipeline_path) {
  Result<streaming::QueryPlan> plan = LoadPipelineFile(pipeline_path);
  if (!plan.ok()) {
    PrintError(plan.status());
    return kExitError;
  }
  // The engine's own checks (option names and values, formats, trigger), without
  // touching the checkpoint, the source or the table.
  Status checked = streaming::ValidatePlan(*plan);
  if (!checked.ok()) {
    PrintError(checked.WithContext(pipeline_path));
    return kExitError;
  }
  std::fputs(DescribePlan(*plan).c_str(), stdout);
  std::fprintf(stdout, "%s: valid\n", pipeline_path.c_str());
  return kExitOk;
}

int RunPipeline(const std::string& pipeline_path) {
  Result<streaming::QueryPlan> plan = LoadPipelineFile(pipeline_path);
  if (!plan.ok()) {
    PrintError(plan.status());
    return kExitError;
  }
  InstallSignalHandlers();
  Result<StreamingQuery> started = StreamingQuery::Start(*plan);
  if (!started.ok()) {
    PrintError(started.status().WithContext(fmt::format("starting pipeline '{}'", pipeline_path)));
    return ExitCodeFor(started.status());
  }
  StreamingQuery query = started.MoveValue();
  ProgressDisplay display(::isatty(STDERR_FILENO) == 1, stderr);
  query.SetProgressListener([&display](const QueryProgress& progress) { display.OnProgress(progress); });
  g_running_query.store(&query);
  // A signal that arrived while the query was opening found nothing to stop.
  if (g_signal_count.load() == 1) query.RequestStop();
  if (g_signal_count.load() >= 2) query.RequestAbort();
  log::Debug("started query {} (run {}) for '{}'", query.id(), query.runId(), pipeline_path);

  Status status = query.awaitTermination();
  g_query_ended.store(true);
  g_running_query.store(nullptr);
  display.Finish();
  bool stopped_by_signal = g_signal_count.load() > 0;
  if (status.ok() || (stopped_by_signal && status.IsCancelled())) {
    std::fprintf(stdout, "%s after %lld batches, %lld rows\n", stopped_by_signal ? "stopped on signal" : "done",
                 static_cast<long long>(display.batches()), static_cast<long long>(display.total_rows()));
    return kExitOk;
  }
  if (status.IsSchemaChanged()) {
    std::fprintf(stderr,
                 "tributary: the source schema changed: %s\n"
                 "tributary: the new schema is saved in the schema location; run the pipeline again and it "
                 "continues with the new schema\n",
                 status.message().c_str());
    return kExitSchemaChanged;
  }
  PrintError(status.WithContext(fmt::format("pipeline '{}'", pipeline_path)));
  return kExitError;
}

}  // namespace tributary::cli
