#include "tributary/cli/table_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "tributary/delta/scan.h"
#include "tributary/delta/table.h"
#include "tributary/delta/time_travel.h"
#include "tributary/cli/run_command.h"
#include "tributary/cli/table_maintenance.h"

namespace tributary::cli {
namespace {

void PrintError(const Status& status) { std::fprintf(stderr, "tributary: error: %s\n", status.ToString().c_str()); }

/// Splits "a,b,`c,d`" at the commas outside back-quotes.
std::vector<std::string> SplitColumns(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  bool quoted = false;
  for (char c : text) {
    if (c == '`') quoted = !quoted;
    if (c == ',' && !quoted) {
      out.push_back(current);
      current.clear();
      continue;
    }
    current += c;
  }
  out.push_back(current);
  for (std::string& name : out) {
    size_t begin = name.find_first_not_of(' ');
    size_t end = name.find_last_not_of(' ');
    name = begin == std::string::npos ? "" : name.substr(begin, end - begin + 1);
  }
  return out;
}

int Print(std::FILE* out, const std::string& text) {
  std::fputs(text.c_str(), out);
  return kExitOk;
}

Result<RowFormat> ParseRowFormat(std::string_view text) {
  if (text == "table") return RowFormat::kTable;
  if (text == "json") return RowFormat::kJson;
  if (text == "csv") return RowFormat::kCsv;
  return Status::Invalid("--format '{}': use table, json or csv", text);
}

/// The rows `args` selects: files are read, filtered and projected one batch at a
/// time, and reading stops once more than `limit` rows passed (one more than shown, to
/// know there are more), so `show` of a large table does not read all of it.
Result<DataFrame> SelectRows(const ShowArgs& args, int64_t limit) {
  TRIB_ASSIGN_OR_RETURN(DeltaTable table, OpenTableArgs(args.target));
  TRIB_RETURN_NOT_OK(table.version().status());  // names a missing table as the API does
  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<delta::Table> opened, delta::Table::Open(io::LocalFileSystem(), table.path()));
  TRIB_ASSIGN_OR_RETURN(std::shared_ptr<const delta::Snapshot> snapshot,
                        delta::LoadSnapshotAsOf(opened->fs(), opened->path(), opened->snapshot_ptr(),
                                                delta::TimeTravelSpec{args.version, args.timestamp}));
  Session session;
  auto schema = std::make_shared<columnar::Schema>(snapshot->schema());
  auto select = [&](std::vector<columnar::RecordBatchPtr> batches) {
    DataFrame frame = DataFrame::FromBatches(session, schema, std::move(batches));
    if (!args.where.empty()) frame = frame.where(args.where);
    if (!args.columns.empty()) frame = frame.select(SplitColumns(args.columns));
    return frame;
  };
  // Binds the filter and the columns even when the table has no rows.
  TRIB_ASSIGN_OR_RETURN(columnar::Schema selected, select({}).schema());
  std::vector<columnar::RecordBatchPtr> kept;
  int64_t rows = 0;
  auto enough = [&] { return limit >= 0 && rows > limit; };
  Status scanned = delta::ScanTable(opened->fs_ptr(), opened->path(), *snapshot, delta::ScanOptions{},
                                    [&](columnar::RecordBatchPtr batch) -> Status {
                                      TRIB_ASSIGN_OR_RETURN(std::vector<columnar::RecordBatchPtr> out,
                                                            select({std::move(batch)}).batches());
                                      for (columnar::RecordBatchPtr& part : out) {
                                        rows += part->num_rows();
                                        kept.push_back(std::move(part));
                                      }
                                      return enough() ? Status::Cancelled("enough rows") : Status::OK();
                                    });
  if (!scanned.ok() && !(scanned.IsCancelled() && enough())) return scanned;
  return DataFrame::FromBatches(session, std::make_shared<columnar::Schema>(std::move(selected)), std::move(kept));
}

Result<std::string> RowsText(const ShowArgs& args) {
  if (args.limit && *args.limit < 0) return Status::Invalid("--limit {} must be 0 or more", *args.limit);
  int64_t limit = args.limit.value_or(args.format == RowFormat::kTable ? 20 : -1);
  TRIB_ASSIGN_OR_RETURN(DataFrame rows, SelectRows(args, limit));
  return RenderRows(rows, args.format, limit);
}

}  // namespace

