// Finding and reading the files of a Delta log: listing, _last_checkpoint, checkpoints,
// log compaction files and commits (LoadSnapshot, UpdateSnapshot).
#include <algorithm>

#include <fmt/format.h>

#include "tributary/base/log.h"
#include "tributary/delta/checkpoint_reader.h"
#include "tributary/delta/snapshot.h"

namespace tributary::delta {
namespace {

constexpr size_t kVersionDigits = 20;
constexpr std::string_view kCompactedSuffix = ".compacted.json";

std::optional<int64_t> ParseVersion(std::string_view digits) {
  if (digits.size() != kVersionDigits) return std::nullopt;
  int64_t version = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    if (version > (INT64_MAX - (c - '0')) / 10) return std::nullopt;
    version = version * 10 + (c - '0');
  }
  return version;
}

std::string CompactionFileName(int64_t first, int64_t last) {
  return fmt::format("_delta_log/{:020d}.{:020d}.compacted.json", first, last);
}

// The last version of the longest compaction starting at `first` that ends before
// `to`, if any.
std::optional<int64_t> CompactionEnd(const LogListing& listing, int64_t first, int64_t to) {
  auto it = listing.compactions.find(first);
  if (it == listing.compactions.end()) return std::nullopt;
  std::optional<int64_t> best;
  for (int64_t last : it->second) {
    if (last < to) best = last;
  }
  return best;
}

// Applies the compaction [first, last]; false (after a warning) when it cannot be read,
// so that the caller reads the commits instead: compaction files are optional.
Result<bool> ApplyCompactionFile(io::FileSystem& fs, const std::string& table_path, int64_t first,
                                 int64_t last, SnapshotBuilder* builder) {
  std::string file = io::JoinPath(table_path, CompactionFileName(first, last));
  auto content = fs.ReadFile(file);
  if (!content.ok()) {
    if (content.status().IsIOError()) return content.status();
    log::Warn("Delta table '{}': reading commits instead of '{}': {}", table_path, file,
              content.status().ToString());
    return false;
  }
  auto actions = ParseCommit(*content, file);
  if (!actions.ok()) {
    log::Warn("Delta table '{}': reading commits instead of '{}': {}", table_path, file,
              actions.status().ToString());
    return false;
  }
  TRIB_RETURN_NOT_OK(builder->ApplyCompaction(first, last, *actions, file));
  return true;
}

// Applies versions [from, to] from compaction files and commits.
Status ReplayRange(io::FileSystem& fs, const std::string& table_path, const LogListing& listing,
                   int64_t from, int64_t to, SnapshotBuilder* builder) {
  int64_t version = from;
  while (version <= to) {
    if (std::optional<int64_t> last = CompactionEnd(listing, version, to)) {
      TRIB_ASSIGN_OR_RETURN(bool applied, ApplyCompactionFile(fs, table_path, version, *last, builder));
      if (applied) {
        version = *last + 1;
        continue;
      }
    }
    std::string file = io::JoinPath(table_path, CommitFileName(version));
    // Every version in [from, to] must be listed: a gap is a lost commit.
    if (!std::binary_search(listing.commits.begin(), listing.commits.end(), version)) {
      return Status::Corruption(
          "Delta table '{}': commit file '{}' is missing (the log must hold every version "
          "from {} to {})",
          table_path, file, from, to);
    }
    auto actions = ReadCommit(fs, table_path, version);
    if (!actions.ok()) {
      if (actions.status().IsNotFound()) {
        return Status::Corruption("Delta table '{}': commit file '{}' disappeared while reading",
                                  table_path, file);
      }
      return actions.status();
    }
    TRIB_RETURN_NOT_OK(builder->Apply(version, *actions, file));
    ++version;
  }
  return Status::OK();
}

// Why `target` cannot be loaded when neither commit 0 nor a checkpoint at or before it
// is there.
Status VersionUnavailable(const std::string& table_path, const LogListing& listing, int64_t target) {
  for (const auto& [version, names] : listing.checkpoint_files) {
    if (version > target && !CompleteCheckpoints(version, names).empty()) {
      return Status::NotFound(
          "Delta table '{}': version {} cannot be loaded: the log files up to it were removed "
          "by log cleanup (delta.logRetentionDuration) and no checkpoint at or before it is "
          "left; the earliest version that can be loaded is {}",
          table_path, target, version);
    }
  }
  return Status::Corruption(
      "Delta table '{}': commit file '{}' is missing and no checkpoint covers it", table_path,
      io::JoinPath(table_path, CommitFileName(0)));
}

// Loads `max_version` (the latest listed when nullopt) from `listing`. With a `partial`
// listing (from _last_checkpoint's version on), nullopt when it has no usable
// checkpoint: the caller then lists the whole log.
using MaybeSnapshot = std::optional<std::shared_ptr<const Snapshot>>;

Result<MaybeSnapshot> LoadFromListing(
    io::FileSystem& fs, const std::string& table_path, const LogListing& listing,
    std::optional<int64_t> max_version, bool partial) {
  if (listing.commits.empty() && listing.checkpoints.empty()) {
    if (partial) return MaybeSnapshot();
    return Status::NotFound("'{}' has a _delta_log without any commit", table_path);
  }
  int64_t latest = std::max(listing.commits.empty() ? -1 : listing.commits.back(),
                            listing.checkpoints.empty() ? -1 : listing.checkpoints.back());
  if (max_version && *max_version > latest) {
    return Status::NotFound("Delta table '{}' has no version {} (latest is {})", table_path,
                            *max_version, latest);
  }
  int64_t target = max_version.value_or(latest);
  SnapshotBuilder builder;
  int64_t replay_from = -1;
  Status checkpoint_error;
  for (auto it = listing.checkpoint_files.rbegin();
       it != listing.checkpoint_files.rend() && replay_from < 0; ++it) {
    if (it->first > target) continue;
    for (const CheckpointFiles& checkpoint : CompleteCheckpoints(it->first, it->second)) {
      auto actions = ReadCheckpoint(fs, table_path, checkpoint);
      if (actions.ok()) {
        TRIB_RETURN_NOT_OK(builder.ApplyCheckpoint(
            checkpoint.version, *actions, io::JoinPath(table_path, checkpoint.parts.front())));
        replay_from = checkpoint.version + 1;
        break;
      }
      if (actions.status().IsIOError()) return actions.status();
      // An older checkpoint, or the commits from 0, may still hold the state.
      log::Warn("Delta table '{}': not using checkpoint '{}': {}", table_path,
                io::JoinPath(table_path, checkpoint.parts.front()), actions.status().ToString());
      if (checkpoint_error.ok()) checkpoint_error = actions.status();
    }
  }
  if (replay_from < 0) {
    if (partial) return MaybeSnapshot();
    if (listing.commits.empty() || listing.commits.front() != 0) {
      if (!checkpoint_error.ok()) return checkpoint_error;
      return VersionUnavailable(table_path, listing, target);
    }
    replay_from = 0;
  }
  TRIB_RETURN_NOT_OK(ReplayRange(fs, table_path, listing, replay_from, target, &builder));
  TRIB_ASSIGN_OR_RETURN(auto snapshot, builder.Finish(table_path));
  return MaybeSnapshot(std::move(snapshot));
}

}  // namespace

