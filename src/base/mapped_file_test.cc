#include "base/mapped_file.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

std::string TempPath(const char* name) { return ::testing::TempDir() + "/mapped_file_test_" + name; }

void Write(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

TEST(MappedFileTest, MapsRegularFilesOnly) {
  const std::string path = TempPath("plain");
  Write(path, "gc 1 @0.1s\nline two\n");
  MappedFile f;
  ASSERT_TRUE(f.Open(path));
  EXPECT_EQ(f.bytes(), "gc 1 @0.1s\nline two\n");
  f.Release(f.bytes());  // pages come back on the next read
  EXPECT_EQ(f.bytes().substr(11), "line two\n");

  MappedFile gz, missing, dir, tiny;
  Write(TempPath("gz"), std::string("\x1f\x8b\x08\x00 compressed", 15));
  EXPECT_FALSE(gz.Open(TempPath("gz")));
  EXPECT_FALSE(missing.Open(TempPath("no-such-file")));
  EXPECT_FALSE(dir.Open(::testing::TempDir()));
  Write(TempPath("tiny"), "x");
  EXPECT_FALSE(tiny.Open(TempPath("tiny")));
}

TEST(MappedFileDeathTest, AFileCutShortWhileMappedIsAClearError) {
  const std::string path = TempPath("cut");
  Write(path, std::string(1 << 16, 'x'));
  EXPECT_EXIT(
      {
        MappedFile f;
        if (!f.Open(path)) _exit(3);
        if (truncate(path.c_str(), 0) != 0) _exit(4);
        volatile char c = f.bytes()[40000];  // a page that is gone
        (void)c;
        _exit(5);
      },
      ::testing::ExitedWithCode(1), "the file was cut short while being read");
}

}  // namespace
}  // namespace gcpilot