Result<DeltaTable> OpenTableArgs(const TableArgs& args) {
  if (args.table.empty()) return Status::Invalid("name a table: catalog.schema.table or a path");
  TRIB_ASSIGN_OR_RETURN(Session session, Session::builder().warehouse(args.warehouse).getOrCreate());
  // As a pipeline's merge sink decides: a '/' makes it a path.
  bool is_path = args.table.find('/') != std::string::npos;
  DeltaTable table = is_path ? DeltaTable::forPath(session, args.table) : DeltaTable::forName(session, args.table);
  if (!table.status().ok() && !is_path) {
    return table.status().WithContext(fmt::format("'{}' (a path needs a '/', e.g. ./{})", args.table, args.table));
  }
  TRIB_RETURN_NOT_OK(table.status());
  return table;
}

int DescribeTable(const TableArgs& args, bool json, std::FILE* out) {
  auto detail = [&]() -> Result<delta::TableDetail> {
    TRIB_ASSIGN_OR_RETURN(DeltaTable table, OpenTableArgs(args));
    return table.detail();
  }();
  if (!detail.ok()) {
    PrintError(detail.status());
    return kExitError;
  }
  return Print(out, json ? DetailJson(*detail) : DetailText(*detail));
}

int ShowHistory(const TableArgs& args, int64_t limit, bool json, std::FILE* out) {
  auto history = [&]() -> Result<std::vector<delta::HistoryEntry>> {
    if (limit < 0) return Status::Invalid("--limit {} must be 0 (all) or more", limit);
    TRIB_ASSIGN_OR_RETURN(DeltaTable table, OpenTableArgs(args));
    return table.history(limit);
  }();
  if (!history.ok()) {
    PrintError(history.status());
    return kExitError;
  }
  return Print(out, json ? HistoryJson(*history) : HistoryText(*history));
}

int ShowRows(const ShowArgs& args, std::FILE* out) {
  Result<std::string> text = RowsText(args);
  if (!text.ok()) {
    PrintError(text.status());
    return kExitError;
  }
  return Print(out, *text);
}

int RestoreTable(const RestoreArgs& args, std::FILE* out) {
  auto metrics = [&]() -> Result<delta::RestoreMetrics> {
    if (args.version.has_value() == args.timestamp.has_value()) {
      return Status::Invalid("restore needs exactly one of --version and --timestamp");
    }
    TRIB_ASSIGN_OR_RETURN(DeltaTable table, OpenTableArgs(args.target));
    return args.version ? table.restoreToVersion(*args.version) : table.restoreToTimestamp(*args.timestamp);
  }();
  if (!metrics.ok()) {
    PrintError(metrics.status());
    return kExitError;
  }
  return Print(out, args.json ? RestoreJson(*metrics) : RestoreText(*metrics));
}

TableCommand::TableCommand(CLI::App& app) {
  table_ = app.add_subcommand("table",
                              "Inspect and manage a Delta table: describe, history, show, restore, optimize, vacuum");
  table_->require_subcommand(1);
  AddDescribe();
  AddHistory();
  AddShow();
  AddRestore();
  AddOptimize();
  AddVacuum();
}

TableCommand::~TableCommand() = default;

CLI::App* TableCommand::AddTableSubcommand(const std::string& name, const std::string& description,
                                           TableArgs* target) {
  CLI::App* command = table_->add_subcommand(name, description);
  command->add_option("table", target->table, "catalog.schema.table under the warehouse, or a path (with a '/')")
      ->required();
  command->add_option("--warehouse", target->warehouse, "Root of three-part table names (default ./warehouse)");
  return command;
}

void TableCommand::AddDescribe() {
  CLI::App* command = AddTableSubcommand("describe", "DESCRIBE DETAIL and the schema", &describe_);
  command->add_flag("--json", describe_json_, "One JSON object");
  command->callback([this] { run_ = [this] { return DescribeTable(describe_, describe_json_, stdout); }; });
}

