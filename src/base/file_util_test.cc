#include "base/file_util.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/free_port.h"
#include "base/read_file.h"
#include "base/units.h"

namespace gcpilot {
namespace {

// The names in `dir`, sorted: what a write left behind.
std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// A fresh empty directory for one test.
std::string FreshDir(const std::string& name) {
  const std::string dir = ::testing::TempDir() + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(FileUtilTest, AtomicWriteReplacesWholeAndLeavesNoTemporary) {
  const std::string dir = FreshDir("file_util_atomic");
  const std::string path = dir + "/out.txt";
  std::ofstream(path) << "old contents";
  std::filesystem::permissions(path, std::filesystem::perms(0640));
  ASSERT_TRUE(WriteFileAtomically(path, "new").ok());
  EXPECT_EQ(ReadFileOrEmpty(path), "new");
  EXPECT_EQ(Names(dir), std::vector<std::string>{"out.txt"});
  EXPECT_EQ(std::filesystem::status(path).permissions(), std::filesystem::perms(0640));  // kept
  const Status st = WriteFileAtomically("/nonexistent-dir/x.html", "y");
  EXPECT_EQ(st.code(), StatusCode::kIoError);
  EXPECT_EQ(st.message(), "/nonexistent-dir/x.html: cannot write: No such file or directory");
}

TEST(FileUtilTest, AtomicWriteRefusesADirectoryAndLeavesNothing) {
  const std::string dir = FreshDir("file_util_dir_target");
  std::filesystem::create_directory(dir + "/report.html");
  const Status st = WriteFileAtomically(dir + "/report.html", "<html>");
  EXPECT_EQ(st.code(), StatusCode::kIoError);
  EXPECT_EQ(st.message(), dir + "/report.html: is a directory");
  EXPECT_EQ(Names(dir), std::vector<std::string>{"report.html"});
  EXPECT_TRUE(std::filesystem::is_empty(dir + "/report.html"));
  EXPECT_EQ(WhyUnwritable(dir + "/report.html"), "is a directory");
}

// A pipe or device holds no old file to keep: it is written in place, and
// stays what it is (as root, a rename would replace /dev/null itself).
TEST(FileUtilTest, AtomicWriteIntoAPipeOrDeviceWritesInPlace) {
  ASSERT_TRUE(WriteFileAtomically("/dev/null", "x").ok());
  EXPECT_TRUE(std::filesystem::is_character_file("/dev/null"));
  EXPECT_EQ(WhyUnwritable("/dev/null"), "");
  const std::string dir = FreshDir("file_util_fifo");
  const std::string fifo = dir + "/rows";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = ReadFileOrEmpty(fifo); });
  EXPECT_TRUE(WriteFileAtomically(fifo, "a,b\n").ok());
  reader.join();
  EXPECT_EQ(got, "a,b\n");
  EXPECT_TRUE(std::filesystem::is_fifo(fifo));
  EXPECT_EQ(Names(dir), std::vector<std::string>{"rows"});
}

TEST(FileUtilTest, AtomicWriteThroughASymlinkKeepsTheLink) {
  const std::string dir = FreshDir("file_util_symlink");
  std::ofstream(dir + "/real.csv") << "old";
  std::filesystem::create_symlink("real.csv", dir + "/link.csv");
  ASSERT_TRUE(WriteFileAtomically(dir + "/link.csv", "new").ok());
  EXPECT_TRUE(std::filesystem::is_symlink(dir + "/link.csv"));
  EXPECT_EQ(ReadFileOrEmpty(dir + "/real.csv"), "new");
  EXPECT_EQ(Names(dir), (std::vector<std::string>{"link.csv", "real.csv"}));
}

TEST(FileUtilTest, AFailedWriteLeavesTheOldFileAndNoTemporary) {
  const std::string dir = FreshDir("file_util_failure");
  const std::string path = dir + "/requests.csv";
  std::ofstream(path) << "old rows";
  const Status st = WriteFileAtomically(path, [](std::ostream& out) {
    out << "half a row";
    out.setstate(std::ios::badbit);  // as a full disk would
  });
  EXPECT_EQ(st.code(), StatusCode::kIoError);
  EXPECT_EQ(st.message().rfind(path + ": cannot write: ", 0), 0u) << st.message();
  EXPECT_EQ(ReadFileOrEmpty(path), "old rows");
  EXPECT_EQ(Names(dir), std::vector<std::string>{"requests.csv"});
}

// A stop (Ctrl-C, SIGTERM) in the middle of a write lands after it: the
// process still dies by the signal, and leaves the whole file, no temporary.
TEST(FileUtilTest, AStopDuringAWriteWaitsForTheRename) {
  const std::string dir = FreshDir("file_util_signal");
  const std::string path = dir + "/timeline.csv";
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    signal(SIGTERM, SIG_DFL);
    const Status st = WriteFileAtomically(path, [](std::ostream& out) {
      out << "second,";
      raise(SIGTERM);
      out << "rps\n";
    });
    _exit(st.ok() ? 0 : 1);  // not reached: the held SIGTERM ends the process first
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_EQ(ReadFileOrEmpty(path), "second,rps\n");
  EXPECT_EQ(Names(dir), std::vector<std::string>{"timeline.csv"});
}

TEST(FileUtilTest, ConcurrentWritersLeaveOneWholeFileAndNoTemporaries) {
  const std::string dir = FreshDir("file_util_concurrent");
  const std::string path = dir + "/report.html";
  const std::string a(100'000, 'a'), b(50'000, 'b');
  std::atomic<int> failures = 0;
  auto writer = [&](const std::string& bytes) {
    for (int i = 0; i < 50; ++i) failures += !WriteFileAtomically(path, bytes).ok();
  };
  std::thread ta(writer, a), tb(writer, b);
  ta.join();
  tb.join();
  EXPECT_EQ(failures, 0);
  const std::string got = ReadFileOrEmpty(path);
  EXPECT_TRUE(got == a || got == b) << got.size();
  EXPECT_EQ(Names(dir), std::vector<std::string>{"report.html"});
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
