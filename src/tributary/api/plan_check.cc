#include "tributary/api/plan_check.h"

#include "tributary/base/options.h"
#include "tributary/catalog/table_name.h"

namespace tributary {
namespace {

bool IsCloudFiles(std::string_view format) {
  CaseInsensitiveLess less;
  return !less(format, "cloudFiles") && !less("cloudFiles", format);
}

}  // namespace

Status CheckPlan(const streaming::QueryPlan& plan) {
  const streaming::SourceSpec& source = plan.source;
  const streaming::SinkSpec& sink = plan.sink;
  if (source.format.empty()) return Status::Invalid("the source has no format (e.g. cloudFiles)");
  if (IsCloudFiles(source.format) && source.path.empty()) {
    return Status::Invalid("the cloudFiles source needs a path: load(path) or source.path in YAML");
  }
  if (sink.foreach_batch || sink.merge) {
    if (sink.table_name || sink.path) {
      return Status::Invalid("foreachBatch / merge queries write where their function or merge says; drop the "
                             "sink's table name or path");
    }
    if (!sink.partition_by.empty()) {
      return Status::Invalid("partitionBy applies to a table the query creates with toTable/start; a foreachBatch or "
                             "merge target keeps its own partitioning (create it partitioned first)");
    }
    return Status::OK();
  }
  if (sink.format.empty()) return Status::Invalid("the sink has no format (e.g. delta)");
  if (sink.table_name && sink.path) {
    return Status::Invalid("the sink has both a table name ('{}') and a path ('{}'); give one", *sink.table_name,
                           *sink.path);
  }
  if (!sink.table_name && !sink.path) return Status::Invalid("the sink needs a table name or a path");
  if (sink.table_name) {
    TRIB_ASSIGN_OR_RETURN(catalog::TableName name, catalog::ParseTableName(*sink.table_name));
    (void)name;
    if (plan.warehouse.empty()) return Status::Invalid("table '{}' needs a warehouse root", *sink.table_name);
  }
  if (sink.path && sink.path->empty()) return Status::Invalid("the sink path is empty");
  if (sink.trigger.kind == streaming::TriggerSpec::Kind::kProcessingTime && sink.trigger.interval_ms < 0) {
    return Status::Invalid("trigger processingTime must not be negative, got {} ms", sink.trigger.interval_ms);
  }
  return Status::OK();
}

}  // namespace tributary
