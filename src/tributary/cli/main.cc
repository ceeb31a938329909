// The `tributary` command line: run and validate YAML pipelines; inspect and manage tables.

#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "tributary/base/log.h"
#include "tributary/cli/run_command.h"
#include "tributary/cli/table_command.h"

int main(int argc, char** argv) {
  using tributary::cli::kExitOk;
  using tributary::cli::kExitUsage;

  CLI::App app{"Tributary: ingest files into Delta Lake tables, exactly once", "tributary"};
  app.set_version_flag("--version", std::string("tributary ") + TRIBUTARY_VERSION);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.require_subcommand(1);
  app.fallthrough();  // --log-level also works after the subcommand

  std::string run_path;
  CLI::App* run = app.add_subcommand("run", "Run a pipeline until its trigger says stop");
  run->add_option("pipeline", run_path, "The pipeline YAML file")->required();

  std::string validate_path;
  CLI::App* validate = app.add_subcommand("validate", "Check a pipeline without running it; print its plan");
  validate->add_option("pipeline", validate_path, "The pipeline YAML file")->required();

  tributary::cli::TableCommand table(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? kExitOk : kExitUsage;
  }

  tributary::log::SetLevel(log_level);
  if (run->parsed()) return tributary::cli::RunPipeline(run_path);
  if (table.parsed()) return table.Run();
  return tributary::cli::ValidatePipeline(validate_path);
}
