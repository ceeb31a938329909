#include "tributary/delta/actions.h"

#include <fmt/format.h>

#include "tributary/base/json.h"

namespace tributary::delta {
namespace {

void WriteStringMap(JsonWriter& w, const std::map<std::string, std::string>& map) {
  w.StartObject();
  for (const auto& [key, value] : map) w.Key(key).String(value);
  w.EndObject();
}

void WritePartitionValues(JsonWriter& w, const PartitionValues& values) {
  w.StartObject();
  for (const auto& [key, value] : values) {
    w.Key(key);
    if (value) {
      w.String(*value);
    } else {
      w.Null();
    }
  }
  w.EndObject();
}

void WriteStringArray(JsonWriter& w, const std::vector<std::string>& values) {
  w.StartArray();
  for (const auto& value : values) w.String(value);
  w.EndArray();
}

void WriteAction(JsonWriter& w, const Protocol& p) {
  w.Key("protocol").StartObject();
  w.Key("minReaderVersion").Int(p.min_reader_version);
  w.Key("minWriterVersion").Int(p.min_writer_version);
  if (p.reader_features) WriteStringArray(w.Key("readerFeatures"), *p.reader_features);
  if (p.writer_features) WriteStringArray(w.Key("writerFeatures"), *p.writer_features);
  w.EndObject();
}

void WriteAction(JsonWriter& w, const Metadata& m) {
  w.Key("metaData").StartObject();
  w.Key("id").String(m.id);
  if (m.name) w.Key("name").String(*m.name);
  if (m.description) w.Key("description").String(*m.description);
  w.Key("format").StartObject();
  w.Key("provider").String(m.format_provider);
  WriteStringMap(w.Key("options"), m.format_options);
  w.EndObject();
  w.Key("schemaString").String(m.schema_string);
  WriteStringArray(w.Key("partitionColumns"), m.partition_columns);
  WriteStringMap(w.Key("configuration"), m.configuration);
  if (m.created_time) w.Key("createdTime").Int(*m.created_time);
  w.EndObject();
}

void WriteDeletionVector(JsonWriter& w, const DeletionVectorDescriptor& dv) {
  w.StartObject();
  w.Key("storageType").String(dv.storage_type);
  w.Key("pathOrInlineDv").String(dv.path_or_inline_dv);
  if (dv.offset) w.Key("offset").Int(*dv.offset);
  w.Key("sizeInBytes").Int(dv.size_in_bytes);
  w.Key("cardinality").Int(dv.cardinality);
  w.EndObject();
}

void WriteAction(JsonWriter& w, const AddFile& a) {
  w.Key("add").StartObject();
  w.Key("path").String(a.path);
  WritePartitionValues(w.Key("partitionValues"), a.partition_values);
  w.Key("size").Int(a.size);
  w.Key("modificationTime").Int(a.modification_time);
  w.Key("dataChange").Bool(a.data_change);
  if (!a.stats.empty()) w.Key("stats").String(a.stats);
  if (!a.tags.empty()) WriteStringMap(w.Key("tags"), a.tags);
  if (a.deletion_vector) WriteDeletionVector(w.Key("deletionVector"), *a.deletion_vector);
  w.EndObject();
}

void WriteAction(JsonWriter& w, const RemoveFile& r) {
  w.Key("remove").StartObject();
  w.Key("path").String(r.path);
  if (r.deletion_timestamp) w.Key("deletionTimestamp").Int(*r.deletion_timestamp);
  w.Key("dataChange").Bool(r.data_change);
  if (r.extended_file_metadata) w.Key("extendedFileMetadata").Bool(*r.extended_file_metadata);
  if (r.partition_values) WritePartitionValues(w.Key("partitionValues"), *r.partition_values);
  if (r.size) w.Key("size").Int(*r.size);
  if (r.deletion_vector) WriteDeletionVector(w.Key("deletionVector"), *r.deletion_vector);
  w.EndObject();
}

void WriteAction(JsonWriter& w, const SetTransaction& t) {
  w.Key("txn").StartObject();
  w.Key("appId").String(t.app_id);
  w.Key("version").Int(t.version);
  if (t.last_updated) w.Key("lastUpdated").Int(*t.last_updated);
  w.EndObject();
}

void WriteAction(JsonWriter& w, const CommitInfo& c) { w.Key("commitInfo").Raw(c.json); }

void WriteAction(JsonWriter& w, const OtherAction& o) { w.Key(o.kind).Raw(o.json); }

// --- parsing ---------------------------------------------------------------------

class ActionParser {
 public:
  ActionParser(std::string_view source, int64_t line) : source_(source), line_(line) {}

  Status Error(std::string_view kind, const Status& cause) const {
    return Status::Corruption("{} line {}: '{}' action: {}", source_, line_, kind,
                              cause.message());
  }
  Status Error(std::string_view kind, std::string_view message) const {
    return Status::Corruption("{} line {}: '{}' action: {}", source_, line_, kind, message);
  }

