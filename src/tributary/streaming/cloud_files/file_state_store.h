#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/streaming/cloud_files/file_discovery.h"

namespace rocksdb {
class DB;
}

namespace tributary::cloud_files {

/// What the source remembers about one file (Auto Loader's cloud_files_state row).
struct FileEntry {
  std::string path;
  int64_t size = 0;
  int64_t modification_time_ms = 0;
  int64_t discovery_time_ms = 0;
  /// Discovery sequence number: files get consecutive numbers in the order they are
  /// to be ingested. -1 for files skipped by includeExistingFiles=false.
  int64_t seq = -1;
  /// The batch that ingested the file and when that batch committed; -1 and 0 until then.
  int64_t batch_id = -1;
  int64_t commit_time_ms = 0;
};

/// The cloudFiles file state in RocksDB under `<checkpoint>/sources/0/rocksdb`:
///   "f/<path>"        -> the file's entry (JSON), one per file ever discovered
///   "s/<seq, 20 digits>" -> path, the ingestion order
///   "m/nextSeq"       -> the next sequence number
///   "m/initialized"   -> present once the first listing was recorded
/// Every write is one atomic, synced RocksDB write batch, so a kill at any instant
/// leaves the state as before or after the write. Which files a batch holds is a
/// sequence range stored in the checkpoint's offsets file; the numbers are assigned
/// before that file is written and never change, so a replay reads the same files.
/// Not thread-safe (the query thread owns it). RocksDB's lock keeps a second process
/// from opening the same state.
class FileStateStore {
 public:
  /// Opens (creating) the database in `dir`. Errors name the directory.
  static Result<std::unique_ptr<FileStateStore>> Open(const std::string& dir);
  ~FileStateStore();

  /// True once the first listing of the checkpoint was recorded.
  bool initialized() const { return initialized_; }
  int64_t next_seq() const { return next_seq_; }

  /// Whether `path` was ever discovered.
  Result<bool> Contains(const std::string& path) const;

  /// Records the files of `files` not seen before, in the given order: with
  /// consecutive sequence numbers, or as skipped (seq -1) when `skip` (the first
  /// listing under includeExistingFiles=false). Marks the store initialized. The new
  /// entries are appended to `added`.
  Status AddFiles(const std::vector<DiscoveredFile>& files, bool skip, int64_t now_ms,
                  std::vector<FileEntry>* added);

  /// The files with sequence numbers in [first, last], ascending. A missing number is
  /// Corruption (the state does not match the checkpoint's offsets).
  Result<std::vector<FileEntry>> FilesInRange(int64_t first, int64_t last) const;

  /// Sets batch id and commit time of the files in [first, last] (idempotent).
  Status MarkCommitted(int64_t first, int64_t last, int64_t batch_id, int64_t commit_time_ms);

  /// The entry of `path`, if known.
  Result<std::optional<FileEntry>> Get(const std::string& path) const;

 private:
  FileStateStore(std::unique_ptr<rocksdb::DB> db, std::string dir);
  Status LoadMeta();

  std::unique_ptr<rocksdb::DB> db_;
  std::string dir_;
  bool initialized_ = false;
  int64_t next_seq_ = 0;
};

}  // namespace tributary::cloud_files
