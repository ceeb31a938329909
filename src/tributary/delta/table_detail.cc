#include "tributary/delta/table_detail.h"

#include <algorithm>
#include <set>

#include "tributary/delta/time_travel.h"

namespace tributary::delta {

std::vector<std::string> SupportedTableFeatures(const Protocol& protocol) {
  std::set<std::string> features;
  if (protocol.reader_features) features.insert(protocol.reader_features->begin(), protocol.reader_features->end());
  if (protocol.writer_features) features.insert(protocol.writer_features->begin(), protocol.writer_features->end());
  // Legacy versions imply their features; a table-features protocol names them all.
  if (protocol.min_writer_version < 7) {
    int writer = protocol.min_writer_version;
    if (writer >= 2) features.insert({"appendOnly", "invariants"});
    if (writer >= 3) features.insert("checkConstraints");
    if (writer >= 4) features.insert({"changeDataFeed", "generatedColumns"});
    if (writer >= 5 && protocol.min_reader_version >= 2) features.insert("columnMapping");
    if (writer >= 6) features.insert("identityColumns");
  }
  return {features.begin(), features.end()};
}

Result<TableDetail> DescribeDetail(io::FileSystem& fs, const std::string& table_path, const Snapshot& snapshot) {
  TableDetail detail;
  const Metadata& metadata = snapshot.metadata();
  detail.id = metadata.id;
  detail.description = metadata.description;
  detail.location = table_path;
  detail.created_at_ms = metadata.created_time;
  detail.partition_columns = metadata.partition_columns;
  detail.num_files = static_cast<int64_t>(snapshot.files().size());
  for (const AddFile& file : snapshot.files()) detail.size_in_bytes += file.size;
  detail.properties = metadata.configuration;
  detail.min_reader_version = snapshot.protocol().min_reader_version;
  detail.min_writer_version = snapshot.protocol().min_writer_version;
  detail.table_features = SupportedTableFeatures(snapshot.protocol());
  detail.version = snapshot.version();
  detail.schema = snapshot.schema();
  detail.schema_string = metadata.schema_string;
  if (std::optional<int64_t> ict = snapshot.in_commit_timestamp()) {
    detail.last_modified_ms = *ict;
  } else {
    TRIB_ASSIGN_OR_RETURN(std::vector<CommitTimestamp> times,
                          ReadCommitTimestamps(fs, table_path, snapshot, snapshot.version(), snapshot.version()));
    if (!times.empty()) detail.last_modified_ms = times.back().timestamp_ms;
  }
  return detail;
}

}  // namespace tributary::delta
