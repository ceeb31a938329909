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
      w.FieldStructBegin(2);  // TimeUnit union: MILLIS 1, MICROS 2, NANOS 3
      w.FieldStructBegin(static_cast<int16_t>(static_cast<int>(logical.unit) + 1));
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

// ---- parsing ----

namespace {

// Each Parse* reads one struct whose BeginStruct() the caller has not yet called,
// skipping fields it does not know.

template <typename E>
E ReadEnum(CompactReader& r) {
  return static_cast<E>(r.ReadI32());
}

void ParseStatistics(CompactReader& r, Statistics* s) {
  r.BeginStruct();
  int16_t id;
  ThriftType t;
  while (r.NextField(&id, &t)) {
    if (id == 1 && t == ThriftType::kBinary) {
      s->legacy_max = std::string(r.ReadBinary());
    } else if (id == 2 && t == ThriftType::kBinary) {
      s->legacy_min = std::string(r.ReadBinary());
    } else if (id == 3 && t == ThriftType::kI64) {
      s->null_count = r.ReadI64();
    } else if (id == 5 && t == ThriftType::kBinary) {
      s->max_value = std::string(r.ReadBinary());
    } else if (id == 6 && t == ThriftType::kBinary) {
      s->min_value = std::string(r.ReadBinary());
    } else {
      r.Skip(t);
    }
  }
  r.EndStruct();
}

void ParseTimeUnit(CompactReader& r, TimeUnit* unit) {
  r.BeginStruct();
  int16_t id;
  ThriftType t;
  while (r.NextField(&id, &t)) {
    if (id >= 1 && id <= 3) *unit = static_cast<TimeUnit>(id - 1);
    r.Skip(t);
  }
  r.EndStruct();
}

void ParseLogicalType(CompactReader& r, LogicalType* logical) {
  r.BeginStruct();
  int16_t member;
  ThriftType member_type;
  while (r.NextField(&member, &member_type)) {
    if (member_type != ThriftType::kStruct) {
      r.Skip(member_type);
      continue;
    }
    bool known = (member >= 1 && member <= 8) || (member >= 10 && member <= 15);
    logical->kind = known ? static_cast<LogicalKind>(member) : LogicalKind::kOther;
    r.BeginStruct();
    int16_t id;
    ThriftType t;
    while (r.NextField(&id, &t)) {
      switch (logical->kind) {
        case LogicalKind::kDecimal:
          if (id == 1) logical->scale = r.ReadI32();
          else if (id == 2) logical->precision = r.ReadI32();
          else r.Skip(t);
          break;
        case LogicalKind::kTime:
        case LogicalKind::kTimestamp:
          if (id == 1 && (t == ThriftType::kBoolTrue || t == ThriftType::kBoolFalse)) {
            logical->adjusted_to_utc = r.FieldBool(t);
          } else if (id == 2 && t == ThriftType::kStruct) {
            ParseTimeUnit(r, &logical->unit);
          } else {
            r.Skip(t);
          }
          break;
        case LogicalKind::kInteger:
          if (id == 1 && t == ThriftType::kByte) {
            logical->bit_width = r.ReadByte();
          } else if (id == 2 && (t == ThriftType::kBoolTrue || t == ThriftType::kBoolFalse)) {
            logical->is_signed = r.FieldBool(t);
          } else {
            r.Skip(t);
          }
          break;
        default:
          r.Skip(t);
      }
    }
    r.EndStruct();
  }
  r.EndStruct();
}

void ParseSchemaElement(CompactReader& r, SchemaElement* e) {
  r.BeginStruct();
  int16_t id;
  ThriftType t;
  while (r.NextField(&id, &t)) {
    switch (id) {
      case 1: e->type = ReadEnum<PhysicalType>(r); break;
      case 2: e->type_length = r.ReadI32(); break;
      case 3: e->repetition = ReadEnum<Repetition>(r); break;
      case 4: e->name = std::string(r.ReadBinary()); break;
      case 5: e->num_children = r.ReadI32(); break;
      case 6: e->converted_type = ReadEnum<ConvertedType>(r); break;
      case 7: e->scale = r.ReadI32(); break;
      case 8: e->precision = r.ReadI32(); break;
      case 9: e->field_id = r.ReadI32(); break;
      case 10:
        if (t == ThriftType::kStruct) {
          ParseLogicalType(r, &e->logical_type);
        } else {
          r.Skip(t);
        }
        break;
      default: r.Skip(t);
    }
  }
  r.EndStruct();
}

void ParseColumnMetaData(CompactReader& r, ColumnMetaData* m) {
  r.BeginStruct();
  int16_t id;
  ThriftType t;
  while (r.NextField(&id, &t)) {
    switch (id) {
      case 1: m->type = ReadEnum<PhysicalType>(r); break;
      case 2: {
        ThriftType element;
        int64_t size;
        r.ListBegin(&element, &size);
        for (int64_t i = 0; i < size; ++i) m->encodings.push_back(ReadEnum<Encoding>(r));
        break;
      }
      case 3: {
        ThriftType element;
        int64_t size;
        r.ListBegin(&element, &size);
        for (int64_t i = 0; i < size; ++i) m->path_in_schema.emplace_back(r.ReadBinary());
        break;
      }
      case 4: m->codec = r.ReadI32(); break;
      case 5: m->num_values = r.ReadI64(); break;
      case 6: m->total_uncompressed_size = r.ReadI64(); break;
      case 7: m->total_compressed_size = r.ReadI64(); break;
      case 9: m->data_page_offset = r.ReadI64(); break;
      case 11: m->dictionary_page_offset = r.ReadI64(); break;
      case 12:
        if (t == ThriftType::kStruct) {
          ParseStatistics(r, &m->statistics);
        } else {
          r.Skip(t);
        }
        break;
      default: r.Skip(t);
    }
  }
  r.EndStruct();
}

void ParseColumnChunk(CompactReader& r, ColumnChunk* c) {
  r.BeginStruct();
  int16_t id;
  ThriftType t;
  while (r.NextField(&id, &t)) {
    if (id == 1 && t == ThriftType::kBinary) {
      c->file_path = std::string(r.ReadBinary());
    } else if (id == 2 && t == ThriftType::kI64) {
      c->file_offset = r.ReadI64();
    } else if (id == 3 && t == ThriftType::kStruct) {
      ParseColumnMetaData(r, &c->meta_data);
    } else {
      r.Skip(t);
    }
  }
  r.EndStruct();
}

void ParseRowGroup(CompactReader& r, RowGroup* g) {
  r.BeginStruct();
  int16_t id;
  ThriftType t;
  while (r.NextField(&id, &t)) {
    switch (id) {
      case 1: {
        ThriftType element;
        int64_t size;
        r.ListBegin(&element, &size);
        g->columns.resize(static_cast<size_t>(size));
        for (ColumnChunk& c : g->columns) ParseColumnChunk(r, &c);
        break;
      }
      case 2: g->total_byte_size = r.ReadI64(); break;
      case 3: g->num_rows = r.ReadI64(); break;
      case 5: g->file_offset = r.ReadI64(); break;
      case 6: g->total_compressed_size = r.ReadI64(); break;
      case 7: g->ordinal = static_cast<int16_t>(r.ReadI32()); break;
      default: r.Skip(t);
    }
  }
  r.EndStruct();
}

}  // namespace

