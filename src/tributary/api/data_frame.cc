#include "tributary/api/data_frame.h"

#include <chrono>
#include <unordered_set>

#include "tributary/base/ascii.h"
#include "tributary/api/data_stream_writer.h"
#include "tributary/columnar/row_key.h"
#include "tributary/columnar/take.h"
#include "tributary/streaming/kafka/kafka_options.h"
#include "tributary/streaming/kafka/kafka_source.h"
#include "tributary/streaming/latest_per_key.h"
#include "tributary/streaming/transform.h"

namespace tributary {

namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

DataFrame::DataFrame(Session session, streaming::SourceSpec source, Status status)
    : session_(std::move(session)), source_(std::move(source)), status_(std::move(status)) {}

DataFrame DataFrame::FromBatches(Session session, columnar::SchemaPtr schema,
                                 std::vector<columnar::RecordBatchPtr> batches,
                                 std::shared_ptr<MicroBatchContext> context) {
  DataFrame frame(std::move(session), streaming::SourceSpec{}, Status::OK());
  auto rows = std::make_shared<Rows>();
  rows->schema = std::move(schema);
  rows->batches = std::move(batches);
  frame.batch_ = std::move(rows);
  frame.context_ = std::move(context);
  return frame;
}

DataStreamWriter DataFrame::writeStream() const {
  if (!isStreaming()) {
    return DataStreamWriter(WithError(Status::Invalid(
        "writeStream() needs a streaming DataFrame; this one holds the rows of one micro-batch")));
  }
  return DataStreamWriter(*this);
}

DataFrame DataFrame::WithError(Status status) const {
  DataFrame out = *this;
  if (out.status_.ok()) out.status_ = std::move(status);
  return out;
}

DataFrame DataFrame::WithStep(streaming::TransformStep step, Status status) const {
  if (!status_.ok()) return *this;
  if (!status.ok()) return WithError(std::move(status));
  if (isStreaming()) {
    DataFrame out = *this;
    out.transforms_.push_back(std::move(step));
    return out;
  }
  // A batch DataFrame runs the step now, over every batch it holds.
  auto transformer = streaming::BatchTransformer::Make({step}, *batch_->schema);
  if (!transformer.ok()) return WithError(transformer.status());
  auto rows = std::make_shared<Rows>();
  rows->schema = std::make_shared<columnar::Schema>((*transformer)->output_schema());
  expr::EvalContext context;
  context.current_timestamp_micros = context_ ? context_->current_timestamp_micros : NowMicros();
  for (const columnar::RecordBatchPtr& batch : batch_->batches) {
    auto out = (*transformer)->Apply(batch, &context);
    if (!out.ok()) return WithError(out.status());
    rows->batches.push_back(std::move(*out));
  }
  DataFrame out = *this;
  out.batch_ = std::move(rows);
  return out;
}

DataFrame DataFrame::select(const std::vector<Column>& columns) const {
  streaming::TransformStep step;
  step.kind = streaming::TransformStep::Kind::kSelect;
  Status status;
  for (const Column& column : columns) {
    if (status.ok() && !column.status().ok()) status = column.status().WithContext("select()");
    step.exprs.push_back(column.expr());
  }
  return WithStep(std::move(step), std::move(status));
}

DataFrame DataFrame::select(const std::vector<std::string>& names) const {
  std::vector<Column> columns;
  for (const std::string& name : names) columns.push_back(functions::col(name));
  return select(columns);
}

DataFrame DataFrame::selectExpr(const std::vector<std::string>& sql) const {
  std::vector<Column> columns;
  for (const std::string& text : sql) columns.push_back(functions::expr(text));
  return select(columns);
}

DataFrame DataFrame::where(const Column& condition) const {
  streaming::TransformStep step;
  step.kind = streaming::TransformStep::Kind::kWhere;
  step.exprs.push_back(condition.expr());
  return WithStep(std::move(step), condition.status().ok() ? Status::OK() : condition.status().WithContext("where()"));
}

DataFrame DataFrame::where(std::string_view sql) const { return where(functions::expr(sql)); }

DataFrame DataFrame::withColumn(std::string_view name, const Column& value) const {
  streaming::TransformStep step;
  step.kind = streaming::TransformStep::Kind::kWithColumn;
  step.names.emplace_back(name);
  step.exprs.push_back(value.expr());
  return WithStep(std::move(step), value.status().ok() ? Status::OK() : value.status().WithContext("withColumn()"));
}

DataFrame DataFrame::drop(const std::vector<std::string>& names) const {
  streaming::TransformStep step;
  step.kind = streaming::TransformStep::Kind::kDrop;
  step.names = names;
  return WithStep(std::move(step), Status::OK());
}

DataFrame DataFrame::dropDuplicates(const std::vector<std::string>& subset) const {
  if (!status_.ok()) return *this;
  if (isStreaming()) {
    return WithError(Status::NotImplemented(
        "dropDuplicates() on a streaming DataFrame keeps state across micro-batches in Spark, which Tributary "
        "does not do; call it on the batch DataFrame inside foreachBatch (it then works within the batch)"));
  }
  const columnar::Schema& schema = *batch_->schema;
  std::vector<int> key_columns;
  if (subset.empty()) {
    for (int i = 0; i < static_cast<int>(schema.fields().size()); ++i) key_columns.push_back(i);
  } else {
    for (const std::string& name : subset) {
      std::optional<int> found = schema.FieldIndexIgnoreCase(name);
      if (!found) {
        return WithError(Status::Invalid("dropDuplicates(): no column '{}' in ({})", name, schema.ToDdl()));
      }
      key_columns.push_back(*found);
    }
  }
  std::unordered_set<std::string> seen;
  auto rows = std::make_shared<Rows>();
  rows->schema = batch_->schema;
  std::string key;
  for (const columnar::RecordBatchPtr& batch : batch_->batches) {
    std::vector<int64_t> keep;
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      key.clear();
      for (int column : key_columns) columnar::AppendRowKey(*batch->column(column), row, &key);
      if (seen.insert(key).second) keep.push_back(row);
    }
    if (static_cast<int64_t>(keep.size()) == batch->num_rows()) {
      rows->batches.push_back(batch);
      continue;
    }
    auto taken = columnar::TakeRows(*batch, keep);
    if (!taken.ok()) return WithError(taken.status());
    rows->batches.push_back(std::move(*taken));
  }
  DataFrame out = *this;
  out.batch_ = std::move(rows);
  return out;
}

