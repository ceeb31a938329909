#include "tributary/cli/progress_display.h"

#include <cmath>

#include <fmt/format.h>

#include "tributary/base/log.h"

namespace tributary::cli {

std::string GroupDigits(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  return value < 0 ? "-" + grouped : grouped;
}

ProgressDisplay::ProgressDisplay(bool live, std::FILE* terminal) : live_(live), terminal_(terminal) {}

std::string ProgressDisplay::SummaryLine(const QueryProgress& progress, int64_t total_rows) {
  double rate = progress.processed_rows_per_second;
  int64_t rows_per_second = std::isfinite(rate) ? static_cast<int64_t>(std::llround(rate)) : 0;
  return fmt::format("batch {} | {} rows (+{}) | {} rows/s | {} files outstanding", progress.batch_id,
                     GroupDigits(total_rows), GroupDigits(progress.num_input_rows), GroupDigits(rows_per_second),
                     GroupDigits(progress.num_files_outstanding));
}

void ProgressDisplay::OnProgress(const QueryProgress& progress) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++batches_;
  total_rows_ += progress.num_input_rows;
  if (live_) {
    // Clear the live line so the log line does not land in the middle of it.
    std::fputs("\r\033[K", terminal_);
    std::fflush(terminal_);
  }
  log::Info("progress {}", progress.ToJson());
  if (live_) {
    line_ = SummaryLine(progress, total_rows_);
    std::fputs(line_.c_str(), terminal_);
    std::fflush(terminal_);
  }
}

void ProgressDisplay::Finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (live_ && !line_.empty()) {
    std::fputs("\n", terminal_);
    std::fflush(terminal_);
    line_.clear();
  }
}

int64_t ProgressDisplay::batches() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return batches_;
}

int64_t ProgressDisplay::total_rows() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return total_rows_;
}

}  // namespace tributary::cli
