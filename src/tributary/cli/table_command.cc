#include "tributary/cli/table_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "tributary/api/data_frame_reader.h"
#include "tributary/cli/run_command.h"

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

Result<std::string> RowsText(const ShowArgs& args) {
  TRIB_ASSIGN_OR_RETURN(DeltaTable table, OpenTableArgs(args.target));
  TRIB_ASSIGN_OR_RETURN(Session session, Session::builder().warehouse(args.target.warehouse).getOrCreate());
  DataFrameReader reader = session.read().format("delta");
  if (args.version) reader.option("versionAsOf", *args.version);
  if (args.timestamp) reader.option("timestampAsOf", *args.timestamp);
  DataFrame rows = reader.load(table.path());
  if (!args.where.empty()) rows = rows.where(args.where);
  if (!args.columns.empty()) rows = rows.select(SplitColumns(args.columns));
  TRIB_RETURN_NOT_OK(rows.status());
  int64_t limit = args.limit.value_or(args.format == RowFormat::kTable ? 20 : -1);
  if (limit < 0 && args.limit) return Status::Invalid("--limit {} must be 0 or more", *args.limit);
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
  table_ = app.add_subcommand("table", "Inspect and manage a Delta table: describe, history, show, restore");
  table_->require_subcommand(1);
  AddDescribe();
  AddHistory();
  AddShow();
  AddRestore();
}

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

}  // namespace tributary::cli