DataFrame DataFrame::latestByKey(const std::vector<std::string>& keys, std::string_view order_by) const {
  if (!status_.ok()) return *this;
  if (isStreaming()) {
    return WithError(Status::NotImplemented(
        "latestByKey() works on the rows of one micro-batch; call it inside foreachBatch (or use latestBy in a "
        "declared merge)"));
  }
  auto kept = streaming::KeepLatestPerKey(*batch_->schema, batch_->batches, keys, std::string(order_by));
  if (!kept.ok()) return WithError(kept.status());
  auto rows = std::make_shared<Rows>();
  rows->schema = batch_->schema;
  rows->batches = std::move(*kept);
  DataFrame out = *this;
  out.batch_ = std::move(rows);
  return out;
}

DataFrame DataFrame::alias(std::string_view name) const {
  DataFrame out = *this;
  out.alias_ = std::string(name);
  return out;
}

Result<int64_t> DataFrame::count() const {
  TRIB_RETURN_NOT_OK(status_);
  if (isStreaming()) {
    return Status::Invalid("count() needs the rows of a batch; on a stream, call it inside foreachBatch");
  }
  int64_t rows = 0;
  for (const columnar::RecordBatchPtr& batch : batch_->batches) rows += batch->num_rows();
  return rows;
}

Result<columnar::Schema> DataFrame::schema() const {
  TRIB_RETURN_NOT_OK(status_);
  if (!isStreaming()) return *batch_->schema;
  columnar::Schema input;
  if (EqualsIgnoreCase(source_.format, "kafka")) {
    TRIB_ASSIGN_OR_RETURN(streaming::kafka::KafkaOptions options, streaming::kafka::ParseKafkaOptions(source_));
    input = streaming::kafka::KafkaSourceSchema(options.include_headers);
  } else if (source_.user_schema) {
    input = *source_.user_schema;
  } else {
    return Status::Invalid("the schema of this {} stream is inferred when the query starts; give schema() to know "
                           "it before",
                           source_.format);
  }
  TRIB_ASSIGN_OR_RETURN(auto transformer, streaming::BatchTransformer::Make(transforms_, input));
  return transformer->output_schema();
}

Result<std::vector<columnar::RecordBatchPtr>> DataFrame::batches() const {
  TRIB_RETURN_NOT_OK(status_);
  if (isStreaming()) return Status::Invalid("a streaming DataFrame holds no rows; use foreachBatch");
  return batch_->batches;
}

Status DataFrame::toArrow(ArrowSchema* out_schema, ArrowArray* out_array) const {
  TRIB_ASSIGN_OR_RETURN(std::vector<columnar::RecordBatchPtr> held, batches());
  TRIB_ASSIGN_OR_RETURN(columnar::RecordBatchPtr all, columnar::ConcatenateBatches(batch_->schema, held));
  return columnar::ExportRecordBatch(*all, out_schema, out_array);
}

}  // namespace tributary
