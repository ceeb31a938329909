#include <cstring>

#include "tributary/columnar/row_key.h"
#include "tributary/columnar/take.h"
#include "tributary/expr/expr_internal.h"

namespace tributary::expr::internal {

using columnar::GetBit;
using columnar::SetBit;

Result<ColumnPtr> Node::Evaluate(const RecordBatch& batch, EvalContext* context) const {
  TRIB_ASSIGN_OR_RETURN(Value value, Eval(batch, context));
  return Broadcast(value, batch.num_rows());
}

namespace {

class LiteralNode final : public Node {
 public:
  LiteralNode(ColumnPtr value, bool null_literal, std::string sql)
      : Node(value->type(), value->IsNull(0), std::move(sql)), value_(std::move(value)), null_literal_(null_literal) {}
  bool is_null_literal() const override { return null_literal_; }
  const Column* constant() const override { return value_.get(); }
  Result<Value> Eval(const RecordBatch&, EvalContext*) const override { return Value{value_, true}; }

 private:
  ColumnPtr value_;
  bool null_literal_;
};

class CallNode final : public Node {
 public:
  CallNode(std::string sql, DataTypePtr type, bool nullable, std::vector<NodePtr> args, Kernel kernel,
           bool deterministic)
      : Node(std::move(type), nullable, std::move(sql)),
        args_(std::move(args)),
        kernel_(std::move(kernel)),
        deterministic_(deterministic) {}

  Result<Value> Eval(const RecordBatch& batch, EvalContext* context) const override {
    std::vector<Value> values;
    values.reserve(args_.size());
    bool all_scalar = deterministic_;
    for (const NodePtr& arg : args_) {
      TRIB_ASSIGN_OR_RETURN(Value v, arg->Eval(batch, context));
      all_scalar = all_scalar && v.scalar;
      values.push_back(std::move(v));
    }
    int64_t rows = all_scalar ? 1 : batch.num_rows();
    TRIB_ASSIGN_OR_RETURN(ColumnPtr out, kernel_(values, rows, context));
    return Value{std::move(out), all_scalar};
  }

 private:
  std::vector<NodePtr> args_;
  Kernel kernel_;
  bool deterministic_;
};

}  // namespace

NodePtr MakeLiteralNode(ColumnPtr value, bool null_literal, std::string sql) {
  return std::make_shared<LiteralNode>(std::move(value), null_literal, std::move(sql));
}

NodePtr MakeCallNode(std::string sql, DataTypePtr type, bool nullable, std::vector<NodePtr> args, Kernel kernel,
                     bool deterministic) {
  return std::make_shared<CallNode>(std::move(sql), std::move(type), nullable, std::move(args), std::move(kernel),
                                    deterministic);
}

ColumnPtr Broadcast(const Value& value, int64_t rows) {
  if (!value.scalar) return value.column;
  if (rows == 1) return value.column;
  const Column& c = *value.column;
  if (c.IsNull(0)) return Column::MakeNull(c.type(), rows);
  std::vector<int64_t> zeros(static_cast<size_t>(rows), 0);
  return *columnar::Take(c, zeros);
}

BufferPtr NewBitmap(int64_t rows) { return std::make_shared<columnar::Buffer>(static_cast<size_t>((rows + 7) / 8)); }

ColumnPtr WithValidity(const ColumnPtr& column, const BufferPtr& extra) {
  if (!extra) return column;
  const int64_t n = column->length();
  BufferPtr bits = NewBitmap(n);
  int64_t nulls = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (GetBit(extra->data(), i) && column->IsValid(i)) {
      SetBit(bits->data(), i);
    } else {
      ++nulls;
    }
  }
  return std::make_shared<Column>(column->type(), n, nulls, nulls ? bits : nullptr, column->values(), column->data(),
                                  column->children());
}