std::optional<LogFileName> ParseLogFileName(std::string_view name) {
  if (name.size() <= kVersionDigits || name[kVersionDigits] != '.') return std::nullopt;
  std::optional<int64_t> version = ParseVersion(name.substr(0, kVersionDigits));
  if (!version) return std::nullopt;
  std::string_view rest = name.substr(kVersionDigits + 1);
  using Kind = LogFileName::Kind;
  if (rest == "json") return LogFileName{Kind::kCommit, *version, *version};
  if (rest == "crc") return LogFileName{Kind::kChecksum, *version, *version};
  if (rest.starts_with("checkpoint.")) return LogFileName{Kind::kCheckpoint, *version, *version};
  if (rest.size() == kVersionDigits + kCompactedSuffix.size() && rest.ends_with(kCompactedSuffix)) {
    std::optional<int64_t> last = ParseVersion(rest.substr(0, kVersionDigits));
    if (last && *last >= *version) return LogFileName{Kind::kCompaction, *version, *last};
  }
  return std::nullopt;
}

Result<LogListing> ListLog(io::FileSystem& fs, const std::string& table_path, int64_t from_version) {
  std::string log_dir = io::JoinPath(table_path, "_delta_log");
  TRIB_ASSIGN_OR_RETURN(bool exists, fs.Exists(log_dir));
  if (!exists) return Status::NotFound("'{}' has no _delta_log directory", table_path);
  TRIB_ASSIGN_OR_RETURN(auto entries, fs.ListDirectory(log_dir));
  LogListing listing;
  for (const io::FileInfo& entry : entries) {
    if (entry.is_directory) continue;
    std::string_view name = entry.path;
    if (size_t slash = name.rfind('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
    std::optional<LogFileName> file = ParseLogFileName(name);
    if (!file || file->version < from_version) continue;
    switch (file->kind) {
      case LogFileName::Kind::kCommit:
        listing.commits.push_back(file->version);
        break;
      case LogFileName::Kind::kCheckpoint:
        listing.checkpoints.push_back(file->version);
        listing.checkpoint_files[file->version].emplace_back(name);
        break;
      case LogFileName::Kind::kCompaction:
        listing.compactions[file->version].push_back(file->end_version);
        break;
      case LogFileName::Kind::kChecksum:
        break;
    }
  }
  std::sort(listing.commits.begin(), listing.commits.end());
  std::sort(listing.checkpoints.begin(), listing.checkpoints.end());
  listing.checkpoints.erase(std::unique(listing.checkpoints.begin(), listing.checkpoints.end()),
                            listing.checkpoints.end());
  for (auto& [version, names] : listing.checkpoint_files) std::sort(names.begin(), names.end());
  for (auto& [first, lasts] : listing.compactions) std::sort(lasts.begin(), lasts.end());
  return listing;
}

Result<std::shared_ptr<const Snapshot>> LoadSnapshot(io::FileSystem& fs,
                                                     const std::string& table_path,
                                                     std::optional<int64_t> max_version) {
  // _last_checkpoint says where the newest checkpoint is, so nothing before it needs
  // listing or reading; it is a hint only, overwritten in place and possibly stale.
  std::optional<int64_t> hint = ReadLastCheckpointVersion(fs, table_path);
  if (hint && (!max_version || *hint <= *max_version)) {
    TRIB_ASSIGN_OR_RETURN(LogListing tail, ListLog(fs, table_path, *hint));
    TRIB_ASSIGN_OR_RETURN(auto loaded, LoadFromListing(fs, table_path, tail, max_version, true));
    if (loaded) return std::move(*loaded);
    log::Warn("Delta table '{}': _last_checkpoint names version {}, but no usable checkpoint "
              "is there or after it; listing the whole log",
              table_path, *hint);
  }
  TRIB_ASSIGN_OR_RETURN(LogListing listing, ListLog(fs, table_path));
  Result<MaybeSnapshot> full = LoadFromListing(fs, table_path, listing, max_version, false);
  if (!full.ok()) return full.status();
  if (!full->has_value()) return Status::Corruption("Delta table '{}': no snapshot could be loaded", table_path);
  return full->value();
}

Result<std::shared_ptr<const Snapshot>> UpdateSnapshot(io::FileSystem& fs,
                                                       const std::string& table_path,
                                                       std::shared_ptr<const Snapshot> base) {
  TRIB_ASSIGN_OR_RETURN(LogListing listing, ListLog(fs, table_path, base->version() + 1));
  if (listing.commits.empty() || listing.commits.back() <= base->version()) return base;
  SnapshotBuilder builder(*base);
  TRIB_RETURN_NOT_OK(ReplayRange(fs, table_path, listing, base->version() + 1,
                                 listing.commits.back(), &builder));
  return builder.Finish(table_path);
}

}  // namespace tributary::delta
