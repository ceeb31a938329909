#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/columnar/schema.h"
#include "tributary/expr/expression.h"
#include "tributary/streaming/query_plan.h"
#include "tributary/streaming/source.h"

namespace tributary::streaming {

/// The bound form of a plan's transform steps: select, where, withColumn and drop
/// applied in order to each batch. Stateless between batches.
class BatchTransformer {
 public:
  /// Binds every step against the schema the step before it produces; errors name
  /// the step ("select", "where", ...) and carry the binder's message.
  static Result<std::unique_ptr<BatchTransformer>> Make(const std::vector<TransformStep>& steps,
                                                        const columnar::Schema& input);

  const columnar::Schema& output_schema() const { return *output_schema_; }
  bool empty() const { return steps_.empty(); }

  /// Runs every step over `batch`. `context` fixes current_timestamp() for the batch.
  Result<columnar::RecordBatchPtr> Apply(columnar::RecordBatchPtr batch, expr::EvalContext* context) const;

  struct BoundStep;
  ~BatchTransformer();

 private:
  BatchTransformer() = default;
  std::vector<std::unique_ptr<BoundStep>> steps_;
  columnar::SchemaPtr output_schema_;
};

/// A source whose rows pass through a BatchTransformer: the plan's transforms applied
/// between the source and the sink. Offsets, recovery and rate limits are the inner
/// source's; schema() is the transformed one. current_timestamp() is fixed once per
/// GetBatch call (per micro-batch, as Spark fixes it).
class TransformingSource : public Source {
 public:
  TransformingSource(std::unique_ptr<Source> inner, std::unique_ptr<BatchTransformer> transformer)
      : inner_(std::move(inner)), transformer_(std::move(transformer)) {}

  std::string Description() const override { return inner_->Description(); }
  const columnar::Schema& schema() const override { return transformer_->output_schema(); }
  Status Restore(const std::optional<std::string>& committed_end) override { return inner_->Restore(committed_end); }
  Status PrepareForAvailableNow() override { return inner_->PrepareForAvailableNow(); }
  Result<std::optional<std::string>> LatestOffset(const std::optional<std::string>& start,
                                                  bool rate_limited) override {
    return inner_->LatestOffset(start, rate_limited);
  }
  Status GetBatch(const std::optional<std::string>& start, const std::string& end, int64_t batch_id,
                  const format::BatchCallback& on_batch, SourceBatchStats* stats) override;
  Status Commit(const std::string& end, int64_t batch_id) override { return inner_->Commit(end, batch_id); }
  SourceBacklog Backlog() const override { return inner_->Backlog(); }

 private:
  std::unique_ptr<Source> inner_;
  std::unique_ptr<BatchTransformer> transformer_;
};

}  // namespace tributary::streaming
