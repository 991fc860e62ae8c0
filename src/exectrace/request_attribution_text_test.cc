#include "exectrace/request_attribution_text.h"

#include <gtest/gtest.h>

#include <string>

namespace gcpilot {
namespace {

TraceAttribution Example() {
  TraceAttribution a;
  a.requests = 3700;
  a.threshold_ns = 4'100'000;
  a.slow = 37;
  a.slow_met_stw = 11;
  a.slow_assisted = 23;
  a.slow_runnable_in_mark = 30;
  a.slow_total = {.running_ns = 60'000'000,
                  .assist_ns = 30'000'000,
                  .runnable_ns = 50'000'000,
                  .runnable_in_mark_ns = 40'000'000,
                  .stw_ns = 10'000'000,
                  .blocked_ns = 50'000'000,
                  .syscall_ns = 0};
  a.all_total = {.running_ns = 3'000'000'000, .runnable_ns = 500'000'000, .blocked_ns = 1'500'000'000};
  a.slowest = {{.name = "pay",
                .id = 812,
                .span = {1'000'000, 9'500'000},
                .split = {.running_ns = 2'000'000,
                          .assist_ns = 1'500'000,
                          .runnable_ns = 3'000'000,
                          .runnable_in_mark_ns = 2'500'000,
                          .stw_ns = 500'000,
                          .blocked_ns = 1'500'000}},
               {.name = "a,\"b\"", .id = 9, .span = {0, 5'000'000}, .split = {.running_ns = 5'000'000}}};
  return a;
}

TEST(TraceAttributionSentence, SaysWhatTheSlowRequestsMet) {
  EXPECT_EQ(TraceAttributionSentence(Example()),
            "Of the 37 requests above the P99 (4.1 ms), 30% overlapped a GC stop-the-world, 62% did mark-assist work, "
            "81% waited runnable during mark.");
  TraceAttribution g = Example();
  g.unit = TraceAttribution::Unit::kGoroutine;
  g.slow_percentile = 99.9;
  EXPECT_EQ(TraceAttributionSentence(g),
            "Of the 37 goroutines above the P99.9 (4.1 ms), 30% overlapped a GC stop-the-world, 62% did mark-assist "
            "work, 81% waited runnable during mark.");
}

TEST(TraceAttributionSentence, OneSlowRequestIsOne) {
  TraceAttribution a = Example();
  a.slow = 1;
  a.slow_met_stw = a.slow_assisted = a.slow_runnable_in_mark = 1;
  EXPECT_EQ(TraceAttributionSentence(a),
            "Of the 1 request above the P99 (4.1 ms), 100% overlapped a GC stop-the-world, 100% did mark-assist work, "
            "100% waited runnable during mark.");
}

TEST(TraceAttributionSentence, SaysSoWhenNothingWasSlow) {
  TraceAttribution a;
  EXPECT_EQ(TraceAttributionSentence(a), "No requests completed within the trace.");
  a.requests = 4;
  a.threshold_ns = 812'000;
  EXPECT_EQ(TraceAttributionSentence(a), "None of the 4 requests was above the P99 (0.812 ms).");
}

TEST(RequestAttributionTable, PutsTheSlowRequestsTimeBesideEveryRequests) {
  EXPECT_EQ(RequestAttributionTable(Example()),
            "where the time went       slow (37)   share      all (3700)   share\n"
            "running                   60.000 ms   30.0%     3000.000 ms   60.0%\n"
            "mark assist               30.000 ms   15.0%        0.000 ms    0.0%\n"
            "runnable                  50.000 ms   25.0%      500.000 ms   10.0%\n"
            "  of which in mark        40.000 ms   20.0%        0.000 ms    0.0%\n"
            "stop-the-world            10.000 ms    5.0%        0.000 ms    0.0%\n"
            "blocked                   50.000 ms   25.0%     1500.000 ms   30.0%\n"
            "syscall                    0.000 ms    0.0%        0.000 ms    0.0%\n"
            "total                    200.000 ms  100.0%     5000.000 ms  100.0%\n");
}

TEST(RequestAttributionJson, HasTheAgreedKeys) {
  const nlohmann::json j = RequestAttributionJson(Example());
  EXPECT_EQ(j["unit"], "task");
  EXPECT_EQ(j["requests"], 3700);
  EXPECT_EQ(j["slow_percentile"], 99.0);
  EXPECT_EQ(j["threshold_ns"], 4'100'000);
  EXPECT_EQ(j["slow"], 37);
  EXPECT_EQ(j["slow_met_stw"], 11);
  EXPECT_EQ(j["slow_assisted"], 23);
  EXPECT_EQ(j["slow_runnable_in_mark"], 30);
  EXPECT_EQ(j["slow_total"].dump(),
            R"({"assist_ns":30000000,"blocked_ns":50000000,"runnable_in_mark_ns":40000000,"runnable_ns":50000000,)"
            R"("running_ns":60000000,"stw_ns":10000000,"syscall_ns":0})");
  EXPECT_EQ(j["all_total"]["running_ns"], 3'000'000'000);
  ASSERT_EQ(j["slowest"].size(), 2u);
  EXPECT_EQ(j["slowest"][0]["name"], "pay");
  EXPECT_EQ(j["slowest"][0]["id"], 812);
  EXPECT_EQ(j["slowest"][0]["start_ns"], 1'000'000);
  EXPECT_EQ(j["slowest"][0]["end_ns"], 9'500'000);
  EXPECT_EQ(j["slowest"][0]["duration_ns"], 8'500'000);
  EXPECT_EQ(j["slowest"][0]["split"]["runnable_in_mark_ns"], 2'500'000);
}

TEST(RequestAttributionCsv, ListsTheSlowestWithTheirSplits) {
  EXPECT_EQ(RequestAttributionCsv(Example()),
            "rank,name,id,start_ns,end_ns,duration_ns,running_ns,assist_ns,runnable_ns,runnable_in_mark_ns,stw_ns,"
            "blocked_ns,syscall_ns\n"
            "1,pay,812,1000000,9500000,8500000,2000000,1500000,3000000,2500000,500000,1500000,0\n"
            "2,\"a,\"\"b\"\"\",9,0,5000000,5000000,5000000,0,0,0,0,0,0\n");
}

TEST(RequestAttributionText, ListsTheSlowestAfterTheTable) {
  const std::string text = RequestAttributionText(Example());
  EXPECT_EQ(text.substr(0, text.find('\n')), TraceAttributionSentence(Example()));
  EXPECT_NE(text.find(RequestAttributionTable(Example())), std::string::npos);
  EXPECT_NE(text.find("\nslowest tasks"), std::string::npos);
  EXPECT_NE(text.find("\npay                  812     8.500 ms      2.000      1.500      3.000      0.500\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace gcpilot
