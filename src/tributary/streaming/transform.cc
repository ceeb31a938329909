#include "tributary/streaming/transform.h"

#include <chrono>

#include "tributary/base/ascii.h"
#include "tributary/columnar/take.h"

namespace tributary::streaming {

struct BatchTransformer::BoundStep {
  TransformStep::Kind kind;
  std::optional<expr::Projection> projection;  // select, withColumn, drop
  std::optional<expr::Predicate> predicate;    // where
};

BatchTransformer::~BatchTransformer() = default;

namespace {

std::string_view StepName(TransformStep::Kind kind) {
  switch (kind) {
    case TransformStep::Kind::kSelect: return "select";
    case TransformStep::Kind::kWhere: return "where";
    case TransformStep::Kind::kWithColumn: return "withColumn";
    case TransformStep::Kind::kDrop: return "drop";
  }
  return "transform";
}

// withColumn(name, e) and drop(names) are selects over the input's columns: the
// column list with `name` replaced (or appended), or without the dropped names.
// Names match ignoring case, as Spark's default resolution does.
Result<std::vector<expr::ExprPtr>> ExpandToSelect(const TransformStep& step, const columnar::Schema& input) {
  std::vector<expr::ExprPtr> list;
  auto column_ref = [](const std::string& name) { return expr::Col("`" + name + "`"); };
  if (step.kind == TransformStep::Kind::kWithColumn) {
    if (step.names.size() != 1 || step.exprs.size() != 1) {
      return Status::Invalid("withColumn takes one column name and one expression");
    }
    bool replaced = false;
    for (const columnar::Field& field : input.fields()) {
      if (EqualsIgnoreCase(field.name, step.names[0])) {
        list.push_back(expr::Alias(step.exprs[0], step.names[0]));
        replaced = true;
      } else {
        list.push_back(column_ref(field.name));
      }
    }
    if (!replaced) list.push_back(expr::Alias(step.exprs[0], step.names[0]));
    return list;
  }
  // kDrop: names that are not columns are ignored, as Spark's drop does.
  for (const columnar::Field& field : input.fields()) {
    bool dropped = false;
    for (const std::string& name : step.names) dropped = dropped || EqualsIgnoreCase(field.name, name);
    if (!dropped) list.push_back(column_ref(field.name));
  }
  if (list.empty()) return Status::Invalid("drop would remove every column");
  return list;
}

}  // namespace

Result<std::unique_ptr<BatchTransformer>> BatchTransformer::Make(const std::vector<TransformStep>& steps,
                                                                 const columnar::Schema& input) {
  std::unique_ptr<BatchTransformer> transformer(new BatchTransformer());
  auto schema = std::make_shared<columnar::Schema>(input);
  for (size_t i = 0; i < steps.size(); ++i) {
    const TransformStep& step = steps[i];
    auto bound = std::make_unique<BoundStep>();
    bound->kind = step.kind;
    auto fail = [&](const Status& status) {
      return Status(status.code(), "transform step " + std::to_string(i + 1) + " (" + std::string(StepName(step.kind)) +
                                       "): " + status.message());
    };
    if (step.kind == TransformStep::Kind::kWhere) {
      if (step.exprs.size() != 1) return fail(Status::Invalid("where takes one condition"));
      auto predicate = expr::Predicate::Make(step.exprs[0], *schema);
      if (!predicate.ok()) return fail(predicate.status());
      bound->predicate = std::move(*predicate);
    } else {
      std::vector<expr::ExprPtr> list = step.exprs;
      if (step.kind != TransformStep::Kind::kSelect) {
        auto expanded = ExpandToSelect(step, *schema);
        if (!expanded.ok()) return fail(expanded.status());
        list = std::move(*expanded);
      }
      if (list.empty()) return fail(Status::Invalid("select needs at least one expression"));
      auto projection = expr::Projection::Make(list, *schema);
      if (!projection.ok()) return fail(projection.status());
      schema = std::make_shared<columnar::Schema>(*projection->output_schema());
      bound->projection = std::move(*projection);
    }
    transformer->steps_.push_back(std::move(bound));
  }
  transformer->output_schema_ = std::move(schema);
  return transformer;
}

Result<columnar::RecordBatchPtr> BatchTransformer::Apply(columnar::RecordBatchPtr batch,
                                                         expr::EvalContext* context) const {
  for (const auto& step : steps_) {
    if (step->predicate) {
      TRIB_ASSIGN_OR_RETURN(batch, step->predicate->Apply(*batch, context));
    } else {
      TRIB_ASSIGN_OR_RETURN(batch, step->projection->Apply(*batch, context));
    }
  }
  return batch;
}

namespace {

// Where the rows of `batch` came from, when the source says it (Kafka rows carry their
// topic, partition and offset): "records orders[1]@120 .. orders[2]@57", else "".
std::string DescribeInputRows(const columnar::RecordBatch& batch) {
  const columnar::Schema& schema = *batch.schema();
  std::optional<int> topic = schema.FieldIndex("topic");
  std::optional<int> partition = schema.FieldIndex("partition");
  std::optional<int> offset = schema.FieldIndex("offset");
  if (!topic || !partition || !offset || batch.num_rows() == 0) return "";
  using columnar::TypeId;
  if (schema.field(*topic).type->id() != TypeId::kString || schema.field(*partition).type->id() != TypeId::kInteger ||
      schema.field(*offset).type->id() != TypeId::kLong) {
    return "";  // columns of those names, but not Kafka's
  }
  auto at = [&](int64_t row) {
    return std::string(batch.column(*topic)->StringValue(row)) + "[" +
           std::to_string(batch.column(*partition)->Value<int32_t>(row)) + "]@" +
           std::to_string(batch.column(*offset)->Value<int64_t>(row));
  };
  return "records " + at(0) + " .. " + at(batch.num_rows() - 1) + " (row 0 is the first)";
}

}  // namespace

Status TransformingSource::GetBatch(const std::optional<std::string>& start, const std::string& end,
                                    int64_t batch_id, const format::BatchCallback& on_batch,
                                    SourceBatchStats* stats) {
  expr::EvalContext context;
  context.current_timestamp_micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count();
  return inner_->GetBatch(
      start, end, batch_id,
      [&](columnar::RecordBatchPtr batch) -> Status {
        Result<columnar::RecordBatchPtr> out = transformer_->Apply(batch, &context);
        if (!out.ok()) {
          std::string rows = DescribeInputRows(*batch);
          return out.status().WithContext("transforming batch " + std::to_string(batch_id) +
                                          (rows.empty() ? "" : ", " + rows));
        }
        if ((*out)->num_rows() == 0) return Status::OK();
        return on_batch(std::move(*out));
      },
      stats);
}

}  // namespace tributary::streaming
