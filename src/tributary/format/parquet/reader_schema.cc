#include "tributary/format/parquet/reader_schema_internal.h"

namespace tributary::parquet::internal {

using columnar::DataType;
using columnar::DataTypePtr;
using columnar::Field;

std::string FileLeaf::DottedPath() const {
  std::string out;
  for (const std::string& part : path) {
    if (!out.empty()) out += '.';
    out += part;
  }
  return out;
}

namespace {

// A node of the Parquet element tree.
struct Element {
  const SchemaElement* schema = nullptr;
  std::vector<Element> children;
  bool is_group() const { return !schema->type.has_value(); }
  bool repeated() const { return schema->repetition == Repetition::kRepeated; }
  bool optional() const { return schema->repetition == Repetition::kOptional; }
};

Status BuildTree(const std::vector<SchemaElement>& elements, size_t* next, Element* out, int depth) {
  if (*next >= elements.size()) return Status::Corruption("schema element list ends early");
  if (depth > 100) return Status::Corruption("schema nests deeper than 100 levels");
  out->schema = &elements[(*next)++];
  if (out->schema->type.has_value()) return Status::OK();
  int32_t n = out->schema->num_children;
  if (n < 0) return Status::Corruption("group '{}' has no num_children", out->schema->name);
  out->children.resize(static_cast<size_t>(n));
  for (Element& child : out->children) TRIB_RETURN_NOT_OK(BuildTree(elements, next, &child, depth + 1));
  return Status::OK();
}

bool IsList(const SchemaElement& e) {
  return e.logical_type.kind == LogicalKind::kList || e.converted_type == ConvertedType::kList;
}
bool IsMap(const SchemaElement& e) {
  return e.logical_type.kind == LogicalKind::kMap || e.converted_type == ConvertedType::kMap ||
         e.converted_type == ConvertedType::kMapKeyValue;
}

class Converter {
 public:
  explicit Converter(std::vector<FileLeaf>* leaves) : leaves_(leaves) {}

  // A field whose slot exists at (def_above, rep_above). A repeated field outside a
  // LIST or MAP group is an array of non-null elements.
  Status Field(const Element& e, int16_t def_above, int16_t rep_above, const std::vector<std::string>& path,
               FileNode* out) {
    std::vector<std::string> my_path = path;
    my_path.push_back(e.schema->name);
    out->field_id = e.schema->field_id;
    if (e.repeated()) {
      out->kind = FileNode::kList;
      out->name = e.schema->name;
      out->nullable = false;
      out->def_valid = def_above;
      out->element_def = static_cast<int16_t>(def_above + 1);
      out->element_rep = static_cast<int16_t>(rep_above + 1);
      out->children.resize(1);
      TRIB_RETURN_NOT_OK(Content(e, out->element_def, out->element_rep, my_path, &out->children[0]));
      out->children[0].nullable = false;
      out->type = DataType::Array(out->children[0].type, false);
      out->first_leaf = out->children[0].first_leaf;
      return Status::OK();
    }
    int16_t def = static_cast<int16_t>(def_above + (e.optional() ? 1 : 0));
    TRIB_RETURN_NOT_OK(Content(e, def, rep_above, my_path, out));
    out->nullable = e.optional();
    return Status::OK();
  }

 private:
  // The value of `e` itself, present at definition level `def`.
  Status Content(const Element& e, int16_t def, int16_t rep, const std::vector<std::string>& path, FileNode* out) {
    out->name = e.schema->name;
    out->def_valid = def;
    if (!e.is_group()) return Leaf(e, def, rep, path, out);
    if (IsList(*e.schema)) return List(e, def, rep, path, out);
    if (IsMap(*e.schema)) return Map(e, def, rep, path, out);
    if (e.children.empty()) return Status::NotImplemented("column '{}' is an empty group", Dotted(path));
    out->kind = FileNode::kStruct;
    std::vector<columnar::Field> fields;
    out->children.resize(e.children.size());
    for (size_t i = 0; i < e.children.size(); ++i) {
      TRIB_RETURN_NOT_OK(Field(e.children[i], def, rep, path, &out->children[i]));
      fields.push_back(columnar::Field{out->children[i].name, out->children[i].type, out->children[i].nullable});
    }
    out->first_leaf = out->children[0].first_leaf;
    out->type = DataType::Struct(std::move(fields));
    return Status::OK();
  }

