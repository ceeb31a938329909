#include "tributary/base/uuid.h"
#include "tributary/streaming/checkpoint.h"

#include <algorithm>
#include <charconv>
#include <random>

#include "tributary/base/json.h"
#include "tributary/base/log.h"

namespace tributary::streaming {

namespace {

constexpr std::string_view kOffsetsLog = "offsets";
constexpr std::string_view kCommitsLog = "commits";

std::optional<int64_t> ParseBatchName(std::string_view name) {
  if (name.empty() || name.size() > 18) return std::nullopt;
  int64_t value = 0;
  auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), value);
  if (error != std::errc() || end != name.data() + name.size() || value < 0) return std::nullopt;
  return value;
}

// Splits on '\n', dropping one trailing empty line.
std::vector<std::string_view> SplitLines(std::string_view content) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= content.size()) {
    size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    lines.push_back(content.substr(start, end - start));
    start = end + 1;
  }
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// Spark writes "v1"; a higher version comes from a newer writer we cannot read.
Status CheckVersionLine(std::string_view line, const std::string& path) {
  if (line == "v1") return Status::OK();
  if (line.size() > 1 && line[0] == 'v') {
    return Status::Corruption("'{}' has log version '{}'; this Tributary reads only v1", path, line);
  }
  return Status::Corruption("'{}' does not start with a log version line (expected 'v1', got '{}')", path,
                            line.substr(0, 40));
}

}  // namespace

std::string SerializeOffsets(const OffsetEntry& entry) {
  JsonWriter metadata;
  metadata.StartObject()
      .Key("batchWatermarkMs")
      .Int(entry.batch_watermark_ms)
      .Key("batchTimestampMs")
      .Int(entry.batch_timestamp_ms)
      .Key("conf")
      .StartObject()
      .EndObject()
      .EndObject();
  std::string out = "v1\n" + metadata.Finish();
  for (const std::string& offset : entry.source_offsets) {
    out += '\n';
    out += offset;
  }
  return out;
}

Result<OffsetEntry> ParseOffsets(std::string_view content, int64_t batch_id, const std::string& path) {
  std::vector<std::string_view> lines = SplitLines(content);
  if (lines.size() < 2) return Status::Corruption("offsets file '{}' is incomplete ({} lines)", path, lines.size());
  TRIB_RETURN_NOT_OK(CheckVersionLine(lines[0], path));
  OffsetEntry entry;
  entry.batch_id = batch_id;
  auto metadata = ParseJson(lines[1]);
  if (!metadata.ok() || !metadata->is_object()) {
    return Status::Corruption("offsets file '{}' line 2 is not a metadata object: {}", path,
                              metadata.ok() ? "not an object" : metadata.status().message());
  }
  if (const JsonValue* value = metadata->Find("batchWatermarkMs"); value && value->is_int()) {
    entry.batch_watermark_ms = value->int_value();
  }
  if (const JsonValue* value = metadata->Find("batchTimestampMs"); value && value->is_int()) {
    entry.batch_timestamp_ms = value->int_value();
  }
  for (size_t i = 2; i < lines.size(); ++i) {
    auto offset = ParseJson(lines[i]);
    if (!offset.ok()) {
      return Status::Corruption("offsets file '{}' line {} is not JSON: {}", path, i + 1, offset.status().message());
    }
    entry.source_offsets.emplace_back(lines[i]);
  }
  return entry;
}

Result<std::unique_ptr<Checkpoint>> Checkpoint::Open(std::shared_ptr<io::FileSystem> fs, std::string dir) {
  if (dir.empty()) return Status::Invalid("option 'checkpointLocation' is empty");
  TRIB_RETURN_NOT_OK(fs->CreateDirectories(dir));
  std::string metadata_path = io::JoinPath(dir, "metadata");
  TRIB_ASSIGN_OR_RETURN(bool exists, fs->Exists(metadata_path));
  if (!exists) {
    JsonWriter writer;
    writer.StartObject().Key("id").String(RandomUuid()).EndObject();
    Status put = fs->PutIfAbsent(metadata_path, writer.Finish());
    if (!put.ok() && !put.IsAlreadyExists()) return put;
  }
  TRIB_ASSIGN_OR_RETURN(std::string content, fs->ReadFile(metadata_path));
  auto json = ParseJson(content);
  if (!json.ok()) {
    return Status::Corruption("checkpoint metadata '{}' is not JSON: {}", metadata_path, json.status().message());
  }
  auto id = json->GetString("id");
  if (!id.ok() || id->empty()) {
    return Status::Corruption("checkpoint metadata '{}' has no query id: {}", metadata_path,
                              id.ok() ? "empty id" : id.status().message());
  }
  for (std::string_view log : {kOffsetsLog, kCommitsLog}) {
    TRIB_RETURN_NOT_OK(fs->CreateDirectories(io::JoinPath(dir, log)));
  }
  return std::unique_ptr<Checkpoint>(new Checkpoint(std::move(fs), std::move(dir), *id));
}

std::string Checkpoint::SourceDir(int index) const {
  return io::JoinPath(io::JoinPath(dir_, "sources"), std::to_string(index));
}

