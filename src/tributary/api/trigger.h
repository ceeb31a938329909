#pragma once

#include <cstdint>
#include <string_view>

#include "tributary/base/status.h"
#include "tributary/streaming/query_plan.h"

namespace tributary {

/// When a streaming query runs its micro-batches (PySpark's `trigger(...)` keywords).
///
/// A trigger built from an invalid interval ("5 minuts") carries the error; the
/// writer's terminal call (`toTable`/`start`) returns it.
class Trigger {
 public:
  /// `trigger(availableNow=True)`: everything available at start, in batches bounded by
  /// the rate limits (`cloudFiles.maxFilesPerTrigger`, ...), then stop.
  static Trigger AvailableNow();
  /// `trigger(once=True)`: one batch with everything available, then stop.
  static Trigger Once();
  /// `trigger(processingTime="5 minutes")`: one batch per interval until stopped.
  /// Accepts the forms of ParseDurationMs ("10 seconds", "1 hour", "500 ms", "2s").
  static Trigger ProcessingTime(std::string_view interval);
  /// `trigger(processingTime=...)` with the interval in milliseconds (>= 0).
  static Trigger ProcessingTime(int64_t interval_ms);

  const streaming::TriggerSpec& spec() const { return spec_; }
  /// OK, or why the trigger is invalid.
  const Status& status() const { return status_; }

 private:
  streaming::TriggerSpec spec_;
  Status status_;
};

}  // namespace tributary
