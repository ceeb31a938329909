#include <algorithm>
#include <cctype>

#include "tributary/format/parquet/reader_internal.h"

namespace tributary::parquet::internal {

using columnar::DataType;
using columnar::TypeId;

namespace {

bool NamesMatch(const std::string& a, const std::string& b, bool case_sensitive) {
  if (case_sensitive) return a == b;
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

int IntegralRank(TypeId id) {
  switch (id) {
    case TypeId::kByte: return 1;
    case TypeId::kShort: return 2;
    case TypeId::kInteger: return 3;
    case TypeId::kLong: return 4;
    default: return 0;
  }
}

// Whether a leaf of Spark type `file` can be read as `want`.
bool CanRead(const DataType& file, const DataType& want) {
  TypeId f = file.id(), w = want.id();
  if (f == TypeId::kDecimal && w == TypeId::kDecimal) {
    return want.scale() >= file.scale() && want.precision() - want.scale() >= file.precision() - file.scale();
  }
  if (f == w) return true;
  int fr = IntegralRank(f), wr = IntegralRank(w);
  if (fr > 0 && wr > fr) return true;
  if (fr > 0 && fr < 4 && w == TypeId::kDouble) return true;
  if (f == TypeId::kFloat && w == TypeId::kDouble) return true;
  // Same layout; Spark reads unannotated binary as string when asked to.
  if ((f == TypeId::kBinary && w == TypeId::kString) || (f == TypeId::kString && w == TypeId::kBinary)) return true;
  // Spark reads timestamp_ntz columns as timestamp (not the other way).
  if (f == TypeId::kTimestampNtz && w == TypeId::kTimestamp) return true;
  return false;
}

class Planner {
 public:
  Planner(const std::vector<FileLeaf>& leaves, bool case_sensitive, const std::string& path,
          std::vector<bool>* needed)
      : leaves_(leaves), case_sensitive_(case_sensitive), path_(path), needed_(needed) {}

  Status Plan(const columnar::DataTypePtr& want, const FileNode* file, const std::string& name, ReadNode* out) {
    out->type = want;
    out->file = file;
    if (file == nullptr) return Status::OK();
    auto mismatch = [&]() {
      return Status::Invalid("{}: column '{}' is {} in the file and cannot be read as {}", path_, name,
                             file->type->SimpleString(), want->SimpleString());
    };
    switch (want->id()) {
      case TypeId::kStruct: {
        if (file->kind != FileNode::kStruct) return mismatch();
        for (const columnar::Field& field : want->fields()) {
          const FileNode* match = nullptr;
          for (const FileNode& child : file->children) {
            if (NamesMatch(child.name, field.name, case_sensitive_)) {
              match = &child;
              break;
            }
          }
          std::string child_name = name + "." + field.name;
          if (match == nullptr && !field.nullable) {
            return Status::Invalid("{}: non-nullable field '{}' is not in the file", path_, child_name);
          }
          out->children.emplace_back();
          TRIB_RETURN_NOT_OK(Plan(field.type, match, child_name, &out->children.back()));
        }
        break;
      }
      case TypeId::kArray:
        if (file->kind != FileNode::kList) return mismatch();
        out->children.emplace_back();
        TRIB_RETURN_NOT_OK(Plan(want->element_type(), &file->children[0], name + ".element", &out->children[0]));
        break;
      case TypeId::kMap:
        if (file->kind != FileNode::kMap) return mismatch();
        out->children.resize(2);
        TRIB_RETURN_NOT_OK(Plan(want->key_type(), &file->children[0], name + ".key", &out->children[0]));
        TRIB_RETURN_NOT_OK(Plan(want->value_type(), &file->children[1], name + ".value", &out->children[1]));
        break;
      default:
        if (file->kind != FileNode::kLeaf || !CanRead(*file->type, *want)) return mismatch();
        break;
    }
    // The node's slots come from its first decoded leaf, or from the file node's
    // first leaf when none of its requested children is in the file.
    out->level_leaf = -1;
    for (const ReadNode& child : out->children) {
      if (child.level_leaf >= 0) {
        out->level_leaf = child.level_leaf;
        break;
      }
    }
    if (out->level_leaf < 0) out->level_leaf = file->first_leaf;
    (*needed_)[static_cast<size_t>(out->level_leaf)] = true;
    return Status::OK();
  }

 private:
  const std::vector<FileLeaf>& leaves_;
  bool case_sensitive_;
  const std::string& path_;
  std::vector<bool>* needed_;
};

}  // namespace

Status PlanRead(const columnar::Schema& read_schema, const std::vector<FileNode>& columns,
                const std::vector<FileLeaf>& leaves, bool case_sensitive, const std::string& path,
                std::vector<ReadNode>* plan, std::vector<bool>* needed) {
  plan->clear();
  needed->assign(leaves.size(), false);
  Planner planner(leaves, case_sensitive, path, needed);
  for (const columnar::Field& field : read_schema.fields()) {
    const FileNode* match = nullptr;
    for (const FileNode& column : columns) {
      if (NamesMatch(column.name, field.name, case_sensitive)) {
        match = &column;
        break;
      }
    }
    if (match == nullptr && !field.nullable) {
      return Status::Invalid("{}: non-nullable column '{}' is not in the file", path, field.name);
    }
    plan->emplace_back();
    TRIB_RETURN_NOT_OK(planner.Plan(field.type, match, field.name, &plan->back()));
  }
  return Status::OK();
}

}  // namespace tributary::parquet::internal
