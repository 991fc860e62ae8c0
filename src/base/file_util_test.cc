#include "base/file_util.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "base/free_port.h"
#include "base/read_file.h"
#include "base/units.h"

namespace gcpilot {
namespace {

TEST(FileUtilTest, AtomicWriteReplacesWholeAndLeavesNoTemporary) {
  const std::string path = ::testing::TempDir() + "file_util_atomic.txt";
  std::ofstream(path) << "old contents";
  ASSERT_TRUE(WriteFileAtomically(path, "new").ok());
  EXPECT_EQ(ReadFileOrEmpty(path), "new");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  const Status st = WriteFileAtomically("/nonexistent-dir/x.html", "y");
  EXPECT_EQ(st.code(), StatusCode::kIoError);
  EXPECT_EQ(st.message(), "/nonexistent-dir/x.html: cannot write");
}

TEST(FileUtilTest, TailKeepsTheLastNonEmptyLines) {
  const std::string path = ::testing::TempDir() + "file_util_tail.txt";
  std::ofstream(path) << "one\n\ntwo\nthree\n\nfour";
  EXPECT_EQ(TailLines(path, 3), "two|three|four");
  EXPECT_EQ(TailLines(path, 10), "one|two|three|four");
  EXPECT_EQ(TailLines(path, 2, 6), "e|four");
  EXPECT_EQ(TailLines(::testing::TempDir() + "no-such-file", 3), "");
}

TEST(FileUtilTest, AFreePortIsALoopbackPortNumber) {
  auto port = PickFreePort();
  ASSERT_TRUE(port.ok()) << port.status().message();
  EXPECT_GT(*port, 0);
  EXPECT_LT(*port, 65536);
}

TEST(UnitsTest, MillisecondsWithMicrosecondPrecision) {
  EXPECT_EQ(Ms(1'234'567), "1.235");
  EXPECT_EQ(MsWithUnit(86'000), "0.086 ms");
}

}  // namespace
}  // namespace gcpilot
