#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "tributary/base/result.h"
#include "tributary/io/file_system.h"
#include "tributary/streaming/cloud_files/cloud_files_options.h"
#include "tributary/streaming/cloud_files/file_state_store.h"
#include "tributary/streaming/cloud_files/schema_resolution.h"
#include "tributary/streaming/source.h"

namespace tributary::cloud_files {

/// Auto Loader's directory-listing source (`format("cloudFiles")`).
///
/// Each trigger lists the load path (hidden names skipped), records new files in the
/// file state with consecutive sequence numbers (ordered by modification time, then
/// path), and offers the next run of them within maxFilesPerTrigger /
/// maxBytesPerTrigger. An offset is {"seqFrom":a,"seqTo":b}: the batch is exactly the
/// files numbered a..b, read back from the file state on a replay.
///
/// Schema: the user's, or the latest version under cloudFiles.schemaLocation, or one
/// inferred at first start (and written as version 0). Unknown columns in a batch
/// are handled as cloudFiles.schemaEvolutionMode says; addNewColumns writes a new
/// schema version and fails the batch with SchemaChanged before the sink commits.
class CloudFilesSource : public streaming::Source {
 public:
  /// Opens the file state in `state_dir` (`<checkpoint>/sources/0`) and resolves the
  /// schema (inferring it if needed, which lists and reads files).
  static Result<std::unique_ptr<CloudFilesSource>> Open(CloudFilesOptions options, std::shared_ptr<io::FileSystem> fs,
                                                        const std::string& state_dir);
  ~CloudFilesSource() override;

  std::string Description() const override;
  const columnar::Schema& schema() const override { return layout_.output_schema(); }
  Status Restore(const std::optional<std::string>& committed_end) override;
  Status PrepareForAvailableNow() override;
  Result<std::optional<std::string>> LatestOffset(const std::optional<std::string>& start,
                                                  bool rate_limited) override;
  Status GetBatch(const std::optional<std::string>& start, const std::string& end, int64_t batch_id,
                  const format::BatchCallback& on_batch, streaming::SourceBatchStats* stats) override;
  Status Commit(const std::string& end, int64_t batch_id) override;
  streaming::SourceBacklog Backlog() const override;

  /// The file state (for tests and `cloud_files_state`-like inspection).
  FileStateStore& state() { return *state_; }

 private:
  CloudFilesSource(CloudFilesOptions options, std::shared_ptr<io::FileSystem> fs);
  Status Discover();
  // Called when a batch saw columns not in the schema; returns the batch's error.
  Status HandleNewColumns(const std::map<std::string, std::set<std::string>>& new_columns_by_file);

  CloudFilesOptions options_;
  std::shared_ptr<io::FileSystem> fs_;
  std::unique_ptr<format::FileDecoder> decoder_;
  std::unique_ptr<FileStateStore> state_;
  std::optional<SchemaStore> schema_store_;
  std::optional<SchemaVersion> schema_version_;  // when not user-given
  OutputLayout layout_;
  DiscoveryFilter filter_;
  // Files with a sequence number above the last committed batch, by number.
  std::map<int64_t, FileEntry> pending_;
  int64_t offered_seq_ = -1;
  std::optional<int64_t> available_now_bound_;
};

/// {"seqFrom":a,"seqTo":b}.
std::string MakeFileOffset(int64_t seq_from, int64_t seq_to);
/// Parses an offset; Corruption naming the text when it is not one.
Result<std::pair<int64_t, int64_t>> ParseFileOffset(std::string_view offset);

}  // namespace tributary::cloud_files
