#include "tributary/cli/table_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tributary/base/status_testing.h"
#include "tributary/cli/run_command.h"

namespace tributary::cli {
namespace {

using ::testing::HasSubstr;

TEST(OpenTableArgsTest, ANameResolvesUnderTheWarehouseAsPipelinesDo) {
  ASSERT_OK_AND_ASSIGN(DeltaTable table, OpenTableArgs(TableArgs{"Main.Bronze.Events", "/data/wh"}));
  EXPECT_EQ(table.path(), "/data/wh/main/bronze/events");
  EXPECT_EQ(table.name(), "main.bronze.events");
}

TEST(OpenTableArgsTest, AnythingWithASlashIsAPath) {
  ASSERT_OK_AND_ASSIGN(DeltaTable table, OpenTableArgs(TableArgs{"/data/tables/events", "/data/wh"}));
  EXPECT_EQ(table.path(), "/data/tables/events");
  EXPECT_TRUE(table.name().empty());
  ASSERT_OK_AND_ASSIGN(DeltaTable relative, OpenTableArgs(TableArgs{"./t", "/data/wh"}));
  EXPECT_EQ(relative.path(), (std::filesystem::current_path() / "t").string());
}

TEST(OpenTableArgsTest, ABadNameSaysHowToWriteAPath) {
  Result<DeltaTable> table = OpenTableArgs(TableArgs{"events", "/data/wh"});
  ASSERT_FALSE(table.ok());
  EXPECT_THAT(table.status().message(), HasSubstr("a path needs a '/', e.g. ./events"));
}

TEST(TableCommandTest, RestoreNeedsExactlyOneTarget) {
  RestoreArgs args;
  args.target.table = "/nowhere/t";
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RestoreTable(args, stdout), kExitError);
  EXPECT_THAT(::testing::internal::GetCapturedStderr(), HasSubstr("exactly one of --version and --timestamp"));
}

}  // namespace
}  // namespace tributary::cli
