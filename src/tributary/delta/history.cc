#include "tributary/delta/history.h"

#include "tributary/delta/time_travel.h"

namespace tributary::delta {

Result<std::vector<HistoryEntry>> ReadHistory(io::FileSystem& fs, const std::string& table_path,
                                              const Snapshot& latest, int64_t limit) {
  TRIB_ASSIGN_OR_RETURN(LogListing listing, ListLog(fs, table_path));
  std::vector<HistoryEntry> entries;
  for (auto it = listing.commits.rbegin(); it != listing.commits.rend(); ++it) {
    if (limit > 0 && static_cast<int64_t>(entries.size()) >= limit) break;
    auto actions = ReadCommit(fs, table_path, *it);
    if (!actions.ok()) {
      if (actions.status().IsNotFound()) continue;  // cleaned up while we listed
      return actions.status();
    }
    HistoryEntry entry{*it, 0, CommitInfo{"{}"}};
    for (const Action& action : *actions) {
      if (const auto* info = std::get_if<CommitInfo>(&action)) {
        entry.info = *info;
        break;
      }
    }
    entries.push_back(std::move(entry));
  }
  if (entries.empty()) return entries;
  // Versions with in-commit timestamps carry theirs; the others use file times, made
  // monotonic over the versions shown.
  std::optional<int64_t> ict_from = InCommitTimestampsFrom(latest);
  TRIB_ASSIGN_OR_RETURN(std::vector<CommitTimestamp> file_times,
                        ReadCommitFileTimes(fs, table_path, entries.back().version, entries.front().version));
  auto file_time = file_times.begin();
  for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry) {
    std::optional<int64_t> ict = ict_from && entry->version >= *ict_from ? InCommitTimestamp(entry->info)
                                                                          : std::nullopt;
    while (file_time != file_times.end() && file_time->version < entry->version) ++file_time;
    if (ict) {
      entry->timestamp_ms = *ict;
    } else if (file_time != file_times.end() && file_time->version == entry->version) {
      entry->timestamp_ms = file_time->timestamp_ms;
    }
  }
  return entries;
}

Result<std::vector<HistoryEntry>> ReadHistory(io::FileSystem& fs, const std::string& table_path,
                                              int64_t limit) {
  TRIB_ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> latest, LoadSnapshot(fs, table_path, std::nullopt));
  return ReadHistory(fs, table_path, *latest, limit);
}

}  // namespace tributary::delta
