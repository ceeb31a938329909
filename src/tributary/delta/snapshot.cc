#include "tributary/delta/snapshot.h"

#include <algorithm>

#include <fmt/format.h>

#include "tributary/base/json.h"
#include "tributary/base/log.h"
#include "tributary/columnar/schema_json.h"

namespace tributary::delta {
namespace {

std::string FileKey(const std::string& path, const std::string& dv_id) {
  return dv_id.empty() ? path : path + '\x1f' + dv_id;
}

std::optional<int64_t> NumRecords(const std::string& stats) {
  if (stats.empty()) return std::nullopt;
  auto parsed = ParseJson(stats);
  if (!parsed.ok()) return std::nullopt;
  const JsonValue* value = parsed->Find("numRecords");
  if (value == nullptr || !value->is_int()) return std::nullopt;
  return value->int_value();
}

}  // namespace

std::optional<int64_t> InCommitTimestamp(const CommitInfo& info) {
  // Most commits have none: look before parsing.
  if (info.json.find("\"inCommitTimestamp\"") == std::string::npos) return std::nullopt;
  auto parsed = ParseJson(info.json);
  if (!parsed.ok()) return std::nullopt;
  const JsonValue* value = parsed->Find("inCommitTimestamp");
  if (value == nullptr || !value->is_int()) return std::nullopt;
  return value->int_value();
}

std::optional<int64_t> Snapshot::TxnVersion(std::string_view app_id) const {
  auto it = transactions_.find(app_id);
  if (it == transactions_.end()) return std::nullopt;
  return it->second.version;
}

std::string Snapshot::Property(std::string_view key, std::string_view fallback) const {
  auto it = metadata_.configuration.find(std::string(key));
  return it == metadata_.configuration.end() ? std::string(fallback) : it->second;
}

SnapshotBuilder::SnapshotBuilder() : state_(std::make_unique<Snapshot>()) {}

SnapshotBuilder::SnapshotBuilder(const Snapshot& base)
    : state_(std::make_unique<Snapshot>(base)),
      has_protocol_(true),
      has_metadata_(true),
      metadata_changed_(false) {
  // The vectors are rebuilt by Finish() from the maps.
  state_->files_.clear();
  state_->tombstones_.clear();
}

Status SnapshotBuilder::Apply(int64_t version, const std::vector<Action>& actions,
                              std::string_view source) {
  if (state_ == nullptr) {
    state_ = std::make_unique<Snapshot>(*last_);
    state_->files_.clear();
    state_->tombstones_.clear();
    last_.reset();
  }
  if (version != state_->version_ + 1) {
    return Status::Corruption("{}: expected commit version {} after {}, got {}", source,
                              state_->version_ + 1, state_->version_, version);
  }
  bool saw_protocol = false;
  bool saw_metadata = false;
  state_->in_commit_timestamp_.reset();
  for (const Action& action : actions) {
    if (const auto* info = std::get_if<CommitInfo>(&action)) {
      state_->in_commit_timestamp_ = InCommitTimestamp(*info);
      continue;
    }
    if (const auto* p = std::get_if<Protocol>(&action)) {
      if (saw_protocol) return Status::Corruption("{}: two protocol actions in one commit", source);
      saw_protocol = has_protocol_ = true;
      state_->protocol_ = *p;
    } else if (const auto* m = std::get_if<Metadata>(&action)) {
      if (saw_metadata) return Status::Corruption("{}: two metaData actions in one commit", source);
      saw_metadata = has_metadata_ = metadata_changed_ = true;
      state_->metadata_ = *m;
    } else if (const auto* add = std::get_if<AddFile>(&action)) {
      std::string key = FileKey(add->path, add->deletion_vector_id);
      state_->tombstones_by_key_.erase(key);
      state_->files_by_key_[key] = *add;
    } else if (const auto* remove = std::get_if<RemoveFile>(&action)) {
      std::string key = FileKey(remove->path, remove->deletion_vector_id);
      state_->files_by_key_.erase(key);
      state_->tombstones_by_key_[key] = *remove;
    } else if (const auto* txn = std::get_if<SetTransaction>(&action)) {
      state_->transactions_[txn->app_id] = *txn;
    } else if (const auto* other = std::get_if<OtherAction>(&action);
               other != nullptr && other->kind != "cdc") {
      // cdc files never enter checkpoints; anything else unmodelled might have to.
      auto& kinds = state_->other_kinds_;
      if (std::find(kinds.begin(), kinds.end(), other->kind) == kinds.end()) {
        kinds.push_back(other->kind);
      }
    }
  }
  state_->version_ = version;
  return Status::OK();
}

Status SnapshotBuilder::ApplyCheckpoint(int64_t version, const std::vector<Action>& actions,
                                        std::string_view source) {
  if (state_ == nullptr || state_->version_ != -1) {
    return Status::Invalid("{}: a checkpoint can only start a log replay", source);
  }
  state_->version_ = version - 1;
  return Apply(version, actions, source);
}

Status SnapshotBuilder::ApplyCompaction(int64_t first, int64_t last,
                                        const std::vector<Action>& actions, std::string_view source) {
  if (last < first) return Status::Corruption("{}: log compaction ends before it starts", source);
  TRIB_RETURN_NOT_OK(Apply(first, actions, source));
  state_->version_ = last;
  state_->in_commit_timestamp_.reset();
  return Status::OK();
}

Result<std::shared_ptr<const Snapshot>> SnapshotBuilder::Finish(std::string_view table_path) {
  if (state_ == nullptr) return last_;
  if (!has_protocol_ || !has_metadata_) {
    return Status::Corruption("Delta table '{}': the log up to version {} has no {} action",
                              table_path, state_->version_,
                              has_protocol_ ? "metaData" : "protocol");
  }
  if (metadata_changed_) {
    auto schema = columnar::SchemaFromJson(state_->metadata_.schema_string);
    if (!schema.ok()) {
      return Status::Corruption("Delta table '{}': cannot read the schema at version {}: {}",
                                table_path, state_->version_, schema.status().message());
    }
    state_->schema_ = std::move(schema).value();
  }
  state_->num_records_ = 0;
  state_->num_records_exact_ = true;
  state_->files_.reserve(state_->files_by_key_.size());
  for (const auto& [key, file] : state_->files_by_key_) {
    state_->files_.push_back(file);
    std::optional<int64_t> records = NumRecords(file.stats);
    if (records) {
      state_->num_records_ += *records;
    } else {
      state_->num_records_exact_ = false;
    }
  }
  for (const auto& [key, tombstone] : state_->tombstones_by_key_) {
    state_->tombstones_.push_back(tombstone);
  }
  std::shared_ptr<const Snapshot> result(std::move(state_));
  last_ = result;  // copied again only if more commits are applied
  metadata_changed_ = false;
  return result;
}

Result<std::vector<Action>> ReadCommit(io::FileSystem& fs, const std::string& table_path,
                                       int64_t version) {
  std::string file = io::JoinPath(table_path, CommitFileName(version));
  auto content = fs.ReadFile(file);
  if (!content.ok()) {
    if (content.status().IsNotFound()) return content.status();
    return Status::Corruption("cannot read Delta commit '{}': {}", file,
                              content.status().message());
  }
  return ParseCommit(*content, file);
}

}  // namespace tributary::delta
