#include "tributary/delta/log_cleanup.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <vector>

#include "tributary/delta/checkpoint_reader.h"
#include "tributary/delta/table_properties.h"

namespace tributary::delta {
namespace {

constexpr int64_t kDayMs = 86'400'000;

struct LogFile {
  std::string path;
  LogFileName name;
  int64_t modification_time_ms = 0;
};

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t StartOfDay(int64_t ms) {
  int64_t days = ms / kDayMs;
  if (ms < 0 && ms % kDayMs != 0) --days;
  return days * kDayMs;
}

// Commit times by version, each at least 1 ms after the one before (Spark's
// BufferingLogDeletionIterator does the same), so that "older than the cutoff" is
// monotonic in the version.
std::map<int64_t, int64_t> CommitTimes(const std::vector<LogFile>& files) {
  std::map<int64_t, int64_t> times;
  for (const LogFile& file : files) {
    if (file.name.kind == LogFileName::Kind::kCommit) times[file.name.version] = file.modification_time_ms;
  }
  int64_t previous = INT64_MIN;
  for (auto& [version, time] : times) {
    if (previous != INT64_MIN) time = std::max(time, previous + 1);
    previous = time;
  }
  return times;
}

// When version `version` was committed; `fallback` when its commit is gone.
int64_t VersionTime(io::FileSystem& fs, const std::string& table_path,
                    const std::map<int64_t, int64_t>& commit_times, int64_t version,
                    bool in_commit_timestamps, int64_t fallback) {
  if (in_commit_timestamps) {
    auto actions = ReadCommit(fs, table_path, version);
    if (actions.ok()) {
      for (const Action& action : *actions) {
        if (const auto* info = std::get_if<CommitInfo>(&action)) {
          if (auto timestamp = InCommitTimestamp(*info)) return *timestamp;
        }
      }
    }
  }
  auto it = commit_times.find(version);
  return it == commit_times.end() ? fallback : it->second;
}

// Whether `file` is only needed by versions before the checkpoint `kept`.
bool Expired(const LogFileName& name, int64_t kept) {
  if (name.kind == LogFileName::Kind::kCompaction) {
    // Replay after `kept` starts at kept + 1, so a compaction starting at or before it
    // is never used again.
    return name.version <= kept;
  }
  return name.version < kept;
}

}  // namespace

Result<LogCleanupResult> CleanUpExpiredLogs(io::FileSystem& fs, const std::string& table_path,
                                            const Snapshot& snapshot,
                                            const LogCleanupOptions& options) {
  LogCleanupResult result;
  const auto& configuration = snapshot.configuration();
  TRIB_ASSIGN_OR_RETURN(bool enabled, BoolProperty(configuration, kEnableExpiredLogCleanup, true));
  if (!enabled) return result;
  TRIB_ASSIGN_OR_RETURN(int64_t retention, IntervalProperty(configuration, kLogRetentionDuration,
                                                            kDefaultLogRetentionDuration));
  auto ict_property = BoolProperty(configuration, "delta.enableInCommitTimestamps", false);
  bool in_commit_timestamps = ict_property.ok() && *ict_property;
  int64_t cutoff = StartOfDay(options.now_ms.value_or(NowMs()) - retention);

  std::string log_dir = io::JoinPath(table_path, "_delta_log");
  TRIB_ASSIGN_OR_RETURN(auto entries, fs.ListDirectory(log_dir));
  std::vector<LogFile> files;
  std::map<int64_t, std::vector<std::string>> checkpoint_names;
  std::map<int64_t, int64_t> checkpoint_times;  // the newest file's, by version
  for (const io::FileInfo& entry : entries) {
    if (entry.is_directory) continue;
    std::string_view name = entry.path;
    if (size_t slash = name.rfind('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
    std::optional<LogFileName> parsed = ParseLogFileName(name);
    if (!parsed) continue;
    if (parsed->kind == LogFileName::Kind::kCheckpoint) {
      checkpoint_names[parsed->version].emplace_back(name);
      int64_t& time = checkpoint_times[parsed->version];
      time = std::max(time, entry.modification_time_ms);
    }
    files.push_back(LogFile{entry.path, *parsed, entry.modification_time_ms});
  }
  std::map<int64_t, int64_t> commit_times = CommitTimes(files);

  for (auto it = checkpoint_names.rbegin(); it != checkpoint_names.rend(); ++it) {
    int64_t version = it->first;
    if (version > snapshot.version() || CompleteCheckpoints(version, it->second).empty()) continue;
    int64_t time = VersionTime(fs, table_path, commit_times, version, in_commit_timestamps,
                               checkpoint_times[version]);
    // Times only grow with the version: the first old enough is the newest such.
    if (time <= cutoff) {
      result.kept_checkpoint = version;
      break;
    }
  }
  if (!result.kept_checkpoint) return result;

  // Oldest first: a cleanup cut short leaves a log that still loads.
  std::sort(files.begin(), files.end(), [](const LogFile& a, const LogFile& b) {
    return a.name.version < b.name.version;
  });
  for (const LogFile& file : files) {
    if (!Expired(file.name, *result.kept_checkpoint)) continue;
    TRIB_RETURN_NOT_OK(fs.DeleteFile(file.path));
    ++result.files_deleted;
  }
  return result;
}

}  // namespace tributary::delta
