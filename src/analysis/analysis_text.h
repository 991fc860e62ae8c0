// A study analysis for people (the table tune prints) and for programs
// (JSON). Deterministic: fixed float formatting, no timestamps.
#ifndef GCPILOT_ANALYSIS_ANALYSIS_TEXT_H_
#define GCPILOT_ANALYSIS_ANALYSIS_TEXT_H_

#include <string>

#include <nlohmann/json.hpp>

#include "analysis/study_analysis.h"
#include "model/study_outline.h"

namespace gcpilot {

// "sd 0.020, 2 runs" or "1 run, no spread": a setting's spread in words.
std::string SpreadText(const CellStats& c);
// The verdict on the recommendation against the default, in one sentence.
std::string ConfidenceText(const Recommendation& r, Objective objective);

std::string AnalysisTable(const StudyOutline& outline, const StudyAnalysis& a);
nlohmann::ordered_json AnalysisJson(const StudyAnalysis& a);

}  // namespace gcpilot

#endif  // GCPILOT_ANALYSIS_ANALYSIS_TEXT_H_
