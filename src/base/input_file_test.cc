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

}  // namespace
}  // namespace gcpilot