BufferPtr AndValidity(const std::vector<const Value*>& operands, int64_t rows, int64_t* null_count) {
  *null_count = 0;
  bool any = false;
  for (const Value* v : operands) any = any || v->column->null_count() > 0;
  if (!any) return nullptr;
  BufferPtr bits = NewBitmap(rows);
  uint8_t* out = bits->data();
  std::memset(out, 0xff, bits->size());
  for (const Value* v : operands) {
    if (v->column->null_count() == 0) continue;
    if (v->scalar) {
      std::memset(out, 0, bits->size());
      break;
    }
    const uint8_t* in = v->column->validity()->data();
    for (size_t b = 0; b < bits->size(); ++b) out[b] &= in[b];
  }
  // Clear the padding bits past the last row so counting stays exact.
  for (int64_t i = rows; i < static_cast<int64_t>(bits->size()) * 8; ++i) columnar::ClearBit(out, i);
  int64_t valid = 0;
  for (size_t b = 0; b < bits->size(); ++b) valid += __builtin_popcount(out[b]);
  *null_count = rows - valid;
  return *null_count ? bits : nullptr;
}

ColumnPtr Choose(const DataTypePtr& type, const std::vector<Value>& args, const std::vector<int32_t>& choice,
                 int64_t rows) {
  std::vector<ColumnPtr> parts;
  std::vector<int64_t> base;
  int64_t total = 0;
  for (const Value& v : args) {
    base.push_back(total);
    // Arguments of another type (CASE conditions) are never chosen.
    if (!v.column->type()->EqualsIgnoringNullability(*type)) continue;
    parts.push_back(v.column);
    total += v.column->length();
  }
  const int64_t null_row = total;
  parts.push_back(Column::MakeNull(type, 1));
  ColumnPtr all = *columnar::Concatenate(parts);
  std::vector<int64_t> take(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i) {
    int32_t c = choice[static_cast<size_t>(i)];
    take[static_cast<size_t>(i)] = c < 0 ? null_row : base[static_cast<size_t>(c)] + args[static_cast<size_t>(c)].Row(i);
  }
  return *columnar::Take(*all, take);
}

int CompareValues(const Column& a, int64_t i, const Column& b, int64_t j) {
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (a.type()->id()) {
    case TypeId::kBoolean:
      return cmp(a.BoolValue(i), b.BoolValue(j));
    case TypeId::kByte:
      return cmp(a.Value<int8_t>(i), b.Value<int8_t>(j));
    case TypeId::kShort:
      return cmp(a.Value<int16_t>(i), b.Value<int16_t>(j));
    case TypeId::kInteger:
    case TypeId::kDate:
      return cmp(a.Value<int32_t>(i), b.Value<int32_t>(j));
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return cmp(a.Value<int64_t>(i), b.Value<int64_t>(j));
    case TypeId::kFloat:
    case TypeId::kDouble: {
      // Spark orders NaN above every number and equal to itself.
      double x = a.type()->id() == TypeId::kFloat ? a.Value<float>(i) : a.Value<double>(i);
      double y = a.type()->id() == TypeId::kFloat ? b.Value<float>(j) : b.Value<double>(j);
      bool xn = x != x, yn = y != y;
      if (xn || yn) return xn == yn ? 0 : (xn ? 1 : -1);
      return cmp(x, y);
    }
    case TypeId::kDecimal:
      return cmp(a.Value<__int128>(i), b.Value<__int128>(j));
    case TypeId::kString:
    case TypeId::kBinary: {
      int c = a.StringValue(i).compare(b.StringValue(j));
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    default: {
      std::string x, y;
      columnar::AppendRowKey(a, i, &x);
      columnar::AppendRowKey(b, j, &y);
      int c = x.compare(y);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
  }
}

std::string DescribeValue(const Column& column, int64_t row) {
  if (column.IsNull(row)) return "NULL";
  std::string text = columnar::ValueToString(column, row);
  if (column.type()->id() == TypeId::kString) return "'" + text + "'";
  return text;
}

bool IsUnknownFunction(const Status& status) {
  return status.code() == StatusCode::kNotFound;
}

Status UnknownFunction(const std::string& name) { return Status::NotFound("unknown function {}", name); }

}  // namespace tributary::expr::internal
