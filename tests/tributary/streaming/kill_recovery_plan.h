#pragma once

#include <string>

#include "tributary/streaming/query_plan.h"

namespace tributary::streaming {

/// The query that KillRecoveryTest runs and kills, over the QueryTest fixture's layout
/// under `dir`: one file per batch, so a kill can land between any two batches.
inline QueryPlan KillRecoveryPlan(const std::string& dir) {
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

}  // namespace tributary::streaming
