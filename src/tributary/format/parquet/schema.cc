#include "tributary/format/parquet/schema_internal.h"

namespace tributary::parquet::internal {
namespace {

using columnar::DataType;
using columnar::TypeId;

struct SchemaBuilder {
  std::vector<SchemaElement>* elements = nullptr;
  std::vector<LeafColumn>* leaves = nullptr;
  int top_index = 0;
  std::vector<PathStep> steps;
  std::vector<std::string> path;

  static Repetition RepetitionOf(bool nullable) {
    return nullable ? Repetition::kOptional : Repetition::kRequired;
  }

  Status AddPrimitive(const std::string& name, const columnar::DataTypePtr& type, bool nullable,
                      int16_t def, int16_t rep) {
    SchemaElement e;
    e.name = name;
    e.repetition = RepetitionOf(nullable);
    LogicalType& logical = e.logical_type;
    switch (type->id()) {
      case TypeId::kBoolean:
        e.type = PhysicalType::kBoolean;
        break;
      case TypeId::kByte:
      case TypeId::kShort:
        e.type = PhysicalType::kInt32;
        e.converted_type = type->id() == TypeId::kByte ? ConvertedType::kInt8 : ConvertedType::kInt16;
        logical.kind = LogicalKind::kInteger;
        logical.bit_width = type->id() == TypeId::kByte ? 8 : 16;
        break;
      case TypeId::kInteger:
        e.type = PhysicalType::kInt32;
        break;
      case TypeId::kLong:
        e.type = PhysicalType::kInt64;
        break;
      case TypeId::kFloat:
        e.type = PhysicalType::kFloat;
        break;
      case TypeId::kDouble:
        e.type = PhysicalType::kDouble;
        break;
      case TypeId::kDecimal:
        if (type->precision() <= 9) {
          e.type = PhysicalType::kInt32;
        } else if (type->precision() <= 18) {
          e.type = PhysicalType::kInt64;
        } else {
          e.type = PhysicalType::kFixedLenByteArray;
          e.type_length = DecimalByteWidth(type->precision());
        }
        e.converted_type = ConvertedType::kDecimal;
        e.precision = type->precision();
        e.scale = type->scale();
        logical.kind = LogicalKind::kDecimal;
        logical.precision = type->precision();
        logical.scale = type->scale();
        break;
      case TypeId::kString:
        e.type = PhysicalType::kByteArray;
        e.converted_type = ConvertedType::kUtf8;
        logical.kind = LogicalKind::kString;
        break;
      case TypeId::kBinary:
        e.type = PhysicalType::kByteArray;
        break;
      case TypeId::kDate:
        e.type = PhysicalType::kInt32;
        e.converted_type = ConvertedType::kDate;
        logical.kind = LogicalKind::kDate;
        break;
      case TypeId::kTimestamp:
      case TypeId::kTimestampNtz:
        e.type = PhysicalType::kInt64;
        logical.kind = LogicalKind::kTimestamp;
        logical.adjusted_to_utc = type->id() == TypeId::kTimestamp;
        // The legacy converted type implies UTC adjustment, so only timestamp has it.
        if (logical.adjusted_to_utc) e.converted_type = ConvertedType::kTimestampMicros;
        break;
      default:
        return Status::Internal("parquet: {} is not a primitive type", type->SimpleString());
    }
    elements->push_back(e);
    LeafColumn leaf;
    leaf.top_index = top_index;
    leaf.steps = steps;
    leaf.steps.push_back(PathStep{PathStep::kLeaf, nullable, 0, 0});
    leaf.path = path;
    leaf.path.push_back(name);
    leaf.max_def = static_cast<int16_t>(def + (nullable ? 1 : 0));
    leaf.max_rep = rep;
    leaf.type = type;
    leaf.physical = *e.type;
    leaf.type_length = e.type_length;
    leaves->push_back(std::move(leaf));
    return Status::OK();
  }

  Status Add(const std::string& name, const columnar::DataTypePtr& type, bool nullable, int16_t def,
             int16_t rep) {
    if (!type->is_nested()) return AddPrimitive(name, type, nullable, def, rep);
    int16_t inner_def = static_cast<int16_t>(def + (nullable ? 1 : 0));
    SchemaElement group;
    group.name = name;
    group.repetition = RepetitionOf(nullable);
    path.push_back(name);
    if (type->id() == TypeId::kStruct) {
      if (type->fields().empty()) {
        return Status::NotImplemented("parquet: column '{}' is an empty struct, which Parquet cannot hold",
                                      name);
      }
      group.num_children = static_cast<int32_t>(type->fields().size());
      elements->push_back(group);
      for (size_t i = 0; i < type->fields().size(); ++i) {
        const columnar::Field& f = type->fields()[i];
        steps.push_back(PathStep{PathStep::kStruct, nullable, static_cast<int>(i), 0});
        TRIB_RETURN_NOT_OK(Add(f.name, f.type, f.nullable, inner_def, rep));
        steps.pop_back();
      }
    } else {
      bool is_list = type->id() == TypeId::kArray;
      group.num_children = 1;
      group.converted_type = is_list ? ConvertedType::kList : ConvertedType::kMap;
      group.logical_type.kind = is_list ? LogicalKind::kList : LogicalKind::kMap;
      elements->push_back(group);
      SchemaElement repeated;
      repeated.name = is_list ? "list" : "key_value";
      repeated.repetition = Repetition::kRepeated;
      repeated.num_children = is_list ? 1 : 2;
      elements->push_back(repeated);
      path.push_back(repeated.name);
      auto rep_inner = static_cast<int16_t>(rep + 1);
      auto def_inner = static_cast<int16_t>(inner_def + 1);
      if (is_list) {
        steps.push_back(PathStep{PathStep::kList, nullable, 0, rep_inner});
        TRIB_RETURN_NOT_OK(Add("element", type->element_type(), type->contains_null(), def_inner, rep_inner));
        steps.pop_back();
      } else {
        steps.push_back(PathStep{PathStep::kMap, nullable, 0, rep_inner});
        TRIB_RETURN_NOT_OK(Add("key", type->key_type(), false, def_inner, rep_inner));
        steps.back().child = 1;
        TRIB_RETURN_NOT_OK(Add("value", type->value_type(), type->value_contains_null(), def_inner, rep_inner));
        steps.pop_back();
      }
      path.pop_back();
    }
    path.pop_back();
    return Status::OK();
  }
};

// Emits levels for one leaf by walking the Arrow columns along its path.
struct LevelWalker {
  const std::vector<PathStep>& steps;
  LeafLevels* out;
  bool has_def;
  bool has_rep;
  bool null_in_required = false;

