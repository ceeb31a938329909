#include "tributary/streaming/cloud_files/file_discovery.h"

#include <gtest/gtest.h>

#include "../streaming_testing.h"

namespace tributary::cloud_files {
namespace {

using streaming::testing::TempDir;
using streaming::testing::WriteFile;

TEST(HiddenNameTest, SparkRule) {
  EXPECT_TRUE(IsHiddenName(".tmp"));
  EXPECT_TRUE(IsHiddenName("_SUCCESS"));
  EXPECT_TRUE(IsHiddenName("_staging"));
  EXPECT_TRUE(IsHiddenName("a.json._COPYING_"));
  EXPECT_FALSE(IsHiddenName("_p=1"));  // a partition directory
  EXPECT_FALSE(IsHiddenName("a.json"));
  EXPECT_FALSE(IsHiddenName("a_b.json"));
}

TEST(ListFilesTest, RecursiveSkipsHiddenAndOrdersByTimeThenPath) {
  TempDir dir;
  WriteFile(dir.Join("b.json"), "1", 1700000002);
  WriteFile(dir.Join("a.json"), "22", 1700000002);
  WriteFile(dir.Join("z/old.json"), "333", 1700000001);
  WriteFile(dir.Join("_staging/x.json"), "", 1700000000);
  WriteFile(dir.Join(".git/x.json"), "", 1700000000);
  WriteFile(dir.Join("z/.partial.json"), "", 1700000000);
  WriteFile(dir.Join("z/_SUCCESS"), "", 1700000000);
  ASSERT_OK_AND_ASSIGN(std::vector<DiscoveredFile> files,
                       ListFiles(*io::LocalFileSystem(), dir.path(), DiscoveryFilter{}));
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].path, dir.Join("z/old.json"));
  EXPECT_EQ(files[0].size, 3);
  EXPECT_EQ(files[0].modification_time_ms, 1700000001000);
  EXPECT_EQ(files[1].path, dir.Join("a.json"));
  EXPECT_EQ(files[2].path, dir.Join("b.json"));
}

TEST(ListFilesTest, GlobAndModificationFilters) {
  TempDir dir;
  WriteFile(dir.Join("a.json"), "", 1700000000);
  WriteFile(dir.Join("b.json"), "", 1700000010);
  WriteFile(dir.Join("c.csv"), "", 1700000010);
  DiscoveryFilter filter;
  ASSERT_OK_AND_ASSIGN(filter.name_glob, GlobFilter::Make("*.json"));
  filter.modified_after_ms = 1700000005000;
  ASSERT_OK_AND_ASSIGN(std::vector<DiscoveredFile> files, ListFiles(*io::LocalFileSystem(), dir.path(), filter));
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].path, dir.Join("b.json"));
}

TEST(ListFilesTest, MissingRootHasNoFiles) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(std::vector<DiscoveredFile> files,
                       ListFiles(*io::LocalFileSystem(), dir.Join("nope"), DiscoveryFilter{}));
  EXPECT_TRUE(files.empty());
}

TEST(PartitionValuesTest, HiveStyleDirectories) {
  auto values = PartitionValues("/in", "/in/date=2024-01-01/kind=a%2Fb/raw/x.json");
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0].first, "date");
  EXPECT_EQ(values[0].second, "2024-01-01");
  EXPECT_EQ(values[1].first, "kind");
  EXPECT_EQ(values[1].second, "a/b");
  values = PartitionValues("/in", "/in/p=__HIVE_DEFAULT_PARTITION__/x.json");
  ASSERT_EQ(values.size(), 1u);
  EXPECT_FALSE(values[0].second.has_value());
  EXPECT_TRUE(PartitionValues("/in", "/in/x.json").empty());
}

}  // namespace
}  // namespace tributary::cloud_files
