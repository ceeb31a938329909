#pragma once

#include "tributary/base/status.h"
#include "tributary/streaming/query_plan.h"

namespace tributary {

/// Checks the shape of a plan before the engine sees it: a source format, a path for
/// file sources, exactly one sink target (table name or path), a well-formed table
/// name, a non-negative trigger interval. Option names and values are the engine's to
/// check (streaming::StreamingQuery::Start), with errors naming the option.
/// Errors: Invalid naming what is missing or wrong.
Status CheckPlan(const streaming::QueryPlan& plan);

}  // namespace tributary
