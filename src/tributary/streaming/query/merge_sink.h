#pragma once

#include <memory>
#include <string>

#include "tributary/base/options.h"
#include "tributary/base/result.h"
#include "tributary/io/file_system.h"
#include "tributary/streaming/query_plan.h"
#include "tributary/streaming/sink.h"

namespace tributary::streaming {

/// Checks a declared MERGE without touching storage: a target, a condition and at
/// least one clause, every condition and assignment parses as a SQL expression, and
/// Delta's clause order rule (within each kind only the last clause may lack a
/// condition). Errors name the clause.
Status ValidateMergeSink(const MergeSinkSpec& spec);

/// The sink of a declared MERGE: each micro-batch is merged into the target table in
/// one Delta commit carrying txn(appId = query id, version = batch id), so a batch
/// re-run after a crash finds its commit and changes nothing. The table is created
/// with the first batch's schema when it does not exist yet. `into` is a three-part
/// name resolved under `warehouse`, or a path when it holds a '/'. `options` are the
/// sink's options; the autoCompact ones (see ParseAutoCompactOptions) compact the
/// partitions a merge wrote to after its commit.
Result<std::unique_ptr<Sink>> MakeMergeSink(std::shared_ptr<io::FileSystem> fs, const std::string& warehouse,
                                            const MergeSinkSpec& spec, const OptionMap& options = {});

/// The options the merge sink takes: checkpointLocation, queryName and the
/// autoCompact options.
const OptionNames& MergeSinkOptionNames();

}  // namespace tributary::streaming