  Result<std::map<std::string, std::string>> StringMap(const JsonValue& object,
                                                       std::string_view key,
                                                       std::string_view kind) const {
    std::map<std::string, std::string> out;
    const JsonValue* value = object.Find(key);
    if (value == nullptr || value->is_null()) return out;
    if (!value->is_object()) return Error(kind, fmt::format("field '{}' must be an object", key));
    for (const auto& [name, member] : value->members()) {
      if (member.is_null()) continue;
      if (!member.is_string()) {
        return Error(kind, fmt::format("field '{}.{}' must be a string", key, name));
      }
      out[name] = member.string_value();
    }
    return out;
  }

  Result<PartitionValues> Partitions(const JsonValue& object, std::string_view kind,
                                     bool required) const {
    PartitionValues out;
    const JsonValue* value = object.Find("partitionValues");
    if (value == nullptr) {
      if (required) return Error(kind, "field 'partitionValues' is missing");
      return out;
    }
    if (!value->is_object()) return Error(kind, "field 'partitionValues' must be an object");
    for (const auto& [name, member] : value->members()) {
      if (member.is_null()) {
        out[name] = std::nullopt;
      } else if (member.is_string()) {
        out[name] = member.string_value();
      } else {
        return Error(kind, fmt::format("partition value '{}' must be a string or null", name));
      }
    }
    return out;
  }

  Result<std::vector<std::string>> Strings(const JsonValue& array, std::string_view key,
                                           std::string_view kind) const {
    std::vector<std::string> out;
    for (const JsonValue& item : array.array()) {
      if (!item.is_string()) {
        return Error(kind, fmt::format("field '{}' must hold strings", key));
      }
      out.push_back(item.string_value());
    }
    return out;
  }

  // The add's or remove's deletionVector; nullopt when it has none.
  Result<std::optional<DeletionVectorDescriptor>> DeletionVector(const JsonValue& object,
                                                                 std::string_view kind) const {
    const JsonValue* dv = object.Find("deletionVector");
    if (dv == nullptr || dv->is_null()) return std::optional<DeletionVectorDescriptor>();
    if (!dv->is_object()) return Error(kind, "field 'deletionVector' must be an object");
    DeletionVectorDescriptor out;
    const JsonValue* storage = dv->Find("storageType");
    const JsonValue* path = dv->Find("pathOrInlineDv");
    const JsonValue* size = dv->Find("sizeInBytes");
    const JsonValue* cardinality = dv->Find("cardinality");
    if (!storage || !storage->is_string() || !path || !path->is_string() || !size ||
        !size->is_int() || !cardinality || !cardinality->is_int()) {
      return Error(kind,
                   "field 'deletionVector' needs string storageType and pathOrInlineDv and "
                   "integer sizeInBytes and cardinality");
    }
    out.storage_type = storage->string_value();
    out.path_or_inline_dv = path->string_value();
    out.size_in_bytes = static_cast<int32_t>(size->int_value());
    out.cardinality = cardinality->int_value();
    if (const JsonValue* v = dv->Find("offset"); v && v->is_int()) {
      out.offset = static_cast<int32_t>(v->int_value());
    }
    return std::optional<DeletionVectorDescriptor>(std::move(out));
  }