  void Emit(int16_t def, int16_t rep) {
    if (has_def) out->def_levels.push_back(def);
    if (has_rep) out->rep_levels.push_back(rep);
  }

  void Visit(size_t depth, const columnar::Column& col, int64_t index, int16_t def, int16_t rep) {
    const PathStep& step = steps[depth];
    if (step.nullable) {
      if (col.IsNull(index)) {
        Emit(def, rep);
        return;
      }
      ++def;
    } else if (col.IsNull(index)) {
      // A null where the schema says required: remembered, reported by the caller.
      null_in_required = true;
    }
    switch (step.kind) {
      case PathStep::kLeaf:
        Emit(def, rep);
        if (has_rep) out->value_indices.push_back(index);
        return;
      case PathStep::kStruct:
        Visit(depth + 1, *col.child(step.child), index, def, rep);
        return;
      case PathStep::kList:
      case PathStep::kMap: {
        int32_t begin = col.ListStart(index);
        int32_t end = col.ListEnd(index);
        if (begin == end) {
          Emit(def, rep);
          return;
        }
        const columnar::Column& child =
            step.kind == PathStep::kList ? *col.child(0) : *col.child(0)->child(step.child);
        auto child_def = static_cast<int16_t>(def + 1);
        Visit(depth + 1, child, begin, child_def, rep);
        for (int32_t j = begin + 1; j < end; ++j) Visit(depth + 1, child, j, child_def, step.rep_level);
        return;
      }
    }
  }
};

}  // namespace

std::string LeafColumn::DottedPath() const {
  std::string dotted;
  for (const std::string& p : path) {
    if (!dotted.empty()) dotted.push_back('.');
    dotted += p;
  }
  return dotted;
}

int DecimalByteWidth(int precision) {
  // Smallest n with 2^(8n-1) > 10^precision - 1.
  for (int n = 1; n <= 16; ++n) {
    __int128 limit = static_cast<__int128>(1) << (8 * n - 1);
    __int128 max_value = 1;
    for (int i = 0; i < precision; ++i) max_value *= 10;
    if (max_value - 1 < limit) return n;
  }
  return 16;
}

Status BuildParquetSchema(const columnar::Schema& schema, std::vector<SchemaElement>* elements,
                          std::vector<LeafColumn>* leaves) {
  elements->clear();
  leaves->clear();
  SchemaElement root;
  root.name = "spark_schema";
  root.num_children = schema.num_fields();
  elements->push_back(root);
  SchemaBuilder builder;
  builder.elements = elements;
  builder.leaves = leaves;
  for (int i = 0; i < schema.num_fields(); ++i) {
    const columnar::Field& f = schema.field(i);
    builder.top_index = i;
    TRIB_RETURN_NOT_OK(builder.Add(f.name, f.type, f.nullable, 0, 0));
  }
  return Status::OK();
}

Status ComputeLevels(const LeafColumn& leaf, const columnar::Column& top, int64_t row_begin,
                     int64_t row_end, LeafLevels* out) {
  out->def_levels.clear();
  out->rep_levels.clear();
  out->value_indices.clear();
  out->row_offset = row_begin;
  // The leaf Arrow column: follow the same children the walk follows.
  const columnar::Column* col = &top;
  for (const PathStep& step : leaf.steps) {
    if (step.kind == PathStep::kStruct) col = col->child(step.child).get();
    if (step.kind == PathStep::kList) col = col->child(0).get();
    if (step.kind == PathStep::kMap) col = col->child(0)->child(step.child).get();
  }
  out->leaf = col;
  if (leaf.steps.size() == 1) {
    // A flat column: one level per row, straight from the validity bitmap.
    out->num_levels = row_end - row_begin;
    if (leaf.max_def == 0) return Status::OK();
    out->def_levels.resize(static_cast<size_t>(row_end - row_begin));
    int16_t* defs = out->def_levels.data();
    if (!top.validity()) {
      std::fill(defs, defs + (row_end - row_begin), int16_t{1});
    } else {
      const uint8_t* bits = top.validity()->data();
      for (int64_t r = row_begin; r < row_end; ++r) defs[r - row_begin] = columnar::GetBit(bits, r) ? 1 : 0;
    }
    return Status::OK();
  }
  LevelWalker walker{leaf.steps, out, leaf.max_def > 0, leaf.max_rep > 0};
  for (int64_t r = row_begin; r < row_end; ++r) walker.Visit(0, top, r, 0, 0);
  out->num_levels = leaf.max_def > 0 ? static_cast<int64_t>(out->def_levels.size()) : row_end - row_begin;
  if (walker.null_in_required) {
    return Status::Invalid("parquet: column '{}' is not nullable (or is a map key) but has a null in rows {}..{}",
                           leaf.DottedPath(), row_begin, row_end - 1);
  }
  return Status::OK();
}

}  // namespace tributary::parquet::internal
