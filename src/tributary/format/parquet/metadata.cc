#include "tributary/format/parquet/metadata_internal.h"

#include "tributary/format/parquet/thrift_compact_internal.h"

namespace tributary::parquet::internal {
namespace {

int32_t ToI32(auto e) { return static_cast<int32_t>(e); }

void WriteStatistics(CompactWriter& w, const Statistics& stats) {
  if (stats.null_count) w.FieldI64(3, *stats.null_count);
  if (stats.max_value) w.FieldBinary(5, *stats.max_value);
  if (stats.min_value) w.FieldBinary(6, *stats.min_value);
}

void WriteLogicalType(CompactWriter& w, const LogicalType& logical) {
  w.FieldStructBegin(10);  // SchemaElement.logicalType
  w.FieldStructBegin(static_cast<int16_t>(logical.kind));
  switch (logical.kind) {
    case LogicalKind::kDecimal:
      w.FieldI32(1, logical.scale);
      w.FieldI32(2, logical.precision);
      break;
    case LogicalKind::kTimestamp:
      w.FieldBool(1, logical.adjusted_to_utc);
      w.FieldStructBegin(2);  // TimeUnit union
      w.FieldStructBegin(2);  // MICROS
      w.EndStruct();
      w.EndStruct();
      break;
    case LogicalKind::kInteger:
      w.FieldByte(1, logical.bit_width);
      w.FieldBool(2, logical.is_signed);
      break;
    default:
      break;
  }
  w.EndStruct();
  w.EndStruct();
}

void WriteSchemaElement(CompactWriter& w, const SchemaElement& e) {
  w.BeginStruct();
  if (e.type) w.FieldI32(1, ToI32(*e.type));
  if (e.type == PhysicalType::kFixedLenByteArray) w.FieldI32(2, e.type_length);
  if (e.repetition) w.FieldI32(3, ToI32(*e.repetition));
  w.FieldBinary(4, e.name);
  if (e.num_children >= 0) w.FieldI32(5, e.num_children);
  if (e.converted_type) w.FieldI32(6, ToI32(*e.converted_type));
  if (e.scale >= 0) w.FieldI32(7, e.scale);
  if (e.precision >= 0) w.FieldI32(8, e.precision);
  if (e.logical_type.kind != LogicalKind::kNone) WriteLogicalType(w, e.logical_type);
  w.EndStruct();
}

void WriteColumnMetaData(CompactWriter& w, const ColumnMetaData& m) {
  w.FieldI32(1, ToI32(m.type));
  w.FieldListBegin(2, ThriftType::kI32, static_cast<int64_t>(m.encodings.size()));
  for (Encoding e : m.encodings) w.I32(ToI32(e));
  w.FieldListBegin(3, ThriftType::kBinary, static_cast<int64_t>(m.path_in_schema.size()));
  for (const std::string& p : m.path_in_schema) w.Binary(p);
  w.FieldI32(4, m.codec);
  w.FieldI64(5, m.num_values);
  w.FieldI64(6, m.total_uncompressed_size);
  w.FieldI64(7, m.total_compressed_size);
  w.FieldI64(9, m.data_page_offset);
  if (m.dictionary_page_offset) w.FieldI64(11, *m.dictionary_page_offset);
  w.FieldStructBegin(12);
  WriteStatistics(w, m.statistics);
  w.EndStruct();
  if (!m.encoding_stats.empty()) {
    w.FieldListBegin(13, ThriftType::kStruct, static_cast<int64_t>(m.encoding_stats.size()));
    for (const PageEncodingStats& s : m.encoding_stats) {
      w.BeginStruct();
      w.FieldI32(1, ToI32(s.page_type));
      w.FieldI32(2, ToI32(s.encoding));
      w.FieldI32(3, s.count);
      w.EndStruct();
    }
  }
}

void WriteKeyValues(CompactWriter& w, int16_t id,
                    const std::vector<std::pair<std::string, std::string>>& kvs) {
  w.FieldListBegin(id, ThriftType::kStruct, static_cast<int64_t>(kvs.size()));
  for (const auto& [key, value] : kvs) {
    w.BeginStruct();
    w.FieldBinary(1, key);
    w.FieldBinary(2, value);
    w.EndStruct();
  }
}

}  // namespace

void SerializePageHeader(const PageHeader& h, std::string* out) {
  CompactWriter w(out);
  w.BeginStruct();
  w.FieldI32(1, ToI32(h.type));
  w.FieldI32(2, h.uncompressed_page_size);
  w.FieldI32(3, h.compressed_page_size);
  if (h.type == PageType::kDataPage) {
    w.FieldStructBegin(5);
    w.FieldI32(1, h.data_page.num_values);
    w.FieldI32(2, ToI32(h.data_page.encoding));
    w.FieldI32(3, ToI32(Encoding::kRle));
    w.FieldI32(4, ToI32(Encoding::kRle));
    w.EndStruct();
  } else if (h.type == PageType::kDictionaryPage) {
    w.FieldStructBegin(7);
    w.FieldI32(1, h.dictionary_page.num_values);
    w.FieldI32(2, ToI32(Encoding::kPlain));
    w.EndStruct();
  }
  w.EndStruct();
}

void SerializeFileMetaData(const FileMetaData& md, std::string* out) {
  CompactWriter w(out);
  w.BeginStruct();
  w.FieldI32(1, md.version);
  w.FieldListBegin(2, ThriftType::kStruct, static_cast<int64_t>(md.schema.size()));
  for (const SchemaElement& e : md.schema) WriteSchemaElement(w, e);
  w.FieldI64(3, md.num_rows);
  w.FieldListBegin(4, ThriftType::kStruct, static_cast<int64_t>(md.row_groups.size()));
  for (const RowGroup& rg : md.row_groups) {
    w.BeginStruct();
    w.FieldListBegin(1, ThriftType::kStruct, static_cast<int64_t>(rg.columns.size()));
    for (const ColumnChunk& cc : rg.columns) {
      w.BeginStruct();
      w.FieldI64(2, cc.file_offset);
      w.FieldStructBegin(3);
      WriteColumnMetaData(w, cc.meta_data);
      w.EndStruct();
      w.EndStruct();
    }
    w.FieldI64(2, rg.total_byte_size);
    w.FieldI64(3, rg.num_rows);
    w.FieldI64(5, rg.file_offset);
    w.FieldI64(6, rg.total_compressed_size);
    w.FieldI16(7, rg.ordinal);
    w.EndStruct();
  }
  if (!md.key_value_metadata.empty()) WriteKeyValues(w, 5, md.key_value_metadata);
  w.FieldBinary(6, md.created_by);
  w.FieldListBegin(7, ThriftType::kStruct, md.num_leaf_columns);
  for (int i = 0; i < md.num_leaf_columns; ++i) {
    w.BeginStruct();
    w.FieldStructBegin(1);  // TYPE_ORDER
    w.EndStruct();
    w.EndStruct();
  }
  w.EndStruct();
}

}  // namespace tributary::parquet::internal
