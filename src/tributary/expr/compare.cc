#include <cstring>

#include "tributary/expr/expr_internal.h"

namespace tributary::expr::internal {

using columnar::GetBit;
using columnar::SetBit;

namespace {

enum class Cmp { kEq, kNe, kLt, kLe, kGt, kGe, kNullSafeEq };

ColumnPtr MakeBoolColumn(int64_t rows, BufferPtr values, BufferPtr validity, int64_t nulls) {
  return std::make_shared<Column>(DataType::Boolean(), rows, nulls, nulls ? std::move(validity) : nullptr,
                                  std::move(values), nullptr, std::vector<ColumnPtr>{});
}

template <Cmp kCmp>
inline bool Decide(int c) {
  if constexpr (kCmp == Cmp::kEq || kCmp == Cmp::kNullSafeEq) return c == 0;
  if constexpr (kCmp == Cmp::kNe) return c != 0;
  if constexpr (kCmp == Cmp::kLt) return c < 0;
  if constexpr (kCmp == Cmp::kLe) return c <= 0;
  if constexpr (kCmp == Cmp::kGt) return c > 0;
  return c >= 0;
}

template <Cmp kCmp, typename T>
void CompareFixed(const Value& a, const Value& b, int64_t rows, uint8_t* out) {
  const T* x = a.column->values()->data_as<T>();
  const T* y = b.column->values()->data_as<T>();
  const int64_t sx = a.scalar ? 0 : 1, sy = b.scalar ? 0 : 1;
  for (int64_t i = 0; i < rows; ++i) {
    T l = x[i * sx], r = y[i * sy];
    bool result;
    if constexpr (std::is_floating_point_v<T>) {
      int c = (l != l || r != r) ? ((l != l) == (r != r) ? 0 : (l != l ? 1 : -1)) : (l < r ? -1 : (r < l ? 1 : 0));
      result = Decide<kCmp>(c);
    } else {
      if constexpr (kCmp == Cmp::kEq || kCmp == Cmp::kNullSafeEq) result = l == r;
      if constexpr (kCmp == Cmp::kNe) result = l != r;
      if constexpr (kCmp == Cmp::kLt) result = l < r;
      if constexpr (kCmp == Cmp::kLe) result = l <= r;
      if constexpr (kCmp == Cmp::kGt) result = l > r;
      if constexpr (kCmp == Cmp::kGe) result = l >= r;
    }
    if (result) SetBit(out, i);
  }
}

template <Cmp kCmp>
void CompareColumns(const Value& a, const Value& b, int64_t rows, uint8_t* out) {
  switch (a.column->type()->id()) {
    case TypeId::kByte: return CompareFixed<kCmp, int8_t>(a, b, rows, out);
    case TypeId::kShort: return CompareFixed<kCmp, int16_t>(a, b, rows, out);
    case TypeId::kInteger:
    case TypeId::kDate: return CompareFixed<kCmp, int32_t>(a, b, rows, out);
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: return CompareFixed<kCmp, int64_t>(a, b, rows, out);
    case TypeId::kFloat: return CompareFixed<kCmp, float>(a, b, rows, out);
    case TypeId::kDouble: return CompareFixed<kCmp, double>(a, b, rows, out);
    case TypeId::kDecimal: return CompareFixed<kCmp, __int128>(a, b, rows, out);
    case TypeId::kString:
    case TypeId::kBinary:
      for (int64_t i = 0; i < rows; ++i) {
        if (a.IsNull(i) || b.IsNull(i)) continue;
        int c = a.column->StringValue(a.Row(i)).compare(b.column->StringValue(b.Row(i)));
        if (Decide<kCmp>(c)) SetBit(out, i);
      }
      return;
    default:
      for (int64_t i = 0; i < rows; ++i) {
        if (a.IsNull(i) || b.IsNull(i)) continue;
        if (Decide<kCmp>(CompareValues(*a.column, a.Row(i), *b.column, b.Row(i)))) SetBit(out, i);
      }
  }
}

Result<ColumnPtr> CompareKernel(Cmp cmp, const Value& a, const Value& b, int64_t rows) {
  auto values = NewBitmap(rows);
  uint8_t* out = values->data();
  switch (cmp) {
    case Cmp::kEq: CompareColumns<Cmp::kEq>(a, b, rows, out); break;
    case Cmp::kNe: CompareColumns<Cmp::kNe>(a, b, rows, out); break;
    case Cmp::kLt: CompareColumns<Cmp::kLt>(a, b, rows, out); break;
    case Cmp::kLe: CompareColumns<Cmp::kLe>(a, b, rows, out); break;
    case Cmp::kGt: CompareColumns<Cmp::kGt>(a, b, rows, out); break;
    case Cmp::kGe: CompareColumns<Cmp::kGe>(a, b, rows, out); break;
    case Cmp::kNullSafeEq: CompareColumns<Cmp::kNullSafeEq>(a, b, rows, out); break;
  }
  if (cmp == Cmp::kNullSafeEq) {
    if (a.column->null_count() || b.column->null_count()) {
      for (int64_t i = 0; i < rows; ++i) {
        bool na = a.IsNull(i), nb = b.IsNull(i);
        if (na || nb) {
          if (na && nb) {
            SetBit(out, i);
          } else {
            columnar::ClearBit(out, i);
          }
        }
      }
    }
    return MakeBoolColumn(rows, values, nullptr, 0);
  }
  int64_t nulls = 0;
  BufferPtr validity = AndValidity({&a, &b}, rows, &nulls);
  return MakeBoolColumn(rows, values, validity, nulls);
}

Status CheckBoolean(const NodePtr& node, const std::string& sql) {
  if (node->type()->id() == TypeId::kBoolean || node->is_null_literal()) return Status::OK();
  return Status::Invalid("[DATATYPE_MISMATCH] '{}' needs a boolean, but {} is {}", sql, node->sql(),
                         node->type()->SimpleString());
}

}  // namespace

Result<NodePtr> BindComparison(const std::string& op, NodePtr left, NodePtr right, std::string sql) {
  Cmp cmp = (op == "=" || op == "==")   ? Cmp::kEq
            : (op == "<>" || op == "!=") ? Cmp::kNe
            : op == "<"                  ? Cmp::kLt
            : op == "<="                 ? Cmp::kLe
            : op == ">"                  ? Cmp::kGt
            : op == ">="                 ? Cmp::kGe
            : op == "<=>"                ? Cmp::kNullSafeEq
                                         : Cmp::kEq;
  if (cmp == Cmp::kEq && op != "=" && op != "==") return Status::Invalid("unknown operator '{}' in '{}'", op, sql);
  TRIB_ASSIGN_OR_RETURN(DataTypePtr type, CommonType({left, right}, sql));
  if (type->id() == TypeId::kMap) {
    return Status::Invalid("[DATATYPE_MISMATCH] '{}': map values cannot be compared", sql);
  }
  TRIB_ASSIGN_OR_RETURN(left, CoerceTo(left, type));
  TRIB_ASSIGN_OR_RETURN(right, CoerceTo(right, type));
  bool nullable = cmp != Cmp::kNullSafeEq && (left->nullable() || right->nullable());
  Kernel kernel = [cmp](const std::vector<Value>& args, int64_t rows, EvalContext*) {
    return CompareKernel(cmp, args[0], args[1], rows);
  };
  return MakeCallNode(std::move(sql), DataType::Boolean(), nullable, {left, right}, std::move(kernel));
}

Result<NodePtr> BindLogic(const std::string& op, NodePtr left, NodePtr right, std::string sql) {
  TRIB_RETURN_NOT_OK(CheckBoolean(left, sql));
  TRIB_RETURN_NOT_OK(CheckBoolean(right, sql));
  TRIB_ASSIGN_OR_RETURN(left, CoerceTo(left, DataType::Boolean()));
  TRIB_ASSIGN_OR_RETURN(right, CoerceTo(right, DataType::Boolean()));
  const bool is_and = op == "AND";
  Kernel kernel = [is_and](const std::vector<Value>& args, int64_t rows, EvalContext*) -> Result<ColumnPtr> {
    const Value& a = args[0];
    const Value& b = args[1];
    auto values = NewBitmap(rows);
    uint8_t* out = values->data();
    BufferPtr validity;
    int64_t nulls = 0;
    const bool any_null = a.column->null_count() || b.column->null_count();
    if (!any_null && !a.scalar && !b.scalar) {
      const uint8_t* x = a.column->values()->data();
      const uint8_t* y = b.column->values()->data();
      for (size_t i = 0; i < values->size(); ++i) out[i] = is_and ? (x[i] & y[i]) : (x[i] | y[i]);
    } else {
      if (any_null) validity = NewBitmap(rows);
      for (int64_t i = 0; i < rows; ++i) {
        bool na = a.IsNull(i), nb = b.IsNull(i);
        bool va = !na && a.column->BoolValue(a.Row(i));
        bool vb = !nb && b.column->BoolValue(b.Row(i));
        // Three-valued logic: false AND null is false, true OR null is true.
        bool known, result;
        if (is_and) {
          known = (!na && !va) || (!nb && !vb) || (!na && !nb);
          result = va && vb;
        } else {
          known = (!na && va) || (!nb && vb) || (!na && !nb);
          result = va || vb;
        }
        if (!known) {
          ++nulls;
          continue;
        }
        if (validity) SetBit(validity->data(), i);
        if (result) SetBit(out, i);
      }
    }
    return MakeBoolColumn(rows, values, validity, nulls);
  };
  bool nullable = left->nullable() || right->nullable();
  return MakeCallNode(std::move(sql), DataType::Boolean(), nullable, {left, right}, std::move(kernel));
}

Result<NodePtr> BindNot(NodePtr child, std::string sql) {
  TRIB_RETURN_NOT_OK(CheckBoolean(child, sql));
  TRIB_ASSIGN_OR_RETURN(child, CoerceTo(child, DataType::Boolean()));
  Kernel kernel = [](const std::vector<Value>& args, int64_t rows, EvalContext*) -> Result<ColumnPtr> {
    const Column& c = *args[0].column;
    auto values = NewBitmap(rows);
    const uint8_t* in = c.values()->data();
    for (size_t i = 0; i < values->size(); ++i) values->data()[i] = static_cast<uint8_t>(~in[i]);
    return MakeBoolColumn(rows, values, c.validity(), c.null_count());
  };
  bool nullable = child->nullable();
  return MakeCallNode(std::move(sql), DataType::Boolean(), nullable, {child}, std::move(kernel));
}

}  // namespace tributary::expr::internal
