#include "tributary/columnar/column_builder.h"

#include <cstring>

namespace tributary::columnar {
namespace {

bool UsesOffsets(TypeId id) {
  return id == TypeId::kString || id == TypeId::kBinary || id == TypeId::kArray || id == TypeId::kMap;
}

}  // namespace

ColumnBuilder::ColumnBuilder(DataTypePtr type) : type_(std::move(type)) {
  width_ = type_->fixed_width();
  validity_ = std::make_shared<Buffer>();
  values_ = std::make_shared<Buffer>();
  if (UsesOffsets(type_->id())) values_->Resize(sizeof(int32_t));
  switch (type_->id()) {
    case TypeId::kString:
    case TypeId::kBinary:
      data_ = std::make_shared<Buffer>();
      break;
    case TypeId::kStruct:
      for (const Field& field : type_->fields()) children_.emplace_back(field.type);
      break;
    case TypeId::kArray:
      children_.emplace_back(type_->element_type());
      break;
    case TypeId::kMap:
      children_.emplace_back(DataType::Struct({Field{"key", type_->key_type(), false},
                                               Field{"value", type_->value_type(), type_->value_contains_null()}}));
      break;
    default:
      break;
  }
}

void ColumnBuilder::AppendValidity(bool valid) {
  if ((length_ & 7) == 0) validity_->Resize(static_cast<size_t>(length_ / 8 + 1));
  if (valid) {
    SetBit(validity_->data(), length_);
  } else {
    ++null_count_;
  }
  ++length_;
}

void ColumnBuilder::AppendNull() {
  switch (type_->id()) {
    case TypeId::kBoolean:
      if ((length_ & 7) == 0) values_->Resize(static_cast<size_t>(length_ / 8 + 1));
      break;
    case TypeId::kString:
    case TypeId::kBinary: {
      int32_t end = static_cast<int32_t>(data_->size());
      values_->Append(&end, sizeof(end));
      break;
    }
    case TypeId::kArray:
    case TypeId::kMap: {
      int32_t end = static_cast<int32_t>(children_[0].length());
      values_->Append(&end, sizeof(end));
      break;
    }
    case TypeId::kStruct:
      for (ColumnBuilder& child : children_) child.AppendNull();
      break;
    default:
      values_->Resize(values_->size() + static_cast<size_t>(width_));
      break;
  }
  AppendValidity(false);
}

void ColumnBuilder::AppendBool(bool value) {
  if ((length_ & 7) == 0) values_->Resize(static_cast<size_t>(length_ / 8 + 1));
  if (value) SetBit(values_->data(), length_);
  AppendValidity(true);
}

void ColumnBuilder::AppendInt(int64_t value) {
  switch (width_) {
    case 1: { int8_t v = static_cast<int8_t>(value); values_->Append(&v, 1); break; }
    case 2: { int16_t v = static_cast<int16_t>(value); values_->Append(&v, 2); break; }
    case 4: { int32_t v = static_cast<int32_t>(value); values_->Append(&v, 4); break; }
    default: values_->Append(&value, 8); break;
  }
  AppendValidity(true);
}

void ColumnBuilder::AppendDouble(double value) {
  if (type_->id() == TypeId::kFloat) {
    float v = static_cast<float>(value);
    values_->Append(&v, sizeof(v));
  } else {
    values_->Append(&value, sizeof(value));
  }
  AppendValidity(true);
}

void ColumnBuilder::AppendDecimal(__int128 unscaled) {
  values_->Append(&unscaled, sizeof(unscaled));
  AppendValidity(true);
}

void ColumnBuilder::AppendString(std::string_view value) {
  data_->Append(value.data(), value.size());
  int32_t end = static_cast<int32_t>(data_->size());
  values_->Append(&end, sizeof(end));
  AppendValidity(true);
}

void ColumnBuilder::AppendStructValid() { AppendValidity(true); }

void ColumnBuilder::AppendListEnd() {
  int32_t end = static_cast<int32_t>(children_[0].length());
  values_->Append(&end, sizeof(end));
  AppendValidity(true);
}

int64_t ColumnBuilder::ByteSize() const {
  int64_t total = static_cast<int64_t>(validity_->size() + values_->size() + (data_ ? data_->size() : 0));
  for (const ColumnBuilder& child : children_) total += child.ByteSize();
  return total;
}

ColumnPtr ColumnBuilder::Finish() {
  std::vector<ColumnPtr> children;
  children.reserve(children_.size());
  for (ColumnBuilder& child : children_) children.push_back(child.Finish());
  BufferPtr validity = null_count_ > 0 ? std::move(validity_) : nullptr;
  BufferPtr values = (type_->id() == TypeId::kStruct) ? nullptr : std::move(values_);
  auto column = std::make_shared<Column>(type_, length_, null_count_, std::move(validity), std::move(values),
                                         std::move(data_), std::move(children));
  length_ = 0;
  null_count_ = 0;
  validity_ = std::make_shared<Buffer>();
  values_ = std::make_shared<Buffer>();
  if (UsesOffsets(type_->id())) values_->Resize(sizeof(int32_t));
  if (type_->id() == TypeId::kString || type_->id() == TypeId::kBinary) data_ = std::make_shared<Buffer>();
  return column;
}

}  // namespace tributary::columnar
