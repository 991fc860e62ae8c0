#include "runner/process.h"

#include <signal.h>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "base/read_file.h"

namespace gcpilot {
namespace {

using namespace std::chrono_literals;

std::string TempPath(const std::string& name) { return ::testing::TempDir() + "gcpilot_process_test_" + name; }

TEST(ProcessTest, RunsArgvWithEnvAndCapturesOutput) {
  const std::string out = TempPath("out"), err = TempPath("err");
  ProcessSpec spec{.argv = {"/bin/sh", "-c", "echo \"$GOGC $1\"; echo oops >&2; exit 3", "sh", "a b"},
                   .env = {{"GOGC", "50"}},
                   .stdout_path = out,
                   .stderr_path = err};
  auto p = Process::Start(spec);
  ASSERT_TRUE(p.ok()) << p.status().message();
  auto e = p->Wait(10s);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->Describe(), "exit 3");
  EXPECT_FALSE(e->clean());
  EXPECT_EQ(ReadFileOrEmpty(out), "50 a b\n");  // argv is not re-split by a shell
  EXPECT_EQ(ReadFileOrEmpty(err), "oops\n");
  EXPECT_GT(e->peak_rss_bytes, 0);
}

TEST(ProcessTest, MissingProgramIsNotFoundAtStart) {
  auto p = Process::Start({.argv = {"/no/such/program", "x"}});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(p.status().message(), "/no/such/program: cannot execute: No such file or directory");
  auto q = Process::Start({.argv = {"/bin/true"}, .stdout_path = "/no/such/dir/out"});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().message(), "/no/such/dir/out: cannot open stdout file: No such file or directory");
}

TEST(ProcessTest, StopEscalatesToSigkill) {
  // A target that ignores SIGTERM is killed after the grace period. The
  // test waits until the shell says its trap is set (a SIGTERM that came
  // before would kill it, however long the test slept first).
  const std::string out = TempPath("trap");
  auto p = Process::Start(
      {.argv = {"/bin/sh", "-c", "trap '' TERM; echo trapped; while :; do sleep 0.05; done"}, .stdout_path = out});
  ASSERT_TRUE(p.ok());
  while (ReadFileOrEmpty(out) != "trapped\n") {
    ASSERT_FALSE(p->Poll().has_value()) << "the shell exited before setting its trap";
    std::this_thread::sleep_for(1ms);
  }
  const ExitInfo e = p->Stop(200ms);
  EXPECT_TRUE(e.signaled);
  EXPECT_EQ(e.signal, SIGKILL);
  EXPECT_EQ(e.Describe(), "killed by SIGKILL");
}

TEST(ProcessTest, StopWithSigtermWhenHonoured) {
  auto p = Process::Start({.argv = {"/bin/sleep", "30"}});
  ASSERT_TRUE(p.ok());
  EXPECT_GT(p->RssBytes(), 0);
  const ExitInfo e = p->Stop(5s);
  EXPECT_EQ(e.Describe(), "killed by SIGTERM");
  EXPECT_EQ(p->RssBytes(), -1);
}

TEST(ProcessTest, PinsToCpus) {
  const std::string out = TempPath("cpus");
  auto p = Process::Start(
      {.argv = {"/bin/grep", "Cpus_allowed_list", "/proc/self/status"}, .cpus = {0}, .stdout_path = out});
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p->Wait(10s).has_value());
  EXPECT_EQ(ReadFileOrEmpty(out), "Cpus_allowed_list:\t0\n");
}

}  // namespace
}  // namespace gcpilot
