#include <cmath>
#include <type_traits>

#include "tributary/columnar/decimal.h"
#include "tributary/expr/expr_internal.h"

namespace tributary::expr::internal {

namespace {

enum class Op { kAdd, kSubtract, kMultiply, kDivide, kRemainder, kIntDivide };

constexpr __int128 Pow10(int n) {
  __int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

const __int128 kMaxDecimal = Pow10(38) - 1;

/// Rounds value / 10^drop half away from zero (Spark's HALF_UP).
__int128 DropDigits(__int128 value, int drop) {
  if (drop <= 0) return value;
  __int128 d = Pow10(drop);
  __int128 q = value / d;
  __int128 r = value % d;
  if (r < 0) r = -r;
  if (r * 2 >= d) q += value < 0 ? -1 : 1;
  return q;
}

bool Rescale(__int128 value, int from_scale, int to_scale, __int128* out) {
  if (to_scale >= from_scale) {
    return !__builtin_mul_overflow(value, Pow10(to_scale - from_scale), out);
  }
  *out = DropDigits(value, from_scale - to_scale);
  return true;
}

std::string RowDetail(const Value& a, const Value& b, int64_t row) {
  return "left = " + DescribeValue(*a.column, a.Row(row)) + ", right = " + DescribeValue(*b.column, b.Row(row));
}

template <typename T, Op kOp>
Result<ColumnPtr> FixedKernel(const Value& a, const Value& b, int64_t rows, const DataTypePtr& type,
                              const std::string& sql) {
  int64_t nulls = 0;
  BufferPtr validity = AndValidity({&a, &b}, rows, &nulls);
  auto values = std::make_shared<columnar::Buffer>(static_cast<size_t>(rows) * sizeof(T));
  T* out = values->mutable_data_as<T>();
  const T* x = a.column->values()->data_as<T>();
  const T* y = b.column->values()->data_as<T>();
  const int64_t sx = a.scalar ? 0 : 1, sy = b.scalar ? 0 : 1;
  const uint8_t* valid = validity ? validity->data() : nullptr;
  for (int64_t i = 0; i < rows; ++i) {
    if (valid && !columnar::GetBit(valid, i)) continue;
    T l = x[i * sx], r = y[i * sy];
    bool ok = true;
    if constexpr (std::is_floating_point_v<T>) {
      if constexpr (kOp == Op::kAdd) out[i] = l + r;
      if constexpr (kOp == Op::kSubtract) out[i] = l - r;
      if constexpr (kOp == Op::kMultiply) out[i] = l * r;
      if constexpr (kOp == Op::kDivide || kOp == Op::kRemainder) {
        if (r == 0) {
          return Status::Invalid("[DIVIDE_BY_ZERO] division by zero in '{}' at row {} ({}); use try_divide to get NULL",
                                 sql, i, RowDetail(a, b, i));
        }
        out[i] = kOp == Op::kDivide ? l / r : std::fmod(l, r);
      }
    } else {
      if constexpr (kOp == Op::kAdd) ok = !__builtin_add_overflow(l, r, &out[i]);
      if constexpr (kOp == Op::kSubtract) ok = !__builtin_sub_overflow(l, r, &out[i]);
      if constexpr (kOp == Op::kMultiply) ok = !__builtin_mul_overflow(l, r, &out[i]);
      if constexpr (kOp == Op::kRemainder || kOp == Op::kIntDivide) {
        if (r == 0) {
          return Status::Invalid("[DIVIDE_BY_ZERO] division by zero in '{}' at row {} ({})", sql, i,
                                 RowDetail(a, b, i));
        }
        if (r == -1) {
          out[i] = kOp == Op::kRemainder ? 0 : static_cast<T>(-l);
          ok = kOp == Op::kRemainder || l != std::numeric_limits<T>::min();
        } else {
          out[i] = kOp == Op::kRemainder ? static_cast<T>(l % r) : static_cast<T>(l / r);
        }
      }
    }
    if (!ok) {
      return Status::Invalid("[ARITHMETIC_OVERFLOW] {} overflow in '{}' at row {} ({})", type->SimpleString(), sql, i,
                             RowDetail(a, b, i));
    }
  }
  return ColumnPtr(std::make_shared<Column>(type, rows, nulls, validity, values, nullptr, std::vector<ColumnPtr>{}));
}

template <typename T>
Result<ColumnPtr> DispatchOp(Op op, const Value& a, const Value& b, int64_t rows, const DataTypePtr& type,
                             const std::string& sql) {
  switch (op) {
    case Op::kAdd: return FixedKernel<T, Op::kAdd>(a, b, rows, type, sql);
    case Op::kSubtract: return FixedKernel<T, Op::kSubtract>(a, b, rows, type, sql);
    case Op::kMultiply: return FixedKernel<T, Op::kMultiply>(a, b, rows, type, sql);
    case Op::kDivide: return FixedKernel<T, Op::kDivide>(a, b, rows, type, sql);
    case Op::kRemainder: return FixedKernel<T, Op::kRemainder>(a, b, rows, type, sql);
    case Op::kIntDivide: return FixedKernel<T, Op::kIntDivide>(a, b, rows, type, sql);
  }
  return Status::Internal("bad op");
}

Result<ColumnPtr> DecimalKernel(Op op, const Value& a, const Value& b, int64_t rows, const DataTypePtr& type,
                                const std::string& sql) {
  int64_t nulls = 0;
  BufferPtr validity = AndValidity({&a, &b}, rows, &nulls);
  auto values = std::make_shared<columnar::Buffer>(static_cast<size_t>(rows) * 16);
  __int128* out = values->mutable_data_as<__int128>();
  const int s1 = a.column->type()->scale(), s2 = b.column->type()->scale(), s = type->scale();
  const uint8_t* valid = validity ? validity->data() : nullptr;
  for (int64_t i = 0; i < rows; ++i) {
    if (valid && !columnar::GetBit(valid, i)) continue;
    __int128 l = a.column->Value<__int128>(a.Row(i)), r = b.column->Value<__int128>(b.Row(i));
    __int128 result = 0;
    bool ok = true;
    switch (op) {
      case Op::kAdd:
      case Op::kSubtract:
      case Op::kRemainder: {
        int common = std::max(s1, s2);
        __int128 x, y;
        ok = Rescale(l, s1, common, &x) && Rescale(r, s2, common, &y);
        if (!ok) break;
        if (op == Op::kRemainder) {
          if (y == 0) {
            return Status::Invalid("[DIVIDE_BY_ZERO] division by zero in '{}' at row {} ({})", sql, i,
                                   RowDetail(a, b, i));
          }
          result = x % y;
        } else {
          result = op == Op::kAdd ? x + y : x - y;
        }
        ok = Rescale(result, common, s, &result);
        break;
      }
      case Op::kMultiply:
        ok = !__builtin_mul_overflow(l, r, &result) && Rescale(result, s1 + s2, s, &result);
        break;
      case Op::kDivide: {
        if (r == 0) {
          return Status::Invalid("[DIVIDE_BY_ZERO] division by zero in '{}' at row {} ({}); use try_divide to get NULL",
                                 sql, i, RowDetail(a, b, i));
        }
        // l/10^s1 / (r/10^s2) at scale s, with one guard digit for rounding.
        __int128 num;
        ok = Rescale(l, 0, s - s1 + s2 + 1, &num);
        if (!ok) break;
        result = DropDigits(num / r, 1);
        break;
      }
      case Op::kIntDivide:
        ok = false;
        break;
    }
    if (!ok || result > kMaxDecimal || result < -kMaxDecimal) {
      return Status::Invalid("[NUMERIC_VALUE_OUT_OF_RANGE] {} cannot hold the result of '{}' at row {} ({})",
                             type->SimpleString(), sql, i, RowDetail(a, b, i));
    }
    out[i] = result;
  }
  return ColumnPtr(std::make_shared<Column>(type, rows, nulls, validity, values, nullptr, std::vector<ColumnPtr>{}));
}

Result<ColumnPtr> Arithmetic(Op op, const Value& a, const Value& b, int64_t rows, const DataTypePtr& type,
                             const std::string& sql) {
  switch (type->id()) {
    case TypeId::kByte: return DispatchOp<int8_t>(op, a, b, rows, type, sql);
    case TypeId::kShort: return DispatchOp<int16_t>(op, a, b, rows, type, sql);
    case TypeId::kInteger: return DispatchOp<int32_t>(op, a, b, rows, type, sql);
    case TypeId::kLong: return DispatchOp<int64_t>(op, a, b, rows, type, sql);
    case TypeId::kFloat: return DispatchOp<float>(op, a, b, rows, type, sql);
    case TypeId::kDouble: return DispatchOp<double>(op, a, b, rows, type, sql);
    case TypeId::kDecimal: return DecimalKernel(op, a, b, rows, type, sql);
    default: return Status::Internal("arithmetic on {}", type->SimpleString());
  }
}

}  // namespace

Result<NodePtr> BindArithmetic(const std::string& op_text, NodePtr left, NodePtr right, std::string sql) {
  Op op = op_text == "+" ? Op::kAdd
          : op_text == "-" ? Op::kSubtract
          : op_text == "*" ? Op::kMultiply
          : op_text == "/" ? Op::kDivide
          : op_text == "%" ? Op::kRemainder
                           : Op::kIntDivide;
  if (left->is_null_literal() && right->is_null_literal()) {
    return MakeLiteralNode(Column::MakeNull(DataType::Double(), 1), false, sql);
  }
  // Date arithmetic: date +/- days.
  if ((op == Op::kAdd || op == Op::kSubtract) && left->type()->id() == TypeId::kDate &&
      right->type()->is_integral()) {
    std::vector<NodePtr> args{left, right};
    if (op == Op::kSubtract) {
      TRIB_ASSIGN_OR_RETURN(args[1], BindNegate(right, "(- " + right->sql() + ")"));
    }
    return BindFunction("date_add", std::move(args), sql);
  }
  if (left->is_null_literal()) {
    TRIB_ASSIGN_OR_RETURN(left, CoerceTo(left, right->type()));
  }
  if (right->is_null_literal()) {
    TRIB_ASSIGN_OR_RETURN(right, CoerceTo(right, left->type()));
  }
  for (NodePtr* side : {&left, &right}) {
    if ((*side)->type()->id() == TypeId::kString) {
      TRIB_ASSIGN_OR_RETURN(*side, CoerceTo(*side, DataType::Double()));
    }
    if (!(*side)->type()->is_numeric()) {
      return Status::Invalid("[DATATYPE_MISMATCH] '{}' needs numeric operands, but {} is {}", sql, (*side)->sql(),
                             (*side)->type()->SimpleString());
    }
  }
  const DataType& lt = *left->type();
  const DataType& rt = *right->type();
  DataTypePtr type;
  bool decimal = (lt.id() == TypeId::kDecimal || rt.id() == TypeId::kDecimal) &&
                 (lt.id() != TypeId::kFloat && lt.id() != TypeId::kDouble && rt.id() != TypeId::kFloat &&
                  rt.id() != TypeId::kDouble);
  if (op == Op::kIntDivide) {
    if (!lt.is_integral() || !rt.is_integral()) {
      return Status::Invalid("[DATATYPE_MISMATCH] '{}' needs integral operands", sql);
    }
    type = DataType::Long();
  } else if (decimal) {
    DataTypePtr d1 = lt.id() == TypeId::kDecimal ? left->type() : DecimalOfIntegral(lt);
    DataTypePtr d2 = rt.id() == TypeId::kDecimal ? right->type() : DecimalOfIntegral(rt);
    int p1 = d1->precision(), s1 = d1->scale(), p2 = d2->precision(), s2 = d2->scale();
    switch (op) {
      case Op::kAdd:
      case Op::kSubtract: {
        int scale = std::max(s1, s2);
        type = BoundedDecimal(std::max(p1 - s1, p2 - s2) + scale + 1, scale);
        break;
      }
      case Op::kMultiply:
        type = BoundedDecimal(p1 + p2 + 1, s1 + s2);
        break;
      case Op::kDivide: {
        int scale = std::max(6, s1 + p2 + 1);
        type = BoundedDecimal(p1 - s1 + s2 + scale, scale);
        break;
      }
      default: {
        int scale = std::max(s1, s2);
        type = BoundedDecimal(std::min(p1 - s1, p2 - s2) + scale, scale);
      }
    }
    TRIB_ASSIGN_OR_RETURN(left, CoerceTo(left, d1));
    TRIB_ASSIGN_OR_RETURN(right, CoerceTo(right, d2));
  } else if (op == Op::kDivide) {
    type = DataType::Double();
  } else {
    TRIB_ASSIGN_OR_RETURN(type, CommonType({left, right}, sql));
  }
  if (!decimal) {
    DataTypePtr operand_type = op == Op::kIntDivide ? DataType::Long() : type;
    TRIB_ASSIGN_OR_RETURN(left, CoerceTo(left, operand_type));
    TRIB_ASSIGN_OR_RETURN(right, CoerceTo(right, operand_type));
  }
  bool nullable = left->nullable() || right->nullable();
  Kernel kernel = [op, type, sql](const std::vector<Value>& args, int64_t rows, EvalContext*) {
    return Arithmetic(op, args[0], args[1], rows, type, sql);
  };
  return MakeCallNode(sql, type, nullable, {left, right}, std::move(kernel));
}

Result<NodePtr> BindNegate(NodePtr child, std::string sql) {
  if (child->type()->id() == TypeId::kString) {
    TRIB_ASSIGN_OR_RETURN(child, CoerceTo(child, DataType::Double()));
  }
  if (!child->type()->is_numeric()) {
    return Status::Invalid("[DATATYPE_MISMATCH] '{}' needs a numeric operand, but {} is {}", sql, child->sql(),
                           child->type()->SimpleString());
  }
  DataTypePtr type = child->type();
  ColumnBuilder zero_builder(type);
  if (type->id() == TypeId::kDecimal) {
    zero_builder.AppendDecimal(0);
  } else if (type->id() == TypeId::kFloat || type->id() == TypeId::kDouble) {
    zero_builder.AppendDouble(0);
  } else {
    zero_builder.AppendInt(0);
  }
  NodePtr zero = MakeLiteralNode(zero_builder.Finish(), false, "0");
  Kernel kernel = [type, sql](const std::vector<Value>& args, int64_t rows, EvalContext*) {
    return Arithmetic(Op::kSubtract, args[0], args[1], rows, type, sql);
  };
  bool nullable = child->nullable();
  return MakeCallNode(sql, type, nullable, {zero, child}, std::move(kernel));
}

}  // namespace tributary::expr::internal