  Status List(const Element& e, int16_t def, int16_t rep, const std::vector<std::string>& path, FileNode* out) {
    if (e.children.size() != 1 || !e.children[0].repeated()) {
      return Status::NotImplemented("LIST column '{}' does not hold exactly one repeated field", Dotted(path));
    }
    const Element& repeated = e.children[0];
    out->kind = FileNode::kList;
    out->element_def = static_cast<int16_t>(def + 1);
    out->element_rep = static_cast<int16_t>(rep + 1);
    out->children.resize(1);
    FileNode& element = out->children[0];
    std::vector<std::string> repeated_path = path;
    repeated_path.push_back(repeated.schema->name);
    // Spark's backward-compatibility rules: the repeated field itself is the
    // element when it is primitive, has several fields, or is named "array" or
    // "<list>_tuple" (2-level lists); otherwise its only child is (3-level).
    bool two_level = !repeated.is_group() || repeated.children.size() != 1 || repeated.schema->name == "array" ||
                     repeated.schema->name == e.schema->name + "_tuple";
    if (two_level) {
      TRIB_RETURN_NOT_OK(Content(repeated, out->element_def, out->element_rep, repeated_path, &element));
      element.nullable = false;
    } else {
      TRIB_RETURN_NOT_OK(
          Field(repeated.children[0], out->element_def, out->element_rep, repeated_path, &element));
    }
    out->type = DataType::Array(element.type, element.nullable);
    out->first_leaf = element.first_leaf;
    return Status::OK();
  }

  Status Map(const Element& e, int16_t def, int16_t rep, const std::vector<std::string>& path, FileNode* out) {
    if (e.children.size() != 1 || !e.children[0].repeated() || !e.children[0].is_group() ||
        e.children[0].children.size() != 2) {
      return Status::NotImplemented("MAP column '{}' does not hold one repeated key/value group", Dotted(path));
    }
    const Element& entries = e.children[0];
    out->kind = FileNode::kMap;
    out->element_def = static_cast<int16_t>(def + 1);
    out->element_rep = static_cast<int16_t>(rep + 1);
    std::vector<std::string> entries_path = path;
    entries_path.push_back(entries.schema->name);
    out->children.resize(2);
    for (int i = 0; i < 2; ++i) {
      TRIB_RETURN_NOT_OK(Field(entries.children[static_cast<size_t>(i)], out->element_def, out->element_rep,
                               entries_path, &out->children[static_cast<size_t>(i)]));
    }
    out->children[0].nullable = false;
    out->type = DataType::Map(out->children[0].type, out->children[1].type, out->children[1].nullable);
    out->first_leaf = out->children[0].first_leaf;
    return Status::OK();
  }

  Status Leaf(const Element& e, int16_t def, int16_t rep, const std::vector<std::string>& path, FileNode* out) {
    const SchemaElement& s = *e.schema;
    FileLeaf leaf;
    leaf.path = path;
    leaf.physical = *s.type;
    leaf.type_length = s.type_length;
    leaf.max_def = def;
    leaf.max_rep = rep;
    TRIB_RETURN_NOT_OK(LeafType(s, Dotted(path), &leaf));
    out->kind = FileNode::kLeaf;
    out->type = leaf.type;
    out->leaf = static_cast<int>(leaves_->size());
    out->first_leaf = out->leaf;
    leaves_->push_back(std::move(leaf));
    return Status::OK();
  }

  static Status Decimal(const SchemaElement& s, const std::string& name, ValueKind kind, FileLeaf* leaf) {
    int precision = s.logical_type.kind == LogicalKind::kDecimal ? s.logical_type.precision : s.precision;
    int scale = s.logical_type.kind == LogicalKind::kDecimal ? s.logical_type.scale : s.scale;
    if (scale < 0) scale = 0;
    if (precision < 1 || precision > 38 || scale > precision) {
      return Status::NotImplemented("column '{}' is decimal({},{}), beyond Spark's decimal(38)", name, precision,
                                    scale);
    }
    leaf->kind = kind;
    leaf->type = DataType::Decimal(precision, scale);
    return Status::OK();
  }

