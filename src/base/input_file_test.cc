#include "base/input_file.h"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

TEST(InputFileTest, OneWordingForEveryReason) {
  const Status missing = InputFileError("gc.log", ENOENT, "a log file");
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "gc.log: cannot open: No such file or directory");
  const Status denied = InputFileError("gc.log", EACCES, "a log file");
  EXPECT_EQ(denied.code(), StatusCode::kIoError);
  EXPECT_EQ(denied.message(), "gc.log: cannot open: Permission denied");
  const Status dir = InputFileError("logs", EISDIR, "a log file");
  EXPECT_EQ(dir.code(), StatusCode::kIoError);
  EXPECT_EQ(dir.message(), "logs: is a directory, not a log file");
}

TEST(InputFileTest, CheckAndReadSayTheSame) {
  const std::string dir = ::testing::TempDir() + "input_file_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/sub");
  std::ofstream(dir + "/body.json") << "{\"amount\":1}\n";
  EXPECT_TRUE(CheckInputFile(dir + "/body.json", "a request body").ok());
  std::string body;
  ASSERT_TRUE(ReadInputFile(dir + "/body.json", "a request body", &body).ok());
  EXPECT_EQ(body, "{\"amount\":1}\n");
  for (const Status& st :
       {CheckInputFile(dir + "/sub", "a TOML file"), ReadInputFile(dir + "/sub", "a TOML file", &body)}) {
    EXPECT_EQ(st.code(), StatusCode::kIoError);
    EXPECT_EQ(st.message(), dir + "/sub: is a directory, not a TOML file");
  }
  for (const Status& st :
       {CheckInputFile(dir + "/no.toml", "a TOML file"), ReadInputFile(dir + "/no.toml", "a TOML file", &body)}) {
    EXPECT_EQ(st.code(), StatusCode::kNotFound);
    EXPECT_EQ(st.message(), dir + "/no.toml: cannot open: No such file or directory");
  }
}

// /dev/zero never ends: it is refused at the bound, not read until memory
// runs out; a file just at the bound is read whole.
TEST(InputFileTest, AnEndlessOrHugeInputIsRefusedAtItsBound) {
  std::string body = "kept?";
  const Status zero = ReadInputFile("/dev/zero", "a request body", &body, 1 << 20);
  EXPECT_EQ(zero.code(), StatusCode::kCorruption);
  EXPECT_EQ(zero.message(), "/dev/zero: larger than 1 MiB, too large for a request body");
  EXPECT_TRUE(body.empty());
  const std::string path = ::testing::TempDir() + "input_file_test_bound";
  std::ofstream(path) << std::string(1 << 20, 'x');
  ASSERT_TRUE(ReadInputFile(path, "a request body", &body, 1 << 20).ok());
  EXPECT_EQ(body.size(), size_t{1} << 20);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace gcpilot
