#include <cmath>
#include <cstring>

#include "tributary/columnar/row_key.h"
#include "tributary/columnar/take.h"
#include "tributary/expr/expr_internal.h"

namespace tributary::expr::internal {

namespace {

Status ArgCount(const std::string& name, const std::vector<NodePtr>& args, size_t min, size_t max,
                const std::string& sql) {
  if (args.size() >= min && args.size() <= max) return Status::OK();
  std::string expected = min == max ? std::to_string(min) : fmt::format("{} to {}", min, max);
  if (max > 100) expected = fmt::format("at least {}", min);
  return Status::Invalid("[WRONG_NUM_ARGS] {} takes {} arguments, not {}, in '{}'", name, expected, args.size(), sql);
}

bool AnyNullable(const std::vector<NodePtr>& args) {
  for (const NodePtr& a : args) {
    if (a->nullable()) return true;
  }
  return false;
}

Result<NodePtr> CoerceAll(std::vector<NodePtr>& args, size_t from, size_t step, const std::string& sql,
                          DataTypePtr* type) {
  std::vector<NodePtr> picked;
  for (size_t i = from; i < args.size(); i += step) picked.push_back(args[i]);
  TRIB_ASSIGN_OR_RETURN(*type, CommonType(picked, sql));
  for (size_t i = from; i < args.size(); i += step) {
    TRIB_ASSIGN_OR_RETURN(args[i], CoerceTo(args[i], *type));
  }
  return NodePtr();
}

Result<NodePtr> BindIsNull(bool negated, std::vector<NodePtr>& args, const std::string& sql) {
  Kernel kernel = [negated](const std::vector<Value>& values, int64_t rows, EvalContext*) -> Result<ColumnPtr> {
    auto bits = NewBitmap(rows);
    for (int64_t i = 0; i < rows; ++i) {
      if (values[0].IsNull(i) != negated) columnar::SetBit(bits->data(), i);
    }
    return ColumnPtr(std::make_shared<Column>(DataType::Boolean(), rows, 0, nullptr, bits, nullptr,
                                              std::vector<ColumnPtr>{}));
  };
  return MakeCallNode(sql, DataType::Boolean(), false, args, std::move(kernel));
}

/// CASE: args are cond, value, ..., [else].
Result<NodePtr> BindCase(std::vector<NodePtr>& args, const std::string& sql) {
  const bool has_else = args.size() % 2 == 1;
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    if (args[i]->type()->id() != TypeId::kBoolean && !args[i]->is_null_literal()) {
      return Status::Invalid("[DATATYPE_MISMATCH] WHEN condition {} in '{}' is {}, not boolean", args[i]->sql(), sql,
                             args[i]->type()->SimpleString());
    }
    TRIB_ASSIGN_OR_RETURN(args[i], CoerceTo(args[i], DataType::Boolean()));
  }
  std::vector<NodePtr> values;
  for (size_t i = 1; i < args.size(); i += 2) values.push_back(args[i]);
  if (has_else) values.push_back(args.back());
  TRIB_ASSIGN_OR_RETURN(DataTypePtr type, CommonType(values, sql));
  for (size_t i = 1; i < args.size(); i += 2) {
    TRIB_ASSIGN_OR_RETURN(args[i], CoerceTo(args[i], type));
  }
  if (has_else) {
    TRIB_ASSIGN_OR_RETURN(args.back(), CoerceTo(args.back(), type));
  }
  bool nullable = !has_else || AnyNullable(values);
  Kernel kernel = [type, has_else](const std::vector<Value>& v, int64_t rows, EvalContext*) -> Result<ColumnPtr> {
    std::vector<int32_t> choice(static_cast<size_t>(rows), -1);
    const size_t pairs = v.size() / 2;
    for (int64_t i = 0; i < rows; ++i) {
      int32_t pick = has_else ? static_cast<int32_t>(v.size() - 1) : -1;
      for (size_t p = 0; p < pairs; ++p) {
        const Value& cond = v[2 * p];
        if (!cond.IsNull(i) && cond.column->BoolValue(cond.Row(i))) {
          pick = static_cast<int32_t>(2 * p + 1);
          break;
        }
      }
      choice[static_cast<size_t>(i)] = pick;
    }
    return Choose(type, v, choice, rows);
  };
  return MakeCallNode(sql, type, nullable, args, std::move(kernel));
}

Result<NodePtr> BindCoalesce(std::vector<NodePtr>& args, const std::string& sql) {
  DataTypePtr type;
  TRIB_RETURN_NOT_OK(CoerceAll(args, 0, 1, sql, &type).status());
  bool nullable = true;
  for (const NodePtr& a : args) nullable = nullable && a->nullable();
  Kernel kernel = [type](const std::vector<Value>& v, int64_t rows, EvalContext*) -> Result<ColumnPtr> {
    std::vector<int32_t> choice(static_cast<size_t>(rows), -1);
    for (int64_t i = 0; i < rows; ++i) {
      for (size_t a = 0; a < v.size(); ++a) {
        if (!v[a].IsNull(i)) {
          choice[static_cast<size_t>(i)] = static_cast<int32_t>(a);
          break;
        }
      }
    }
    return Choose(type, v, choice, rows);
  };
  return MakeCallNode(sql, type, nullable, args, std::move(kernel));
}

Result<NodePtr> BindGreatestLeast(bool greatest, std::vector<NodePtr>& args, const std::string& sql) {
  DataTypePtr type;
  TRIB_RETURN_NOT_OK(CoerceAll(args, 0, 1, sql, &type).status());
  if (type->is_nested() && type->id() != TypeId::kStruct) {
    return Status::Invalid("[DATATYPE_MISMATCH] {} does not order values of type {} in '{}'",
                           greatest ? "greatest" : "least", type->SimpleString(), sql);
  }
  bool nullable = true;
  for (const NodePtr& a : args) nullable = nullable && a->nullable();
  Kernel kernel = [type, greatest](const std::vector<Value>& v, int64_t rows, EvalContext*) -> Result<ColumnPtr> {
    std::vector<int32_t> choice(static_cast<size_t>(rows), -1);
    for (int64_t i = 0; i < rows; ++i) {
      int32_t best = -1;
      for (size_t a = 0; a < v.size(); ++a) {
        if (v[a].IsNull(i)) continue;
        if (best < 0) {
          best = static_cast<int32_t>(a);
          continue;
        }
        const Value& b = v[static_cast<size_t>(best)];
        int c = CompareValues(*v[a].column, v[a].Row(i), *b.column, b.Row(i));
        if (greatest ? c > 0 : c < 0) best = static_cast<int32_t>(a);
      }
      choice[static_cast<size_t>(i)] = best;
    }
    return Choose(type, v, choice, rows);
  };
  return MakeCallNode(sql, type, nullable, args, std::move(kernel));
}

/// Per-row numeric function over doubles, keeping the output type.
template <typename F>
Result<NodePtr> BindMath(std::vector<NodePtr>& args, const std::string& sql, DataTypePtr out_type, F f) {
  Kernel kernel = [out_type, f](const std::vector<Value>& v, int64_t rows, EvalContext*) -> Result<ColumnPtr> {
    ColumnBuilder out(out_type);
    for (int64_t i = 0; i < rows; ++i) {
      bool any_null = false;
      for (const Value& a : v) any_null = any_null || a.IsNull(i);
      if (any_null) {
        out.AppendNull();
        continue;
      }
      TRIB_RETURN_NOT_OK(f(v, i, &out));
    }
    return out.Finish();
  };
  return MakeCallNode(sql, out_type, AnyNullable(args), args, std::move(kernel));
}

__int128 Pow10(int n) {
  __int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

double AsDouble(const Column& c, int64_t row) {
  switch (c.type()->id()) {
    case TypeId::kByte: return c.Value<int8_t>(row);
    case TypeId::kShort: return c.Value<int16_t>(row);
    case TypeId::kInteger: return c.Value<int32_t>(row);
    case TypeId::kLong: return static_cast<double>(c.Value<int64_t>(row));
    case TypeId::kFloat: return c.Value<float>(row);
    case TypeId::kDouble: return c.Value<double>(row);
    case TypeId::kDecimal:
      return static_cast<double>(static_cast<long double>(c.Value<__int128>(row)) /
                                 static_cast<long double>(Pow10(c.type()->scale())));
    default: return 0;
  }
}

int64_t AsInt(const Column& c, int64_t row) {
  switch (c.type()->id()) {
    case TypeId::kByte: return c.Value<int8_t>(row);
    case TypeId::kShort: return c.Value<int16_t>(row);
    case TypeId::kInteger:
    case TypeId::kDate: return c.Value<int32_t>(row);
    default: return c.Value<int64_t>(row);
  }
}

Status NeedNumeric(const NodePtr& arg, const std::string& sql) {
  if (arg->type()->is_numeric() || arg->is_null_literal()) return Status::OK();
  return Status::Invalid("[DATATYPE_MISMATCH] '{}' needs a numeric argument, but {} is {}", sql, arg->sql(),
                         arg->type()->SimpleString());
}

/// round/bround to `digits` decimals, HALF_UP (round) as Spark does.
Result<NodePtr> BindRound(std::vector<NodePtr>& args, const std::string& sql) {
  TRIB_RETURN_NOT_OK(NeedNumeric(args[0], sql));
  int digits = 0;
  if (args.size() == 2) {
    const Column* d = args[1]->constant();
    if (!d || !args[1]->type()->is_integral() || d->IsNull(0)) {
      return Status::Invalid("round's scale must be an integer literal in '{}'", sql);
    }
    digits = static_cast<int>(AsInt(*d, 0));
  }
  DataTypePtr type = args[0]->type();
  if (type->id() == TypeId::kDecimal) {
    int p = type->precision(), s = type->scale();
    int new_scale = std::max(0, std::min(s, digits));
    DataTypePtr out_type = BoundedDecimal(p - s + new_scale + 1, new_scale);
    std::vector<NodePtr> only{args[0]};
    return BindMath(only, sql, out_type, [s, new_scale](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
      __int128 x = v[0].column->Value<__int128>(v[0].Row(i));
      __int128 d = Pow10(s - new_scale);
      __int128 q = x / d, r = x % d;
      if ((r < 0 ? -r : r) * 2 >= d) q += x < 0 ? -1 : 1;
      out->AppendDecimal(q);
      return Status::OK();
    });
  }
  std::vector<NodePtr> only{args[0]};
  bool floating = type->id() == TypeId::kFloat || type->id() == TypeId::kDouble;
  return BindMath(only, sql, type, [digits, floating](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
    const Column& c = *v[0].column;
    if (floating) {
      double x = AsDouble(c, v[0].Row(i));
      double m = std::pow(10.0, digits);
      double r = std::isfinite(x) ? std::round(x * m) / m : x;
      out->AppendDouble(r);
    } else {
      int64_t x = AsInt(c, v[0].Row(i));
      if (digits >= 0) {
        out->AppendInt(x);
      } else {
        int64_t d = static_cast<int64_t>(Pow10(-digits));
        int64_t q = x / d, r = x % d;
        if ((r < 0 ? -r : r) * 2 >= d) q += x < 0 ? -1 : 1;
        out->AppendInt(q * d);
      }
    }
    return Status::OK();
  });
}

Result<NodePtr> BindFloorCeil(bool floor, std::vector<NodePtr>& args, const std::string& sql) {
  TRIB_RETURN_NOT_OK(NeedNumeric(args[0], sql));
  DataTypePtr type = args[0]->type();
  if (type->id() == TypeId::kDecimal) {
    int s = type->scale();
    DataTypePtr out_type = BoundedDecimal(type->precision() - s + 1, 0);
    return BindMath(args, sql, out_type, [s, floor](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
      __int128 x = v[0].column->Value<__int128>(v[0].Row(i));
      __int128 d = Pow10(s);
      __int128 q = x / d, r = x % d;
      if (floor && r < 0) q -= 1;
      if (!floor && r > 0) q += 1;
      out->AppendDecimal(q);
      return Status::OK();
    });
  }
  return BindMath(args, sql, DataType::Long(), [floor, sql](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
    const Column& c = *v[0].column;
    if (c.type()->is_integral()) {
      out->AppendInt(AsInt(c, v[0].Row(i)));
      return Status::OK();
    }
    double x = AsDouble(c, v[0].Row(i));
    double r = floor ? std::floor(x) : std::ceil(x);
    if (!(r >= -9.2233720368547758e18 && r < 9.2233720368547758e18)) {
      out->AppendInt(r != r ? 0 : (r > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min()));
    } else {
      out->AppendInt(static_cast<int64_t>(r));
    }
    return Status::OK();
  });
}

Result<NodePtr> BindAbs(std::vector<NodePtr>& args, const std::string& sql) {
  TRIB_RETURN_NOT_OK(NeedNumeric(args[0], sql));
  DataTypePtr type = args[0]->type();
  return BindMath(args, sql, type, [sql](const std::vector<Value>& v, int64_t i, ColumnBuilder* out) {
    const Column& c = *v[0].column;
    int64_t row = v[0].Row(i);
    switch (c.type()->id()) {
      case TypeId::kFloat:
      case TypeId::kDouble: out->AppendDouble(std::fabs(AsDouble(c, row))); break;
      case TypeId::kDecimal: {
        __int128 x = c.Value<__int128>(row);
        out->AppendDecimal(x < 0 ? -x : x);
        break;
      }
      default: {
        int64_t x = AsInt(c, row);
        int64_t min = c.type()->id() == TypeId::kLong      ? std::numeric_limits<int64_t>::min()
                      : c.type()->id() == TypeId::kInteger ? std::numeric_limits<int32_t>::min()
                      : c.type()->id() == TypeId::kShort   ? -32768
                                                           : -128;
        if (x == min) {
          return Status::Invalid("[ARITHMETIC_OVERFLOW] abs({}) overflows {} in '{}' at row {}", x,
                                 c.type()->SimpleString(), sql, i);
        }
        out->AppendInt(x < 0 ? -x : x);
      }
    }
    return Status::OK();
  });
}

/// arr[i] (0-based, null when out of range) and m[key].
Result<NodePtr> BindSubscript(std::vector<NodePtr>& args, const std::string& sql, bool one_based) {
  const DataType& type = *args[0]->type();
  if (type.id() == TypeId::kArray) {
    if (!args[1]->type()->is_integral() && !args[1]->is_null_literal()) {
      return Status::Invalid("[DATATYPE_MISMATCH] array index {} in '{}' must be an integer, not {}", args[1]->sql(),
                             sql, args[1]->type()->SimpleString());
    }
    TRIB_ASSIGN_OR_RETURN(args[1], CoerceTo(args[1], DataType::Integer()));
    DataTypePtr element = type.element_type();
    Kernel kernel = [element, one_based, sql](const std::vector<Value>& v, int64_t rows,
                                              EvalContext*) -> Result<ColumnPtr> {
      std::vector<int64_t> take(static_cast<size_t>(rows), -1);
      const Column& arr = *v[0].column;
      for (int64_t i = 0; i < rows; ++i) {
        if (v[0].IsNull(i) || v[1].IsNull(i)) continue;
        int64_t r = v[0].Row(i);
        int64_t index = v[1].column->Value<int32_t>(v[1].Row(i));
        int64_t length = arr.ListEnd(r) - arr.ListStart(r);
        if (one_based) {
          if (index == 0) return Status::Invalid("[INVALID_INDEX_OF_ZERO] element_at index 0 in '{}' at row {}", sql, i);
          index = index > 0 ? index - 1 : length + index;
        }
        if (index >= 0 && index < length) take[static_cast<size_t>(i)] = arr.ListStart(r) + index;
      }
      auto null_one = Column::MakeNull(element, 1);
      std::vector<ColumnPtr> joined_parts{arr.child(0), null_one};
      std::vector<int64_t> positions(static_cast<size_t>(rows));
      for (int64_t i = 0; i < rows; ++i) {
        positions[static_cast<size_t>(i)] = take[static_cast<size_t>(i)] < 0 ? arr.child(0)->length()
                                                                             : take[static_cast<size_t>(i)];
      }
      return TakeFromJoined(joined_parts, positions);
    };
    return MakeCallNode(sql, element, true, args, std::move(kernel));
  }
  if (type.id() == TypeId::kMap) {
    TRIB_ASSIGN_OR_RETURN(args[1], CoerceTo(args[1], type.key_type()));
    DataTypePtr value_type = type.value_type();
    Kernel kernel = [value_type](const std::vector<Value>& v, int64_t rows, EvalContext*) -> Result<ColumnPtr> {
      const Column& map = *v[0].column;
      const Column& keys = *map.child(0)->child(0);
      const ColumnPtr& values = map.child(0)->child(1);
      std::vector<int64_t> positions(static_cast<size_t>(rows), values->length());
      for (int64_t i = 0; i < rows; ++i) {
        if (v[0].IsNull(i) || v[1].IsNull(i)) continue;
        int64_t r = v[0].Row(i);
        // The last entry wins for duplicate keys, as Spark's LAST_WIN map dedup policy.
        for (int32_t k = map.ListEnd(r) - 1; k >= map.ListStart(r); --k) {
          if (CompareValues(keys, k, *v[1].column, v[1].Row(i)) == 0) {
            positions[static_cast<size_t>(i)] = k;
            break;
          }
        }
      }
      return TakeFromJoined({values, Column::MakeNull(value_type, 1)}, positions);
    };
    return MakeCallNode(sql, value_type, true, args, std::move(kernel));
  }
  return Status::Invalid("[DATATYPE_MISMATCH] '{}': {} of type {} cannot be subscripted", sql, args[0]->sql(),
                         type.SimpleString());
}

Result<NodePtr> BindCore(const std::string& name, std::vector<NodePtr>& args, const std::string& sql) {
  if (name == "isnull" || name == "isnotnull") {
    TRIB_RETURN_NOT_OK(ArgCount(name, args, 1, 1, sql));
    return BindIsNull(name == "isnotnull", args, sql);
  }
  if (name == "__case") return BindCase(args, sql);
  if (name == "coalesce" || name == "nvl" || name == "ifnull") {
    TRIB_RETURN_NOT_OK(ArgCount(name, args, name == "coalesce" ? 1 : 2, name == "coalesce" ? 1000 : 2, sql));
    return BindCoalesce(args, sql);
  }
  if (name == "if" || name == "iff") {
    TRIB_RETURN_NOT_OK(ArgCount(name, args, 3, 3, sql));
    return BindCase(args, sql);
  }
  if (name == "nullif") {
    TRIB_RETURN_NOT_OK(ArgCount(name, args, 2, 2, sql));
    TRIB_ASSIGN_OR_RETURN(NodePtr eq, BindComparison("=", args[0], args[1], sql));
    std::vector<NodePtr> case_args{eq, MakeLiteralNode(Column::MakeNull(args[0]->type(), 1), true, "NULL"), args[0]};
    return BindCase(case_args, sql);
  }
  if (name == "greatest" || name == "least") {
    TRIB_RETURN_NOT_OK(ArgCount(name, args, 2, 1000, sql));
    return BindGreatestLeast(name == "greatest", args, sql);
  }
  if (name == "abs") {
    TRIB_RETURN_NOT_OK(ArgCount(name, args, 1, 1, sql));
    return BindAbs(args, sql);
  }
  if (name == "round") {
    TRIB_RETURN_NOT_OK(ArgCount(name, args, 1, 2, sql));
    return BindRound(args, sql);
  }
  if (name == "floor" || name == "ceil" || name == "ceiling") {
    TRIB_RETURN_NOT_OK(ArgCount(name, args, 1, 1, sql));
    return BindFloorCeil(name == "floor", args, sql);
  }
  if (name == "__subscript") return BindSubscript(args, sql, false);
  if (name == "element_at") {
    TRIB_RETURN_NOT_OK(ArgCount(name, args, 2, 2, sql));
    return BindSubscript(args, sql, args[0]->type()->id() == TypeId::kArray);
  }
  return UnknownFunction(name);
}

}  // namespace

ColumnPtr TakeFromJoined(const std::vector<ColumnPtr>& parts, const std::vector<int64_t>& positions) {
  ColumnPtr joined = *columnar::Concatenate(parts);
  return *columnar::Take(*joined, positions);
}

Result<NodePtr> BindFunction(const std::string& name, std::vector<NodePtr> args, std::string sql) {
  Result<NodePtr> r = BindCore(name, args, sql);
  if (r.ok() || !IsUnknownFunction(r.status())) return r;
  r = BindStringFunction(name, args, sql);
  if (r.ok() || !IsUnknownFunction(r.status())) return r;
  r = BindDatetimeFunction(name, args, sql);
  if (r.ok() || !IsUnknownFunction(r.status())) return r;
  return BindNestedFunction(name, args, sql);
}

}  // namespace tributary::expr::internal
