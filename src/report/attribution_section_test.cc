#include "report/attribution_section.h"

#include <gtest/gtest.h>

#include "report/gc_periods_table.h"
#include "report/latency_time_figure.h"
#include "report/report_fixture.h"
#include "report/report_test_util.h"

namespace gcpilot {
namespace {

TEST(LatencyBucketsTest, EachBucketIsTheNearestRankP99OfTheRequestsDueInIt) {
  const int64_t t0 = 50'000'000'000;
  RequestLog log;
  log.records = {{t0 - 1, t0, t0 - 1 + 7'000'000},  // due 1 ns before the origin: the bucket before it
                 {t0, t0, t0 + 1'000'000},
                 {t0 + 99'999'999, t0 + 99'999'999, t0 + 99'999'999 + 3'000'000},
                 {t0 + 100'000'000, -1, -1},  // never answered: left out
                 {t0 + 250'000'000, t0 + 250'000'000, t0 + 252'000'000}};
  for (int i = 0; i < 98; ++i) log.records.push_back({t0 + 10 + i, t0 + 10 + i, t0 + 10 + i + 500'000});
  const std::vector<LatencyBucket> b = LatencyBuckets(log, t0, kLatencyBucketNs);
  // 100 requests in [t0, t0 + 100 ms): the 99th of them sorted is 1 ms
  // (98 at 0.5 ms, then 1 ms, then 3 ms); the empty bucket at 100 ms is
  // left out.
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0], (LatencyBucket{t0 - 100'000'000, 1, 7'000'000}));
  EXPECT_EQ(b[1], (LatencyBucket{t0, 100, 1'000'000}));
  EXPECT_EQ(b[2], (LatencyBucket{t0 + 200'000'000, 1, 2'000'000}));
}

// One cycle at 1.0 s of the target's clock (load clock 11 s), its window
// from 10.5 s: a mark band, two stop-the-world bands 1 px wide, its
// recovery from the stored CycleExcess, the window, each named once in
// the legend.
TEST(LatencyTimeFigureTest, TheCycleIsShadedByPhaseOnTheLoadClock) {
  GcTimeline gc;
  gc.load_clock_origin_ns = 10'000'000'000;
  gc.origin_error_ns = 1'000'000;
  GcCycle c;
  c.number = 7;
  c.start_ns = 1'000'000'000;
  c.sweep_term_ns = 20'000;
  c.mark_ns = 300'000'000;
  c.mark_term_ns = 10'000;
  gc.cycles = {c};
  RequestLog log;
  for (int64_t t = 10'500'000'000; t < 12'500'000'000; t += 1'000'000) log.records.push_back({t, t, t + 1'000'000});
  RunAttribution a;
  a.window = {10'500'000'000, 12'500'000'000, 0, 3, false};
  a.cycles = {{7, 11'000'000'000, 300, 2'000'000, 1'000'000, 200'000'000}};
  const std::string svg = LatencyTimeFigure("run 3", log, gc, a, "#123456");
  EXPECT_EQ(Count(svg, "fill=\"#f6d7a7\""), 2u);  // mark: its band and its legend swatch
  EXPECT_EQ(Count(svg, "fill=\"#cfe8c9\""), 2u);  // recovery
  EXPECT_EQ(Count(svg, "fill=\"#b00020\""), 3u);  // two pauses and the swatch
  EXPECT_EQ(Count(svg, "width=\"1.0\" height=\"244.0\" fill=\"#b00020\""), 2u);
  EXPECT_TRUE(Has(svg, ">measured window</text>"));
  EXPECT_TRUE(Has(svg, ">time from the measured window's start (s)</text>"));
  EXPECT_TRUE(Has(svg, ">P99 latency (ms)</text>"));
  EXPECT_EQ(Count(svg, "<polyline "), 1u);
  // 20 buckets, each drawn at its middle: the first at 0.05 s.
  const size_t at = svg.find("<polyline points=\"");
  EXPECT_EQ(Count(svg.substr(at, svg.find('"', at + 18) - at), ","), 20u);
  // Without the clock alignment no cycle is drawn, and the title says why.
  gc.load_clock_origin_ns = GcTimeline::kUnknown;
  const std::string unaligned = LatencyTimeFigure("run 3", log, gc, a, "#123456");
  EXPECT_TRUE(Has(unaligned, ">run 3: GC not drawn (its clock is not aligned with the load's)</text>"));
  EXPECT_EQ(Count(unaligned, "fill=\"#f6d7a7\""), 0u);
}

// The fixture's recommended run: run 21 (verification, 2 GC periods),
// drawn and attributed; the default's run 22.
TEST(AttributionSectionTest, TheRecommendedAndDefaultRunsAreDrawnAndAttributed) {
  const std::string html = AttributionSection(ReportFixture("full"));
  EXPECT_TRUE(Has(html, ">recommended: latency over time, verify run 21 (2 GC periods)</text>"));
  EXPECT_TRUE(Has(html, ">default: latency over time, verify run 22 (6 GC periods)</text>"));
  EXPECT_TRUE(Has(html,
                  "<tr><td class=\"l\">mark: during concurrent mark</td><td>360</td><td>0.980</td><td>1.330</td>"
                  "<td>1.330</td><td>1.015</td></tr>"));
  EXPECT_TRUE(Has(html,
                  "<p>Of the 283 requests above the P99 (0.840 ms), 86% were due during concurrent mark, 3% met a "
                  "stop-the-world pause, 0% were due in a recovery, 11% had no GC nearby.</p>"));
  EXPECT_TRUE(Has(html, "Recovery N = 1.330 ms"));
  EXPECT_TRUE(Has(html, "median 0.920 ms, worst 0.920 ms (cycle 4), over 3 cycles."));
  EXPECT_TRUE(Has(html, "The run's latency figures are the steady-state estimate (p99 ~0.700 ms): period 3.00 s"));
  EXPECT_FALSE(Has(html, "Warning:"));
}

TEST(AttributionSectionTest, TheFigureRunIsTheVerificationRunWithTheMostPeriods) {
  ReportInput in = ReportFixture("full");
  for (RunResult& r : in.runs) {
    if (r.seq + 1 == 23 || r.seq + 1 == 25) r.metrics.gc_periods = 3;
  }
  in.analysis = Analyze(in.spec, in.runs);
  ASSERT_NE(LatencyFigureRun(in, in.analysis.rec.best), nullptr);
  EXPECT_EQ(LatencyFigureRun(in, in.analysis.rec.best)->seq + 1, 23);  // the earlier of 23 and 25
  EXPECT_TRUE(Has(AttributionSection(in), ">recommended: latency over time, verify run 23 (3 GC periods)</text>"));
}

TEST(AttributionSectionTest, ARunWithoutAttributionSaysSoAndAHeapTrendWarns) {
  ReportInput in = ReportFixture("full");
  // The recommendation's runs 21, 23, 25 as an older study kept them: no
  // periods counted; run 21 (the first) also not joined.
  for (RunResult& r : in.runs) {
    if (r.seq + 1 == 21 || r.seq + 1 == 23 || r.seq + 1 == 25) r.metrics.gc_periods = -1;
  }
  in.analysis = Analyze(in.spec, in.runs);
  in.attribution[in.runs[20].id] = RunAttribution{};
  in.attribution[in.runs[21].id].heap.warning =
      "live heap +2.1 MB/s: GOMEMLIMIT=450MiB is reached in ~70 s, then GC runs back to back";
  const std::string html = AttributionSection(in);
  EXPECT_TRUE(
      Has(html,
          "<p class=\"meta\">No attribution for the verify run 21 (GC periods not recorded): its requests were not "
          "joined to its GC cycles (the clocks could not be aligned, or the study was recorded before "
          "gcpilot kept it).</p>"));
  EXPECT_EQ(Count(html, "<table>"), 1u);  // the default's only
  EXPECT_TRUE(Has(html,
                  "<p class=\"warn\">Warning: live heap +2.1 MB/s: GOMEMLIMIT=450MiB is reached in ~70 s, then GC "
                  "runs back to back.</p>"));
}

// Every setting whose live heap reaches its limit says so, recommended or
// not (the verdict's warning names only the recommended one).
TEST(GcPeriodsTableTest, ALiveHeapThatReachesItsLimitIsShownForEverySetting) {
  ReportInput in = ReportFixture("full");
  ASSERT_GE(in.analysis.cells.size(), 2u);
  CellStats& last = in.analysis.cells.back();
  last.limit_reached_in_ns = 70'000'000'000;
  last.live_heap_slope_bytes_per_sec = 2.1 * 1048576;
  const std::string html = GcPeriodsSection(in);
  EXPECT_TRUE(Has(html, "<th class=\"l\">live heap trend</th>"));
  EXPECT_EQ(Count(html, "reaches GOMEMLIMIT in"), 1u);
  EXPECT_TRUE(Has(html, "+2.1 MiB/s: reaches GOMEMLIMIT in ~70 s</td></tr>"));
}

TEST(GcPeriodsTableTest, EachSettingSaysHowItsLatencyWasMeasured) {
  ReportInput in = ReportFixture("full");
  const std::string html = RenderReport(in);
  EXPECT_TRUE(Has(html, "<tr><th class=\"l\">GC periods per run</th><td>2, 2, 2</td><td>6, 6, 6, 6, 6</td></tr>"));
  EXPECT_TRUE(Has(html,
                  "<tr><th class=\"l\">latency measured over</th><td>steady-state estimate</td><td>whole GC "
                  "periods</td></tr>"));
  EXPECT_TRUE(Has(html,
                  "<td>run 21: period 3.00 s from 85.3 MiB/s heap growth and a 1.3 GiB goal; cycle 40 ms; duty "
                  "1.33%<br>run 23: "));
  // The runs table: an estimated run's latency marked "~", its periods not whole.
  EXPECT_TRUE(Has(html,
                  "<td class=\"l\">done</td><td>~0.094</td><td>~0.940</td><td>~1.880</td><td>3000</td><td>0</td>"
                  "<td>832.0 MiB</td><td>3</td><td>2 (not whole)</td><td></td></tr>"));
  EXPECT_TRUE(Has(html, "<td>582.0 MiB</td><td>6</td><td>6</td><td></td></tr>"));
  EXPECT_TRUE(Has(html, "<p class=\"meta\">~: the steady-state estimate (the run's window held too few GC periods)."));
  // A setting of mixed runs counts each kind; an older run's periods are unknown.
  const CellStats& best = in.analysis.rec.best;
  for (RunResult& r : in.runs) {
    if (r.seq + 1 == 21) r.metrics.latency_estimated = false, r.metrics.whole_periods = true;
    if (r.seq + 1 == 23) r.metrics.latency_estimated = false, r.metrics.gc_periods = -1;
  }
  EXPECT_EQ(MeasuredText(in, best), "1 run over whole GC periods, 1 estimated, 1 over a fixed window");
  EXPECT_EQ(PeriodsPerRunText(in, best), "2, ?, 2");
}

}  // namespace
}  // namespace gcpilot
