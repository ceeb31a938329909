#pragma once

#include <string>

#include "tributary/streaming/query_plan.h"

namespace tributary {

/// A plan as stable, human-readable text: one `key: value` line per setting, options
/// sorted by name (case-insensitively, as they match), the user schema as DDL.
/// Two plans are equal exactly when their descriptions are; `tributary validate`
/// prints it, and tests compare plans with it.
std::string DescribePlan(const streaming::QueryPlan& plan);

/// "availableNow", "once", "processingTime=300000ms" or "default".
std::string DescribeTrigger(const streaming::TriggerSpec& trigger);

}  // namespace tributary
