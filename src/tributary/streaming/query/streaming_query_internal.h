#pragma once

#include <memory>

#include "tributary/base/result.h"
#include "tributary/io/file_system.h"
#include "tributary/streaming/micro_batch_runner.h"
#include "tributary/streaming/query_plan.h"

namespace tributary::streaming {

/// Validates `plan`, opens checkpoint, source and sink, and recovers, without starting
/// a thread: what StreamingQuery::Start does before it runs batches. Tests drive the
/// result with RunLoop() and may set `runner_options.fault_hook`; the trigger and
/// query name come from the plan.
Result<std::unique_ptr<MicroBatchRunner>> BuildRunner(const QueryPlan& plan, RunnerOptions runner_options,
                                                      std::shared_ptr<io::FileSystem> fs);

}  // namespace tributary::streaming
