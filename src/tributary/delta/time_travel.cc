#include "tributary/delta/time_travel.h"

#include <algorithm>
#include <charconv>
#include <map>

#include <fmt/format.h>

#include "tributary/base/ascii.h"
#include "tributary/columnar/temporal.h"
#include "tributary/format/csv/spark_datetime.h"

namespace tributary::delta {
namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

std::optional<int64_t> ParseVersionNumber(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

Result<int64_t> ReadInCommitTimestamp(io::FileSystem& fs, const std::string& table_path, int64_t version) {
  TRIB_ASSIGN_OR_RETURN(std::vector<Action> actions, ReadCommit(fs, table_path, version));
  for (const Action& action : actions) {
    if (const auto* info = std::get_if<CommitInfo>(&action)) {
      if (std::optional<int64_t> ict = InCommitTimestamp(*info)) return *ict;
    }
  }
  return Status::Corruption("Delta commit '{}' has no commitInfo.inCommitTimestamp, which the table's "
                            "delta.enableInCommitTimestamps requires",
                            io::JoinPath(table_path, CommitFileName(version)));
}

/// The modification time of every commit file in the log, by version.
Result<std::map<int64_t, int64_t>> CommitModificationTimes(io::FileSystem& fs, const std::string& table_path) {
  TRIB_ASSIGN_OR_RETURN(std::vector<io::FileInfo> entries, fs.ListDirectory(io::JoinPath(table_path, "_delta_log")));
  std::map<int64_t, int64_t> times;
  for (const io::FileInfo& entry : entries) {
    std::string_view name = entry.path;
    size_t slash = name.rfind('/');
    if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
    if (entry.is_directory || name.size() != 25 || !name.ends_with(".json")) continue;
    if (std::optional<int64_t> version = ParseVersionNumber(name.substr(0, 20))) {
      times[*version] = entry.modification_time_ms;
    }
  }
  return times;
}

/// "2026-11-28 10:00:00" (Spark's default TimestampFormatter pattern, UTC).
std::string FormatSeconds(int64_t micros) {
  int64_t days = micros >= 0 ? micros / kMicrosPerDay : -((-micros + kMicrosPerDay - 1) / kMicrosPerDay);
  int64_t seconds = (micros - days * kMicrosPerDay) / kMicrosPerSecond;
  return fmt::format("{} {:02}:{:02}:{:02}", columnar::FormatDate(static_cast<int32_t>(days)), seconds / 3600,
                     seconds / 60 % 60, seconds % 60);
}

Status TimestampBeforeEarliest(int64_t micros, int64_t commit_ms) {
  return Status::Invalid(
      "[DELTA_TIMESTAMP_EARLIER_THAN_COMMIT_RETENTION] The provided timestamp ({}) is before the earliest version "
      "available to this table ({}). Please use a timestamp after {}.",
      FormatJavaTimestamp(micros), FormatJavaTimestamp(commit_ms * 1000), FormatSeconds(commit_ms * 1000));
}

Status TimestampAfterLatest(int64_t micros, int64_t commit_ms) {
  return Status::Invalid(
      "[DELTA_TIMESTAMP_GREATER_THAN_COMMIT] The provided timestamp ({}) is after the latest version available to "
      "this table ({}). Please use a timestamp before or at {}.",
      FormatJavaTimestamp(micros), FormatJavaTimestamp(commit_ms * 1000), FormatSeconds(commit_ms * 1000));
}

/// Binary search over versions [first, last] with inCommitTimestamps (ascending by
/// construction): the last one at or before `micros`. REQUIRES: `first` qualifies.
Result<CommitTimestamp> LastInCommitTimestampAtOrBefore(io::FileSystem& fs, const std::string& table_path,
                                                        CommitTimestamp first, int64_t last, int64_t micros) {
  CommitTimestamp low = first;
  int64_t high = last;
  while (low.version < high) {
    int64_t middle = low.version + (high - low.version + 1) / 2;
    TRIB_ASSIGN_OR_RETURN(int64_t ms, ReadInCommitTimestamp(fs, table_path, middle));
    if (ms * 1000 <= micros) {
      low = CommitTimestamp{middle, ms};
    } else {
      high = middle - 1;
    }
  }
  return low;
}

}  // namespace

std::optional<int64_t> InCommitTimestampsFrom(const Snapshot& latest) {
  if (!EqualsIgnoreCase(latest.Property("delta.enableInCommitTimestamps", "false"), "true")) return std::nullopt;
  // Absent when the table had them from its creation.
  std::optional<int64_t> version = ParseVersionNumber(latest.Property("delta.inCommitTimestampEnablementVersion", ""));
  return version.value_or(0);
}

Result<std::vector<CommitTimestamp>> ReadCommitFileTimes(io::FileSystem& fs, const std::string& table_path,
                                                         int64_t from, int64_t to) {
  std::vector<CommitTimestamp> out;
  if (from > to) return out;
  TRIB_ASSIGN_OR_RETURN(auto times, CommitModificationTimes(fs, table_path));
  for (auto it = times.lower_bound(from); it != times.end() && it->first <= to; ++it) {
    // Delta's monotonizeCommitTimestamps: file times can go backwards (clock skew,
    // copied logs); a commit never counts as earlier than the one before it.
    int64_t ms = out.empty() ? it->second : std::max(it->second, out.back().timestamp_ms + 1);
    out.push_back({it->first, ms});
  }
  return out;
}

std::string FormatJavaTimestamp(int64_t micros) {
  int64_t fraction = ((micros % kMicrosPerSecond) + kMicrosPerSecond) % kMicrosPerSecond;
  std::string digits = fmt::format("{:06}", fraction);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  return FormatSeconds(micros) + "." + digits;
}

Result<VersionRange> LoadableVersions(io::FileSystem& fs, const std::string& table_path) {
  TRIB_ASSIGN_OR_RETURN(LogListing listing, ListLog(fs, table_path));
  const std::vector<int64_t>& commits = listing.commits;
  if (commits.empty() && listing.checkpoints.empty()) {
    return Status::NotFound("'{}' has a _delta_log without any commit", table_path);
  }
  VersionRange range;
  range.latest = std::max(commits.empty() ? -1 : commits.back(),
                          listing.checkpoints.empty() ? -1 : listing.checkpoints.back());
  // The start of the unbroken run of commits that ends at the latest version.
  int64_t run_start = range.latest + 1;
  if (!commits.empty() && commits.back() == range.latest) {
    size_t i = commits.size() - 1;
    while (i > 0 && commits[i - 1] == commits[i] - 1) --i;
    run_start = commits[i];
  }
  if (run_start == 0) return range;
  for (int64_t checkpoint : listing.checkpoints) {
    if (checkpoint >= run_start - 1) {
      range.earliest = checkpoint;
      return range;
    }
  }
  return Status::Corruption("'{}': no version can be rebuilt: commits before version {} are gone and no checkpoint "
                            "covers them",
                            table_path, run_start);
}

Result<std::vector<CommitTimestamp>> ReadCommitTimestamps(io::FileSystem& fs, const std::string& table_path,
                                                          const Snapshot& latest, int64_t from, int64_t to) {
  std::optional<int64_t> ict_from = InCommitTimestampsFrom(latest);
  int64_t file_times_to = ict_from ? std::min(to, *ict_from - 1) : to;
  TRIB_ASSIGN_OR_RETURN(std::vector<CommitTimestamp> out, ReadCommitFileTimes(fs, table_path, from, file_times_to));
  if (ict_from) {
    for (int64_t version = std::max(from, *ict_from); version <= to; ++version) {
      TRIB_ASSIGN_OR_RETURN(int64_t ms, ReadInCommitTimestamp(fs, table_path, version));
      out.push_back({version, ms});
    }
  }
  return out;
}

Result<int64_t> ParseTimestampAsOf(std::string_view text) {
  std::optional<int64_t> micros = csv::ParseSparkTimestamp(text);
  if (!micros) {
    return Status::Invalid("timestampAsOf '{}' is not a timestamp: write 'yyyy-MM-dd', 'yyyy-MM-dd HH:mm:ss[.SSSSSS]' "
                           "or ISO-8601 with 'T' and an optional zone ('Z', '+01:00'; UTC when none)",
                           text);
  }
  return *micros;
}

Result<int64_t> VersionAtTimestamp(io::FileSystem& fs, const std::string& table_path, const Snapshot& latest,
                                   int64_t micros) {
  TRIB_ASSIGN_OR_RETURN(VersionRange range, LoadableVersions(fs, table_path));
  std::optional<int64_t> ict_from = InCommitTimestampsFrom(latest);
  int64_t ict_first = ict_from ? std::max(*ict_from, range.earliest) : range.latest + 1;
  std::optional<CommitTimestamp> found;
  std::optional<CommitTimestamp> earliest;
  if (ict_first <= range.latest) {
    TRIB_ASSIGN_OR_RETURN(int64_t first_ms, ReadInCommitTimestamp(fs, table_path, ict_first));
    earliest = CommitTimestamp{ict_first, first_ms};
    if (first_ms * 1000 <= micros) {
      TRIB_ASSIGN_OR_RETURN(found, LastInCommitTimestampAtOrBefore(fs, table_path, *earliest, range.latest, micros));
    }
  }
  if (!found && range.earliest < ict_first) {
    // Before in-commit timestamps (or without them): file times, scanned in order.
    TRIB_ASSIGN_OR_RETURN(std::vector<CommitTimestamp> commits,
                          ReadCommitTimestamps(fs, table_path, latest, range.earliest,
                                               std::min(range.latest, ict_first - 1)));
    if (!commits.empty()) earliest = commits.front();
    for (const CommitTimestamp& commit : commits) {
      if (commit.timestamp_ms * 1000 > micros) break;
      found = commit;
    }
  }
  if (!earliest) return Status::Corruption("'{}': no commit file of versions {} to {} is left", table_path, range.earliest, range.latest);
  if (!found) return TimestampBeforeEarliest(micros, earliest->timestamp_ms);
  if (found->version == range.latest && found->timestamp_ms * 1000 < micros) {
    return TimestampAfterLatest(micros, found->timestamp_ms);
  }
  return found->version;
}

Status CheckVersionLoadable(io::FileSystem& fs, const std::string& table_path, int64_t version) {
  TRIB_ASSIGN_OR_RETURN(VersionRange range, LoadableVersions(fs, table_path));
  if (version < range.earliest || version > range.latest) {
    return Status::Invalid("Cannot time travel Delta table to version {}. Available versions: [{}, {}].{}", version,
                           range.earliest, range.latest,
                           version < range.earliest && version >= 0
                               ? " Its commits were removed by log cleanup (delta.logRetentionDuration)."
                               : "");
  }
  return Status::OK();
}

Result<int64_t> ResolveTimeTravel(io::FileSystem& fs, const std::string& table_path, const Snapshot& latest,
                                  const TimeTravelSpec& spec) {
  if (spec.version && spec.timestamp) {
    return Status::Invalid("[INVALID_TIME_TRAVEL_SPEC] Cannot specify both version and timestamp when time "
                           "travelling the table.");
  }
  if (spec.version) {
    TRIB_RETURN_NOT_OK(CheckVersionLoadable(fs, table_path, *spec.version));
    return *spec.version;
  }
  if (spec.timestamp) {
    TRIB_ASSIGN_OR_RETURN(int64_t micros, ParseTimestampAsOf(*spec.timestamp));
    return VersionAtTimestamp(fs, table_path, latest, micros);
  }
  return latest.version();
}

Result<std::shared_ptr<const Snapshot>> LoadSnapshotAsOf(io::FileSystem& fs, const std::string& table_path,
                                                         std::shared_ptr<const Snapshot> latest,
                                                         const TimeTravelSpec& spec) {
  TRIB_ASSIGN_OR_RETURN(int64_t version, ResolveTimeTravel(fs, table_path, *latest, spec));
  if (version == latest->version()) return latest;
  return LoadSnapshot(fs, table_path, version);
}

}  // namespace tributary::delta
