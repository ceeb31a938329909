#include "tributary/format/parquet/thrift_compact_internal.h"

namespace tributary::parquet::internal {

void CompactWriter::FieldHeader(int16_t id, ThriftType type) {
  int delta = id - last_field_id_;
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    // Long form: the type byte, then the field id as a zigzag varint i16.
    out_->push_back(static_cast<char>(type));
    WriteVarint(ZigZag32(id));
  }
  last_field_id_ = id;
}

void CompactWriter::ListBegin(ThriftType element_type, int64_t size) {
  if (size < 15) {
    out_->push_back(static_cast<char>((size << 4) | static_cast<int>(element_type)));
  } else {
    out_->push_back(static_cast<char>(0xF0 | static_cast<int>(element_type)));
    WriteVarint(static_cast<uint64_t>(size));
  }
}

}  // namespace tributary::parquet::internal