Status ParsePageHeader(std::string_view bytes, PageHeader* h, size_t* header_size) {
  CompactReader r(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  *h = PageHeader{};
  r.BeginStruct();
  int16_t id;
  ThriftType t;
  while (r.NextField(&id, &t)) {
    if (id == 1) {
      h->type = ReadEnum<PageType>(r);
    } else if (id == 2) {
      h->uncompressed_page_size = r.ReadI32();
    } else if (id == 3) {
      h->compressed_page_size = r.ReadI32();
    } else if ((id == 5 || id == 7 || id == 8) && t == ThriftType::kStruct) {
      r.BeginStruct();
      int16_t f;
      ThriftType ft;
      while (r.NextField(&f, &ft)) {
        if (id == 5) {
          DataPageHeader& d = h->data_page;
          if (f == 1) d.num_values = r.ReadI32();
          else if (f == 2) d.encoding = ReadEnum<Encoding>(r);
          else if (f == 3) d.definition_level_encoding = ReadEnum<Encoding>(r);
          else if (f == 4) d.repetition_level_encoding = ReadEnum<Encoding>(r);
          else r.Skip(ft);
        } else if (id == 7) {
          if (f == 1) h->dictionary_page.num_values = r.ReadI32();
          else if (f == 2) h->dictionary_page.encoding = ReadEnum<Encoding>(r);
          else r.Skip(ft);
        } else {
          DataPageHeaderV2& d = h->data_page_v2;
          if (f == 1) d.num_values = r.ReadI32();
          else if (f == 2) d.num_nulls = r.ReadI32();
          else if (f == 3) d.num_rows = r.ReadI32();
          else if (f == 4) d.encoding = ReadEnum<Encoding>(r);
          else if (f == 5) d.definition_levels_byte_length = r.ReadI32();
          else if (f == 6) d.repetition_levels_byte_length = r.ReadI32();
          else if (f == 7 && (ft == ThriftType::kBoolTrue || ft == ThriftType::kBoolFalse)) d.is_compressed = r.FieldBool(ft);
          else r.Skip(ft);
        }
      }
      r.EndStruct();
    } else {
      r.Skip(t);
    }
  }
  r.EndStruct();
  if (!r.ok()) return Status::Corruption("malformed page header: {}", r.error());
  if (h->compressed_page_size < 0 || h->uncompressed_page_size < 0) {
    return Status::Corruption("page header has a negative page size");
  }
  *header_size = r.position();
  return Status::OK();
}

Status ParseFileMetaData(std::string_view bytes, FileMetaData* md) {
  CompactReader r(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  *md = FileMetaData{};
  r.BeginStruct();
  int16_t id;
  ThriftType t;
  while (r.NextField(&id, &t)) {
    switch (id) {
      case 1: md->version = r.ReadI32(); break;
      case 2: {
        ThriftType element;
        int64_t size;
        r.ListBegin(&element, &size);
        md->schema.resize(static_cast<size_t>(size));
        for (SchemaElement& e : md->schema) ParseSchemaElement(r, &e);
        break;
      }
      case 3: md->num_rows = r.ReadI64(); break;
      case 4: {
        ThriftType element;
        int64_t size;
        r.ListBegin(&element, &size);
        md->row_groups.resize(static_cast<size_t>(size));
        for (RowGroup& g : md->row_groups) ParseRowGroup(r, &g);
        break;
      }
      case 5: {
        ThriftType element;
        int64_t size;
        r.ListBegin(&element, &size);
        for (int64_t i = 0; i < size && r.ok(); ++i) {
          std::string key, value;
          r.BeginStruct();
          int16_t f;
          ThriftType ft;
          while (r.NextField(&f, &ft)) {
            if (f == 1 && ft == ThriftType::kBinary) key = std::string(r.ReadBinary());
            else if (f == 2 && ft == ThriftType::kBinary) value = std::string(r.ReadBinary());
            else r.Skip(ft);
          }
          r.EndStruct();
          md->key_value_metadata.emplace_back(std::move(key), std::move(value));
        }
        break;
      }
      case 6: md->created_by = std::string(r.ReadBinary()); break;
      default: r.Skip(t);
    }
  }
  r.EndStruct();
  if (!r.ok()) return Status::Corruption("malformed footer metadata: {}", r.error());
  return Status::OK();
}

}  // namespace tributary::parquet::internal
