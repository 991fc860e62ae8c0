#include "analysis/study_analysis.h"

#include <cmath>

#include <gtest/gtest.h>

#include "base/units.h"
#include "stats/rank_stats.h"
#include "stats/sample_stats.h"

#include "analysis/analysis_text.h"
#include "analysis/robust_compare.h"

namespace gcpilot {
namespace {

int64_t Ns(double ms) { return std::llround(ms * 1e6); }

RunResult MakeRun(const std::string& phase, std::vector<int> levels, std::map<std::string, std::string> env, double p99,
                  int64_t rss_mb, const std::string& status = "done") {
  RunResult r;
  r.phase = *ParseRunPhase(phase);
  r.levels = std::move(levels);
  r.env = std::move(env);
  r.metrics.p99_ns = Ns(p99);
  r.metrics.peak_rss_bytes = rss_mb << 20;
  r.status = *ParseRunStatus(status);
  r.metrics.gc_cpu_share = 0.1;
  r.metrics.gc_cycles = 3;
  if (status != "done") r.reason = "exited during the load (killed by SIGKILL)";
  return r;
}

StudyOutline TwoByTwo() {
  StudyOutline s;
  s.factors = {{"GOGC", {"100", "400"}, "100"}, {"APP_POOL", {"0", "1"}, "1"}};
  s.objective = Objective::kP99;
  s.max_peak_rss = int64_t{1000} << 20;
  return s;
}

// y = 10 + 5 [GOGC=100] + 1 [APP_POOL=1], exactly, twice per cell: the
// effects and shares are known in closed form.
std::vector<RunResult> AdditiveRuns() {
  std::vector<RunResult> runs;
  for (int rep = 0; rep < 2; ++rep) {
    for (int a = 0; a < 2; ++a) {
      for (int b = 0; b < 2; ++b) {
        const double y = 10 + (a == 0 ? 5 : 0) + (b == 1 ? 1 : 0);
        runs.push_back(MakeRun("design", {a, b}, {{"GOGC", a ? "400" : "100"}, {"APP_POOL", b ? "1" : "0"}},
                               y + (rep ? 0.1 : -0.1), a ? 800 : 400));
      }
    }
  }
  return runs;
}

TEST(AnalysisTest, MainEffectsAndShares) {
  const StudyAnalysis a = Analyze(TwoByTwo(), AdditiveRuns());
  ASSERT_EQ(a.effects.size(), 2u);
  EXPECT_EQ(a.done, 8);
  // GOGC: 100 -> 15.5, 400 -> 10.5; APP_POOL: 0 -> 12.5, 1 -> 13.5.
  EXPECT_NEAR(a.effects[0].levels[0].mean, 15.5, 1e-12);
  EXPECT_NEAR(a.effects[0].levels[1].mean, 10.5, 1e-12);
  EXPECT_EQ(a.effects[0].best_level, "400");
  EXPECT_NEAR(a.effects[1].levels[0].mean, 12.5, 1e-12);
  EXPECT_EQ(a.effects[1].best_level, "0");
  EXPECT_NEAR(a.effects[0].range, 5, 1e-12);
  // SS_GOGC = 8 x 2.5^2 = 50, SS_POOL = 8 x 0.5^2 = 2, noise 8 x 0.1^2 = 0.08.
  EXPECT_NEAR(a.effects[0].anova_share, 50 / 52.08, 1e-12);
  EXPECT_NEAR(a.effects[1].anova_share, 2 / 52.08, 1e-12);
  EXPECT_NEAR(a.residual_share, 0.08 / 52.08, 1e-12);
  // The heat map cell GOGC=400, POOL=0 is 10 (mean of 9.9 and 10.1).
  ASSERT_EQ(a.pairs.size(), 1u);
  EXPECT_NEAR(a.pairs[0].mean[1][0], 10, 1e-12);
  EXPECT_EQ(a.predicted_best, (std::map<std::string, std::string>{{"GOGC", "400"}, {"APP_POOL", "0"}}));
}

TEST(AnalysisTest, RecommendationAgainstTheDefault) {
  auto runs = AdditiveRuns();
  // The default: GOGC=100, APP_POOL=1 -> 16 (plus noise), from baseline runs too.
  runs.push_back(MakeRun("baseline", {0, 1}, {{"GOGC", "100"}, {"APP_POOL", "1"}}, 16.2, 400));
  const StudyAnalysis a = Analyze(TwoByTwo(), runs);
  ASSERT_TRUE(a.rec.found);
  EXPECT_EQ(a.rec.env_lines, (std::vector<std::string>{"GOGC=400", "APP_POOL=0"}));
  EXPECT_NEAR(a.rec.best.mean, 10, 1e-12);
  EXPECT_NEAR(a.rec.baseline.mean, (15.9 + 16.1 + 16.2) / 3, 1e-12);
  EXPECT_NEAR(a.rec.ratio, 10 / ((15.9 + 16.1 + 16.2) / 3), 1e-12);
  EXPECT_TRUE(a.rec.significant);
  EXPECT_TRUE(a.rec.testable);
  EXPECT_FALSE(a.rec.is_default);
  EXPECT_TRUE(a.rec.warnings.empty());
  EXPECT_LT(a.rec.p_value, 0.01);
  EXPECT_EQ(a.residual_df, 8 - 1 - 1 - 1);
  // Pareto: GOGC=100,POOL=0 (15, 400 MiB) and GOGC=400,POOL=0 (10, 800 MiB).
  ASSERT_EQ(a.pareto.size(), 2u);
  EXPECT_NEAR(a.cells[a.pareto[0]].mean, 10, 1e-12);
  EXPECT_NEAR(a.cells[a.pareto[1]].mean, 15, 1e-12);
}

// GOGC=100 and GOGC unset are the same setting to Go: one cell, with the
// runs of both, and the default found by either spelling.
TEST(AnalysisTest, TheDefaultSpelledOutAndUnsetAreOneCell) {
  auto runs = AdditiveRuns();
  runs.push_back(MakeRun("baseline", {0, 1}, {{"GOGC", ""}, {"APP_POOL", "1"}}, 16.2, 400));
  runs.push_back(MakeRun("baseline", {0, 1}, {{"APP_POOL", "1"}}, 16.4, 400));
  runs.push_back(MakeRun("baseline", {0, 1}, {{"GOGC", "0100"}, {"APP_POOL", "1"}}, 16.6, 400));
  const StudyAnalysis a = Analyze(TwoByTwo(), runs);
  EXPECT_EQ(a.cells.size(), 4u);
  const CellStats* def = a.Find({{"APP_POOL", "1"}});
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(def, a.Find({{"GOGC", "100"}, {"APP_POOL", "1"}}));
  EXPECT_EQ(def->runs, 5);  // 2 design runs + 3 baseline runs
  EXPECT_NEAR(def->mean, (15.9 + 16.1 + 16.2 + 16.4 + 16.6) / 5, 1e-12);
  EXPECT_EQ(CanonicalEnv({{"GOGC", "100"}, {"GOMEMLIMIT", "1024MiB"}, {"GOMAXPROCS", "02"}}),
            (Env{{"GOMAXPROCS", "2"}, {"GOMEMLIMIT", "1GiB"}}));
}

// A level run more often than another (a 2-level factor folded onto a
// 3-level column) is said in the main effects.
TEST(AnalysisTest, UnequalLevelCountsAreAnUnbalancedFit) {
  auto runs = AdditiveRuns();
  EXPECT_FALSE(Analyze(TwoByTwo(), runs).effects[0].unbalanced);
  runs.push_back(MakeRun("design", {1, 0}, {{"GOGC", "400"}, {"APP_POOL", "0"}}, 10, 800));
  const StudyAnalysis a = Analyze(TwoByTwo(), runs);
  EXPECT_FALSE(a.effects[0].levels[0].n == a.effects[0].levels[1].n);
  EXPECT_TRUE(a.effects[0].unbalanced);
  EXPECT_TRUE(a.effects[1].unbalanced);
  const std::string text = AnalysisTable(TwoByTwo(), a);
  EXPECT_NE(text.find("400: 10.400 ±0.557 (5)  (unbalanced fit: levels ran unequally often)\n"), std::string::npos)
      << text;
  EXPECT_EQ(AnalysisJson(a)["main_effects"][0]["unbalanced"], true);
}

TEST(AnalysisTest, ConstraintsAndFailuresRuleSettingsOut) {
  StudyOutline spec = TwoByTwo();
  spec.max_peak_rss = int64_t{600} << 20;  // GOGC=400 (800 MiB) is over budget
  auto runs = AdditiveRuns();
  runs.push_back(MakeRun("design", {0, 0}, {{"GOGC", "100"}, {"APP_POOL", "0"}}, 0, 0, "failed"));
  const StudyAnalysis a = Analyze(spec, runs);
  ASSERT_TRUE(a.rec.found);
  // Fastest feasible: GOGC=100, POOL=1 (16); POOL=0 had a failed run.
  EXPECT_EQ(a.rec.env_lines, (std::vector<std::string>{"GOGC=100", "APP_POOL=1"}));
  EXPECT_EQ(a.failed, 1);
  for (const CellStats& c : a.cells) {
    if (c.env.at("GOGC") == "400") {
      EXPECT_FALSE(c.feasible);
      EXPECT_EQ(c.infeasible_why, "peak RSS 800.0 MiB over the 600.0 MiB budget");
    }
    if (c.env.at("GOGC") == "100" && c.env.at("APP_POOL") == "0") {
      EXPECT_EQ(c.infeasible_why, "a run failed: exited during the load (killed by SIGKILL)");
    }
  }
}

// One run per setting: a mean, but no spread and no test; the table and
// verdict say so instead of printing sd 0 and p = 1.
TEST(AnalysisTest, SingleRunsAreNotTestedAgainstNoise) {
  std::vector<RunResult> runs;
  for (const RunResult& r : AdditiveRuns()) {
    if (runs.size() < 4) runs.push_back(r);  // the first repeat only
  }
  runs.push_back(MakeRun("baseline", {0, 1}, {{"GOGC", "100"}, {"APP_POOL", "1"}}, 16.2, 400));
  const StudyAnalysis a = Analyze(TwoByTwo(), runs);
  ASSERT_TRUE(a.rec.found);
  EXPECT_FALSE(a.rec.testable);
  EXPECT_FALSE(a.rec.significant);
  EXPECT_EQ(a.residual_df, 4 - 1 - 1 - 1);
  EXPECT_EQ(SpreadText(a.rec.best), "1 design run, no spread");
  EXPECT_EQ(ConfidenceText(a.rec, Objective::kP99),
            "0.62x the default's p99; one run of either cannot tell a difference from run-to-run noise (use "
            "--repeats 2 or more)");
  const std::string table = AnalysisTable(TwoByTwo(), a);
  EXPECT_NE(table.find("  400          0                9.900        -     1"), std::string::npos) << table;
  EXPECT_NE(table.find("400: 10.400 ±0.707 (2)"), std::string::npos) << table;              // n=2: spread shown
  EXPECT_NE(table.find("  residual        0.0% of variance"), std::string::npos) << table;  // 1 df left
  const auto j = AnalysisJson(a);
  EXPECT_TRUE(j["recommendation"]["welch_p_value"].is_null());
  EXPECT_TRUE(j["recommendation"]["best"]["sd_ms"].is_null());
}

TEST(AnalysisTest, TheDefaultCanBeTheBest) {
  std::vector<RunResult> runs;
  for (double y : {5.0, 5.2}) runs.push_back(MakeRun("baseline", {0, 1}, {{"GOGC", "100"}, {"APP_POOL", "1"}}, y, 400));
  for (double y : {9.0, 9.4}) runs.push_back(MakeRun("design", {1, 1}, {{"GOGC", "400"}, {"APP_POOL", "1"}}, y, 800));
  const StudyAnalysis a = Analyze(TwoByTwo(), runs);
  ASSERT_TRUE(a.rec.found);
  EXPECT_TRUE(a.rec.is_default);
  EXPECT_FALSE(a.rec.significant);
  EXPECT_FALSE(a.rec.testable);
  EXPECT_EQ(ConfidenceText(a.rec, Objective::kP99),
            "the default setting is the best measured: keep it (no test: nothing to compare it with)");
  EXPECT_EQ(AnalysisTable(TwoByTwo(), a).find("default setting: p99"), std::string::npos);
  // Not Welch's p = 1 of the default against itself: no test at all.
  EXPECT_TRUE(AnalysisJson(a)["recommendation"]["welch_p_value"].is_null());
}

StudyOutline GogcByLimit() {
  StudyOutline s;
  s.repeats = 1;
  s.factors = {{"GOGC", {"50", "200"}, "100"}, {"GOMEMLIMIT", {"off", "400MiB"}, "off"}};
  s.max_peak_rss = int64_t{900} << 20;
  return s;
}

// GOGC 50,200 x GOMEMLIMIT off,400MiB at one repeat, then 2 verification
// runs each: GOGC=200 leads the table over all its runs (9.470 against the
// default's 9.563) but its verification runs alone lose (10.705).
std::vector<RunResult> LostVerificationRuns() {
  const Env best = {{"GOGC", "200"}, {"GOMEMLIMIT", "off"}}, dflt = {{"GOGC", "100"}, {"GOMEMLIMIT", "off"}};
  return {
      MakeRun("design", {0, 0}, {{"GOGC", "50"}, {"GOMEMLIMIT", "off"}}, 12, 400),
      MakeRun("design", {0, 1}, {{"GOGC", "50"}, {"GOMEMLIMIT", "400MiB"}}, 13, 400),
      MakeRun("design", {1, 0}, best, 6.99, 800),
      MakeRun("design", {1, 1}, {{"GOGC", "200"}, {"GOMEMLIMIT", "400MiB"}}, 11, 400),
      MakeRun("baseline", {-1, 0}, dflt, 9.5, 500),
      MakeRun("verify", {1, 0}, best, 10.7, 800),
      MakeRun("verify", {-1, 0}, dflt, 9.6, 500),
      MakeRun("verify", {1, 0}, best, 10.72, 800),
      MakeRun("verify", {-1, 0}, dflt, 9.59, 500),
  };
}

// The verdict never contradicts the table: the default is kept because the
// design's best setting lost its verification runs, not because it is the
// best measured.
TEST(AnalysisTest, ALostVerificationIsTheVerdict) {
  const StudyAnalysis a = Analyze(GogcByLimit(), LostVerificationRuns());
  ASSERT_TRUE(a.rec.found);
  EXPECT_TRUE(a.rec.is_default);
  EXPECT_EQ(a.rec.verification, VerifyOutcome::kSlower);
  EXPECT_EQ(a.cells[0].env.at("GOGC"), "200");  // the table's first row
  EXPECT_NEAR(a.cells[0].mean, (6.99 + 10.7 + 10.72) / 3, 1e-12);
  EXPECT_EQ(ConfidenceText(a.rec, Objective::kP99),
            "GOGC=200 led the design runs but lost its 2 verification runs: keep the default");
  const std::string table = AnalysisTable(GogcByLimit(), a);
  EXPECT_EQ(table.find("best measured"), std::string::npos) << table;
  EXPECT_TRUE(AnalysisJson(a)["recommendation"]["welch_p_value"].is_null());
}

// The figures shown for a verified setting are its verification runs', so
// its constraints are judged on them: 950 MiB there is over the 900 MiB
// budget though all its runs average 900 MiB.
TEST(AnalysisTest, VerifiedFiguresOverAConstraintKeepTheDefault) {
  std::vector<RunResult> runs = LostVerificationRuns();
  for (RunResult& r : runs) {
    if (r.env.at("GOGC") != "200" || r.env.at("GOMEMLIMIT") != "off") continue;
    r.metrics.p99_ns = Ns(r.phase == RunPhase::kVerify ? 5 : 4);
    r.metrics.peak_rss_bytes = int64_t{r.phase == RunPhase::kVerify ? 950 : 800} << 20;
  }
  const StudyAnalysis a = Analyze(GogcByLimit(), runs);
  ASSERT_TRUE(a.cells[0].feasible);  // all its runs: 900 MiB, at the budget
  ASSERT_TRUE(a.rec.found);
  EXPECT_TRUE(a.rec.is_default);
  EXPECT_FALSE(a.rec.verified);
  EXPECT_EQ(a.rec.verification, VerifyOutcome::kRuledOut);
  ASSERT_EQ(a.rec.warnings.size(), 1u);
  EXPECT_EQ(a.rec.warnings[0],
            "the design's best setting (GOGC=200 GOMEMLIMIT=off) failed its verification (peak RSS 950.0 MiB over "
            "the 900.0 MiB budget): keep the default");
  EXPECT_EQ(ConfidenceText(a.rec, Objective::kP99),
            "GOGC=200 led the design runs but failed its 2 verification runs (peak RSS 950.0 MiB over the 900.0 MiB "
            "budget): keep the default");
}

// GOGC=off with GOMEMLIMIT spelled as its maximum is no limit to Go either.
TEST(AnalysisTest, GogcOffWithTheMaximumLimitIsWarnedOf) {
  StudyOutline spec;
  spec.repeats = 1;
  spec.factors = {{"GOGC", {"100", "off"}, "100"}, {"GOMEMLIMIT", {"9223372036854775807", "1GiB"}, "off"}};
  const std::vector<RunResult> runs = {
      MakeRun("design", {0, 0}, {{"GOGC", "100"}, {"GOMEMLIMIT", "9223372036854775807"}}, 10, 400),
      MakeRun("design", {0, 1}, {{"GOGC", "100"}, {"GOMEMLIMIT", "1GiB"}}, 11, 400),
      MakeRun("design", {1, 0}, {{"GOGC", "off"}, {"GOMEMLIMIT", "9223372036854775807"}}, 2, 400),
      MakeRun("design", {1, 1}, {{"GOGC", "off"}, {"GOMEMLIMIT", "1GiB"}}, 3, 400),
  };
  const StudyAnalysis a = Analyze(spec, runs);
  ASSERT_TRUE(a.rec.found);
  EXPECT_EQ(a.rec.env_lines, (std::vector<std::string>{"GOGC=off", "GOMEMLIMIT=9223372036854775807"}));
  EXPECT_EQ(a.rec.warnings,
            (std::vector<std::string>{"GOGC=off without a GOMEMLIMIT never collects: the heap grows until the "
                                      "process dies"}));
}

// A setting whose windows saw no collection is flagged, or ruled out when
// the spec asks for cycles.
TEST(AnalysisTest, SettingsMeasuredWithoutGcAreFlagged) {
  auto runs = AdditiveRuns();
  for (RunResult& r : runs) {
    if (r.env.at("GOGC") == "400") r.metrics.gc_cycles = 0;
  }
  StudyOutline spec = TwoByTwo();
  StudyAnalysis a = Analyze(spec, runs);
  ASSERT_TRUE(a.rec.found);
  EXPECT_EQ(a.rec.env_lines[0], "GOGC=400");
  ASSERT_EQ(a.rec.warnings.size(), 1u);
  EXPECT_EQ(a.rec.warnings[0].rfind("no GC cycle ran in most of this setting's measured windows (0.0 per run)", 0), 0u);
  spec.min_gc_cycles = 1;
  a = Analyze(spec, runs);
  EXPECT_EQ(a.rec.env_lines[0], "GOGC=100");
  EXPECT_TRUE(a.rec.warnings.empty());
  for (const CellStats& c : a.cells) {
    if (c.env.at("GOGC") == "400") {
      EXPECT_EQ(c.infeasible_why, "0.0 GC cycles per measured window, under the 1 asked");
    }
  }
}

// After verification the verdict is on the verified setting, not on a
// one-run setting that got lucky since.
TEST(AnalysisTest, TheVerifiedSettingIsJudged) {
  const std::map<std::string, std::string> a_env = {{"GOGC", "400"}, {"APP_POOL", "0"}},
                                           lucky = {{"GOGC", "400"}, {"APP_POOL", "1"}},
                                           dflt = {{"GOGC", "100"}, {"APP_POOL", "1"}};
  std::vector<RunResult> runs = {
      MakeRun("design", {1, 0}, a_env, 5.0, 800),   MakeRun("design", {1, 1}, lucky, 6.0, 800),
      MakeRun("baseline", {0, 1}, dflt, 10.0, 400), MakeRun("baseline", {0, 1}, dflt, 10.2, 400),
      MakeRun("verify", {1, 0}, a_env, 7.0, 800),   MakeRun("verify", {0, 1}, dflt, 10.1, 400),
      MakeRun("verify", {1, 0}, a_env, 7.2, 800),   MakeRun("verify", {0, 1}, dflt, 9.9, 400),
  };
  StudyAnalysis a = Analyze(TwoByTwo(), runs);
  ASSERT_TRUE(a.rec.found);
  EXPECT_TRUE(a.rec.verified);
  EXPECT_EQ(a.rec.env_lines, (std::vector<std::string>{"GOGC=400", "APP_POOL=0"}));  // not the lucky 6.0
  // Judged on its verification runs only: the 5.0 that made it win is out.
  EXPECT_NEAR(a.rec.best.mean, (7.0 + 7.2) / 2, 1e-12);
  EXPECT_EQ(a.rec.best.values.size(), 2u);
  EXPECT_NEAR(a.rec.ratio, 7.1 / 10.05, 1e-12);
  EXPECT_TRUE(a.rec.significant);
  EXPECT_EQ(
      ConfidenceText(a.rec, Objective::kP99).rfind("0.71x the default's p99 (its verification runs only); Welch", 0),
      0u);
  // Verified slower than the default: keep the default, and say why.
  for (RunResult& r : runs) {
    if (r.env == a_env && r.phase == RunPhase::kVerify) r.metrics.p99_ns = Ns(14);
  }
  a = Analyze(TwoByTwo(), runs);
  EXPECT_TRUE(a.rec.is_default);
  EXPECT_EQ(a.rec.env_lines, (std::vector<std::string>{"GOGC=100", "APP_POOL=1"}));
  ASSERT_EQ(a.rec.warnings.size(), 1u);
  EXPECT_EQ(a.rec.warnings[0],
            "the design's best setting (GOGC=400 APP_POOL=0) did not beat the default when verified (14.000 vs "
            "10.050 ms): keep the default");
  // Slower in verification though its design runs were fast: the default.
  for (RunResult& r : runs) {
    if (r.env == a_env) r.metrics.p99_ns = Ns(r.phase == RunPhase::kVerify ? 10.3 : 8.0);
  }
  a = Analyze(TwoByTwo(), runs);
  EXPECT_TRUE(a.rec.is_default);
  // A verification run failed: not a lucky one-run setting, the default.
  for (RunResult& r : runs) {
    if (r.env == a_env) r.metrics.p99_ns = Ns(r.phase == RunPhase::kVerify ? 7.0 : 5.0);
  }
  runs[6].status = RunStatus::kFailed;
  runs[6].reason = "exited during the load (killed by SIGKILL)";
  a = Analyze(TwoByTwo(), runs);
  EXPECT_TRUE(a.rec.is_default);
  ASSERT_EQ(a.rec.warnings.size(), 1u);
  EXPECT_EQ(a.rec.warnings[0],
            "the design's best setting (GOGC=400 APP_POOL=0) failed its verification (a run failed: exited during "
            "the load (killed by SIGKILL)): keep the default");
}

// Every figure beside a verified verdict comes from the runs its p99 comes
// from: the 3 verification runs, not those plus the 2 design runs (which
// averaged 800 and 832 MiB into 819.2 MiB, understating the memory cost).
TEST(AnalysisTest, TheVerifiedFiguresComeFromTheVerificationRunsOnly) {
  const std::map<std::string, std::string> best = {{"GOGC", "400"}, {"APP_POOL", "0"}},
                                           dflt = {{"GOGC", "100"}, {"APP_POOL", "1"}};
  std::vector<RunResult> runs = {
      MakeRun("design", {1, 0}, best, 5.0, 800),    MakeRun("design", {1, 0}, best, 5.2, 800),
      MakeRun("baseline", {0, 1}, dflt, 10.0, 400), MakeRun("baseline", {0, 1}, dflt, 10.2, 400),
      MakeRun("verify", {1, 0}, best, 7.0, 830),    MakeRun("verify", {0, 1}, dflt, 10.1, 420),
      MakeRun("verify", {1, 0}, best, 7.2, 832),    MakeRun("verify", {0, 1}, dflt, 9.9, 420),
      MakeRun("verify", {1, 0}, best, 7.4, 834),    MakeRun("verify", {0, 1}, dflt, 10.3, 420),
  };
  for (size_t i = 0; i < runs.size(); ++i) {
    runs[i].id = static_cast<int64_t>(i) + 1;
    if (runs[i].env == best && runs[i].phase == RunPhase::kVerify) {
      runs[i].metrics.gc_cpu_share = 0.25;
      runs[i].metrics.gc_cycles = 7;
      runs[i].metrics.error_rate = 0.0005 * static_cast<double>(i);
    }
  }
  const StudyAnalysis a = Analyze(TwoByTwo(), runs);
  ASSERT_TRUE(a.rec.verified);
  const CellStats& b = a.rec.best;
  EXPECT_EQ(b.run_ids, (std::vector<int64_t>{5, 7, 9}));
  EXPECT_EQ(b.runs, 3);
  EXPECT_EQ(b.mean_rss, static_cast<double>(int64_t{832} << 20));
  EXPECT_EQ(b.mean_gc_cpu, 0.25);
  EXPECT_EQ(b.mean_gc_cycles, 7);
  EXPECT_EQ(b.max_error_rate, 0.0005 * 8);
  EXPECT_EQ(RunSetText(b), "3 verification runs");
  EXPECT_EQ(SpreadText(b), "sd 0.200 over 3 verification runs");
  // The design's cell keeps all 5 runs; the default's figures are over all
  // of its runs, as its p99 is.
  EXPECT_EQ(a.Find(best)->runs, 5);
  EXPECT_EQ(a.rec.baseline.run_ids, (std::vector<int64_t>{3, 4, 6, 8, 10}));
  EXPECT_EQ(a.rec.baseline.mean_rss, static_cast<double>(int64_t{412} << 20));
  EXPECT_EQ(RunSetText(a.rec.baseline), "5 runs: 2 baseline, 3 verification");
  const std::string table = AnalysisTable(TwoByTwo(), a);
  EXPECT_NE(table.find("  p99 7.200 ms (sd 0.200 over 3 verification runs), peak RSS 832.0 MiB, GC CPU 25.0%, "
                       "7.0 GC cycles per measured window, max error rate 0.400%\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("  default setting: p99 10.100 ms (sd 0.158 over 5 runs: 2 baseline, 3 verification), peak "
                       "RSS 412.0 MiB, GC CPU 10.0%, 3.0 GC cycles per measured window, max error rate 0.000%\n"),
            std::string::npos)
      << table;
}

// A run measured over `periods` whole GC periods of a `window_s` window.
RunResult Over(RunResult r, int64_t periods, double window_s) {
  r.metrics.gc_periods = periods;
  r.metrics.window_ns = std::llround(window_s * 1e9);
  r.metrics.whole_periods = true;
  return r;
}

StudyOutline GogcOnly() {
  StudyOutline s;
  s.factors = {{"GOGC", {"50", "400"}, "100"}};
  return s;
}

// The case: GOGC=400's verification runs were 0.79, 14.02 and
// 0.96 ms, one window's luck turning the mean (5.257 against the default's
// steady 2.760), so the same study gave "keep the default" one time and
// GOGC=400 the next. 14.02 lies beyond 3 scaled MADs of the other two: the
// verdict compares medians (0.96 against 2.7) and ranks.
std::vector<RunResult> OneLuckyWindow() {
  const Env dflt = {{"GOGC", "100"}}, best = {{"GOGC", "400"}};
  std::vector<RunResult> runs = {
      MakeRun("design", {0}, {{"GOGC", "50"}}, 4.0, 300),
      MakeRun("design", {0}, {{"GOGC", "50"}}, 4.2, 300),
      MakeRun("design", {1}, best, 1.0, 700),
      MakeRun("design", {1}, best, 1.1, 700),
      MakeRun("baseline", {-1}, dflt, 2.5, 400),
      MakeRun("baseline", {-1}, dflt, 2.6, 400),
      MakeRun("verify", {1}, best, 0.79, 700),
      MakeRun("verify", {-1}, dflt, 2.7, 400),
      MakeRun("verify", {1}, best, 14.02, 700),
      MakeRun("verify", {-1}, dflt, 2.9, 400),
      MakeRun("verify", {1}, best, 0.96, 700),
      MakeRun("verify", {-1}, dflt, 3.1, 400),
  };
  for (RunResult& r : runs) r = Over(r, 3, 30);
  return runs;
}

TEST(AnalysisTest, OneRunSwayingTheMeanIsJudgedOnTheMedian) {
  const StudyAnalysis a = Analyze(GogcOnly(), OneLuckyWindow());
  ASSERT_TRUE(a.rec.found);
  EXPECT_EQ(a.rec.verification, VerifyOutcome::kPassed);
  EXPECT_TRUE(a.rec.verified);
  EXPECT_EQ(a.rec.env_lines, (std::vector<std::string>{"GOGC=400"}));
  EXPECT_EQ(a.rec.centre, Centre::kMedian);
  EXPECT_EQ(a.rec.swayed, "one of GOGC=400's 3 runs (14.020 ms) lies beyond 3 scaled MADs of the others");
  EXPECT_DOUBLE_EQ(a.rec.best.median, 0.96);
  EXPECT_DOUBLE_EQ(a.rec.baseline.median, 2.7);
  EXPECT_DOUBLE_EQ(a.rec.ratio, 0.96 / 2.7);
  EXPECT_DOUBLE_EQ(a.rec.p_value, 32.0 / 56);  // ranks 1, 2 and 8 of 8
  EXPECT_FALSE(a.rec.significant);
  EXPECT_EQ(ConfidenceText(a.rec, Objective::kP99),
            "0.36x the default's p99 by median (its verification runs only), as one of GOGC=400's 3 runs (14.020 "
            "ms) lies beyond 3 scaled MADs of the others; Mann-Whitney rank test p = 0.5714: NOT distinguishable "
            "from run-to-run noise (add repeats)");
  const std::string table = AnalysisTable(GogcOnly(), a);
  EXPECT_NE(table.find("  p99 5.257 ms, median 0.960 ms, over 3 GC periods per run (sd 7.590 over 3 verification "
                       "runs), "),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("  default setting: p99 2.760 ms, median 2.700 ms, over 3 GC periods per run (sd 0.241 over "
                       "5 runs: 2 baseline, 3 verification), "),
            std::string::npos)
      << table;
  const auto j = AnalysisJson(a)["recommendation"];
  EXPECT_EQ(j["judged_on"], "median");
  EXPECT_EQ(j["test"], "mann_whitney");
  EXPECT_EQ(j["swayed"], a.rec.swayed);
  EXPECT_DOUBLE_EQ(j["p_value"].get<double>(), 32.0 / 56);
  EXPECT_TRUE(j["welch_p_value"].is_number());
  EXPECT_DOUBLE_EQ(j["best"]["median_ms"].get<double>(), 0.96);
}

// The same study where the lucky window is the only low one: by median
// GOGC=400 still loses, and the verdict says it was judged so.
TEST(AnalysisTest, ALossByMedianKeepsTheDefaultAndSaysWhy) {
  std::vector<RunResult> runs = OneLuckyWindow();
  runs[6].metrics.p99_ns = Ns(14.02);
  runs[8].metrics.p99_ns = Ns(0.79);
  runs[10].metrics.p99_ns = Ns(14.5);  // 0.79, 14.02, 14.5: median 14.02
  const StudyAnalysis a = Analyze(GogcOnly(), runs);
  ASSERT_TRUE(a.rec.found);
  EXPECT_EQ(a.rec.verification, VerifyOutcome::kSlower);
  EXPECT_TRUE(a.rec.is_default);
  EXPECT_EQ(a.rec.centre, Centre::kMedian);
  ASSERT_EQ(a.rec.warnings.size(), 1u);
  EXPECT_EQ(a.rec.warnings[0],
            "the design's best setting (GOGC=400) did not beat the default when verified (14.020 vs 2.700 ms by "
            "median): keep the default");
  EXPECT_EQ(ConfidenceText(a.rec, Objective::kP99),
            "GOGC=400 led the design runs but lost its 3 verification runs by median, as one of GOGC=400's 3 runs "
            "(0.790 ms) lies beyond 3 scaled MADs of the others: keep the default");
}

// Steady runs on both sides: means and Welch, as before.
TEST(AnalysisTest, SteadyRunsAreJudgedOnTheMean) {
  std::vector<RunResult> runs = OneLuckyWindow();
  runs[8].metrics.p99_ns = Ns(0.85);
  const StudyAnalysis a = Analyze(GogcOnly(), runs);
  EXPECT_EQ(a.rec.centre, Centre::kMean);
  EXPECT_EQ(a.rec.swayed, "");
  EXPECT_DOUBLE_EQ(a.rec.ratio, a.rec.best.mean / a.rec.baseline.mean);
  EXPECT_EQ(a.rec.p_value, a.rec.welch_p_value);
  EXPECT_EQ(AnalysisJson(a)["recommendation"]["judged_on"], "mean");
  EXPECT_EQ(ConfidenceText(a.rec, Objective::kP99).find("median"), std::string::npos);
}

CellStats CellOf(std::vector<double> values) {
  CellStats c;
  c.values = values;
  c.mean = Mean(values);
  c.median = Median(values);
  return c;
}

// No run stands out, but the means and the medians rank the two settings
// differently: the medians judge. A far-off run of the default counts too.
TEST(AnalysisTest, MeansAndMediansDisagreeing) {
  const CentreChoice order = ChooseCentre(CellOf({1.0, 1.5, 2.0, 3.5}), "GOGC=400", CellOf({1.8, 1.85, 1.9}));
  EXPECT_EQ(order.centre, Centre::kMedian);
  EXPECT_EQ(order.why,
            "the means (2.000 vs 1.850 ms) and the medians (1.750 vs 1.850 ms) order the two settings differently");
  EXPECT_EQ(order.best, 1.75);
  EXPECT_EQ(order.baseline, 1.85);
  const CentreChoice dflt = ChooseCentre(CellOf({1.0, 1.1}), "GOGC=400", CellOf({2.5, 2.6, 9.2}));
  EXPECT_EQ(dflt.centre, Centre::kMedian);
  EXPECT_EQ(dflt.why, "one of the default's 3 runs (9.200 ms) lies beyond 3 scaled MADs of the others");
  const CentreChoice mean = ChooseCentre(CellOf({1.0, 1.1}), "GOGC=400", CellOf({2.5, 2.6, 2.7}));
  EXPECT_EQ(mean.centre, Centre::kMean);
  EXPECT_EQ(mean.why, "");
  EXPECT_DOUBLE_EQ(mean.best, 1.05);
}

// The figures say how many GC periods they cover, and mark the estimate.
TEST(AnalysisTest, EachFigureSaysItsGcPeriods) {
  RunResult r = Over(MakeRun("design", {1}, {{"GOGC", "400"}}, 4.1, 700), 5, 61.25);
  EXPECT_EQ(RunFigureText(r, Objective::kP99), "p99 4.100 ms over 5 GC periods");
  r.metrics.whole_periods = false;
  r.metrics.gc_periods = 2;
  r.metrics.window_ns = 9'500'000'000;
  EXPECT_EQ(RunFigureText(r, Objective::kP99), "p99 4.100 ms over 2 GC periods in 9.5 s, fewer than asked");
  // A study that asked for a fixed window (min_gc_periods 0) is not short.
  EXPECT_EQ(RunFigureText(r, Objective::kP99, 0), "p99 4.100 ms over a fixed 9.5 s window (2 GC periods)");
  r.metrics.latency_estimated = true;
  r.metrics.gc_periods = 1;
  r.metrics.window_ns = 180'000'000'000;
  r.metrics.p99_ns = Ns(3.9);
  EXPECT_EQ(RunFigureText(r, Objective::kP99), "p99 ~3.900 ms estimated: 1 GC period in 180 s");
  r.metrics.gc_periods = -1;  // stored before schema 3
  r.metrics.window_ns = 0;
  EXPECT_EQ(RunFigureText(r, Objective::kP99), "p99 3.900 ms");
}

// An estimate over bounds in which no cycle ran never measured what a
// collection costs: the warning stays.
TEST(AnalysisTest, AnEstimateWithoutCyclesIsWarnedOf) {
  std::vector<RunResult> runs = {
      MakeRun("design", {1}, {{"GOGC", "400"}}, 3.9, 700),
      MakeRun("design", {1}, {{"GOGC", "400"}}, 4.1, 700),
      Over(MakeRun("baseline", {-1}, {{"GOGC", "100"}}, 6.0, 400), 3, 25),
      Over(MakeRun("baseline", {-1}, {{"GOGC", "100"}}, 6.2, 400), 3, 25),
  };
  for (int i : {0, 1}) {
    RunMetrics& m = runs[i].metrics;
    m.gc_cycles = 0;
    m.gc_periods = 0;
    m.window_ns = 180'000'000'000;
    m.latency_estimated = true;
  }
  const StudyAnalysis a = Analyze(GogcOnly(), runs);
  ASSERT_TRUE(a.rec.found);
  ASSERT_FALSE(a.rec.warnings.empty());
  EXPECT_EQ(a.rec.warnings[0],
            "no GC cycle ran in most of this setting's measured windows (0.0 per run): its figures are the "
            "steady-state estimate, which no run measured a collection's cost for; raise max_duration "
            "(--max-duration) or require cycles ([constraints] min_gc_cycles = 1)");
}

// GOGC=400's period is longer than max_duration: its runs held one period
// in 180 s each and their figures are the estimate; GOGC=50 spans 4-6.
TEST(AnalysisTest, EstimatedSettingsAreMarkedInTheTableAndTheJson) {
  std::vector<RunResult> runs = {
      Over(MakeRun("design", {0}, {{"GOGC", "50"}}, 5.0, 300), 4, 20),
      Over(MakeRun("design", {0}, {{"GOGC", "50"}}, 5.2, 300), 6, 21),
      MakeRun("design", {1}, {{"GOGC", "400"}}, 3.9, 700),
      MakeRun("design", {1}, {{"GOGC", "400"}}, 4.1, 700),
      Over(MakeRun("baseline", {-1}, {{"GOGC", "100"}}, 6.0, 400), 3, 25),
      Over(MakeRun("baseline", {-1}, {{"GOGC", "100"}}, 6.2, 400), 3, 25),
  };
  for (int i : {2, 3}) {
    RunMetrics& m = runs[i].metrics;
    m.gc_periods = i - 2;  // 0 and 1
    m.window_ns = 180'000'000'000;
    m.latency_estimated = true;
  }
  const StudyAnalysis a = Analyze(GogcOnly(), runs);
  ASSERT_TRUE(a.rec.found);
  EXPECT_EQ(a.rec.env_lines, (std::vector<std::string>{"GOGC=400"}));
  EXPECT_EQ(PeriodsText(a.rec.best), "estimated: 0-1 GC periods in 180 s per run");
  EXPECT_EQ(PeriodsText(*a.Find({{"GOGC", "50"}})), "over 4-6 GC periods per run");
  EXPECT_TRUE(a.rec.best.NoRunCoveredPeriods());
  EXPECT_FALSE(a.Find({{"GOGC", "50"}})->NoRunCoveredPeriods());
  // The default GC-cycle warning is not given: the estimate holds the GC's cost.
  EXPECT_TRUE(a.rec.warnings.empty());
  const std::string table = AnalysisTable(GogcOnly(), a);
  EXPECT_NE(table.find("  GOGC               p99       sd  runs    peak RSS   GC CPU  cycles  periods  note\n"
                       "  400             ~4.000    0.141     2   700.0 MiB    10.0%     3.0      0-1  no run covered "
                       "whole GC periods\n"
                       "  50               5.100    0.141     2   300.0 MiB    10.0%     3.0      4-6  \n"
                       "  100              6.100    0.141     2   400.0 MiB    10.0%     3.0        3  default\n"
                       "  ~ estimated: "),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("Pareto front (p99 vs peak RSS):\n"
                       "     ~4.000 ms    700.0 MiB  GOGC=400 \n"
                       "      5.100 ms    300.0 MiB  GOGC=50 \n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("  p99 ~4.000 ms estimated: 0-1 GC periods in 180 s per run (sd 0.141 over 2 design runs)"),
            std::string::npos)
      << table;
  const auto j = AnalysisJson(a)["settings"];
  EXPECT_EQ(j[0]["gc_periods"], nlohmann::ordered_json::parse("[0, 1]"));
  EXPECT_EQ(j[0]["estimated_runs"], 2);
  EXPECT_EQ(j[0]["whole_periods_runs"], 0);
  EXPECT_EQ(j[0]["periods"], "estimated: 0-1 GC periods in 180 s per run");
  EXPECT_EQ(j[1]["periods"], "over 4-6 GC periods per run");
  EXPECT_EQ(j[0]["no_run_covered_periods"], true);
  EXPECT_EQ(j[1]["no_run_covered_periods"], false);
}

// GOGC=400 with a 450 MiB limit wins on latency, but in one of its runs the
// live heap grew 2.1 MiB/s and meets the limit in 70 s: it may still win,
// with the warning in the verdict, the table and the JSON.
TEST(AnalysisTest, AHeapThatReachesItsLimitIsWarnedOf) {
  StudyOutline spec;
  spec.factors = {{"GOGC", {"100", "400"}, "100"}, {"GOMEMLIMIT", {"off", "450MiB"}, "off"}};
  const Env best = {{"GOGC", "400"}, {"GOMEMLIMIT", "450MiB"}};
  std::vector<RunResult> runs = {
      MakeRun("design", {1, 1}, best, 4.7, 440),
      MakeRun("design", {1, 1}, best, 5.4, 445),
      MakeRun("design", {1, 0}, {{"GOGC", "400"}, {"GOMEMLIMIT", "off"}}, 6.0, 900),
      MakeRun("design", {0, 1}, {{"GOGC", "100"}, {"GOMEMLIMIT", "450MiB"}}, 8.0, 400),
      MakeRun("baseline", {0, 0}, {{"GOGC", "100"}, {"GOMEMLIMIT", "off"}}, 9.0, 450),
      MakeRun("baseline", {0, 0}, {{"GOGC", "100"}, {"GOMEMLIMIT", "off"}}, 9.2, 450),
  };
  runs[0].metrics.live_heap_slope_bytes_per_sec = 1.9 * 1048576;
  runs[0].metrics.limit_reached_in_ns = 95'000'000'000;
  runs[1].metrics.live_heap_slope_bytes_per_sec = 2.1 * 1048576;
  runs[1].metrics.limit_reached_in_ns = 70'000'000'000;  // the sooner one is told
  const StudyAnalysis a = Analyze(spec, runs);
  ASSERT_TRUE(a.rec.found);
  EXPECT_EQ(a.rec.env_lines, (std::vector<std::string>{"GOGC=400", "GOMEMLIMIT=450MiB"}));
  const std::string warning =
      "GOGC=400 GOMEMLIMIT=450MiB: the live heap grows +2.1 MiB/s and reaches the limit in ~70 s, then GC runs back "
      "to back; not recommended for long runs without more headroom";
  EXPECT_EQ(a.rec.heap_warning, warning);
  EXPECT_EQ(a.rec.warnings, (std::vector<std::string>{warning}));
  const std::string table = AnalysisTable(spec, a);
  EXPECT_NE(table.find("  warning: " + warning + "\n"), std::string::npos) << table;
  EXPECT_NE(table.find("live heap reaches GOMEMLIMIT in ~70 s\n"), std::string::npos) << table;
  const auto j = AnalysisJson(a);
  EXPECT_EQ(j["recommendation"]["heap_warning"], warning);
  EXPECT_EQ(j["settings"][0]["limit_reached_in_s"], 70.0);
  EXPECT_EQ(j["settings"][1]["limit_reached_in_s"], nullptr);
  EXPECT_EQ(ApproxDurationText(720'000'000'000), "~12 min");
  EXPECT_EQ(ApproxDurationText(9'000'000'000'000), "~2.5 h");
}

TEST(AnalysisTest, NothingFeasible) {
  std::vector<RunResult> runs = {MakeRun("design", {0, 0}, {{"GOGC", "100"}, {"APP_POOL", "0"}}, 0, 0, "failed")};
  const StudyAnalysis a = Analyze(TwoByTwo(), runs);
  EXPECT_FALSE(a.rec.found);
  EXPECT_EQ(a.rec.why_not, "no setting finished all its runs within the constraints");
  // No share of variance without a finished run, and no empty front.
  const std::string table = AnalysisTable(TwoByTwo(), a);
  EXPECT_NE(table.find("  GOGC               - of variance    100: -  400: -\n"), std::string::npos) << table;
  EXPECT_NE(table.find("Pareto front (p99 vs peak RSS):\n  nothing to plot: no setting finished all its runs\n"),
            std::string::npos)
      << table;
}

}  // namespace
}  // namespace gcpilot
