#include "tune/trial_attribution.h"

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

TEST(RunMemLimitBytes, TheSettingThenTheSpecsEnv) {
  StudySpec spec;
  RunResult run;
  EXPECT_EQ(RunMemLimitBytes(spec, run), -1);
  spec.env = {{"GOMEMLIMIT", "1GiB"}};
  EXPECT_EQ(RunMemLimitBytes(spec, run), int64_t{1} << 30);
  run.env = {{"GOMEMLIMIT", "450MiB"}};
  EXPECT_EQ(RunMemLimitBytes(spec, run), int64_t{450} << 20);
  run.env = {{"GOMEMLIMIT", "off"}};
  EXPECT_EQ(RunMemLimitBytes(spec, run), -1);
  run.env = {{"GOMEMLIMIT", ""}};  // unset for this run
  EXPECT_EQ(RunMemLimitBytes(spec, run), -1);
}

// A run of 1000 requests (1 ms apart, each 2 ms) whose 1-s bound held no
// GC cycle: the GC never ran, so the estimate is the outside distribution.
RunData RunWithoutCycles() {
  RunData d;
  d.gc.load_clock_origin_ns = 0;
  d.gc.origin_error_ns = 1'000'000;
  d.requests.kinds = {"get"};
  for (int i = 0; i < 1000; ++i) {
    const int64_t due = int64_t{i} * 1'000'000;
    d.requests.records.push_back({.due_ns = due, .sent_ns = due, .done_ns = due + 2'000'000, .http_status = 200});
  }
  return d;
}

TEST(AttributeTrial, ABoundWithoutWholePeriodsTakesTheEstimate) {
  StudySpec spec;  // min_gc_periods 3 by default
  RunResult run;
  run.metrics.p99_ns = 123;  // the window's own figure, replaced
  RunData d = RunWithoutCycles();
  const MeasuredWindow w{.from_ns = 0, .to_ns = 1'000'000'000, .periods = 0, .min_periods = 3};
  AttributeTrial(spec, w, &run, &d);
  EXPECT_TRUE(d.attribution.estimate.used);
  EXPECT_TRUE(run.metrics.latency_estimated);
  EXPECT_EQ(run.metrics.p99_ns, d.attribution.estimate.p99_ns);
  EXPECT_EQ(d.attribution.phases[static_cast<int>(GcPhase::kOutside)].requests, 1000);
  EXPECT_EQ(run.metrics.limit_reached_in_ns, -1);
}

TEST(AttributeTrial, AFixedWindowKeepsItsOwnFigures) {
  StudySpec spec;
  spec.min_gc_periods = 0;
  RunResult run;
  run.metrics.p99_ns = 123;
  RunData d = RunWithoutCycles();
  AttributeTrial(spec, {.from_ns = 0, .to_ns = 1'000'000'000}, &run, &d);
  EXPECT_FALSE(d.attribution.estimate.used);
  EXPECT_FALSE(run.metrics.latency_estimated);
  EXPECT_EQ(run.metrics.p99_ns, 123);
}

}  // namespace
}  // namespace gcpilot