void TableCommand::AddHistory() {
  CLI::App* command = AddTableSubcommand("history", "DESCRIBE HISTORY, newest first", &history_);
  command->add_option("--limit", history_limit_, "The newest N commits (default all)");
  command->add_flag("--json", history_json_, "One JSON object per commit");
  command->callback([this] { run_ = [this] { return ShowHistory(history_, history_limit_, history_json_, stdout); }; });
}

void TableCommand::AddShow() {
  CLI::App* command = AddTableSubcommand("show", "Print the table's rows, at a version or timestamp", &show_.target);
  CLI::Option* version = command->add_option("--version", show_.version, "Read this version (versionAsOf)");
  command->add_option("--timestamp", show_.timestamp,
                      "Read the version current at this time (timestampAsOf; UTC when no zone)")
      ->excludes(version);
  command->add_option("--limit", show_.limit, "Rows to print (default 20 for table, all for json and csv)");
  command->add_option("--where", show_.where, "A Spark SQL filter, e.g. \"amount > 10 AND country = 'FR'\"");
  command->add_option("--columns", show_.columns, "Columns to print, comma-separated (default all)");
  command->add_option("--format", show_format_, "table (default), json (one object per row, as Spark's to_json) or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  command->callback([this] {
    run_ = [this] {
      Result<RowFormat> format = ParseRowFormat(show_format_);
      if (!format.ok()) {
        PrintError(format.status());
        return static_cast<int>(kExitUsage);
      }
      show_.format = *format;
      return ShowRows(show_, stdout);
    };
  });
}

void TableCommand::AddRestore() {
  CLI::App* command =
      AddTableSubcommand("restore", "RESTORE TABLE to an earlier version or timestamp (one new commit)", &restore_.target);
  CLI::Option* version = command->add_option("--version", restore_.version, "The version to restore");
  CLI::Option* timestamp = command->add_option(
      "--timestamp", restore_.timestamp, "Restore the version current at this time (UTC when no zone)");
  version->excludes(timestamp);
  command->add_flag("--json", restore_.json, "Print the metrics as one JSON object");
  command->callback([this] { run_ = [this] { return RestoreTable(restore_, stdout); }; });
}

void TableCommand::AddOptimize() {
  optimize_ = std::make_unique<OptimizeArgs>();
  CLI::App* command = AddTableSubcommand(
      "optimize", "OPTIMIZE: compact small files into larger ones (bin-packing, dataChange=false)", &optimize_->target);
  command->add_option("--where", optimize_->where,
                      "Only partitions matching this Spark SQL predicate on partition columns, e.g. \"date >= '2024-01-01'\"");
  command->add_option("--target-size", optimize_->target_size,
                      "Target file size and bin size in bytes (spark.databricks.delta.optimize.maxFileSize; default 1 GiB)");
  command->add_flag("--json", optimize_->json, "Print the metrics as one JSON object");
  command->callback([this] { run_ = [this] { return OptimizeTable(*optimize_, stdout); }; });
}

void TableCommand::AddVacuum() {
  vacuum_ = std::make_unique<VacuumArgs>();
  CLI::App* command = AddTableSubcommand(
      "vacuum", "VACUUM: delete files no version within the retention references", &vacuum_->target);
  command->add_option("--retain", vacuum_->retain_hours,
                      "Retention in hours (default: delta.deletedFileRetentionDuration, 1 week)");
  command->add_flag("--dry-run", vacuum_->dry_run, "List the files that would be deleted; delete nothing");
  command->add_flag("--force", vacuum_->force,
                    "Allow a retention below delta.deletedFileRetentionDuration "
                    "(spark.databricks.delta.retentionDurationCheck.enabled=false)");
  command->add_flag("--json", vacuum_->json, "Print the result as one JSON object");
  command->callback([this] { run_ = [this] { return VacuumTable(*vacuum_, stdout); }; });
}

}  // namespace tributary::cli
