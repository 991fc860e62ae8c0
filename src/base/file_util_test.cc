#include "base/file_util.h"

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdio>
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

// Runs `body` in a child process and returns its wait status, so a test
// may redirect stdout, change the umask or be stopped by a signal.
template <typename Body>
int InChild(Body body) {
  const pid_t child = fork();
  if (child == 0) _exit(body());
  int status = 0;
  waitpid(child, &status, 0);
  return status;
}

// A stop (Ctrl-C, SIGTERM) in the middle of a write ends it: the process
// dies by the signal, the old file stays whole and no temporary is left.
TEST(FileUtilTest, AStopDuringAWriteLeavesTheOldFileAndNoTemporary) {
  const std::string dir = FreshDir("file_util_signal");
  const std::string path = dir + "/timeline.csv";
  std::ofstream(path) << "old rows\n";
  const int status = InChild([&] {
    const Status st = WriteFileAtomically(path, [](std::ostream& out) {
      out << "second,";
      raise(SIGTERM);
      out << "rps\n";
    });
    return st.ok() ? 0 : 1;  // not reached: SIGTERM ends the process first
  });
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_EQ(ReadFileOrEmpty(path), "old rows\n");
  EXPECT_EQ(Names(dir), std::vector<std::string>{"timeline.csv"});
}

// The stop lands in another thread than the writer's (a progress thread,
// the load engine's): the temporary is still removed.
TEST(FileUtilTest, AStopInAnotherThreadLeavesNoTemporary) {
  const std::string dir = FreshDir("file_util_signal_thread");
  const std::string path = dir + "/requests.csv";
  const int status = InChild([&] {
    int go[2];
    if (pipe(go) != 0) return 2;
    std::thread stopper([&] {
      char c;
      if (read(go[0], &c, 1) == 1) raise(SIGTERM);  // to this thread only
    });
    const Status st = WriteFileAtomically(path, [&](std::ostream& out) {
      out << "due_ns,sent_ns\n";
      out.flush();
      (void)!write(go[1], "x", 1);
      for (;;) pause();  // the write never ends by itself
    });
    stopper.join();
    return st.ok() ? 0 : 1;
  });
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_EQ(Names(dir), std::vector<std::string>{});
}

// `gcpilot load --timeline /dev/stdout > run.txt`: the CSV goes after the
// table in run.txt, never renamed over it (the table would be lost, with
// `>> log` the whole log).
TEST(FileUtilTest, AWriteToOurRedirectedStdoutKeepsWhatWasPrinted) {
  const std::string dir = FreshDir("file_util_stdout");
  const std::string run = dir + "/run.txt";
  for (const std::string& target :
       {std::string("/dev/stdout"), std::string("/dev/fd/1"), std::string("/proc/self/fd/1"), run}) {
    std::ofstream(run) << "earlier log\n";
    const int status = InChild([&] {
      const int fd = open(run.c_str(), O_WRONLY | O_APPEND);
      if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) return 2;
      std::printf("table\n");
      return WriteFileAtomically(target, "second,rps\n1,1000\n").ok() ? 0 : 1;
    });
    ASSERT_TRUE(WIFEXITED(status)) << target;
    EXPECT_EQ(WEXITSTATUS(status), 0) << target;
    EXPECT_EQ(ReadFileOrEmpty(run), "earlier log\ntable\nsecond,rps\n1,1000\n") << target;
    EXPECT_EQ(Names(dir), std::vector<std::string>{"run.txt"}) << target;
  }
}

TEST(FileUtilTest, AWriteToAnOpenDescriptorWritesAtItsOffset) {
  const std::string dir = FreshDir("file_util_open_fd");
  const std::string path = dir + "/out.csv";
  std::ofstream(path) << "keep";
  const int fd = open(path.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(lseek(fd, 0, SEEK_END), 4);
  ASSERT_TRUE(WriteFileAtomically("/dev/fd/" + std::to_string(fd), ",new").ok());
  ASSERT_TRUE(WriteFileAtomically("/proc/" + std::to_string(getpid()) + "/fd/" + std::to_string(fd), ",more").ok());
  EXPECT_EQ(WhyUnwritable("/dev/fd/" + std::to_string(fd)), "");
  close(fd);
  EXPECT_EQ(ReadFileOrEmpty(path), "keep,new,more");
  EXPECT_EQ(Names(dir), std::vector<std::string>{"out.csv"});
  const int ro = open(path.c_str(), O_RDONLY);
  ASSERT_GE(ro, 0);
  EXPECT_EQ(WhyUnwritable("/dev/fd/" + std::to_string(ro)), "cannot write: Bad file descriptor");
  const Status st = WriteFileAtomically("/dev/fd/" + std::to_string(ro), "x");
  EXPECT_EQ(st.message(), "/dev/fd/" + std::to_string(ro) + ": cannot write: Bad file descriptor");
  close(ro);
  EXPECT_EQ(ReadFileOrEmpty(path), "keep,new,more");
}

// A symlink to a file not there yet (out.csv -> results/run.csv) stays a
// link; its target is created.
TEST(FileUtilTest, AWriteThroughADanglingSymlinkCreatesItsTarget) {
  const std::string dir = FreshDir("file_util_dangling");
  std::filesystem::create_directory(dir + "/results");
  std::filesystem::create_symlink("results/run.csv", dir + "/out.csv");
  EXPECT_EQ(WhyUnwritable(dir + "/out.csv"), "");
  ASSERT_TRUE(WriteFileAtomically(dir + "/out.csv", "a,b\n").ok());
  EXPECT_TRUE(std::filesystem::is_symlink(dir + "/out.csv"));
  EXPECT_EQ(ReadFileOrEmpty(dir + "/results/run.csv"), "a,b\n");
  EXPECT_EQ(Names(dir), (std::vector<std::string>{"out.csv", "results"}));
  EXPECT_EQ(Names(dir + "/results"), std::vector<std::string>{"run.csv"});
  std::filesystem::create_symlink("nowhere/x.csv", dir + "/lost.csv");
  EXPECT_EQ(WhyUnwritable(dir + "/lost.csv"), "directory " + dir + "/nowhere does not exist");
}

// The umask is process-wide: changing it, even for a moment, changes the
// mode of files other threads create. The write must never call umask(2)
// (a seccomp filter kills the child if it does), and still give a new
// file 0666 & ~umask.
TEST(FileUtilTest, ANewFileGetsTheUmasksModeWithoutTouchingTheUmask) {
  const std::string dir = FreshDir("file_util_umask");
  const std::string path = dir + "/new.csv";
  const int status = InChild([&] {
    umask(027);
    sock_filter kill_umask[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_umask, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    sock_fprog prog{static_cast<unsigned short>(std::size(kill_umask)), kill_umask};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) return 2;
    return WriteFileAtomically(path, "x").ok() ? 0 : 1;
  });
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(std::filesystem::status(path).permissions(), std::filesystem::perms(0640));
  std::filesystem::permissions(path, std::filesystem::perms(0600));
  EXPECT_EQ(InChild([&] { return WriteFileAtomically(path, "y").ok() ? 0 : 1; }), 0);
  EXPECT_EQ(std::filesystem::status(path).permissions(),
            std::filesystem::perms(0600));  // a replaced file keeps its own
  EXPECT_EQ(ReadFileOrEmpty(path), "y");
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
