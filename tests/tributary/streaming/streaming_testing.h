#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "tributary/base/status_testing.h"
#include "tributary/streaming/query_plan.h"

namespace tributary::streaming::testing {

/// A fresh directory under the system temp dir, removed at destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("tributary_streaming_test_" + std::to_string(std::random_device{}()) + "_" + std::to_string(counter++)))
                .string();
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    if (std::getenv("TRIBUTARY_KEEP_TEST_DIRS") != nullptr) return;  // for debugging a failure
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// Writes `content` to `path` the way a careful producer does (hidden temporary
/// file, then rename), and sets its modification time to `mtime_seconds` after the
/// epoch so that ingestion order is deterministic.
inline void WriteFile(const std::string& path, const std::string& content, int64_t mtime_seconds) {
  std::filesystem::path target(path);
  std::filesystem::create_directories(target.parent_path());
  std::filesystem::path temp = target.parent_path() / ("." + target.filename().string() + ".tmp");
  {
    std::ofstream out(temp, std::ios::binary);
    out << content;
  }
  std::chrono::sys_seconds when{std::chrono::seconds(mtime_seconds)};
  std::filesystem::last_write_time(temp, std::chrono::file_clock::from_sys(when));
  std::filesystem::rename(temp, target);
}

/// JSON lines {"id": <first + i>, "name": "n<first + i>"} for i < count.
inline std::string IdNameLines(int first, int count) {
  std::string out;
  for (int i = first; i < first + count; ++i) out += "{\"id\":" + std::to_string(i) + ",\"name\":\"n" + std::to_string(i) + "\"}\n";
  return out;
}

/// Runs a shell command and returns its stdout; fails the test on a non-zero exit.
inline std::string RunCommand(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return output;
  }
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, n);
  int rc = pclose(pipe);
  if (rc != 0) ADD_FAILURE() << command << " exited with " << rc << ":\n" << output;
  return output;
}

/// Whether delta-rs is there to check rows independently. It is part of the test
/// set-up (scripts/install-deps.sh installs it), so its absence fails the calling test
/// instead of quietly dropping the independent check.
inline bool HaveDeltaLake() {
  static const bool have = std::system("python3 -c 'import deltalake' >/dev/null 2>&1") == 0;
  if (!have) ADD_FAILURE() << "python3 cannot import deltalake; run scripts/install-deps.sh";
  return have;
}

/// The rows of the Delta table at `table`, read by delta-rs (the `deltalake` Python
/// package), projected on `columns` (comma separated), one sorted JSON object per row.
inline std::vector<std::string> ReadDeltaRows(const std::string& table, const std::string& columns) {
  std::string script =
      "import os, sys, json, deltalake\n"
      "t = deltalake.DeltaTable(sys.argv[1]).to_pyarrow_table(columns=sys.argv[2].split(','))\n"
      "for line in sorted(json.dumps(r, sort_keys=True, separators=(',', ':'), default=str) for r in t.to_pylist()): "
      "print(line)\n"
      // delta-rs sometimes aborts while tearing down its runtime at exit; the rows are out by then.
      "sys.stdout.flush(); os._exit(0)\n";
  std::string output = RunCommand("python3 -c \"" + script + "\" '" + table + "' '" + columns + "' 2>&1");
  std::vector<std::string> rows;
  size_t start = 0;
  while (start < output.size()) {
    size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    if (end > start) rows.push_back(output.substr(start, end - start));
    start = end + 1;
  }
  return rows;
}

}  // namespace tributary::streaming::testing
