#include "tributary/api/trigger.h"

#include "tributary/base/options.h"

namespace tributary {

Trigger Trigger::AvailableNow() {
  Trigger trigger;
  trigger.spec_.kind = streaming::TriggerSpec::Kind::kAvailableNow;
  return trigger;
}

Trigger Trigger::Once() {
  Trigger trigger;
  trigger.spec_.kind = streaming::TriggerSpec::Kind::kOnce;
  return trigger;
}

Trigger Trigger::ProcessingTime(std::string_view interval) {
  Result<int64_t> interval_ms = ParseDurationMs(interval, "processingTime");
  if (!interval_ms.ok()) {
    Trigger trigger;
    trigger.spec_.kind = streaming::TriggerSpec::Kind::kProcessingTime;
    trigger.status_ = interval_ms.status();
    return trigger;
  }
  return ProcessingTime(*interval_ms);
}

Trigger Trigger::ProcessingTime(int64_t interval_ms) {
  Trigger trigger;
  trigger.spec_.kind = streaming::TriggerSpec::Kind::kProcessingTime;
  trigger.spec_.interval_ms = interval_ms;
  // Spark accepts 0 (batches back to back) and rejects negative intervals.
  if (interval_ms < 0) {
    trigger.status_ = Status::Invalid("trigger processingTime must not be negative, got {} ms", interval_ms);
  }
  return trigger;
}

}  // namespace tributary
