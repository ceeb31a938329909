#include "tributary/streaming/checkpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "streaming_testing.h"

namespace tributary::streaming {
namespace {

using testing::TempDir;
using testing::WriteFile;
using ::testing::HasSubstr;

OffsetEntry Entry(int64_t batch_id, std::string offset) {
  OffsetEntry entry;
  entry.batch_id = batch_id;
  entry.batch_timestamp_ms = 1700000000123;
  entry.source_offsets.push_back(std::move(offset));
  return entry;
}

TEST(OffsetsFileTest, SparkLayoutRoundTrips) {
  std::string text = SerializeOffsets(Entry(3, "{\"seqFrom\":0,\"seqTo\":4}"));
  EXPECT_EQ(text,
            "v1\n{\"batchWatermarkMs\":0,\"batchTimestampMs\":1700000000123,\"conf\":{}}\n"
            "{\"seqFrom\":0,\"seqTo\":4}");
  ASSERT_OK_AND_ASSIGN(OffsetEntry parsed, ParseOffsets(text, 3, "offsets/3"));
  EXPECT_EQ(parsed.batch_timestamp_ms, 1700000000123);
  ASSERT_EQ(parsed.source_offsets.size(), 1u);
  EXPECT_EQ(parsed.source_offsets[0], "{\"seqFrom\":0,\"seqTo\":4}");
}

TEST(OffsetsFileTest, DamageIsCorruptionNamingTheFile) {
  for (std::string text : {"", "v1\n", "v2\n{}\n{}", "{}\n{}", "v1\n{}\n{\"a\":"}) {
    auto parsed = ParseOffsets(text, 0, "/chk/offsets/0");
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_TRUE(parsed.status().IsCorruption()) << parsed.status().ToString();
    EXPECT_THAT(parsed.status().message(), HasSubstr("/chk/offsets/0"));
  }
}

class CheckpointTest : public ::testing::Test {
 protected:
  std::unique_ptr<Checkpoint> Open() {
    auto checkpoint = Checkpoint::Open(io::LocalFileSystem(), dir_.path());
    EXPECT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
    return checkpoint.ok() ? std::move(*checkpoint) : nullptr;
  }
  TempDir dir_;
};

TEST_F(CheckpointTest, MetadataIdIsStable) {
  std::string id = Open()->query_id();
  EXPECT_EQ(Open()->query_id(), id);
  EXPECT_EQ(testing::RunCommand("cat " + dir_.Join("metadata")), "{\"id\":\"" + id + "\"}");
}

TEST_F(CheckpointTest, RecoverNewCommittedAndUncommitted) {
  auto checkpoint = Open();
  ASSERT_OK_AND_ASSIGN(RecoveredState state, checkpoint->Recover());
  EXPECT_FALSE(state.latest_offsets);
  EXPECT_EQ(state.NextBatchId(), 0);

  ASSERT_OK(checkpoint->WriteOffsets(Entry(0, "{\"n\":0}")));
  ASSERT_OK_AND_ASSIGN(state, checkpoint->Recover());
  EXPECT_TRUE(state.HasUncommittedBatch());
  EXPECT_FALSE(state.previous_offsets);

  ASSERT_OK(checkpoint->WriteCommit(0));
  ASSERT_OK(checkpoint->WriteOffsets(Entry(1, "{\"n\":1}")));
  ASSERT_OK_AND_ASSIGN(state, checkpoint->Recover());
  EXPECT_TRUE(state.HasUncommittedBatch());
  ASSERT_TRUE(state.previous_offsets);
  EXPECT_EQ(state.previous_offsets->source_offsets[0], "{\"n\":0}");
  EXPECT_EQ(state.latest_offsets->source_offsets[0], "{\"n\":1}");

  ASSERT_OK(checkpoint->WriteCommit(1));
  ASSERT_OK_AND_ASSIGN(state, checkpoint->Recover());
  EXPECT_FALSE(state.HasUncommittedBatch());
  EXPECT_EQ(state.NextBatchId(), 2);
}

TEST_F(CheckpointTest, SecondWriterOfABatchIsAConflict) {
  auto checkpoint = Open();
  ASSERT_OK(checkpoint->WriteOffsets(Entry(0, "{}")));
  Status again = checkpoint->WriteOffsets(Entry(0, "{}"));
  EXPECT_TRUE(again.IsConflict()) << again.ToString();
}

TEST_F(CheckpointTest, InconsistentLogsAreCorruption) {
  auto checkpoint = Open();
  ASSERT_OK(checkpoint->WriteOffsets(Entry(0, "{}")));
  ASSERT_OK(checkpoint->WriteOffsets(Entry(2, "{}")));  // batch 1 and its commit missing
  auto state = checkpoint->Recover();
  ASSERT_TRUE(state.status().IsCorruption()) << state.status().ToString();

  TempDir other;
  auto second = Checkpoint::Open(io::LocalFileSystem(), other.path());
  ASSERT_OK(second);
  ASSERT_OK((*second)->WriteCommit(0));  // a commit without offsets
  EXPECT_TRUE((*second)->Recover().status().IsCorruption());
}

TEST_F(CheckpointTest, BadMetadataIsCorruption) {
  WriteFile(dir_.Join("metadata"), "{\"noid\":1}", 1700000000);
  auto checkpoint = Checkpoint::Open(io::LocalFileSystem(), dir_.path());
  ASSERT_TRUE(checkpoint.status().IsCorruption());
  EXPECT_THAT(checkpoint.status().message(), HasSubstr("metadata"));
}

TEST_F(CheckpointTest, PurgeKeepsMinBatchesToRetain) {
  auto checkpoint = Open();
  for (int64_t batch = 0; batch < 6; ++batch) {
    ASSERT_OK(checkpoint->WriteOffsets(Entry(batch, "{}")));
    ASSERT_OK(checkpoint->WriteCommit(batch));
  }
  ASSERT_OK(checkpoint->Purge(5, 3));
  ASSERT_OK_AND_ASSIGN(std::vector<int64_t> offsets, checkpoint->ListBatches("offsets"));
  ASSERT_OK_AND_ASSIGN(std::vector<int64_t> commits, checkpoint->ListBatches("commits"));
  EXPECT_EQ(offsets, (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(commits, (std::vector<int64_t>{3, 4, 5}));
  ASSERT_OK_AND_ASSIGN(RecoveredState state, checkpoint->Recover());
  EXPECT_EQ(state.NextBatchId(), 6);
}

}  // namespace
}  // namespace tributary::streaming
