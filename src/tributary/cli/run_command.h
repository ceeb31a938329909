#pragma once

#include <string>

#include "tributary/base/status.h"

namespace tributary::cli {

/// The `tributary` process's exit codes.
enum ExitCode : int {
  kExitOk = 0,
  /// Something failed; the message on stderr names what.
  kExitError = 1,
  /// The command line was wrong.
  kExitUsage = 2,
  /// The source's schema changed (cloudFiles.schemaEvolutionMode=addNewColumns): the
  /// new schema is saved and running the pipeline again continues with it.
  kExitSchemaChanged = 3,
};

/// The exit code for the status a query ended with.
ExitCode ExitCodeFor(const Status& status);

/// `tributary run <pipeline.yaml>`: loads the pipeline, starts the query, shows its
/// progress on stderr, and waits for its trigger to end it. SIGINT/SIGTERM stop it:
/// the first signal lets the batch in flight finish and commit, then exits 0; a second
/// abandons that batch before its commit and exits 0; a third exits at once with
/// 128+signal. A restart continues exactly once after any of them.
int RunPipeline(const std::string& pipeline_path);

/// `tributary validate <pipeline.yaml>`: loads the pipeline and checks it as the engine
/// would at start (streaming::ValidatePlan: formats, every option name and value, the
/// trigger) without touching the checkpoint, source or table; prints the plan on
/// stdout. Exit 0 when valid, 1 otherwise.
int ValidatePipeline(const std::string& pipeline_path);

}  // namespace tributary::cli
