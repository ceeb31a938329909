#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tributary/columnar/record_batch.h"

namespace tributary::delta::testing {

/// Runs `code` with python3 (argv[1..] = `args`) and returns its standard output.
/// Fails the test when python3 or an imported package is missing or the script exits
/// non-zero; stderr goes into the failure message.
inline std::string RunPython(const std::string& code, const std::vector<std::string>& args = {}) {
  static int counter = 0;
  std::string script = fmt::format("/tmp/tributary_delta_py_{}_{}.py", ::getpid(), counter++);
  {
    std::ofstream out(script);
    out << code;
    // delta-rs (deltalake 1.6.6) often aborts while tearing down its runtime at
    // interpreter exit, after the script's work is done: leave without that teardown.
    // A script that fails raises before it gets here and still exits non-zero.
    out << "\nimport os as _os, sys as _sys\n_sys.stdout.flush()\n_sys.stderr.flush()\n_os._exit(0)\n";
  }
  std::string command = "python3 '" + script + "'";
  for (const std::string& arg : args) command += " '" + arg + "'";
  command += " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr) << "cannot run " << command;
  if (pipe == nullptr) return "";
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
  int status = pclose(pipe);
  std::remove(script.c_str());
  int code_value = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  EXPECT_EQ(code_value, 0) << "python failed:\n" << code << "\noutput:\n" << output;
  return output;
}

/// Rows as "v1|v2|..." lines (ValueToString per column, "null" for nulls), sorted.
inline std::vector<std::string> RowLines(const std::vector<columnar::RecordBatchPtr>& batches) {
  std::vector<std::string> lines;
  for (const auto& batch : batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      std::string line;
      for (int c = 0; c < batch->num_columns(); ++c) {
        if (c > 0) line += '|';
        line += columnar::ValueToString(*batch->column(c), row);
      }
      lines.push_back(std::move(line));
    }
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

/// Non-empty lines of `text`, sorted.
inline std::vector<std::string> SortedLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

/// Python that prints each row of the arrow table `t` in RowLines' form, columns
/// in `columns` order (simple types: ints, strings, booleans, nulls).
inline std::string PrintRowsPython(const std::string& columns_list) {
  return "def show(v):\n"
         "    if v is None: return 'null'\n"
         "    if isinstance(v, bool): return 'true' if v else 'false'\n"
         "    return str(v)\n"
         "for r in t.to_pylist():\n"
         "    print('|'.join(show(r[c]) for c in " + columns_list + "))\n";
}

}  // namespace tributary::delta::testing
