#include "tributary/delta/snapshot.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "tributary/base/json.h"
#include "tributary/base/log.h"
#include "tributary/columnar/schema_json.h"
#include "tributary/delta/checkpoint_reader.h"

namespace tributary::delta {
namespace {

std::string FileKey(const std::string& path, const std::string& dv_id) {
  return dv_id.empty() ? path : path + '\x1f' + dv_id;
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
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

Result<LogListing> ListLog(io::FileSystem& fs, const std::string& table_path) {
  std::string log_dir = io::JoinPath(table_path, "_delta_log");
  TRIB_ASSIGN_OR_RETURN(bool exists, fs.Exists(log_dir));
  if (!exists) return Status::NotFound("'{}' has no _delta_log directory", table_path);
  TRIB_ASSIGN_OR_RETURN(auto entries, fs.ListDirectory(log_dir));
  LogListing listing;
  for (const io::FileInfo& entry : entries) {
    if (entry.is_directory) continue;
    std::string_view name = entry.path;
    size_t slash = name.rfind('/');
    if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
    if (name.size() < 21 || !AllDigits(name.substr(0, 20)) || name[20] != '.') continue;
    int64_t version = std::stoll(std::string(name.substr(0, 20)));
    std::string_view rest = name.substr(21);
    if (rest == "json") {
      listing.commits.push_back(version);
    } else if (rest.starts_with("checkpoint")) {
      listing.checkpoints.push_back(version);
      listing.checkpoint_files[version].emplace_back(name);
    }
  }
  std::sort(listing.commits.begin(), listing.commits.end());
  std::sort(listing.checkpoints.begin(), listing.checkpoints.end());
  for (auto& [version, names] : listing.checkpoint_files) std::sort(names.begin(), names.end());
  listing.checkpoints.erase(std::unique(listing.checkpoints.begin(), listing.checkpoints.end()),
                            listing.checkpoints.end());
  return listing;
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

namespace {

Status ReplayRange(io::FileSystem& fs, const std::string& table_path, const LogListing& listing,
                   int64_t from, int64_t to, SnapshotBuilder* builder) {
  // Every version in [from, to] must be listed: a gap is a lost commit.
  size_t index = static_cast<size_t>(
      std::lower_bound(listing.commits.begin(), listing.commits.end(), from) -
      listing.commits.begin());
  for (int64_t version = from; version <= to; ++version, ++index) {
    if (index >= listing.commits.size() || listing.commits[index] != version) {
      return Status::Corruption(
          "Delta table '{}': commit file '{}' is missing (the log must hold every version "
          "from {} to {})",
          table_path, io::JoinPath(table_path, CommitFileName(version)), from, to);
    }
    auto actions = ReadCommit(fs, table_path, version);
    if (!actions.ok()) {
      if (actions.status().IsNotFound()) {
        return Status::Corruption("Delta table '{}': commit file '{}' disappeared while reading",
                                  table_path, io::JoinPath(table_path, CommitFileName(version)));
      }
      return actions.status();
    }
    TRIB_RETURN_NOT_OK(builder->Apply(version, *actions,
                                      io::JoinPath(table_path, CommitFileName(version))));
  }
  return Status::OK();
}

}  // namespace

namespace {

// The complete classic checkpoint of `version` in `names`, if any: the single file, or
// all parts of one multi-part set.
std::optional<CheckpointFiles> ClassicCheckpoint(int64_t version, const std::vector<std::string>& names) {
  std::string prefix = fmt::format("{:020d}.checkpoint.", version);
  std::map<int64_t, std::map<int64_t, std::string>> sets;  // part count -> part -> name
  for (const std::string& name : names) {
    if (name == prefix + "parquet") {
      return CheckpointFiles{version, {"_delta_log/" + name}};
    }
    // <v>.checkpoint.<i>.<n>.parquet with 10-digit i and n.
    std::string_view rest = std::string_view(name).substr(prefix.size());
    if (!rest.ends_with(".parquet")) continue;
    rest.remove_suffix(8);
    size_t dot = rest.find('.');
    if (dot == std::string_view::npos) continue;
    std::string_view part = rest.substr(0, dot);
    std::string_view count = rest.substr(dot + 1);
    if (!AllDigits(part) || !AllDigits(count)) continue;
    sets[std::stoll(std::string(count))][std::stoll(std::string(part))] = "_delta_log/" + name;
  }
  for (const auto& [count, parts] : sets) {
    if (static_cast<int64_t>(parts.size()) != count) continue;
    CheckpointFiles files{version, {}};
    for (int64_t i = 1; i <= count; ++i) {
      auto it = parts.find(i);
      if (it == parts.end()) break;
      files.parts.push_back(it->second);
    }
    if (static_cast<int64_t>(files.parts.size()) == count) return files;
  }
  return std::nullopt;
}

}  // namespace

Result<std::shared_ptr<const Snapshot>> LoadSnapshot(io::FileSystem& fs,
                                                     const std::string& table_path,
                                                     std::optional<int64_t> max_version) {
  TRIB_ASSIGN_OR_RETURN(LogListing listing, ListLog(fs, table_path));
  if (listing.commits.empty() && listing.checkpoints.empty()) {
    return Status::NotFound("'{}' has a _delta_log without any commit", table_path);
  }
  int64_t latest = std::max(listing.commits.empty() ? -1 : listing.commits.back(),
                            listing.checkpoints.empty() ? -1 : listing.checkpoints.back());
  if (max_version) {
    if (*max_version > latest) {
      return Status::NotFound("Delta table '{}' has no version {} (latest is {})", table_path,
                              *max_version, latest);
    }
    latest = *max_version;
  }
  // The newest usable checkpoint at or before `latest`.
  std::optional<CheckpointFiles> checkpoint;
  std::optional<int64_t> unreadable_checkpoint;  // a V2 one we cannot use
  for (auto it = listing.checkpoint_files.rbegin(); it != listing.checkpoint_files.rend(); ++it) {
    if (it->first > latest) continue;
    checkpoint = ClassicCheckpoint(it->first, it->second);
    if (checkpoint) break;
    if (!unreadable_checkpoint) unreadable_checkpoint = it->first;
  }
  int64_t first_commit = listing.commits.empty() ? -1 : listing.commits.front();
  bool json_from_zero = first_commit == 0;
  SnapshotBuilder builder;
  int64_t replay_from = 0;
  if (checkpoint) {
    std::string source = io::JoinPath(table_path, checkpoint->parts.front());
    auto actions = ReadCheckpoint(fs, table_path, *checkpoint);
    if (!actions.ok()) {
      // An unreadable checkpoint is not fatal when the JSON commits cover the state.
      if (!json_from_zero || actions.status().IsIOError()) return actions.status();
      log::Warn("Delta table '{}': replaying JSON commits from version 0 instead of checkpoint {}: {}",
                table_path, checkpoint->version, actions.status().ToString());
    } else {
      TRIB_RETURN_NOT_OK(builder.ApplyCheckpoint(checkpoint->version, *actions, source));
      replay_from = checkpoint->version + 1;
    }
  }
  if (replay_from == 0 && !json_from_zero) {
    if (unreadable_checkpoint) {
      return Status::NotImplemented(
          "Delta table '{}': JSON commits before version {} were cleaned up and only a V2 "
          "checkpoint (feature v2Checkpoint) of version {} holds that state; reading V2 "
          "checkpoints is not implemented yet",
          table_path, first_commit, *unreadable_checkpoint);
    }
    return Status::Corruption(
        "Delta table '{}': commit file '{}' is missing and no checkpoint covers it", table_path,
        io::JoinPath(table_path, CommitFileName(0)));
  }
  TRIB_RETURN_NOT_OK(ReplayRange(fs, table_path, listing, replay_from, latest, &builder));
  return builder.Finish(table_path);
}

Result<std::shared_ptr<const Snapshot>> UpdateSnapshot(io::FileSystem& fs,
                                                       const std::string& table_path,
                                                       std::shared_ptr<const Snapshot> base) {
  TRIB_ASSIGN_OR_RETURN(LogListing listing, ListLog(fs, table_path));
  if (listing.commits.empty() || listing.commits.back() <= base->version()) return base;
  SnapshotBuilder builder(*base);
  TRIB_RETURN_NOT_OK(ReplayRange(fs, table_path, listing, base->version() + 1,
                                 listing.commits.back(), &builder));
  return builder.Finish(table_path);
}

}  // namespace tributary::delta
