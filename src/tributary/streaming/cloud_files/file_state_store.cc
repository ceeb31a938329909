#include "tributary/streaming/cloud_files/file_state_store.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <charconv>

#include "tributary/base/json.h"

namespace tributary::cloud_files {

namespace {

constexpr std::string_view kNextSeqKey = "m/nextSeq";
constexpr std::string_view kInitializedKey = "m/initialized";

std::string FileKey(std::string_view path) { return "f/" + std::string(path); }
std::string SeqKey(int64_t seq) { return fmt::format("s/{:020}", seq); }

std::string EncodeEntry(const FileEntry& entry) {
  JsonWriter writer;
  writer.StartObject()
      .Key("size")
      .Int(entry.size)
      .Key("modificationTime")
      .Int(entry.modification_time_ms)
      .Key("discoveryTime")
      .Int(entry.discovery_time_ms)
      .Key("seq")
      .Int(entry.seq)
      .Key("batchId")
      .Int(entry.batch_id)
      .Key("commitTime")
      .Int(entry.commit_time_ms)
      .EndObject();
  return writer.Finish();
}

Result<FileEntry> DecodeEntry(std::string path, std::string_view value, const std::string& dir) {
  auto json = ParseJson(value);
  auto corrupt = [&](const Status& status) {
    return Status::Corruption("file state in '{}' for '{}' is unreadable: {}", dir, path, status.message());
  };
  if (!json.ok()) return corrupt(json.status());
  FileEntry entry;
  entry.path = std::move(path);
  struct {
    const char* key;
    int64_t* target;
  } fields[] = {{"size", &entry.size},           {"modificationTime", &entry.modification_time_ms},
                {"discoveryTime", &entry.discovery_time_ms}, {"seq", &entry.seq},
                {"batchId", &entry.batch_id},    {"commitTime", &entry.commit_time_ms}};
  for (auto& field : fields) {
    auto value_or = json->GetInt(field.key);
    if (!value_or.ok()) return corrupt(value_or.status());
    *field.target = *value_or;
  }
  return entry;
}

Status FromRocks(const rocksdb::Status& status, std::string_view action, const std::string& dir) {
  if (status.ok()) return Status::OK();
  if (status.IsCorruption()) return Status::Corruption("file state '{}': {} failed: {}", dir, action, status.ToString());
  return Status::IOError("file state '{}': {} failed: {}", dir, action, status.ToString());
}

rocksdb::WriteOptions SyncedWrite() {
  rocksdb::WriteOptions options;
  options.sync = true;
  return options;
}

}  // namespace

FileStateStore::FileStateStore(std::unique_ptr<rocksdb::DB> db, std::string dir)
    : db_(std::move(db)), dir_(std::move(dir)) {}

FileStateStore::~FileStateStore() = default;

Result<std::unique_ptr<FileStateStore>> FileStateStore::Open(const std::string& dir) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.paranoid_checks = true;
  options.max_open_files = 64;
  options.keep_log_file_num = 2;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(options, dir, &raw);
  TRIB_RETURN_NOT_OK(FromRocks(status, "open", dir));
  std::unique_ptr<FileStateStore> store(new FileStateStore(std::unique_ptr<rocksdb::DB>(raw), dir));
  TRIB_RETURN_NOT_OK(store->LoadMeta());
  return store;
}

Status FileStateStore::LoadMeta() {
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), std::string(kNextSeqKey), &value);
  if (status.IsNotFound()) {
    next_seq_ = 0;
  } else {
    TRIB_RETURN_NOT_OK(FromRocks(status, "read nextSeq", dir_));
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), next_seq_);
    if (error != std::errc() || end != value.data() + value.size() || next_seq_ < 0) {
      return Status::Corruption("file state '{}': nextSeq '{}' is not a number", dir_, value);
    }
  }
  status = db_->Get(rocksdb::ReadOptions(), std::string(kInitializedKey), &value);
  if (!status.IsNotFound()) TRIB_RETURN_NOT_OK(FromRocks(status, "read initialized", dir_));
  initialized_ = status.ok();
  return Status::OK();
}

