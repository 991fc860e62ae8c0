#include "loadgen/schedule.h"

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

constexpr int64_t kS = 1'000'000'000;

int64_t CountDue(const RateSchedule& s) {
  int64_t n = 0;
  for (int64_t t = s.RateAt(0) > 0 ? 0 : s.NextDue(0); t < s.duration_ns(); t = s.NextDue(t)) ++n;
  return n;
}

TEST(ScheduleTest, Durations) {
  EXPECT_EQ(*ParseDurationNs("30s"), 30 * kS);
  EXPECT_EQ(*ParseDurationNs("500ms"), kS / 2);
  EXPECT_EQ(*ParseDurationNs("1.5s"), 3 * kS / 2);
  EXPECT_EQ(*ParseDurationNs("2m"), 120 * kS);
  EXPECT_EQ(*ParseDurationNs("1h"), 3600 * kS);
  for (const char* bad : {"", "30", "s", "-1s", "0s", "1x", "1e99h"}) {
    auto d = ParseDurationNs(bad);
    EXPECT_FALSE(d.ok()) << bad;
  }
  EXPECT_EQ(ParseDurationNs("30").status().message(), "duration \"30\" is not a positive number with ms, s, m or h");
  // A warm-up may be none at all.
  EXPECT_EQ(*ParseOptionalDurationNs("0s"), 0);
  EXPECT_EQ(*ParseOptionalDurationNs("0"), 0);
  EXPECT_EQ(*ParseOptionalDurationNs("0ms"), 0);
  EXPECT_EQ(*ParseOptionalDurationNs("2s"), 2 * kS);
  EXPECT_EQ(ParseOptionalDurationNs("-1s").status().message(),
            "duration \"-1s\" is not 0 or a positive number with ms, s, m "
            "or h");
  EXPECT_EQ(FormatDurationNs(30 * kS), "30s");
  EXPECT_EQ(FormatDurationNs(kS / 2), "500ms");
  EXPECT_EQ(FormatDurationNs(120 * kS), "2m");
  EXPECT_EQ(FormatDurationNs(3 * kS / 2), "1.5s");
}

TEST(ScheduleTest, ConstantRateDueTimes) {
  auto s = RateSchedule::Parse("2k", 3 * kS);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->duration_ns(), 3 * kS);
  EXPECT_EQ(s->NextDue(0), 500'000);
  EXPECT_EQ(CountDue(*s), 6000);
  EXPECT_DOUBLE_EQ(s->ExpectedRequests(), 6000);
  EXPECT_EQ(s->Describe(), "2000/s for 3s");
}

TEST(ScheduleTest, StepsRampsBursts) {
  auto steps = RateSchedule::Parse("1000@2s,0@1s,500@2s", 99 * kS);
  ASSERT_TRUE(steps.ok());
  EXPECT_EQ(steps->duration_ns(), 5 * kS);
  EXPECT_EQ(steps->RateAt(2 * kS + 1), 0);
  EXPECT_EQ(steps->RateAt(3 * kS), 500);
  EXPECT_EQ(CountDue(*steps), 3000);
  EXPECT_EQ(steps->Describe(), "1000/s for 2s, then 0/s for 1s, then 500/s for 2s");

  auto ramp = RateSchedule::Parse("1000..3000@10s", kS);
  ASSERT_TRUE(ramp.ok());
  EXPECT_DOUBLE_EQ(ramp->RateAt(5 * kS), 2000);
  EXPECT_DOUBLE_EQ(ramp->ExpectedRequests(), 20000);
  // Stepping by 1/rate(t) follows the integral to within a few requests.
  EXPECT_NEAR(CountDue(*ramp), 20000, 3);

  auto burst = RateSchedule::Parse("burst:100/1000@1s/4s", 10 * kS);
  ASSERT_TRUE(burst.ok());
  EXPECT_EQ(burst->RateAt(0), 1000);
  EXPECT_EQ(burst->RateAt(kS), 100);
  EXPECT_EQ(burst->RateAt(4 * kS + 1), 1000);
  // Bursts at 0-1, 4-5, 8-9 s: 3 s at 1000/s, 7 s at 100/s.
  EXPECT_DOUBLE_EQ(burst->ExpectedRequests(), 3700);
  EXPECT_EQ(CountDue(*burst), 3700);

  auto max = RateSchedule::Parse("max", 7 * kS);
  ASSERT_TRUE(max.ok());
  EXPECT_TRUE(max->closed_loop());
  EXPECT_EQ(max->duration_ns(), 7 * kS);
}

// The range the messages state: 0 is taken as a step or a ramp's end,
// and 10000k (= 10000000/s) is the most.
TEST(ScheduleTest, AcceptsTheStatedRange) {
  auto steps = RateSchedule::Parse("0@1s,1000@1s", kS);
  ASSERT_TRUE(steps.ok()) << steps.status().message();
  EXPECT_EQ(steps->InitialRate(), 0);
  auto ramp = RateSchedule::Parse("0..1000@2s", kS);
  ASSERT_TRUE(ramp.ok()) << ramp.status().message();
  EXPECT_EQ(ramp->RateAt(kS), 500);
  auto top = RateSchedule::Parse("10000k", kS);
  ASSERT_TRUE(top.ok()) << top.status().message();
  EXPECT_EQ(top->InitialRate(), 10'000'000);
}

TEST(ScheduleTest, ErrorsNameThePart) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "--rate \"\": empty"},
      {"fast",
       "--rate \"fast\": \"fast\": rate must be a number of requests/s up to 10000000 (10000k): above 0, or 0 as one "
       "step of a multi-step schedule or one end of a ramp, or RATE..RATE"},
      {"1000@30s,5000",
       "--rate \"1000@30s,5000\": segment 2 (\"5000\") needs \"@duration\" (every segment of a multi-step schedule "
       "does)"},
      {"1000@3x", "--rate \"1000@3x\": \"1000@3x\": duration \"3x\" is not a positive number with ms, s, m or h"},
      {"burst:1/2@5s/5s", "--rate \"burst:1/2@5s/5s\": \"burst:1/2@5s/5s\": the burst must be shorter than its period"},
      {"burst:1000", "--rate \"burst:1000\": \"burst:1000\": want burst:BASE/PEAK@ON/PERIOD"},
      {"0", "--rate \"0\": asks for no requests at all"},
      {"-5",
       "--rate \"-5\": \"-5\": rate must be a number of requests/s up to 10000000 (10000k): above 0, or 0 as one step "
       "of a multi-step schedule or one end of a ramp, or RATE..RATE"},
      // The limit holds with k applied too (10001k was taken as 10001000/s).
      {"10001k",
       "--rate \"10001k\": \"10001k\": rate must be a number of requests/s up to 10000000 (10000k): above 0, or 0 as "
       "one step of a multi-step schedule or one end of a ramp, or RATE..RATE"},
      {"burst:0/20000k@1s/2s",
       "--rate \"burst:0/20000k@1s/2s\": \"burst:0/20000k@1s/2s\": rates must each be a number of requests/s up to "
       "10000000 (10000k): above 0, or 0 as one step of a multi-step schedule or one end of a ramp"},
  };
  for (const auto& [text, want] : cases) {
    auto s = RateSchedule::Parse(text, kS);
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_EQ(s.status().message(), want);
  }
}

}  // namespace
}  // namespace gcpilot
