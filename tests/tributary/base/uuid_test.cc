#include "tributary/base/uuid.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace tributary {
namespace {

TEST(RandomUuidTest, IsVersionFourWithTheRfcVariant) {
  std::string id = RandomUuid();
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[8], '-');
  EXPECT_EQ(id[13], '-');
  EXPECT_EQ(id[14], '4');
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
}

TEST(RandomUuidTest, DoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(RandomUuid()).second);
}

// Data file names come from these ids: a process forked after the parent drew one must
// still draw different ids, or two writers produce the same file name.
TEST(RandomUuidTest, ForkedChildDrawsDifferentIdsThanItsParent) {
  (void)RandomUuid();
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string id = RandomUuid();
    ssize_t written = write(fds[1], id.data(), id.size());
    _exit(written == static_cast<ssize_t>(id.size()) ? 0 : 1);
  }
  close(fds[1]);
  char buffer[64] = {};
  ssize_t got = read(fds[0], buffer, sizeof(buffer));
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_EQ(got, 36);
  EXPECT_NE(std::string(buffer, 36), RandomUuid());
}

}  // namespace
}  // namespace tributary