Result<std::vector<int64_t>> Checkpoint::ListBatches(const std::string& log) const {
  std::string log_dir = io::JoinPath(dir_, log);
  auto entries = fs_->ListDirectory(log_dir);
  if (!entries.ok()) {
    if (entries.status().IsNotFound()) return std::vector<int64_t>{};
    return entries.status();
  }
  std::vector<int64_t> ids;
  for (const io::FileInfo& info : *entries) {
    std::string_view name = info.path;
    name = name.substr(name.rfind('/') + 1);
    if (name.empty() || name[0] == '.') continue;  // temporary files of atomic writes
    std::optional<int64_t> id = ParseBatchName(name);
    if (!id || info.is_directory) {
      log::Warn("ignoring '{}' in checkpoint log '{}': not a batch file", name, log_dir);
      continue;
    }
    ids.push_back(*id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<OffsetEntry> Checkpoint::ReadOffsets(int64_t batch_id) const {
  std::string path = io::JoinPath(io::JoinPath(dir_, kOffsetsLog), std::to_string(batch_id));
  auto content = fs_->ReadFile(path);
  if (!content.ok()) {
    if (content.status().IsNotFound()) {
      return Status::Corruption("offsets file '{}' is missing (batch {} is needed to recover)", path, batch_id);
    }
    return content.status();
  }
  return ParseOffsets(*content, batch_id, path);
}

Result<RecoveredState> Checkpoint::Recover() const {
  RecoveredState state;
  TRIB_ASSIGN_OR_RETURN(std::vector<int64_t> offsets, ListBatches(std::string(kOffsetsLog)));
  TRIB_ASSIGN_OR_RETURN(std::vector<int64_t> commits, ListBatches(std::string(kCommitsLog)));
  if (!commits.empty()) {
    std::string path = io::JoinPath(io::JoinPath(dir_, kCommitsLog), std::to_string(commits.back()));
    TRIB_ASSIGN_OR_RETURN(std::string content, fs_->ReadFile(path));
    std::vector<std::string_view> lines = SplitLines(content);
    if (lines.empty()) return Status::Corruption("commit file '{}' is empty", path);
    TRIB_RETURN_NOT_OK(CheckVersionLine(lines[0], path));
    state.latest_commit = commits.back();
  }
  if (offsets.empty()) {
    if (state.latest_commit) {
      return Status::Corruption("checkpoint '{}' has commits/{} but no offsets files", dir_, *state.latest_commit);
    }
    return state;
  }
  int64_t latest = offsets.back();
  TRIB_ASSIGN_OR_RETURN(OffsetEntry latest_entry, ReadOffsets(latest));
  state.latest_offsets = std::move(latest_entry);
  if (state.latest_commit && *state.latest_commit > latest) {
    return Status::Corruption("checkpoint '{}': commits/{} has no offsets file (latest offsets are batch {})", dir_,
                              *state.latest_commit, latest);
  }
  // Only the latest batch may be uncommitted: batch N is written only after N-1 committed.
  int64_t committed = state.latest_commit.value_or(-1);
  if (committed < latest - 1) {
    return Status::Corruption(
        "checkpoint '{}': offsets/{} exists but the latest commit is {}; batches in between were never "
        "committed",
        dir_, latest, state.latest_commit ? std::to_string(committed) : std::string("none"));
  }
  if (latest > 0) {
    // The start of the latest batch's range (or the committed end, for a new batch).
    auto previous = ReadOffsets(latest - 1);
    if (!previous.ok()) {
      if (state.HasUncommittedBatch()) return previous.status();
    } else {
      state.previous_offsets = std::move(*previous);
    }
  }
  return state;
}

Status Checkpoint::WriteOffsets(const OffsetEntry& entry) {
  std::string path = io::JoinPath(io::JoinPath(dir_, kOffsetsLog), std::to_string(entry.batch_id));
  Status status = fs_->PutIfAbsent(path, SerializeOffsets(entry));
  if (status.IsAlreadyExists()) {
    return Status::Conflict("offsets file '{}' was written by someone else: is another query running on "
                            "checkpoint '{}'?",
                            path, dir_);
  }
  return status;
}

Status Checkpoint::WriteCommit(int64_t batch_id) {
  std::string path = io::JoinPath(io::JoinPath(dir_, kCommitsLog), std::to_string(batch_id));
  Status status = fs_->PutIfAbsent(path, "v1\n{\"nextBatchWatermarkMs\":0}");
  if (status.IsAlreadyExists()) {
    return Status::Conflict("commit file '{}' was written by someone else: is another query running on "
                            "checkpoint '{}'?",
                            path, dir_);
  }
  return status;
}

Status Checkpoint::Purge(int64_t latest_batch_id, int64_t min_batches_to_retain) {
  int64_t threshold = latest_batch_id + 1 - min_batches_to_retain;
  if (threshold <= 0) return Status::OK();
  // Commits first: a commit without its offsets would read as corruption.
  for (std::string_view log : {kCommitsLog, kOffsetsLog}) {
    TRIB_ASSIGN_OR_RETURN(std::vector<int64_t> ids, ListBatches(std::string(log)));
    for (int64_t id : ids) {
      if (id >= threshold) break;
      TRIB_RETURN_NOT_OK(fs_->DeleteFile(io::JoinPath(io::JoinPath(dir_, log), std::to_string(id))));
    }
  }
  return Status::OK();
}

Result<std::string> CheckpointLocationOption(const OptionMap& sink_options) {
  std::string checkpoint = sink_options.GetString("checkpointLocation", "");
  if (checkpoint.empty()) {
    return Status::Invalid("option 'checkpointLocation' is required for a streaming query: it holds the offsets "
                           "and commits that make the query exactly-once across restarts");
  }
  return io::AbsolutePath(checkpoint);
}

}  // namespace tributary::streaming