Result<bool> FileStateStore::Contains(const std::string& path) const {
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), FileKey(path), &value);
  if (status.IsNotFound()) return false;
  TRIB_RETURN_NOT_OK(FromRocks(status, "read", dir_));
  return true;
}

Result<std::optional<FileEntry>> FileStateStore::Get(const std::string& path) const {
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), FileKey(path), &value);
  if (status.IsNotFound()) return std::optional<FileEntry>();
  TRIB_RETURN_NOT_OK(FromRocks(status, "read", dir_));
  TRIB_ASSIGN_OR_RETURN(FileEntry entry, DecodeEntry(path, value, dir_));
  return std::optional<FileEntry>(std::move(entry));
}

Status FileStateStore::AddFiles(const std::vector<DiscoveredFile>& files, bool skip, int64_t now_ms,
                                std::vector<FileEntry>* added) {
  rocksdb::WriteBatch batch;
  int64_t seq = next_seq_;
  std::vector<FileEntry> entries;
  for (const DiscoveredFile& file : files) {
    TRIB_ASSIGN_OR_RETURN(bool known, Contains(file.path));
    if (known) continue;
    FileEntry entry;
    entry.path = file.path;
    entry.size = file.size;
    entry.modification_time_ms = file.modification_time_ms;
    entry.discovery_time_ms = now_ms;
    entry.seq = skip ? -1 : seq++;
    batch.Put(FileKey(entry.path), EncodeEntry(entry));
    if (!skip) batch.Put(SeqKey(entry.seq), entry.path);
    entries.push_back(std::move(entry));
  }
  if (entries.empty() && initialized_) return Status::OK();
  batch.Put(std::string(kNextSeqKey), std::to_string(seq));
  batch.Put(std::string(kInitializedKey), "1");
  TRIB_RETURN_NOT_OK(FromRocks(db_->Write(SyncedWrite(), &batch), "write", dir_));
  next_seq_ = seq;
  initialized_ = true;
  for (FileEntry& entry : entries) added->push_back(std::move(entry));
  return Status::OK();
}

Result<std::vector<FileEntry>> FileStateStore::FilesInRange(int64_t first, int64_t last) const {
  std::vector<FileEntry> entries;
  if (last < first) return entries;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  int64_t expected = first;
  std::string end_key = SeqKey(last);
  for (it->Seek(SeqKey(first)); it->Valid() && it->key().ToString() <= end_key; it->Next()) {
    std::string key = it->key().ToString();
    if (key != SeqKey(expected)) break;
    std::string path = it->value().ToString();
    std::string value;
    rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), FileKey(path), &value);
    if (status.IsNotFound()) {
      return Status::Corruption("file state '{}': file #{} ('{}') has no entry", dir_, expected, path);
    }
    TRIB_RETURN_NOT_OK(FromRocks(status, "read", dir_));
    TRIB_ASSIGN_OR_RETURN(FileEntry entry, DecodeEntry(path, value, dir_));
    entries.push_back(std::move(entry));
    ++expected;
  }
  TRIB_RETURN_NOT_OK(FromRocks(it->status(), "scan", dir_));
  if (expected != last + 1) {
    return Status::Corruption("file state '{}' does not hold file #{} that the checkpoint's offsets name "
                              "(files #{}..#{}); the state and the checkpoint do not match",
                              dir_, expected, first, last);
  }
  return entries;
}

Status FileStateStore::MarkCommitted(int64_t first, int64_t last, int64_t batch_id, int64_t commit_time_ms) {
  TRIB_ASSIGN_OR_RETURN(std::vector<FileEntry> entries, FilesInRange(first, last));
  rocksdb::WriteBatch batch;
  for (FileEntry& entry : entries) {
    if (entry.batch_id == batch_id && entry.commit_time_ms != 0) continue;
    entry.batch_id = batch_id;
    entry.commit_time_ms = commit_time_ms;
    batch.Put(FileKey(entry.path), EncodeEntry(entry));
  }
  if (batch.Count() == 0) return Status::OK();
  return FromRocks(db_->Write(SyncedWrite(), &batch), "write", dir_);
}

}  // namespace tributary::cloud_files
