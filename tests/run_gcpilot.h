// Runs the real gcpilot binary for the whole-program tests: its stdout to
// `out`, its stderr to `out`.err, waited for (10 minutes at most).
#ifndef GCPILOT_TESTS_RUN_GCPILOT_H_
#define GCPILOT_TESTS_RUN_GCPILOT_H_

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "runner/process.h"

namespace gcpilot::testing {

inline ExitInfo RunGcpilot(const std::vector<std::string>& args, const std::string& out) {
  std::vector<std::string> argv = {GCPILOT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  auto p = Process::Start({.argv = argv, .stdout_path = out, .stderr_path = out + ".err"});
  EXPECT_TRUE(p.ok()) << p.status().message();
  if (!p.ok()) return ExitInfo{};
  auto e = p->Wait(std::chrono::minutes(10));
  EXPECT_TRUE(e.has_value()) << "gcpilot did not finish in 10 minutes";
  return e ? *e : ExitInfo{};
}

}  // namespace gcpilot::testing

#endif  // GCPILOT_TESTS_RUN_GCPILOT_H_
