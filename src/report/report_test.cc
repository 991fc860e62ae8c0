#include "report/report.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "base/read_file.h"
#include "report/report_fixture.h"
#include "report/svg.h"

namespace gcpilot {
namespace {

// Golden files: testdata/golden/report_<kind>.html. Regenerate with
// GCPILOT_REGEN=1 build/src/report/report_test.
void ExpectGolden(const std::string& kind) {
  const std::string html = RenderReport(ReportFixture(kind));
  const std::string path = std::string(GCPILOT_SOURCE_DIR) + "/testdata/golden/report_" + kind + ".html";
  if (std::getenv("GCPILOT_REGEN")) std::ofstream(path, std::ios::binary) << html;
  std::string want;
  ASSERT_TRUE(ReadFileToString(path, &want)) << path;
  EXPECT_TRUE(html == want) << "report_" << kind << ".html differs from its golden (GCPILOT_REGEN=1 to update)";
}

TEST(ReportTest, GoldenFullStudy) { ExpectGolden("full"); }
TEST(ReportTest, GoldenSingleFactor) { ExpectGolden("single"); }
TEST(ReportTest, GoldenFailedRuns) { ExpectGolden("failed"); }

size_t Count(const std::string& html, const std::string& needle) {
  size_t n = 0;
  for (size_t at = html.find(needle); at != std::string::npos; at = html.find(needle, at + 1)) ++n;
  return n;
}

bool Has(const std::string& html, const std::string& needle) { return html.find(needle) != std::string::npos; }

TEST(ReportTest, FullStudyHasEverySection) {
  const ReportInput in = ReportFixture("full");
  const std::string html = RenderReport(in);
  // 3 heat maps + 3 main effects + 1 percentile + 2 latency over time +
  // 1 MMU curve + (3 + 3 runs) x 2 GC timelines + 1 Pareto.
  EXPECT_EQ(Count(html, "<svg "), 23u);
  EXPECT_EQ(Count(html, "<script"), 0u);
  // Nothing fetched: every URL is the SVG namespace's, but the one the
  // default run's failed trace capture names in its note.
  EXPECT_EQ(Count(html, "http://"), Count(html, "http://www.w3.org/2000/svg") + 1);
  EXPECT_EQ(Count(html, "http://127.0.0.1:41234/debug/pprof/trace"), 1u);
  EXPECT_EQ(Count(html, "<tr><td>"), in.runs.size());  // one table row per run
  EXPECT_TRUE(Has(html, "<pre>GOGC=400\nGOMEMLIMIT=off\nGOMAXPROCS=4\n</pre>"));
  // The header: the load of every run, from the stored spec.
  EXPECT_TRUE(Has(html,
                  "each run: 3 s warm-up, then 3 whole GC periods measured (at least 10 s, at most 180 s) under the "
                  "load schedule \"3000\" (req/s)"));
}

// A factor whose levels ran unequally often says so under its plot
// (the analysis decides it: AnalysisTest.UnequalLevelCountsAreAnUnbalancedFit).
TEST(ReportTest, AnUnbalancedFitIsNamedInItsPlot) {
  ReportInput in = ReportFixture("full");
  EXPECT_FALSE(Has(RenderReport(in), "(unbalanced fit)"));
  in.analysis.effects[1].unbalanced = true;
  const std::string html = RenderReport(in);
  EXPECT_EQ(Count(html, "(unbalanced fit)"), 1u);
  EXPECT_TRUE(Has(html, ">" + in.analysis.effects[1].factor + " (unbalanced fit)</text>"));  // the axis label
}

// Every figure beside the verdict comes from the runs its p99 comes from:
// the best setting's 3 verification runs (seq 20, 22, 24: 0.70, 0.82 and
// 0.94 ms, 832 MiB each, where its design runs used 800 MiB), the
// default's 5 runs (4.09, 4.29, 4.21, 4.33, 4.45 ms; 550 MiB twice, 582
// MiB three times).
TEST(ReportTest, TheFiguresBesideTheVerdictComeFromItsRuns) {
  const std::string html = RenderReport(ReportFixture("full"));
  EXPECT_TRUE(Has(html, "<p>p99 <b>0.820 ms</b> (sd 0.120 over 3 verification runs).</p>"));
  EXPECT_TRUE(Has(html,
                  "<tr><th class=\"l\">runs</th><td>3 verification runs</td><td>5 runs: 2 baseline, 3 "
                  "verification</td></tr>"));
  EXPECT_TRUE(Has(html, "<tr><th class=\"l\">peak RSS (mean)</th><td>832.0 MiB</td><td>569.2 MiB</td></tr>"));
  // Cycles at 6, 9 and 12 s of the 5-15 s window, 40.08 + 40.09 + 40.10 ms of GC CPU over 10 s x 2 Ps.
  EXPECT_TRUE(Has(html, "<tr><th class=\"l\">GC CPU (mean, measured window)</th><td>0.6%</td><td>1.4%</td></tr>"));
  EXPECT_TRUE(Has(html, "<tr><th class=\"l\">GC cycles per measured window</th><td>3.0</td><td>6.0</td></tr>"));
  EXPECT_TRUE(Has(html, "<tr><th class=\"l\">error rate (worst run)</th><td>0.030%</td><td>0.030%</td></tr>"));
  // 0.82 / 4.274; 832 - 569.2 MiB.
  EXPECT_TRUE(Has(html, "The recommendation is <b>0.19x</b> the default's p99, at a memory cost of 262.8 MiB."));
  // The heat maps outline its cell in each of the 3 tables and say why the cell is not the headline.
  EXPECT_EQ(Count(html, "stroke=\"#111\" stroke-width=\"3\""), 3u);
  EXPECT_TRUE(Has(html,
                  "its value is not the headline's 0.820 ms, which is that one setting over 3 verification "
                  "runs: the cell also averages other settings"));
  // The curves: each setting named with its runs, the worst one too.
  EXPECT_TRUE(Has(html, ">recommended: GOGC=400 GOMEMLIMIT=off GOMAXPROCS=4 (3 verification runs)</text>"));
  EXPECT_TRUE(Has(html,
                  ">default: GOGC=100 GOMEMLIMIT=off GOMAXPROCS=(unset) (5 runs: 2 baseline, 3 "
                  "verification)</text>"));
  EXPECT_TRUE(Has(html, ">worst: GOGC=50 GOMEMLIMIT=600MiB GOMAXPROCS=2 (2 design runs)</text>"));
}

// When the default is kept, its cell is outlined only in the table whose
// two factors it sets to levels (GOMAXPROCS unset is not one), and the
// timelines and curves are drawn once, as the recommendation.
TEST(ReportTest, AKeptDefaultIsOutlinedWhereItIsACell) {
  ReportInput in = ReportFixture("full");
  for (RunResult& r : in.runs) {
    if (r.phase == RunPhase::kVerify && r.env.at("GOGC") == "400") r.metrics.p99_ns = 20'000'000;
  }
  in.analysis = Analyze(in.spec, in.runs);
  ASSERT_TRUE(in.analysis.rec.is_default);
  const std::string html = RenderReport(in);
  EXPECT_EQ(Count(html, "stroke=\"#111\" stroke-width=\"3\""), 1u);
  EXPECT_TRUE(Has(html,
                  "The outlined cell holds the recommended setting (GOGC=100 GOMEMLIMIT=off "
                  "GOMAXPROCS=(unset)); its value is not the headline's 4.274 ms"));
  EXPECT_FALSE(Has(html, "<h3>default"));
  EXPECT_EQ(Count(html, ">recommended, verify run "), 6u);  // its 3 verification runs x 2 plots
  // The runs that lost are drawn too: the verdict rests on them.
  EXPECT_TRUE(Has(html,
                  "<h3>design's best (lost verification): GOGC=400 GOMEMLIMIT=off GOMAXPROCS=4 (3 verification "
                  "runs)</h3>"));
  EXPECT_EQ(Count(html, ">design's best (lost verification), verify run "), 6u);
}

// A run whose only cycle ran at start-up has no GC CPU to draw in its
// window, and its plot says so.
TEST(ReportTest, AGcCpuPlotWithoutACycleInTheWindowSaysSo) {
  ReportInput in = ReportFixture("full");
  const int64_t id = TimelineRuns(in, in.analysis.rec.best).front()->id;
  in.cycles[id].cycles.resize(1);
  in.cycles[id].cycles[0].start_ns = 50'000'000;
  const std::string html = RenderReport(in);
  EXPECT_TRUE(Has(html, ">recommended, verify run 1 of 3 (run 21): GC CPU: no cycle in the measured window</text>"));
}

// The outlined cell is found as Go reads the values: GOGC=0400 and
// GOMEMLIMIT unset are the levels 400 and off.
TEST(ReportTest, TheOutlinedCellComparesSettingsAsGoReadsThem) {
  ReportInput in = ReportFixture("full");
  in.analysis.rec.best.env = {{"GOGC", "0400"}, {"GOMAXPROCS", "4"}};
  EXPECT_EQ(Count(RenderReport(in), "stroke=\"#111\" stroke-width=\"3\""), 3u);
}

// The GC timelines are those of the verification runs, each with its
// window and the cycles and GC CPU in it.
TEST(ReportTest, GcTimelinesOfTheVerificationRunsSayWhichWindow) {
  const std::string html = RenderReport(ReportFixture("full"));
  for (int run : {21, 23, 25}) {
    EXPECT_TRUE(Has(html, fmt::format(">recommended, verify run {} of 3 (run {}): heap</text>", (run - 19) / 2, run)));
  }
  for (int run : {22, 24, 26}) {
    EXPECT_TRUE(Has(html, fmt::format(">default, verify run {} of 3 (run {}): GC CPU</text>", (run - 20) / 2, run)));
  }
  EXPECT_EQ(Count(html,
                  "Measured window 5.0-15.0 s of the target's clock (warm-up from 2.0 s); 3 cycles in the "
                  "measured window, 5 in the whole run; GC CPU over the measured window 0.6% of GOMAXPROCS"),
            3u);
  EXPECT_EQ(Count(html,
                  "; 6 cycles in the measured window, 10 in the whole run; GC CPU over the measured window "
                  "1.4% of GOMAXPROCS"),
            3u);
  EXPECT_EQ(Count(html, ">warm-up</text>"), 12u);  // both plots of 6 runs
  // The default's column averages 5 runs; only 3 are drawn.
  EXPECT_TRUE(Has(html, "<p class=\"meta\">3 of its 5 runs drawn: the verification runs.</p>"));
  // Heap samples are points: no polyline in a GC plot (the only ones are
  // the 3 percentile curves, the 3 main effects, the Pareto front, the
  // 2 latency-over-time lines and the recommended run's MMU curve).
  EXPECT_EQ(Count(html, "<polyline points="), 3u + 3u + 1u + 2u + 1u);
  // 5 + 10 cycles x 3 runs each: a 3-px pause tick per cycle; sizes in MiB.
  EXPECT_EQ(Count(html, "width=\"3\" height=\"12\" fill=\"#b00020\"/>"), 45u + 6u);  // + 6 legend swatches
  EXPECT_FALSE(Has(html, ">MB<"));
  EXPECT_TRUE(Has(html, ">MiB</text>"));
}

// A timeline caption's GC CPU is the run's gc_cpu_share (model/gc_cpu.h):
// cycles whose GC CPU sums past int64 still give the right share. The
// first verification run of the recommendation: its 3 cycles in the 5-15 s
// window (6, 9, 12 s) with 4e18 ns of assists each, besides their 40.06 ms
// + 10 us x (2 + 3 + 4), over 10 s x 2 Ps: 60000000000.6%.
TEST(ReportTest, TimelineGcCpuOfHugeCyclesDoesNotOverflow) {
  ReportInput in = ReportFixture("full");
  const auto run = std::find_if(in.runs.begin(), in.runs.end(), [](const RunResult& r) {
    return r.phase == RunPhase::kVerify && r.env.at("GOGC") == "400";
  });
  ASSERT_NE(run, in.runs.end());
  for (GcCycle& c : in.cycles.at(run->id).cycles) c.cpu_assist_ns = 4'000'000'000'000'000'000;
  const std::string html = RenderReport(in);
  EXPECT_EQ(Count(html,
                  "3 cycles in the measured window, 5 in the whole run; GC CPU over the measured window "
                  "60000000000.6% of GOMAXPROCS"),
            1u);
}

// A caption counts its cycles in words that read right at one (CountOf):
// the first verification run of the recommendation keeps its cycle at 9 s
// only; the second loses its window.
TEST(ReportTest, TimelineCaptionsSayOneCycle) {
  ReportInput in = ReportFixture("full");
  std::vector<int64_t> ids;
  for (const RunResult& r : in.runs) {
    if (r.phase == RunPhase::kVerify && r.env.at("GOGC") == "400") ids.push_back(r.id);
  }
  ASSERT_EQ(ids.size(), 3u);
  std::vector<GcCycle>& first = in.cycles.at(ids[0]).cycles;
  first = {first[2]};
  ASSERT_EQ(first[0].start_ns, 9'000'000'000);
  in.cycles.at(ids[1]).cycles.resize(1);
  in.measured.erase(ids[1]);
  const std::string html = RenderReport(in);
  EXPECT_EQ(Count(html, "; 1 cycle in the measured window, 1 in the whole run;"), 1u);
  EXPECT_EQ(Count(html, "(no request log or clock alignment in the study): 1 cycle in the whole run;"), 1u);
}

// The Pareto plot labels every setting and rings the recommended and the
// default ones.
TEST(ReportTest, ParetoPointsAreLabelledAndTheVerdictRinged) {
  const std::string html = RenderReport(ReportFixture("full"));
  EXPECT_EQ(Count(html, "class=\"point-label\""), 10u);  // 9 design settings + the default
  EXPECT_TRUE(Has(html, ">400/off/4</text>"));
  EXPECT_TRUE(Has(html, ">100/off/unset</text>"));
  EXPECT_TRUE(Has(html, ">recommended: 400/off/4</text>"));
  EXPECT_TRUE(Has(html, ">default: 100/off/unset</text>"));
  EXPECT_TRUE(Has(html, "labelled GOGC/GOMEMLIMIT/GOMAXPROCS."));
}

TEST(ReportTest, SingleFactorAndFailedRunsStillRender) {
  const std::string single = RenderReport(ReportFixture("single"));
  EXPECT_EQ(single.find("heat maps"), std::string::npos);  // no factor pairs
  EXPECT_NE(single.find("Main effects"), std::string::npos);
  const std::string failed = RenderReport(ReportFixture("failed"));
  EXPECT_NE(failed.find("No recommendation"), std::string::npos);
  EXPECT_NE(failed.find("<tr class=\"failed\">"), std::string::npos);
  EXPECT_NE(failed.find("likely the out-of-memory killer"), std::string::npos);
  EXPECT_NE(failed.find("No recommendation: no verdict, so no runs to show."), std::string::npos);
}

// Every setting ruled out by the error-rate constraint: the page says what
// ruled each one out, and the default's finished runs are still drawn (its
// percentile curve, its ring in the Pareto plot, its GC timelines).
TEST(ReportTest, NoRecommendationSaysWhyAndStillShowsTheDefault) {
  ReportInput in = ReportFixture("single");
  for (RunResult& r : in.runs) r.metrics.error_rate = 0.35;
  in.analysis = Analyze(in.spec, in.runs);
  ASSERT_FALSE(in.analysis.rec.found);
  const std::string html = RenderReport(in);
  EXPECT_TRUE(Has(html, "<p>no setting finished all its runs within the constraints.</p>"));
  EXPECT_TRUE(Has(html,
                  "<tr><td class=\"l\">GOGC=100</td><td class=\"l\">4 runs</td><td class=\"l\">error rate 35.000% "
                  "over the 1.000% allowed</td></tr>"));
  EXPECT_EQ(Count(html, "over the 1.000% allowed</td></tr>"), 3u);
  EXPECT_TRUE(Has(html, ">default: GOGC=100 (4 runs: 2 design, 2 baseline)</text>"));
  EXPECT_TRUE(Has(html, ">default: GOGC=100</text>"));  // its ring
  EXPECT_TRUE(Has(html, "<h3>default: GOGC=100"));
}

// With two factors a heat-map cell is one setting: the caption does not
// speak of other settings in it.
TEST(ReportTest, ATwoFactorHeatMapCellIsOneSetting) {
  ReportInput in = ReportFixture("full");
  in.spec.factors.pop_back();
  for (RunResult& r : in.runs) {
    r.env.erase("GOMAXPROCS");
    r.levels.pop_back();
  }
  in.analysis = Analyze(in.spec, in.runs);
  const std::string html = RenderReport(in);
  EXPECT_FALSE(Has(html, "also averages other settings"));
  EXPECT_TRUE(Has(html, "the cell averages its design runs only."));
}

// The memory cost is the difference of the sizes shown beside it:
// 74.1 - 69.5 MiB is 4.6 MiB, though the unrounded means differ by 4.66.
TEST(ReportTest, TheMemoryCostAgreesWithTheShownSizes) {
  ReportInput in = ReportFixture("full");
  in.analysis.rec.best.mean_rss = 74.14 * 1048576;
  in.analysis.rec.baseline.mean_rss = 69.48 * 1048576;
  const std::string html = RenderReport(in);
  EXPECT_TRUE(Has(html, "<tr><th class=\"l\">peak RSS (mean)</th><td>74.1 MiB</td><td>69.5 MiB</td></tr>"));
  EXPECT_TRUE(Has(html, "at a memory cost of 4.6 MiB."));
}

// Every run failed: no share of variance, and nothing to plot against memory.
TEST(ReportTest, AllRunsFailedSaysThereIsNothingToPlot) {
  ReportInput in = ReportFixture("single");
  for (RunResult& r : in.runs) r.status = RunStatus::kFailed;
  in.analysis = Analyze(in.spec, in.runs);
  const std::string html = RenderReport(in);
  EXPECT_TRUE(Has(html, ">GOGC: - of variance</text>"));
  EXPECT_TRUE(Has(html,
                  "<h2>Latency against memory</h2>\n<p class=\"meta\">Nothing to plot: no setting has a "
                  "finished run.</p>\n"));
  EXPECT_FALSE(Has(html, "Pareto front joined"));
}

// A spread bar that would reach below 0 on a latency axis is cut at 0 and
// marked; the axis shows no negative tick; steps are levels, not a line.
TEST(SvgTest, BarsBelowZeroAreCutAndMarked) {
  XyPlot p("t", 400, 260);
  p.y().nonnegative = true;
  Series s{"", "#000"};
  s.points = true;
  s.line = false;
  s.x = {0, 1};
  s.y = {1, 5};
  s.y_err = {3, 1};
  p.Add(s);
  Series steps{"levels", "#111"};
  steps.x = {0, 0.5};
  steps.x_to = {0.5, 1};
  steps.y = {2, 3};
  p.Add(steps);
  p.FitAxes();
  EXPECT_LT(p.y().min, 0);     // room for a point's radius under 0 ...
  EXPECT_GT(p.y().min, -0.5);  // ... no more
  const std::string svg = p.Render();
  EXPECT_NE(svg.find("<title>spread bar cut at 0 (mean - sd = -2)</title>"), std::string::npos) << svg;
  EXPECT_EQ(svg.find(">-"), std::string::npos);  // no negative tick label
  EXPECT_EQ(Count(svg, "<polyline"), 1u);        // the chevron only
  EXPECT_EQ(Count(svg, "stroke-width=\"2.5\""), 2u);
}

// A band's label is drawn over the y gridlines on a patch of its band's
// colour: the top gridline sits about 10 px under the frame's top here,
// through where the label's text is.
TEST(SvgTest, BandLabelsAreClearOfTheGridlines) {
  XyPlot p("t", 620, 240);
  Series s{"", "#000"};
  s.x = {0, 10};
  s.y = {0, 9.5};  // the tick 10 falls in the room left over the data for the label
  p.Add(s);
  p.AddBand({2, 8, "#eeeeee", "measured"});
  p.FitAxes();
  const std::string svg = p.Render();
  const size_t label = svg.find(">measured</text>");
  const size_t last_grid = svg.rfind("stroke=\"#e3e3e3\"/>");
  ASSERT_NE(label, std::string::npos) << svg;
  EXPECT_GT(label, last_grid);  // drawn after every gridline
  EXPECT_NE(svg.find("<rect x=\"174.8\" y=\"31.0\" width=\"51.8\" height=\"13\" fill=\"#eeeeee\"/>\n<text x=\"176.8\" "
                     "y=\"42.0\" font-size=\"10\" fill=\"#666\">measured</text>"),
            std::string::npos)
      << svg;
}

TEST(SvgTest, NiceTicksAndEscaping) {
  EXPECT_EQ(NiceTicks(0, 10), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  const auto t = NiceTicks(0.3, 0.95);  // step 0.2: the first of 1/2/5 x 0.1 over 0.65/6
  ASSERT_EQ(t.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(t[i], 0.4 + 0.2 * i, 1e-12);
  EXPECT_EQ(XmlEscape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
}

}  // namespace
}  // namespace gcpilot
