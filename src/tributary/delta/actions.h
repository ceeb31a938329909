#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tributary/base/result.h"

namespace tributary::delta {

/// `protocol`: the reader and writer versions (and features, for versions 3 and 7).
struct Protocol {
  int min_reader_version = 1;
  int min_writer_version = 2;
  /// Present exactly when min_reader_version == 3.
  std::optional<std::vector<std::string>> reader_features;
  /// Present exactly when min_writer_version == 7.
  std::optional<std::vector<std::string>> writer_features;

  bool operator==(const Protocol&) const = default;
};

/// `metaData`: table id, schema (as Delta schema JSON text), partitioning, properties.
struct Metadata {
  std::string id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::string format_provider = "parquet";
  std::map<std::string, std::string> format_options;
  std::string schema_string;
  std::vector<std::string> partition_columns;
  std::map<std::string, std::string> configuration;
  std::optional<int64_t> created_time;

  bool operator==(const Metadata&) const = default;
};

/// Partition values as Delta stores them: a missing value (JSON null) is nullopt.
using PartitionValues = std::map<std::string, std::optional<std::string>>;

/// A deletion vector descriptor (PROTOCOL.md "Deletion Vector Descriptor Schema"): the
/// rows of a data file that are logically deleted.
struct DeletionVectorDescriptor {
  /// "u": a file under the table root named after a Z85-encoded UUID (with an optional
  /// random prefix); "i": inline, the Z85-encoded bitmap itself; "p": an absolute path.
  std::string storage_type;
  std::string path_or_inline_dv;
  /// Where the DV starts in its file; absent for inline DVs.
  std::optional<int32_t> offset;
  /// The serialized bitmap's size in bytes (before Z85 encoding when inline).
  int32_t size_in_bytes = 0;
  /// How many rows it deletes.
  int64_t cardinality = 0;

  /// storageType + pathOrInlineDv [+ "@" + offset]: the DV's part of a file's identity.
  std::string UniqueId() const;

  bool operator==(const DeletionVectorDescriptor&) const = default;
};

/// `add`: a data file that is part of the table.
struct AddFile {
  /// RFC 2396 URI relative to the table root (percent-encoded).
  std::string path;
  PartitionValues partition_values;
  int64_t size = 0;
  int64_t modification_time = 0;
  bool data_change = true;
  /// The stats JSON text; empty when the file has none.
  std::string stats;
  std::map<std::string, std::string> tags;
  /// The deletion vector's unique id (storageType + pathOrInlineDv [+ "@" + offset]),
  /// empty when the file has none. Part of the file's identity in log replay.
  std::string deletion_vector_id;
  /// The deletion vector itself; set exactly when deletion_vector_id is not empty.
  std::optional<DeletionVectorDescriptor> deletion_vector;

  bool operator==(const AddFile&) const = default;
};

/// `remove`: a tombstone for a file that left the table.
struct RemoveFile {
  std::string path;
  std::optional<int64_t> deletion_timestamp;
  bool data_change = true;
  std::optional<bool> extended_file_metadata;
  std::optional<PartitionValues> partition_values;
  std::optional<int64_t> size;
  std::string deletion_vector_id;
  std::optional<DeletionVectorDescriptor> deletion_vector;

  bool operator==(const RemoveFile&) const = default;
};

/// `txn`: the last version an application (a streaming query) committed.
struct SetTransaction {
  std::string app_id;
  int64_t version = 0;
  std::optional<int64_t> last_updated;

  bool operator==(const SetTransaction&) const = default;
};

/// `commitInfo`: free-form provenance, kept as its JSON object text.
struct CommitInfo {
  std::string json;

  bool operator==(const CommitInfo&) const = default;
};

/// The commit's inCommitTimestamp (ms), when its commitInfo carries one.
std::optional<int64_t> InCommitTimestamp(const CommitInfo& info);

/// An action kind this engine does not model (cdc, domainMetadata, ...), kept by name
/// so that writers can refuse what they cannot preserve.
struct OtherAction {
  std::string kind;
  std::string json;

  bool operator==(const OtherAction&) const = default;
};

using Action = std::variant<Protocol, Metadata, AddFile, RemoveFile, SetTransaction, CommitInfo,
                            OtherAction>;

/// One action as a single line of JSON (no trailing newline), e.g. {"add":{...}}.
std::string ActionToJson(const Action& action);

/// Parses one line of a commit file. `source` names the file for errors.
/// Errors: Corruption naming `source` and the line number when the JSON is malformed or
/// a required field is missing or mistyped.
Result<Action> ParseAction(std::string_view line, std::string_view source, int64_t line_number);

/// Parses a whole commit file (newline-delimited JSON; blank lines ignored).
Result<std::vector<Action>> ParseCommit(std::string_view content, std::string_view source);

/// The whole commit as newline-delimited JSON, each line ending with '\n'.
std::string CommitToJson(const std::vector<Action>& actions);

/// `_delta_log/00000000000000000007.json` for version 7 (relative to the table root).
std::string CommitFileName(int64_t version);
/// `00000000000000000010.checkpoint.parquet`.
std::string CheckpointFileName(int64_t version);

}  // namespace tributary::delta
