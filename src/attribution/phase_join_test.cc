#include "attribution/phase_join.h"

#include <gtest/gtest.h>

#include "attribution/attribution_test_util.h"

namespace gcpilot {
namespace {

using testing_util::Cycle;
using testing_util::Ms;
using testing_util::Request;

// Load clock = process clock + 1 s. Cycle 1: sweep [1010, 1011) ms, mark
// [1011, 1015), mark termination [1015, 1016). Cycle 2: [1030, 1031),
// [1031, 1033), [1033, 1034). Cycle 3 starts at 1038 ms: [1038, 1038.5),
// [1038.5, 1039.5), [1039.5, 1040). Cycle 4 at 1100 ms, nothing due in it.
struct Fixture {
  GcTimeline gc;
  RequestLog log;
  Fixture() {
    gc.load_clock_origin_ns = Ms(1000);
    gc.origin_error_ns = Ms(1);
    gc.cycles = {Cycle(1, 10, 1, 4, 1), Cycle(2, 30, 1, 2, 1), Cycle(3, 38, 0.5, 1, 0.5), Cycle(4, 100, 1, 1, 1)};
    log.records = {
        Request(1009.999999, 0.5),  // outside, but in flight into cycle 1's sweep
        Request(1010, 0.5),         // sweep termination's first ns
        Request(1010.999999, 0.2),  // its last ns
        Request(1011, 9),           // mark's first ns; answered at 1020: cycle 1's recovery ends there
        Request(1012, -1),          // never answered: no recovery, no count
        Request(1014.999999, 0.5),  // mark's last ns, in flight into mark termination
        Request(1015, 1.2),         // mark termination's first ns
        Request(1015.999999, 1),    // its last ns
        Request(1016, 1),           // cycle 1's end: recovery
        Request(1019.999999, 1),    // recovery's last ns
        Request(1020, 1),           // recovery over: outside
        Request(1031, 20),          // cycle 2's mark, answered at 1051: cut at cycle 3's start
        Request(1036, 1),           // cycle 2's recovery
        Request(1038, 0.1),         // cycle 3's sweep termination
        Request(1103, 1),           // cycle 4's end: it has no recovery
    };
  }
};

TEST(CyclesOnLoadClock, MovesSpansAndEndsRecoveriesAtTheLastAnswerCutAtTheNextCycle) {
  Fixture f;
  const auto spans = CyclesOnLoadClock(f.gc, f.log);
  ASSERT_EQ(spans.size(), 4u);
  EXPECT_EQ(spans[0].sweep_term, (TimeSpan{Ms(1010), Ms(1011)}));
  EXPECT_EQ(spans[0].mark, (TimeSpan{Ms(1011), Ms(1015)}));
  EXPECT_EQ(spans[0].mark_term, (TimeSpan{Ms(1015), Ms(1016)}));
  EXPECT_EQ(spans[0].cycle, &f.gc.cycles[0]);
  EXPECT_EQ(spans[0].recovery_end_ns, Ms(1020));
  EXPECT_EQ(spans[0].recovery_ns(), Ms(4));
  EXPECT_EQ(spans[1].recovery_end_ns, Ms(1038));  // 1051, cut at cycle 3's start
  EXPECT_EQ(spans[2].recovery_end_ns, Ms(1040));  // answered within the cycle: empty
  EXPECT_EQ(spans[2].recovery_ns(), 0);
  EXPECT_EQ(spans[3].recovery_ns(), 0);  // nothing due in it
}

TEST(PhaseAt, BothEdgesOfEverySpan) {
  Fixture f;
  const auto spans = CyclesOnLoadClock(f.gc, f.log);
  struct Case {
    double due_ms;
    GcPhase phase;
    int cycle;
  };
  const Case cases[] = {
      {1000, GcPhase::kOutside, -1},
      {1009.999999, GcPhase::kOutside, -1},
      {1010, GcPhase::kStw, 0},
      {1010.999999, GcPhase::kStw, 0},
      {1011, GcPhase::kMark, 0},
      {1014.999999, GcPhase::kMark, 0},
      {1015, GcPhase::kStw, 0},
      {1015.999999, GcPhase::kStw, 0},
      {1016, GcPhase::kRecovery, -1},
      {1019.999999, GcPhase::kRecovery, -1},
      {1020, GcPhase::kOutside, -1},
      {1029.999999, GcPhase::kOutside, -1},
      {1030, GcPhase::kStw, 1},
      {1031, GcPhase::kMark, 1},
      {1033, GcPhase::kStw, 1},
      {1034, GcPhase::kRecovery, -1},
      {1037.999999, GcPhase::kRecovery, -1},
      {1038, GcPhase::kStw, 2},
      {1038.5, GcPhase::kMark, 2},
      {1039.5, GcPhase::kStw, 2},
      {1040, GcPhase::kOutside, -1},
      {1103, GcPhase::kOutside, -1},
  };
  for (const Case& c : cases) {
    int cycle = 7;
    EXPECT_EQ(PhaseAt(spans, Ms(c.due_ms), &cycle), c.phase) << c.due_ms;
    EXPECT_EQ(cycle, c.cycle) << c.due_ms;
  }
  EXPECT_EQ(PhaseAt({}, Ms(1010), nullptr), GcPhase::kOutside);
}

TEST(MetStw, InFlightOverAPauseEdgeCounts) {
  Fixture f;
  const auto spans = CyclesOnLoadClock(f.gc, f.log);
  EXPECT_TRUE(MetStw(spans, Ms(1009), Ms(1010)));          // answered at the pause's first ns
  EXPECT_FALSE(MetStw(spans, Ms(1009), Ms(1009.999999)));  // just before it
  EXPECT_FALSE(MetStw(spans, Ms(1011), Ms(1014.999999)));  // within mark only
  EXPECT_TRUE(MetStw(spans, Ms(1014.999999), Ms(1015)));   // into mark termination
  EXPECT_FALSE(MetStw(spans, Ms(1016), Ms(1029)));         // after it, before the next
  EXPECT_TRUE(MetStw(spans, Ms(1000), Ms(1200)));          // over every cycle
  EXPECT_TRUE(MetStw(spans, Ms(1015.999999), Ms(1015.999999)));
}

TEST(JoinRequests, WindowIsHalfOpenAndUnansweredCountNowhere) {
  Fixture f;
  const auto spans = CyclesOnLoadClock(f.gc, f.log);
  const MeasuredWindow window{.from_ns = Ms(1010), .to_ns = Ms(1038)};
  const auto joined = JoinRequests(f.log, spans, window);
  // 1009.999999 is before the window, 1012 never answered, 1038 at its end.
  ASSERT_EQ(joined.size(), 11u);
  int counts[kGcPhases] = {};
  for (const JoinedRequest& j : joined) ++counts[static_cast<int>(j.phase)];
  EXPECT_EQ(counts[static_cast<int>(GcPhase::kStw)], 4);
  EXPECT_EQ(counts[static_cast<int>(GcPhase::kMark)], 3);
  EXPECT_EQ(counts[static_cast<int>(GcPhase::kRecovery)], 3);
  EXPECT_EQ(counts[static_cast<int>(GcPhase::kOutside)], 1);
  EXPECT_EQ(joined[0].due_ns, Ms(1010));
  EXPECT_EQ(joined[0].latency_ns, Ms(0.5));
  EXPECT_TRUE(joined[0].met_stw);
  EXPECT_EQ(joined[2].phase, GcPhase::kMark);
  EXPECT_TRUE(joined[2].met_stw);                 // [1011, 1020] met mark termination
  EXPECT_TRUE(joined[3].met_stw);                 // [1014.999999, 1015.499999] met mark termination
  EXPECT_EQ(joined[8].phase, GcPhase::kOutside);  // 1020
  EXPECT_FALSE(joined[8].met_stw);
  EXPECT_EQ(joined[9].cycle, 1);   // 1031: cycle 2's mark
  EXPECT_TRUE(joined[9].met_stw);  // answered at 1051, over cycle 2's and 3's pauses
}

}  // namespace
}  // namespace gcpilot