  Result<Action> Parse(const JsonValue& root) const {
    if (!root.is_object() || root.members().size() != 1) {
      return Status::Corruption("{} line {}: expected an object with exactly one action",
                                source_, line_);
    }
    const auto& [kind, body] = root.members().front();
    if (kind == "commitInfo") return Action(CommitInfo{body.Serialize()});
    if (kind != "protocol" && kind != "metaData" && kind != "add" && kind != "remove" &&
        kind != "txn") {
      return Action(OtherAction{kind, body.Serialize()});
    }
    if (!body.is_object()) return Error(kind, "must be an object");
#define TRIB_FIELD(lhs, expr)                                            \
  do {                                                                   \
    auto _field = (expr);                                                \
    if (!_field.ok()) return Error(kind, _field.status());               \
    lhs = std::move(_field).value();                                     \
  } while (false)
    if (kind == "protocol") {
      Protocol p;
      int64_t version = 0;
      TRIB_FIELD(version, body.GetInt("minReaderVersion"));
      p.min_reader_version = static_cast<int>(version);
      TRIB_FIELD(version, body.GetInt("minWriterVersion"));
      p.min_writer_version = static_cast<int>(version);
      if (const JsonValue* f = body.Find("readerFeatures"); f && f->is_array()) {
        TRIB_FIELD(p.reader_features, Strings(*f, "readerFeatures", kind));
      }
      if (const JsonValue* f = body.Find("writerFeatures"); f && f->is_array()) {
        TRIB_FIELD(p.writer_features, Strings(*f, "writerFeatures", kind));
      }
      return Action(std::move(p));
    }
    if (kind == "metaData") {
      Metadata m;
      TRIB_FIELD(m.id, body.GetString("id"));
      if (const JsonValue* v = body.Find("name"); v && v->is_string()) m.name = v->string_value();
      if (const JsonValue* v = body.Find("description"); v && v->is_string()) {
        m.description = v->string_value();
      }
      if (const JsonValue* format = body.Find("format"); format && format->is_object()) {
        if (const JsonValue* v = format->Find("provider"); v && v->is_string()) {
          m.format_provider = v->string_value();
        }
        TRIB_FIELD(m.format_options, StringMap(*format, "options", kind));
      }
      TRIB_FIELD(m.schema_string, body.GetString("schemaString"));
      const JsonValue* columns = nullptr;
      TRIB_FIELD(columns, body.GetArray("partitionColumns"));
      TRIB_FIELD(m.partition_columns, Strings(*columns, "partitionColumns", kind));
      TRIB_FIELD(m.configuration, StringMap(body, "configuration", kind));
      if (const JsonValue* v = body.Find("createdTime"); v && v->is_int()) {
        m.created_time = v->int_value();
      }
      return Action(std::move(m));
    }
    if (kind == "add") {
      AddFile a;
      TRIB_FIELD(a.path, body.GetString("path"));
      TRIB_FIELD(a.partition_values, Partitions(body, kind, true));
      TRIB_FIELD(a.size, body.GetInt("size"));
      TRIB_FIELD(a.modification_time, body.GetInt("modificationTime"));
      TRIB_FIELD(a.data_change, body.GetBool("dataChange"));
      if (const JsonValue* v = body.Find("stats"); v && v->is_string()) a.stats = v->string_value();
      TRIB_FIELD(a.tags, StringMap(body, "tags", kind));
      TRIB_FIELD(a.deletion_vector, DeletionVector(body, kind));
      if (a.deletion_vector) a.deletion_vector_id = a.deletion_vector->UniqueId();
      return Action(std::move(a));
    }
    if (kind == "remove") {
      RemoveFile r;
      TRIB_FIELD(r.path, body.GetString("path"));
      TRIB_FIELD(r.data_change, body.GetBool("dataChange"));
      if (const JsonValue* v = body.Find("deletionTimestamp"); v && v->is_int()) {
        r.deletion_timestamp = v->int_value();
      }
      if (const JsonValue* v = body.Find("extendedFileMetadata"); v && v->is_bool()) {
        r.extended_file_metadata = v->bool_value();
      }
      if (const JsonValue* v = body.Find("partitionValues"); v && v->is_object()) {
        TRIB_FIELD(r.partition_values, Partitions(body, kind, false));
      }
      if (const JsonValue* v = body.Find("size"); v && v->is_int()) r.size = v->int_value();
      TRIB_FIELD(r.deletion_vector, DeletionVector(body, kind));
      if (r.deletion_vector) r.deletion_vector_id = r.deletion_vector->UniqueId();
      return Action(std::move(r));
    }
    SetTransaction t;
    TRIB_FIELD(t.app_id, body.GetString("appId"));
    TRIB_FIELD(t.version, body.GetInt("version"));
    if (const JsonValue* v = body.Find("lastUpdated"); v && v->is_int()) {
      t.last_updated = v->int_value();
    }
    return Action(std::move(t));
#undef TRIB_FIELD
  }

 private:
  std::string_view source_;
  int64_t line_;
};

}  // namespace

std::string DeletionVectorDescriptor::UniqueId() const {
  std::string id = storage_type + path_or_inline_dv;
  if (offset) id += "@" + std::to_string(*offset);
  return id;
}

std::string ActionToJson(const Action& action) {
  JsonWriter w;
  w.StartObject();
  std::visit([&w](const auto& a) { WriteAction(w, a); }, action);
  w.EndObject();
  return w.Finish();
}

std::string CommitToJson(const std::vector<Action>& actions) {
  std::string out;
  for (const Action& action : actions) {
    out += ActionToJson(action);
    out += '\n';
  }
  return out;
}

Result<Action> ParseAction(std::string_view line, std::string_view source, int64_t line_number) {
  auto root = ParseJson(line);
  if (!root.ok()) {
    return Status::Corruption("{} line {}: {}", source, line_number, root.status().message());
  }
  return ActionParser(source, line_number).Parse(*root);
}

Result<std::vector<Action>> ParseCommit(std::string_view content, std::string_view source) {
  std::vector<Action> actions;
  int64_t line_number = 0;
  size_t start = 0;
  while (start < content.size()) {
    size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    ++line_number;
    std::string_view line = content.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    TRIB_ASSIGN_OR_RETURN(Action action, ParseAction(line, source, line_number));
    actions.push_back(std::move(action));
  }
  return actions;
}

std::string CommitFileName(int64_t version) {
  return fmt::format("_delta_log/{:020d}.json", version);
}

std::string CheckpointFileName(int64_t version) {
  return fmt::format("_delta_log/{:020d}.checkpoint.parquet", version);
}

}  // namespace tributary::delta
