#include "tributary/streaming/cloud_files/file_state_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../streaming_testing.h"

namespace tributary::cloud_files {
namespace {

using streaming::testing::TempDir;

std::vector<DiscoveredFile> Files(std::initializer_list<const char*> paths) {
  std::vector<DiscoveredFile> files;
  int64_t time = 1000;
  for (const char* path : paths) files.push_back(DiscoveredFile{path, 10, time++});
  return files;
}

TEST(FileStateStoreTest, AssignsSequenceNumbersOncePerPathAndPersists) {
  TempDir dir;
  {
    ASSERT_OK_AND_ASSIGN(auto store, FileStateStore::Open(dir.path()));
    EXPECT_FALSE(store->initialized());
    std::vector<FileEntry> added;
    ASSERT_OK(store->AddFiles(Files({"/a", "/b"}), false, 5, &added));
    ASSERT_EQ(added.size(), 2u);
    EXPECT_EQ(added[0].seq, 0);
    EXPECT_EQ(added[1].seq, 1);
    added.clear();
    ASSERT_OK(store->AddFiles(Files({"/a", "/c"}), false, 6, &added));
    ASSERT_EQ(added.size(), 1u);
    EXPECT_EQ(added[0].path, "/c");
    EXPECT_EQ(added[0].seq, 2);
  }
  ASSERT_OK_AND_ASSIGN(auto store, FileStateStore::Open(dir.path()));
  EXPECT_TRUE(store->initialized());
  EXPECT_EQ(store->next_seq(), 3);
  ASSERT_OK_AND_ASSIGN(std::vector<FileEntry> range, store->FilesInRange(1, 2));
  ASSERT_EQ(range.size(), 2u);
  EXPECT_EQ(range[0].path, "/b");
  EXPECT_EQ(range[1].path, "/c");
  EXPECT_EQ(range[1].discovery_time_ms, 6);
}

TEST(FileStateStoreTest, SkippedFilesHaveNoSequenceNumber) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto store, FileStateStore::Open(dir.path()));
  std::vector<FileEntry> added;
  ASSERT_OK(store->AddFiles(Files({"/old"}), true, 5, &added));
  EXPECT_TRUE(store->initialized());
  EXPECT_EQ(store->next_seq(), 0);
  ASSERT_OK_AND_ASSIGN(bool known, store->Contains("/old"));
  EXPECT_TRUE(known);
  added.clear();
  ASSERT_OK(store->AddFiles(Files({"/old", "/new"}), false, 6, &added));
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0].seq, 0);
}

TEST(FileStateStoreTest, RangeBeyondTheStateIsCorruption) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto store, FileStateStore::Open(dir.path()));
  std::vector<FileEntry> added;
  ASSERT_OK(store->AddFiles(Files({"/a"}), false, 5, &added));
  auto range = store->FilesInRange(0, 3);
  ASSERT_TRUE(range.status().IsCorruption()) << range.status().ToString();
}

TEST(FileStateStoreTest, MarkCommittedRecordsBatchAndTime) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto store, FileStateStore::Open(dir.path()));
  std::vector<FileEntry> added;
  ASSERT_OK(store->AddFiles(Files({"/a", "/b"}), false, 5, &added));
  ASSERT_OK(store->MarkCommitted(0, 1, 7, 99));
  ASSERT_OK(store->MarkCommitted(0, 1, 7, 100));  // idempotent: first commit time kept
  ASSERT_OK_AND_ASSIGN(std::optional<FileEntry> entry, store->Get("/b"));
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->batch_id, 7);
  EXPECT_EQ(entry->commit_time_ms, 99);
  EXPECT_EQ(entry->size, 10);
}

TEST(FileStateStoreTest, SecondOpenWhileOpenFails) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto store, FileStateStore::Open(dir.path()));
  auto second = FileStateStore::Open(dir.path());
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find(dir.path()), std::string::npos);
}

}  // namespace
}  // namespace tributary::cloud_files
