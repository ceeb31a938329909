#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "tributary/api/delta_table.h"
#include "tributary/api/session.h"
#include "tributary/cli/table_command_output.h"

namespace CLI {
class App;
}

namespace tributary::cli {

struct OptimizeArgs;
struct VacuumArgs;

/// The table a `tributary table` subcommand works on.
struct TableArgs {
  /// `catalog.schema.table` under the warehouse, or a path (anything holding a '/', as
  /// a pipeline's sink.merge.into).
  std::string table;
  /// The root of three-part names, as a pipeline's `warehouse`.
  std::string warehouse = "./warehouse";
};

/// `tributary table show`'s options.
struct ShowArgs {
  TableArgs target;
  std::optional<int64_t> version;
  std::optional<std::string> timestamp;
  /// Rows to print; default 20 for the table format, all for json and csv.
  std::optional<int64_t> limit;
  /// A Spark SQL predicate (where()).
  std::string where;
  /// Comma-separated column names (select()); back-quote a name holding a comma.
  std::string columns;
  RowFormat format = RowFormat::kTable;
};

/// `tributary table restore`'s options: exactly one of version and timestamp.
struct RestoreArgs {
  TableArgs target;
  std::optional<int64_t> version;
  std::optional<std::string> timestamp;
  bool json = false;
};

/// The DeltaTable `args` names: resolved under the warehouse by name (as pipelines
/// resolve sink names), or by path.
Result<DeltaTable> OpenTableArgs(const TableArgs& args);

/// Each subcommand: prints to `out`, errors to stderr; returns the exit code.
int DescribeTable(const TableArgs& args, bool json, std::FILE* out);
int ShowHistory(const TableArgs& args, int64_t limit, bool json, std::FILE* out);
int ShowRows(const ShowArgs& args, std::FILE* out);
int RestoreTable(const RestoreArgs& args, std::FILE* out);

/// `tributary table <subcommand>`: registers the subcommands on `app`; after parsing,
/// parsed() tells whether one was chosen and Run() runs it. One Add* per subcommand.
class TableCommand {
 public:
  explicit TableCommand(CLI::App& app);
  ~TableCommand();
  bool parsed() const { return static_cast<bool>(run_); }
  int Run() const { return run_(); }

 private:
  CLI::App* AddTableSubcommand(const std::string& name, const std::string& description, TableArgs* target);
  void AddDescribe();
  void AddHistory();
  void AddShow();
  void AddRestore();
  void AddOptimize();
  void AddVacuum();

  CLI::App* table_ = nullptr;
  std::function<int()> run_;

  TableArgs describe_;
  bool describe_json_ = false;
  TableArgs history_;
  int64_t history_limit_ = 0;
  bool history_json_ = false;
  ShowArgs show_;
  std::string show_format_ = "table";
  RestoreArgs restore_;
  std::unique_ptr<OptimizeArgs> optimize_;  // in table_maintenance.h
  std::unique_ptr<VacuumArgs> vacuum_;
};

}  // namespace tributary::cli
