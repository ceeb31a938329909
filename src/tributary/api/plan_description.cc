#include "tributary/api/plan_description.h"

#include <iterator>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace tributary {
namespace {

void AppendOptions(const OptionMap& options, std::string* out) {
  for (const auto& [name, value] : options.values()) fmt::format_to(std::back_inserter(*out), "    {} = {}\n", name, value);
}

}  // namespace

std::string DescribeTrigger(const streaming::TriggerSpec& trigger) {
  switch (trigger.kind) {
    case streaming::TriggerSpec::Kind::kAvailableNow:
      return "availableNow";
    case streaming::TriggerSpec::Kind::kOnce:
      return "once";
    case streaming::TriggerSpec::Kind::kProcessingTime:
      return fmt::format("processingTime={}ms", trigger.interval_ms);
    case streaming::TriggerSpec::Kind::kDefault:
      break;
  }
  return "default";
}

std::string DescribePlan(const streaming::QueryPlan& plan) {
  std::string out;
  auto line = [&out](std::string_view key, std::string_view value) {
    fmt::format_to(std::back_inserter(out), "{}: {}\n", key, value);
  };
  line("warehouse", plan.warehouse);
  line("source.format", plan.source.format);
  line("source.path", plan.source.path);
  line("source.schema", plan.source.user_schema ? plan.source.user_schema->ToDdl() : "(inferred)");
  out += "source.options:\n";
  AppendOptions(plan.source.options, &out);
  out += "transform:\n";
  for (const streaming::TransformStep& step : plan.transforms) {
    std::vector<std::string> parts;
    for (const expr::ExprPtr& e : step.exprs) parts.push_back(expr::ToSql(*e));
    switch (step.kind) {
      case streaming::TransformStep::Kind::kSelect:
        fmt::format_to(std::back_inserter(out), "    select {}\n", fmt::join(parts, ", "));
        break;
      case streaming::TransformStep::Kind::kWhere:
        fmt::format_to(std::back_inserter(out), "    where {}\n", fmt::join(parts, ", "));
        break;
      case streaming::TransformStep::Kind::kWithColumn:
        fmt::format_to(std::back_inserter(out), "    withColumn {} = {}\n", fmt::join(step.names, ", "),
                       fmt::join(parts, ", "));
        break;
      case streaming::TransformStep::Kind::kDrop:
        fmt::format_to(std::back_inserter(out), "    drop {}\n", fmt::join(step.names, ", "));
        break;
    }
  }
  if (plan.sink.foreach_batch) {
    line("sink", "foreachBatch (a function)");
  } else if (plan.sink.merge) {
    const streaming::MergeSinkSpec& merge = *plan.sink.merge;
    line("sink.merge.into", merge.into);
    line("sink.merge.on", merge.condition);
    line("sink.merge.aliases", merge.target_alias + ", " + merge.source_alias);
    if (!merge.latest_by.empty()) line("sink.merge.latestBy", merge.latest_by);
    for (const streaming::MergeClauseSpec& clause : merge.clauses) {
      static constexpr std::string_view kNames[] = {"whenMatched update", "whenMatched delete",
                                                    "whenNotMatched insert", "whenNotMatchedBySource update",
                                                    "whenNotMatchedBySource delete"};
      std::vector<std::string> assignments;
      for (const auto& [column, value] : clause.assignments) assignments.push_back(column + " = " + value);
      fmt::format_to(std::back_inserter(out), "    {}{}{}{}\n", kNames[static_cast<int>(clause.kind)],
                     clause.all ? " *" : "", assignments.empty() ? "" : " " + fmt::format("{}", fmt::join(assignments, ", ")),
                     clause.condition ? " if " + *clause.condition : "");
    }
  }
  line("sink.format", plan.sink.format);
  line("sink.table", plan.sink.table_name.value_or("(none)"));
  line("sink.path", plan.sink.path.value_or("(none)"));
  line("sink.outputMode", plan.sink.output_mode);
  line("sink.queryName", plan.sink.query_name);
  line("sink.partitionBy", fmt::format("[{}]", fmt::join(plan.sink.partition_by, ", ")));
  line("sink.trigger", DescribeTrigger(plan.sink.trigger));
  out += "sink.options:\n";
  AppendOptions(plan.sink.options, &out);
  return out;
}

}  // namespace tributary
