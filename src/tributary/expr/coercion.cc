#include <algorithm>

#include "tributary/expr/expr_internal.h"

namespace tributary::expr::internal {

DataTypePtr DecimalOfIntegral(const DataType& type) {
  switch (type.id()) {
    case TypeId::kByte: return DataType::Decimal(3, 0);
    case TypeId::kShort: return DataType::Decimal(5, 0);
    case TypeId::kInteger: return DataType::Decimal(10, 0);
    case TypeId::kLong: return DataType::Decimal(20, 0);
    default: return nullptr;
  }
}

DataTypePtr BoundedDecimal(int precision, int scale) {
  if (precision <= 38) return DataType::Decimal(std::max(precision, 1), scale);
  int int_digits = precision - scale;
  int min_scale = std::min(scale, 6);
  int adjusted = std::max(38 - int_digits, min_scale);
  return DataType::Decimal(38, adjusted);
}

namespace {

int NumericRank(TypeId id) {
  switch (id) {
    case TypeId::kByte: return 1;
    case TypeId::kShort: return 2;
    case TypeId::kInteger: return 3;
    case TypeId::kLong: return 4;
    case TypeId::kDecimal: return 5;
    case TypeId::kFloat: return 6;
    case TypeId::kDouble: return 7;
    default: return 0;
  }
}

/// The wider of two types, or null when there is none.
DataTypePtr Wider(const DataTypePtr& a, const DataTypePtr& b) {
  if (a->Equals(*b)) return a;
  if (a->EqualsIgnoringNullability(*b)) return a;
  TypeId x = a->id(), y = b->id();
  int rx = NumericRank(x), ry = NumericRank(y);
  if (rx && ry) {
    if (x == TypeId::kDecimal || y == TypeId::kDecimal) {
      if (rx > 5 || ry > 5) return DataType::Double();
      DataTypePtr da = x == TypeId::kDecimal ? a : DecimalOfIntegral(*a);
      DataTypePtr db = y == TypeId::kDecimal ? b : DecimalOfIntegral(*b);
      int scale = std::max(da->scale(), db->scale());
      int int_digits = std::max(da->precision() - da->scale(), db->precision() - db->scale());
      return BoundedDecimal(int_digits + scale, scale);
    }
    return rx >= ry ? a : b;
  }
  // Strings meet other atomic types as the other type (ANSI implicit casts).
  if (x == TypeId::kString && y != TypeId::kString && !b->is_nested() && y != TypeId::kBinary) return b;
  if (y == TypeId::kString && x != TypeId::kString && !a->is_nested() && x != TypeId::kBinary) return a;
  if ((x == TypeId::kDate && (y == TypeId::kTimestamp || y == TypeId::kTimestampNtz))) return b;
  if ((y == TypeId::kDate && (x == TypeId::kTimestamp || x == TypeId::kTimestampNtz))) return a;
  if (x == TypeId::kArray && y == TypeId::kArray) {
    DataTypePtr e = Wider(a->element_type(), b->element_type());
    return e ? DataType::Array(e, true) : nullptr;
  }
  return nullptr;
}

}  // namespace

Result<DataTypePtr> CommonType(const std::vector<NodePtr>& nodes, const std::string& context) {
  DataTypePtr type;
  // Strings and numbers: Spark picks the numeric side, so scan non-string types first.
  for (int pass = 0; pass < 2; ++pass) {
    for (const NodePtr& n : nodes) {
      if (n->is_null_literal()) continue;
      bool is_string = n->type()->id() == TypeId::kString;
      if ((pass == 0) == is_string) continue;
      if (!type) {
        type = n->type();
        continue;
      }
      DataTypePtr w = Wider(type, n->type());
      if (!w) {
        return Status::Invalid("[DATATYPE_MISMATCH] cannot resolve '{}': types {} and {} do not match", context,
                               type->SimpleString(), n->type()->SimpleString());
      }
      type = w;
    }
  }
  if (!type) type = DataType::String();
  return type;
}

Result<NodePtr> CoerceTo(const NodePtr& node, const DataTypePtr& type) {
  if (node->type()->Equals(*type)) return node;
  if (node->is_null_literal()) return MakeLiteralNode(Column::MakeNull(type, 1), true, "NULL");
  if (node->type()->EqualsIgnoringNullability(*type)) return node;
  return MakeCastNode(node, type, false, "CAST(" + node->sql() + " AS " + type->ToDdl() + ")");
}

}  // namespace tributary::expr::internal
