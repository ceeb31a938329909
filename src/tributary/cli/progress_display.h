#pragma once

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

#include "tributary/api/streaming_query.h"

namespace tributary::cli {

/// Shows a query's progress: each batch's QueryProgress goes to the log as one JSON
/// line ("progress {...}", info level, stderr), and when `live` is set (stderr is a
/// terminal) a one-line summary is rewritten in place below the log:
///   batch 12 | 48,000 rows (+4,000) | 51,230 rows/s | 37 files outstanding
///
/// Threading: OnProgress() is called on the query's thread, Finish() on the main
/// thread; a mutex orders them.
class ProgressDisplay {
 public:
  ProgressDisplay(bool live, std::FILE* terminal);

  /// Records one committed batch.
  void OnProgress(const QueryProgress& progress);
  /// Ends the live line (leaves the last summary on screen).
  void Finish();

  int64_t batches() const;
  int64_t total_rows() const;

  /// The one-line summary for `progress` given the rows of all batches so far.
  static std::string SummaryLine(const QueryProgress& progress, int64_t total_rows);

 private:
  const bool live_;
  std::FILE* terminal_;
  mutable std::mutex mutex_;
  int64_t batches_ = 0;
  int64_t total_rows_ = 0;
  std::string line_;
};

/// "12,345" (thousands separators make the live line readable at a glance).
std::string GroupDigits(int64_t value);

}  // namespace tributary::cli
