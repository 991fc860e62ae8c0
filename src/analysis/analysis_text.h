// A study analysis for people (the table tune prints) and for programs
// (JSON). Deterministic: fixed float formatting, no timestamps.
#ifndef GCPILOT_ANALYSIS_ANALYSIS_TEXT_H_
#define GCPILOT_ANALYSIS_ANALYSIS_TEXT_H_

#include <string>

#include <nlohmann/json.hpp>

#include "analysis/study_analysis.h"
#include "model/study_outline.h"

namespace gcpilot {

// Which runs a setting's figures average, by round: "3 verification runs",
// "5 runs: 2 baseline, 3 verification", "1 design run", "no finished run".
std::string RunSetText(const CellStats& c);
// "sd 0.020 over 3 verification runs" or "1 design run, no spread": a
// setting's spread and the runs it comes from, in words.
std::string SpreadText(const CellStats& c);
// The GC periods a setting's figures cover: "over 5 GC periods per run",
// "over 3-7 GC periods per run", "estimated: 1 GC period in 180 s",
// "estimated in 1 of 3 runs: 0 GC periods in 180 s", "over 2 GC periods,
// fewer than asked"; "" when its runs do not say (stored before schema 3).
std::string PeriodsText(const CellStats& c);
// One run's objective with its window: "p99 4.100 ms over 5 GC periods",
// "p99 ~3.900 ms estimated: 1 GC period in 180 s", "p99 4.100 ms over 2 GC
// periods in 9.5 s, fewer than asked", "p99 4.100 ms" (periods unknown).
std::string RunFigureText(const RunResult& r, Objective objective, int64_t min_gc_periods = 3);
// The verdict on the recommendation against the default, in one sentence.
std::string ConfidenceText(const Recommendation& r, Objective objective);

std::string AnalysisTable(const StudyOutline& outline, const StudyAnalysis& a);
nlohmann::ordered_json AnalysisJson(const StudyAnalysis& a);

}  // namespace gcpilot

#endif  // GCPILOT_ANALYSIS_ANALYSIS_TEXT_H_
