#include "analysis/study_analysis.h"

#include <cmath>

#include <gtest/gtest.h>

#include "analysis/analysis_text.h"

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
