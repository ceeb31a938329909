#include "tributary/catalog/table_name.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tributary::catalog {
namespace {

using ::testing::HasSubstr;

TEST(ResolveTablePath, ThreePartsUnderWarehouse) {
  auto path = ResolveTablePath("/wh", "prod.bronze.raw_events");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(*path, "/wh/prod/bronze/raw_events");
}

TEST(ResolveTablePath, TrailingSlashAndCaseFolding) {
  auto path = ResolveTablePath("/wh/", "Prod.Bronze.Raw_Events");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(*path, "/wh/prod/bronze/raw_events");
}

TEST(ResolveTablePath, BackQuotedParts) {
  auto path = ResolveTablePath("/wh", "`my-cat`.`a.b`.`x``y`");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(*path, "/wh/my-cat/a.b/x`y");
  auto name = ParseTableName("`my-cat`.s.`t 1`");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name->ToString(), "`my-cat`.s.`t 1`");
}

TEST(ResolveTablePath, WrongNumberOfParts) {
  for (const char* bad : {"raw_events", "bronze.raw_events", "a.b.c.d"}) {
    auto path = ResolveTablePath("/wh", bad);
    ASSERT_FALSE(path.ok()) << bad;
    EXPECT_TRUE(path.status().IsInvalid());
    EXPECT_THAT(path.status().message(), HasSubstr(bad));
    EXPECT_THAT(path.status().message(), HasSubstr("catalog.schema.table"));
  }
}

TEST(ResolveTablePath, BadIdentifiersNamed) {
  struct Case {
    const char* name;
    const char* mentions;
  };
  for (const Case& c : {Case{"a.b-c.d", "'b-c'"}, Case{"a..d", "''"}, Case{"a.b.", "ends with"},
                        Case{"a.123.d", "'123'"}, Case{"a.`b.d", "unterminated"},
                        Case{"a.`..`.d", "directory"}, Case{"a.`x/y`.d", "directory"},
                        Case{"a.``.d", "empty"}, Case{"a.`b`c.d", "after back-quoted"}}) {
    auto path = ResolveTablePath("/wh", c.name);
    ASSERT_FALSE(path.ok()) << c.name;
    EXPECT_TRUE(path.status().IsInvalid());
    EXPECT_THAT(path.status().message(), HasSubstr(c.name));
    EXPECT_THAT(path.status().message(), HasSubstr(c.mentions)) << path.status().message();
  }
}

TEST(ResolveTablePath, EmptyWarehouseOrName) {
  EXPECT_TRUE(ResolveTablePath("", "a.b.c").status().IsInvalid());
  EXPECT_TRUE(ResolveTablePath("/wh", "").status().IsInvalid());
}

}  // namespace
}  // namespace tributary::catalog
