#pragma once

#include <string>

#include "tributary/streaming/query_plan.h"
#include "tributary/streaming/sink.h"

namespace tributary::streaming {

/// `foreachBatch(fn)`: gathers each micro-batch's rows and hands them to `fn` with
/// the batch id and the query id.
///
/// Exactly once: a batch re-run after a crash (its offsets written, its commit not)
/// calls `fn` again with the same rows and the same batch id, so `fn` must be
/// idempotent. Writes through the API's DeltaTable inside `fn` are (they carry
/// txn(appId, version = batch id)); other side effects are the user's to guard.
class ForeachBatchSink : public Sink {
 public:
  ForeachBatchSink(ForeachBatchFunction function, std::string description)
      : function_(std::move(function)), description_(std::move(description)) {}

  std::string Description() const override { return description_; }
  Status AddBatch(const std::string& query_id, int64_t batch_id, const columnar::Schema& schema,
                  const BatchProducer& produce, int64_t* num_output_rows) override;

 private:
  ForeachBatchFunction function_;
  std::string description_;
};

}  // namespace tributary::streaming
