#include "attribution/window_latency.h"

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

constexpr int64_t kMs = 1'000'000;

RequestRecord Req(int64_t due_ms, int64_t sent_ms, int64_t done_ms, RequestOutcome o, uint16_t status) {
  return {.due_ns = due_ms * kMs,
          .sent_ns = sent_ms < 0 ? RequestRecord::kNever : sent_ms * kMs,
          .done_ns = done_ms * kMs,
          .http_status = status,
          .outcome = o};
}

RequestLog Log() {
  RequestLog log;
  log.kinds = {"get"};
  log.records = {
      Req(90, 90, 95, RequestOutcome::kOk, 200),         // before the window
      Req(100, 100, 102, RequestOutcome::kOk, 200),      // first in it: due == from
      Req(110, 130, 150, RequestOutcome::kOk, 200),      // waited 20 ms for a connection
      Req(120, 120, 125, RequestOutcome::kNon2xx, 503),  // a response, and an error
      Req(130, 130, 5130, RequestOutcome::kTimeout, 0),  // no answer
      Req(140, -1, 160, RequestOutcome::kAborted, 0),    // never sent
      Req(200, 200, 201, RequestOutcome::kOk, 200),      // due == to: outside
  };
  return log;
}

TEST(MeasureWindowLatency, CountsTheRequestsDueInTheHalfOpenWindow) {
  const WindowLatency w = MeasureWindowLatency(Log(), 100 * kMs, 200 * kMs);
  EXPECT_EQ(w.due, 5);
  EXPECT_EQ(w.sent, 4);
  EXPECT_EQ(w.responses, 3);
  EXPECT_EQ(w.ok, 2);
  EXPECT_EQ(w.errors, 3);
  EXPECT_EQ(w.corrected.total_count(), 3);
  EXPECT_EQ(w.uncorrected.total_count(), 3);
  // Corrected from due: 2, 40 and 5 ms; uncorrected from sent: 2, 20, 5.
  EXPECT_TRUE(w.corrected.Equivalent(w.corrected.max(), 40 * kMs));
  EXPECT_TRUE(w.uncorrected.Equivalent(w.uncorrected.max(), 20 * kMs));
  EXPECT_TRUE(w.corrected.Equivalent(w.corrected.min(), 2 * kMs));
  EXPECT_TRUE(w.corrected.Equivalent(w.corrected.ValueAtPercentile(50), 5 * kMs));
}

TEST(MeasureWindowLatency, AnEmptyOrInvertedWindowIsZero) {
  for (auto [from, to] : {std::pair<int64_t, int64_t>{150, 150}, {300, 100}, {0, 90}}) {
    const WindowLatency w = MeasureWindowLatency(Log(), from * kMs, to * kMs);
    EXPECT_EQ(w.due, 0);
    EXPECT_EQ(w.responses, 0);
    EXPECT_EQ(w.errors, 0);
    EXPECT_EQ(w.corrected.total_count(), 0);
  }
}

}  // namespace
}  // namespace gcpilot
