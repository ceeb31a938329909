#include "tributary/cli/table_maintenance.h"

#include <fmt/format.h>

#include "tributary/base/ascii.h"
#include "tributary/base/json.h"
#include "tributary/cli/run_command.h"
#include "tributary/delta/scan.h"
#include "tributary/delta/table.h"
#include "tributary/delta/vacuum.h"
#include "tributary/expr/expression.h"
#include "tributary/io/file_system.h"

namespace tributary::cli {
namespace {

void PrintError(const Status& status) { std::fprintf(stderr, "tributary: error: %s\n", status.ToString().c_str()); }

// The top-level column names `expr` references.
void ReferencedColumns(const expr::Expression& expr, std::vector<std::string>* out) {
  if (expr.kind() == expr::ExprKind::kColumn && !expr.names().empty()) out->push_back(expr.names().front());
  for (const expr::ExprPtr& child : expr.children()) {
    if (child) ReferencedColumns(*child, out);
  }
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  for (const std::string& candidate : names) {
    if (EqualsIgnoreCase(candidate, name)) return true;
  }
  return false;
}

Result<std::unique_ptr<delta::Table>> OpenDeltaTable(const TableArgs& args) {
  TRIB_ASSIGN_OR_RETURN(DeltaTable table, OpenTableArgs(args));
  return delta::Table::Open(io::LocalFileSystem(), table.path());
}

std::string OptimizeText(const std::string& path, const delta::OptimizeResult& result) {
  if (!result.version) {
    return fmt::format("OPTIMIZE {}: nothing to compact ({} files considered)\n", path, result.total_considered_files);
  }
  return fmt::format(
      "OPTIMIZE {}: version {}\n  removed {} files ({} bytes), added {} files ({} bytes)\n"
      "  {} partitions optimized in {} bins; {} of {} files considered were left as they were\n",
      path, *result.version, result.num_files_removed, result.num_bytes_removed, result.num_files_added,
      result.num_bytes_added, result.num_partitions_optimized, result.num_batches, result.total_files_skipped,
      result.total_considered_files);
}

// Named as delta-spark's OptimizeMetrics fields.
std::string OptimizeJson(const std::string& path, const delta::OptimizeResult& result) {
  JsonWriter json;
  json.StartObject().Key("path").String(path).Key("version");
  if (result.version) {
    json.Int(*result.version);
  } else {
    json.Null();
  }
  json.Key("numFilesAdded").Int(result.num_files_added);
  json.Key("numFilesRemoved").Int(result.num_files_removed);
  json.Key("numBytesAdded").Int(result.num_bytes_added);
  json.Key("numBytesRemoved").Int(result.num_bytes_removed);
  json.Key("partitionsOptimized").Int(result.num_partitions_optimized);
  json.Key("numBatches").Int(result.num_batches);
  json.Key("totalConsideredFiles").Int(result.total_considered_files);
  json.Key("totalFilesSkipped").Int(result.total_files_skipped);
  json.EndObject();
  return json.Finish() + "\n";
}

std::string VacuumText(const std::string& path, bool dry_run, const delta::VacuumResult& result) {
  std::string text;
  if (dry_run) {
    for (const std::string& entry : result.paths) text += entry + "\n";
    return text + fmt::format("VACUUM {} DRY RUN: found {} files and directories ({} bytes) that would be deleted\n",
                              path, result.paths.size(), result.num_bytes);
  }
  return text + fmt::format(
                    "VACUUM {}: deleted {} files and directories ({} bytes) in a total of {} directories "
                    "(versions {} and {} record the vacuum)\n",
                    path, result.num_deleted, result.num_bytes, result.num_directories,
                    result.start_version.value_or(-1), result.end_version.value_or(-1));
}

std::string VacuumJson(const std::string& path, bool dry_run, const delta::VacuumResult& result) {
  JsonWriter json;
  json.StartObject().Key("path").String(path).Key("dryRun").Bool(dry_run);
  json.Key("files").StartArray();
  for (const std::string& entry : result.paths) json.String(entry);
  json.EndArray();
  json.Key("sizeOfDataToDelete").Int(result.num_bytes);
  json.Key("numDeletedFiles").Int(result.num_deleted);
  json.Key("numVacuumedDirectories").Int(result.num_directories);
  json.EndObject();
  return json.Finish() + "\n";
}

}  // namespace

Result<delta::PartitionFilter> PartitionFilterFromSql(const std::string& sql, const delta::Snapshot& snapshot) {
  TRIB_ASSIGN_OR_RETURN(expr::ExprPtr parsed, expr::ParseExpression(sql));
  const std::vector<std::string>& partition_columns = snapshot.partition_columns();
  std::vector<std::string> referenced;
  ReferencedColumns(*parsed, &referenced);
  std::vector<columnar::Field> fields;
  for (const std::string& column : partition_columns) {
    auto index = snapshot.schema().FieldIndex(column);
    if (!index) return Status::Corruption("partition column '{}' is not in the table schema", column);
    fields.push_back(snapshot.schema().field(*index));
  }
  for (const std::string& column : referenced) {
    if (!Contains(partition_columns, column) && snapshot.schema().FieldIndexIgnoreCase(column)) {
      return Status::Invalid(
          "--where '{}': predicate references non-partition column '{}'; only the partition columns may be "
          "referenced: [{}]",
          sql, column, fmt::join(partition_columns, ", "));
    }
  }
  auto schema = std::make_shared<columnar::Schema>(fields);
  auto predicate = expr::Predicate::Make(parsed, *schema);
  if (!predicate.ok()) return predicate.status().WithContext(fmt::format("--where '{}'", sql));
  return delta::PartitionFilter([schema, predicate = std::move(predicate).value()](
                                    const delta::PartitionValues& values) -> Result<bool> {
    std::vector<columnar::ColumnPtr> columns;
    for (const columnar::Field& field : schema->fields()) {
      auto value = values.find(field.name);
      TRIB_ASSIGN_OR_RETURN(columnar::ColumnPtr column,
                            delta::PartitionValueColumn(field.type, value == values.end() ? std::nullopt : value->second, 1));
      columns.push_back(std::move(column));
    }
    columnar::RecordBatch batch(schema, 1, std::move(columns));
    expr::EvalContext context;
    TRIB_ASSIGN_OR_RETURN(columnar::ColumnPtr mask, predicate.Evaluate(batch, &context));
    return mask->IsValid(0) && mask->BoolValue(0);
  });
}

int OptimizeTable(const OptimizeArgs& args, std::FILE* out) {
  std::string path;
  auto result = [&]() -> Result<delta::OptimizeResult> {
    TRIB_ASSIGN_OR_RETURN(std::unique_ptr<delta::Table> table, OpenDeltaTable(args.target));
    path = table->path();
    delta::OptimizeOptions options;
    if (args.target_size) {
      if (*args.target_size <= 0) return Status::Invalid("--target-size {} must be positive", *args.target_size);
      options.max_file_size = *args.target_size;
    }
    if (!args.where.empty()) {
      TRIB_ASSIGN_OR_RETURN(options.partition_filter, PartitionFilterFromSql(args.where, table->snapshot()));
      TRIB_ASSIGN_OR_RETURN(expr::ExprPtr parsed, expr::ParseExpression(args.where));
      options.predicates = {expr::ToSql(*parsed)};
    }
    return delta::Optimize(*table, options);
  }();
  if (!result.ok()) {
    PrintError(result.status());
    return kExitError;
  }
  std::string text = args.json ? OptimizeJson(path, *result) : OptimizeText(path, *result);
  std::fputs(text.c_str(), out);
  return kExitOk;
}

int VacuumTable(const VacuumArgs& args, std::FILE* out) {
  std::string path;
  auto result = [&]() -> Result<delta::VacuumResult> {
    TRIB_ASSIGN_OR_RETURN(std::unique_ptr<delta::Table> table, OpenDeltaTable(args.target));
    path = table->path();
    delta::VacuumOptions options;
    options.retain_hours = args.retain_hours;
    options.dry_run = args.dry_run;
    options.force = args.force;
    return delta::Vacuum(*table, options);
  }();
  if (!result.ok()) {
    PrintError(result.status());
    return kExitError;
  }
  std::string text = args.json ? VacuumJson(path, args.dry_run, *result) : VacuumText(path, args.dry_run, *result);
  std::fputs(text.c_str(), out);
  return kExitOk;
}

}  // namespace tributary::cli