  static Status LeafType(const SchemaElement& s, const std::string& name, FileLeaf* leaf) {
    const LogicalType& logical = s.logical_type;
    LogicalKind lk = logical.kind;
    auto ct = s.converted_type;
    bool decimal = lk == LogicalKind::kDecimal || (lk == LogicalKind::kNone && ct == ConvertedType::kDecimal);
    switch (*s.type) {
      case PhysicalType::kBoolean:
        leaf->kind = ValueKind::kBool;
        leaf->type = DataType::Boolean();
        return Status::OK();
      case PhysicalType::kInt32: {
        if (decimal) return Decimal(s, name, ValueKind::kDecimalInt32, leaf);
        int bits = 32;
        bool is_signed = true;
        if (lk == LogicalKind::kInteger) {
          bits = logical.bit_width;
          is_signed = logical.is_signed;
        } else if (lk == LogicalKind::kNone && ct) {
          switch (*ct) {
            case ConvertedType::kInt8: bits = 8; break;
            case ConvertedType::kInt16: bits = 16; break;
            case ConvertedType::kUint8: bits = 8, is_signed = false; break;
            case ConvertedType::kUint16: bits = 16, is_signed = false; break;
            case ConvertedType::kUint32: is_signed = false; break;
            default: break;
          }
        }
        bool date = lk == LogicalKind::kDate || (lk == LogicalKind::kNone && ct == ConvertedType::kDate);
        bool time = lk == LogicalKind::kTime || ct == ConvertedType::kTimeMillis;
        if (time) return Status::NotImplemented("column '{}' is a TIME, which Spark cannot read", name);
        leaf->kind = is_signed ? ValueKind::kInt32 : ValueKind::kUInt32;
        if (date) {
          leaf->type = DataType::Date();
        } else if (is_signed) {
          leaf->type = bits == 8 ? DataType::Byte() : bits == 16 ? DataType::Short() : DataType::Integer();
        } else {
          leaf->type = bits == 8 ? DataType::Short() : bits == 16 ? DataType::Integer() : DataType::Long();
        }
        return Status::OK();
      }
      case PhysicalType::kInt64: {
        if (decimal) return Decimal(s, name, ValueKind::kDecimalInt64, leaf);
        if (lk == LogicalKind::kTimestamp) {
          leaf->kind = logical.unit == TimeUnit::kMillis  ? ValueKind::kTimestampMillis
                       : logical.unit == TimeUnit::kNanos ? ValueKind::kTimestampNanos
                                                          : ValueKind::kTimestampMicros;
          leaf->type = logical.adjusted_to_utc ? DataType::Timestamp() : DataType::TimestampNtz();
          return Status::OK();
        }
        if (lk == LogicalKind::kNone && (ct == ConvertedType::kTimestampMillis || ct == ConvertedType::kTimestampMicros)) {
          leaf->kind = ct == ConvertedType::kTimestampMillis ? ValueKind::kTimestampMillis : ValueKind::kTimestampMicros;
          leaf->type = DataType::Timestamp();
          return Status::OK();
        }
        if (lk == LogicalKind::kTime || ct == ConvertedType::kTimeMicros) {
          return Status::NotImplemented("column '{}' is a TIME, which Spark cannot read", name);
        }
        bool is_unsigned = (lk == LogicalKind::kInteger && !logical.is_signed) ||
                           (lk == LogicalKind::kNone && ct == ConvertedType::kUint64);
        if (is_unsigned) {
          leaf->kind = ValueKind::kUInt64;
          leaf->type = DataType::Decimal(20, 0);
        } else {
          leaf->kind = ValueKind::kInt64;
          leaf->type = DataType::Long();
        }
        return Status::OK();
      }
      case PhysicalType::kInt96:
        leaf->kind = ValueKind::kInt96;
        leaf->type = DataType::Timestamp();
        return Status::OK();
      case PhysicalType::kFloat:
        leaf->kind = ValueKind::kFloat;
        leaf->type = DataType::Float();
        return Status::OK();
      case PhysicalType::kDouble:
        leaf->kind = ValueKind::kDouble;
        leaf->type = DataType::Double();
        return Status::OK();
      case PhysicalType::kByteArray: {
        if (decimal) return Decimal(s, name, ValueKind::kDecimalBytes, leaf);
        bool text = lk == LogicalKind::kString || lk == LogicalKind::kEnum || lk == LogicalKind::kJson ||
                    (lk == LogicalKind::kNone &&
                     (ct == ConvertedType::kUtf8 || ct == ConvertedType::kEnum || ct == ConvertedType::kJson));
        leaf->kind = ValueKind::kBytes;
        leaf->type = text ? DataType::String() : DataType::Binary();
        return Status::OK();
      }
      case PhysicalType::kFixedLenByteArray:
        if (s.type_length <= 0) return Status::Corruption("column '{}' has FIXED_LEN_BYTE_ARRAY length {}", name, s.type_length);
        if (decimal) return Decimal(s, name, ValueKind::kDecimalBytes, leaf);
        leaf->kind = ValueKind::kFixedBytes;
        leaf->type = DataType::Binary();
        return Status::OK();
    }
    return Status::Corruption("column '{}' has unknown physical type {}", name, static_cast<int>(*s.type));
  }

  static std::string Dotted(const std::vector<std::string>& path) {
    std::string out;
    for (const std::string& p : path) out += (out.empty() ? "" : ".") + p;
    return out;
  }

  std::vector<FileLeaf>* leaves_;
};

}  // namespace

Status BuildFileSchema(const std::vector<SchemaElement>& elements, std::vector<FileNode>* columns,
                       std::vector<FileLeaf>* leaves) {
  columns->clear();
  leaves->clear();
  if (elements.empty()) return Status::Corruption("the schema has no root element");
  size_t next = 0;
  Element root;
  TRIB_RETURN_NOT_OK(BuildTree(elements, &next, &root, 0));
  if (next != elements.size()) return Status::Corruption("schema has {} elements after the root's tree", elements.size() - next);
  if (!root.is_group()) return Status::Corruption("the schema root is not a group");
  Converter converter(leaves);
  columns->resize(root.children.size());
  for (size_t i = 0; i < root.children.size(); ++i) {
    TRIB_RETURN_NOT_OK(converter.Field(root.children[i], 0, 0, {}, &(*columns)[i]));
  }
  return Status::OK();
}

}  // namespace tributary::parquet::internal
