#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "tributary/base/result.h"
#include "tributary/columnar/schema.h"
#include "tributary/format/file_decoder.h"

namespace tributary::streaming {

/// Produces one batch's rows by calling the given callback for each record batch.
using BatchProducer = std::function<Status(const format::BatchCallback&)>;

/// An idempotent streaming sink (Spark's Sink.addBatch).
class Sink {
 public:
  virtual ~Sink() = default;

  /// "DeltaSink[/warehouse/main/bronze/events]".
  virtual std::string Description() const = 0;

  /// Writes batch `batch_id` of query `query_id` atomically, pulling its rows from
  /// `produce`. A batch this sink already committed for this query is skipped without
  /// calling `produce` (the call may be a replay after a crash). An error from
  /// `produce` aborts the batch with nothing committed. `num_output_rows` receives the
  /// rows written (0 when skipped).
  virtual Status AddBatch(const std::string& query_id, int64_t batch_id, const columnar::Schema& schema,
                          const BatchProducer& produce, int64_t* num_output_rows) = 0;
};

}  // namespace tributary::streaming
