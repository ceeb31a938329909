#include "tributary/streaming/foreach_batch_sink.h"

namespace tributary::streaming {

int64_t MicroBatch::num_rows() const {
  int64_t rows = 0;
  for (const columnar::RecordBatchPtr& batch : batches) rows += batch->num_rows();
  return rows;
}

Status ForeachBatchSink::AddBatch(const std::string& query_id, int64_t batch_id, const columnar::Schema& schema,
                                  const BatchProducer& produce, int64_t* num_output_rows) {
  MicroBatch batch;
  batch.schema = std::make_shared<columnar::Schema>(schema);
  batch.batch_id = batch_id;
  batch.query_id = query_id;
  TRIB_RETURN_NOT_OK(produce([&](columnar::RecordBatchPtr rows) -> Status {
    batch.batches.push_back(std::move(rows));
    return Status::OK();
  }));
  TRIB_RETURN_NOT_OK(function_(batch));
  if (num_output_rows) *num_output_rows = batch.num_rows();
  return Status::OK();
}

}  // namespace tributary::streaming
