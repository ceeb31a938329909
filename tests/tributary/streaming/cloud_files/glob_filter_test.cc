#include "tributary/streaming/cloud_files/glob_filter.h"

#include <gtest/gtest.h>

#include "../streaming_testing.h"

namespace tributary::cloud_files {
namespace {

bool Matches(const std::string& glob, const std::string& name) {
  auto filter = GlobFilter::Make(glob);
  EXPECT_TRUE(filter.ok()) << filter.status().ToString();
  return filter.ok() && filter->Matches(name);
}

TEST(GlobFilterTest, Wildcards) {
  EXPECT_TRUE(Matches("*.json", "a.json"));
  EXPECT_FALSE(Matches("*.json", "a.json.gz"));
  EXPECT_FALSE(Matches("*.json", "a_json"));  // the dot is literal
  EXPECT_TRUE(Matches("part-?.csv", "part-1.csv"));
  EXPECT_FALSE(Matches("part-?.csv", "part-10.csv"));
}

TEST(GlobFilterTest, CharacterClasses) {
  EXPECT_TRUE(Matches("[abc].txt", "b.txt"));
  EXPECT_FALSE(Matches("[abc].txt", "d.txt"));
  EXPECT_TRUE(Matches("file[0-9]", "file7"));
  EXPECT_FALSE(Matches("file[0-9]", "filex"));
  EXPECT_TRUE(Matches("[^a]x", "bx"));
  EXPECT_FALSE(Matches("[^a]x", "ax"));
  EXPECT_TRUE(Matches("[!a]x", "bx"));
}

TEST(GlobFilterTest, AlternativesNest) {
  EXPECT_TRUE(Matches("{ab,cd}.json", "ab.json"));
  EXPECT_TRUE(Matches("{ab,cd}.json", "cd.json"));
  EXPECT_FALSE(Matches("{ab,cd}.json", "ef.json"));
  EXPECT_TRUE(Matches("{ab,c{de,fh}}", "cfh"));
  EXPECT_TRUE(Matches("{ab,c{de,fh}}", "cde"));
  EXPECT_FALSE(Matches("{ab,c{de,fh}}", "cd"));
  EXPECT_TRUE(Matches("*.{json,csv}", "x.csv"));
}

TEST(GlobFilterTest, SpecialCharactersAreLiteral) {
  EXPECT_TRUE(Matches("a+b(1).json", "a+b(1).json"));
  EXPECT_FALSE(Matches("a+b(1).json", "aab1.json"));
  EXPECT_TRUE(Matches("a\\*b", "a*b"));
  EXPECT_FALSE(Matches("a\\*b", "axb"));
}

TEST(GlobFilterTest, MalformedGlobsAreInvalid) {
  for (const char* glob : {"[abc", "{a,b", "abc\\"}) {
    auto filter = GlobFilter::Make(glob);
    ASSERT_FALSE(filter.ok()) << glob;
    EXPECT_TRUE(filter.status().IsInvalid());
    EXPECT_NE(filter.status().message().find(glob), std::string::npos) << filter.status().message();
  }
}

}  // namespace
}  // namespace tributary::cloud_files
