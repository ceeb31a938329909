#include "tributary/delta/history.h"

#include "tributary/delta/snapshot.h"

namespace tributary::delta {

Result<std::vector<HistoryEntry>> ReadHistory(io::FileSystem& fs, const std::string& table_path,
                                              int64_t limit) {
  TRIB_ASSIGN_OR_RETURN(LogListing listing, ListLog(fs, table_path));
  std::vector<HistoryEntry> entries;
  for (auto it = listing.commits.rbegin(); it != listing.commits.rend(); ++it) {
    if (limit > 0 && static_cast<int64_t>(entries.size()) >= limit) break;
    auto actions = ReadCommit(fs, table_path, *it);
    if (!actions.ok()) {
      if (actions.status().IsNotFound()) continue;  // cleaned up while we listed
      return actions.status();
    }
    HistoryEntry entry{*it, CommitInfo{"{}"}};
    for (const Action& action : *actions) {
      if (const auto* info = std::get_if<CommitInfo>(&action)) {
        entry.info = *info;
        break;
      }
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace tributary::delta
