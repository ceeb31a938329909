#include "tributary/delta/protocol_support.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

#include "tributary/delta/snapshot.h"

namespace tributary::delta {

using columnar::DataType;
using columnar::DataTypePtr;
using columnar::Field;
using columnar::TypeId;

namespace {

bool TypeHas(const DataType& type, TypeId id) {
  if (type.id() == id) return true;
  for (const Field& field : type.fields()) {
    if (TypeHas(*field.type, id)) return true;
  }
  if (type.element_type() && TypeHas(*type.element_type(), id)) return true;
  if (type.key_type() && TypeHas(*type.key_type(), id)) return true;
  if (type.value_type() && TypeHas(*type.value_type(), id)) return true;
  return false;
}

bool SchemaHas(const columnar::Schema& schema, TypeId id) {
  return std::any_of(schema.fields().begin(), schema.fields().end(),
                     [id](const Field& f) { return TypeHas(*f.type, id); });
}

// True when some field (at any depth) has column metadata containing `key`.
bool MetadataHas(const DataType& type, std::string_view key) {
  for (const Field& field : type.fields()) {
    if (field.metadata_json.find(key) != std::string::npos) return true;
    if (MetadataHas(*field.type, key)) return true;
  }
  if (type.element_type() && MetadataHas(*type.element_type(), key)) return true;
  if (type.value_type() && MetadataHas(*type.value_type(), key)) return true;
  return false;
}

bool Contains(const std::optional<std::vector<std::string>>& list, std::string_view name) {
  return list && std::find(list->begin(), list->end(), name) != list->end();
}

Status Unsupported(std::string_view table_path, std::string_view feature, std::string_view why) {
  return Status::NotImplemented(
      "cannot write to Delta table '{}': it uses the '{}' table feature, which Tributary does "
      "not implement yet ({})",
      table_path, feature, why);
}

// Checks one feature by name; `legacy` when implied by a legacy writer version.
Status CheckFeature(const Snapshot& snapshot, std::string_view table_path,
                    std::string_view feature) {
  const auto& config = snapshot.configuration();
  const DataTypePtr root_type = snapshot.schema().AsStruct();  // keep the type alive
  const DataType& root = *root_type;
  // deletionVectors: a blind append writes none (reference A6); replay keys files by
  // (path, dvId), and checkpoints are skipped while any file has one.
  if (feature == "appendOnly" || feature == "changeDataFeed" || feature == "timestampNtz" ||
      feature == "vacuumProtocolCheck" || feature == "v2Checkpoint" ||
      feature == "deletionVectors") {
    return Status::OK();
  }
  if (feature == "invariants") {
    if (MetadataHas(root, "delta.invariants")) {
      return Unsupported(table_path, feature, "a column has a delta.invariants expression");
    }
    return Status::OK();
  }
  if (feature == "checkConstraints") {
    for (const auto& [key, value] : config) {
      if (key.starts_with("delta.constraints.")) {
        return Unsupported(table_path, feature, "table property " + key + " is set");
      }
    }
    return Status::OK();
  }
  if (feature == "generatedColumns") {
    if (MetadataHas(root, "delta.generationExpression")) {
      return Unsupported(table_path, feature, "a column is generated");
    }
    return Status::OK();
  }
  if (feature == "identityColumns") {
    if (MetadataHas(root, "delta.identity.")) {
      return Unsupported(table_path, feature, "a column is an identity column");
    }
    return Status::OK();
  }
  if (feature == "allowColumnDefaults") {
    if (MetadataHas(root, "CURRENT_DEFAULT")) {
      return Unsupported(table_path, feature, "a column has a default value");
    }
    return Status::OK();
  }
  if (feature == "columnMapping") {
    auto it = config.find("delta.columnMapping.mode");
    if (it != config.end() && it->second != "none") {
      return Unsupported(table_path, feature, "delta.columnMapping.mode is " + it->second);
    }
    return Status::OK();
  }
  if (feature == "inCommitTimestamp") return Status::OK();  // commitInfo carries it
  return Unsupported(table_path, feature, "unknown to this writer or not supported");
}

}  // namespace

Status CheckAppendSupported(const Snapshot& snapshot, std::string_view table_path) {
  const Protocol& protocol = snapshot.protocol();
  if (protocol.min_reader_version > 3 || protocol.min_writer_version > 7) {
    return Status::NotImplemented(
        "cannot write to Delta table '{}': protocol (reader {}, writer {}) is newer than "
        "Tributary supports (reader 3, writer 7)",
        table_path, protocol.min_reader_version, protocol.min_writer_version);
  }
  if (protocol.min_reader_version == 3) {
    for (const std::string& feature : protocol.reader_features.value_or(std::vector<std::string>{})) {
      if (!Contains(protocol.writer_features, feature)) {
        return Status::Corruption(
            "Delta table '{}': reader feature '{}' is not also listed as a writer feature",
            table_path, feature);
      }
    }
  } else if (protocol.min_reader_version == 2) {
    TRIB_RETURN_NOT_OK(CheckFeature(snapshot, table_path, "columnMapping"));
  }
  if (protocol.min_writer_version == 7) {
    for (const std::string& feature : protocol.writer_features.value_or(std::vector<std::string>{})) {
      TRIB_RETURN_NOT_OK(CheckFeature(snapshot, table_path, feature));
    }
    return Status::OK();
  }
  // Legacy writer versions imply their features (reference A6).
  static const std::vector<std::pair<int, std::string_view>> kLegacy = {
      {2, "appendOnly"},       {2, "invariants"},      {3, "checkConstraints"},
      {4, "changeDataFeed"},   {4, "generatedColumns"}, {5, "columnMapping"},
      {6, "identityColumns"}};
  for (const auto& [version, feature] : kLegacy) {
    if (protocol.min_writer_version >= version) {
      TRIB_RETURN_NOT_OK(CheckFeature(snapshot, table_path, feature));
    }
  }
  return Status::OK();
}

Status CheckReadSupported(const Snapshot& snapshot, std::string_view table_path) {
  const Protocol& protocol = snapshot.protocol();
  if (protocol.min_reader_version > 3) {
    return Status::NotImplemented(
        "cannot read Delta table '{}': reader version {} is newer than Tributary supports (3)",
        table_path, protocol.min_reader_version);
  }
  if (protocol.min_reader_version < 3) return Status::OK();
  static const std::vector<std::string_view> kReadable = {
      "columnMapping", "deletionVectors", "timestampNtz", "v2Checkpoint", "vacuumProtocolCheck"};
  for (const std::string& feature : protocol.reader_features.value_or(std::vector<std::string>{})) {
    if (std::find(kReadable.begin(), kReadable.end(), feature) == kReadable.end()) {
      return Status::NotImplemented(
          "cannot read Delta table '{}': it uses the '{}' reader feature, which Tributary does "
          "not implement",
          table_path, feature);
    }
  }
  return Status::OK();
}

Result<Protocol> ProtocolForNewTable(const columnar::Schema& schema,
                                     const std::map<std::string, std::string>& configuration,
                                     std::string_view table_path) {
  Protocol protocol;
  auto lower = [](std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  };
  for (const auto& [key, raw_value] : configuration) {
    std::string value = lower(raw_value);
    auto refuse = [&]() {
      return Status::NotImplemented(
          "cannot create Delta table '{}' with table property {}={}: Tributary cannot write "
          "tables with that feature yet",
          table_path, key, raw_value);
    };
    if (key == "delta.checkpointInterval" || key == "delta.dataSkippingNumIndexedCols") {
      char* end = nullptr;
      long long number = std::strtoll(raw_value.c_str(), &end, 10);
      bool valid = !raw_value.empty() && end != nullptr && *end == '\0' &&
                   (key == "delta.checkpointInterval" ? number > 0 : number >= -1);
      if (!valid) {
        return Status::Invalid("cannot create Delta table '{}': table property {} must be {}, got '{}'",
                               table_path, key,
                               key == "delta.checkpointInterval" ? "a positive integer"
                                                                 : "an integer >= -1",
                               raw_value);
      }
    } else if (key == "delta.appendOnly" || key == "delta.enableChangeDataFeed") {
      if (value != "true" && value != "false") {
        return Status::Invalid("cannot create Delta table '{}': table property {} must be true or false, got '{}'",
                               table_path, key, raw_value);
      }
      if (key == "delta.enableChangeDataFeed" && value == "true") protocol.min_writer_version = 4;
    } else if (key == "delta.columnMapping.mode") {
      if (value != "none") return refuse();
    } else if (key == "delta.enableInCommitTimestamps") {
      if (value != "true" && value != "false") {
        return Status::Invalid("cannot create Delta table '{}': table property {} must be true or false, got '{}'",
                               table_path, key, raw_value);
      }
    } else if (key == "delta.enableDeletionVectors" || key == "delta.enableRowTracking" ||
               key == "delta.enableTypeWidening") {
      if (value == "true") return refuse();
    } else if (key.starts_with("delta.feature.") || key == "delta.minReaderVersion" ||
               key == "delta.minWriterVersion") {
      return refuse();
    }
  }
  bool ict = configuration.count("delta.enableInCommitTimestamps") &&
             lower(configuration.at("delta.enableInCommitTimestamps")) == "true";
  if (ict && !SchemaHas(schema, TypeId::kTimestampNtz)) {
    // A writer-only feature: writer 7 listing what legacy versions implied.
    std::vector<std::string> features = {"appendOnly", "invariants"};
    if (protocol.min_writer_version >= 4) features.push_back("changeDataFeed");
    features.push_back("inCommitTimestamp");
    protocol.min_writer_version = 7;
    protocol.writer_features = std::move(features);
    return protocol;
  }
  if (SchemaHas(schema, TypeId::kTimestampNtz)) {
    protocol.min_reader_version = 3;
    protocol.min_writer_version = 7;
    protocol.reader_features = std::vector<std::string>{"timestampNtz"};
    protocol.writer_features = std::vector<std::string>{"timestampNtz"};
    if (configuration.count("delta.enableChangeDataFeed") &&
        lower(configuration.at("delta.enableChangeDataFeed")) == "true") {
      protocol.writer_features->push_back("changeDataFeed");
    }
    if (ict) protocol.writer_features->push_back("inCommitTimestamp");
  }
  return protocol;
}

std::optional<Protocol> ProtocolUpgradeFor(const Protocol& current,
                                           const columnar::Schema& schema) {
  if (!SchemaHas(schema, TypeId::kTimestampNtz)) return std::nullopt;
  if (current.min_reader_version == 3 && Contains(current.reader_features, "timestampNtz")) {
    return std::nullopt;
  }
  Protocol upgraded = current;
  upgraded.min_reader_version = 3;
  upgraded.min_writer_version = 7;
  if (!upgraded.reader_features) {
    upgraded.reader_features.emplace();
    // Reader version 2 meant column mapping; version 3 must name it.
    if (current.min_reader_version == 2) upgraded.reader_features->push_back("columnMapping");
  }
  upgraded.reader_features->push_back("timestampNtz");
  if (!upgraded.writer_features) {
    // Moving from a legacy writer version to 7 must list the features it implied.
    upgraded.writer_features.emplace();
    static const std::vector<std::pair<int, std::string>> kLegacy = {
        {2, "appendOnly"},     {2, "invariants"},       {3, "checkConstraints"},
        {4, "changeDataFeed"}, {4, "generatedColumns"}, {5, "columnMapping"},
        {6, "identityColumns"}};
    for (const auto& [version, feature] : kLegacy) {
      if (current.min_writer_version >= version) upgraded.writer_features->push_back(feature);
    }
  }
  if (!Contains(upgraded.writer_features, "timestampNtz")) {
    upgraded.writer_features->push_back("timestampNtz");
  }
  return upgraded;
}

}  // namespace tributary::delta
