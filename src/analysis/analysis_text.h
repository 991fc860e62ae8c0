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
// The verdict on the recommendation against the default, in one sentence.
std::string ConfidenceText(const Recommendation& r, Objective objective);

std::string AnalysisTable(const StudyOutline& outline, const StudyAnalysis& a);
nlohmann::ordered_json AnalysisJson(const StudyAnalysis& a);

}  // namespace gcpilot

#endif  // GCPILOT_ANALYSIS_ANALYSIS_TEXT_H_
