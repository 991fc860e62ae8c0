#include "tune/rounds.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "model/gc_knobs.h"

namespace gcpilot {
namespace {

bool HasPhase(const std::vector<RunResult>& runs, RunPhase phase) {
  return std::any_of(runs.begin(), runs.end(), [&](const RunResult& r) { return r.phase == phase; });
}

// Whether a run had the setting `env` makes (GOGC=100 is GOGC unset).
bool Tried(const std::vector<RunResult>& runs, const Env& env) {
  const Env want = CanonicalEnv(env);
  return std::any_of(runs.begin(), runs.end(), [&](const RunResult& r) { return CanonicalEnv(r.env) == want; });
}

}  // namespace

std::vector<int> LevelsOf(const StudySpec& spec, const Env& env) {
  std::vector<int> levels;
  for (const Factor& f : spec.factors) {
    const std::string value = CanonicalKnobValue(f.name, ValueOf(env, f.name));
    const auto it = std::find_if(f.levels.begin(), f.levels.end(),
                                 [&](const std::string& l) { return CanonicalKnobValue(f.name, l) == value; });
    levels.push_back(it == f.levels.end() ? RunResult::kNotALevel : static_cast<int>(it - f.levels.begin()));
  }
  return levels;
}

std::vector<std::string> NeighbourMidpoints(const Factor& f, const std::string& best) {
  const auto b = KnobMagnitude(f.name, best);
  if (!b) return {};
  std::optional<int64_t> lower, upper;
  for (const std::string& l : f.levels) {
    const auto v = KnobMagnitude(f.name, l);
    if (!v) continue;
    if (*v < *b && (!lower || *v > *lower)) lower = v;
    if (*v > *b && (!upper || *v < *upper)) upper = v;
  }
  std::vector<std::string> out;
  for (const auto& n : {lower, upper}) {
    if (!n || *n == kMemLimitOff || *b == kMemLimitOff) continue;  // no midpoint between a limit and none
    // Halfway, rounded like the levels people write: whole MiB for a limit.
    const double mid = (static_cast<double>(*n) + static_cast<double>(*b)) / 2;
    const int64_t unit = f.name == "GOMEMLIMIT" ? int64_t{1} << 20 : 1;
    const double rounded = std::round(mid / static_cast<double>(unit)) * static_cast<double>(unit);
    const int64_t value = rounded >= 9.2e18 ? *b : static_cast<int64_t>(rounded);  // near 2^63: no midpoint
    const std::string text = FormatKnob(f.name, value);
    // As Go reads them: a level spelled 1049600KiB is the midpoint 1025MiB.
    const auto same = [&](const std::string& l) {
      return CanonicalKnobValue(f.name, l) == CanonicalKnobValue(f.name, text);
    };
    if (!same(best) && std::none_of(f.levels.begin(), f.levels.end(), same) && KnobValueProblem(f.name, text).empty()) {
      out.push_back(text);
    }
  }
  return out;
}

std::optional<RoundPlan> PlanConfirmation(const StudySpec& spec, const std::vector<RunResult>& runs,
                                          const StudyAnalysis& a) {
  if (!spec.confirm || HasPhase(runs, RunPhase::kConfirm) || a.done == 0 || a.effects.empty()) return std::nullopt;
  for (const MainEffect& e : a.effects) {
    if (std::none_of(e.levels.begin(), e.levels.end(), [](const LevelEffect& l) { return l.n > 0; })) {
      return std::nullopt;  // a factor with no finished level has no best level
    }
  }
  if (Tried(runs, a.predicted_best)) return std::nullopt;
  return RoundPlan{RunPhase::kConfirm,
                   spec.repeats,
                   {a.predicted_best},
                   "confirming the predicted best setting: " + DescribeSetting(spec, a.predicted_best)};
}

std::optional<RoundPlan> PlanRefinement(const StudySpec& spec, const std::vector<RunResult>& runs,
                                        const StudyAnalysis& a) {
  if (!spec.refine || HasPhase(runs, RunPhase::kRefine) || !a.rec.found) return std::nullopt;
  RoundPlan plan{RunPhase::kRefine, spec.repeats, {}, ""};
  for (const Factor& f : spec.factors) {
    for (const std::string& mid : NeighbourMidpoints(f, ValueOf(a.rec.best.env, f.name))) {
      Env env = a.rec.best.env;
      env[f.name] = mid;
      if (!Tried(runs, env) && !Tried(RoundRuns(spec, plan, 0), env)) {
        plan.settings.push_back(env);
      }
    }
  }
  if (plan.settings.empty()) return std::nullopt;
  plan.message = fmt::format("refining around the best setting: {} settings", plan.settings.size());
  return plan;
}

std::optional<RoundPlan> PlanVerification(const StudySpec& spec, const std::vector<RunResult>& runs,
                                          const StudyAnalysis& a) {
  if (spec.verify <= 0 || HasPhase(runs, RunPhase::kVerify)) return std::nullopt;
  if (!a.rec.found || a.rec.is_default || a.rec.baseline.values.empty()) return std::nullopt;
  return RoundPlan{RunPhase::kVerify,
                   spec.verify,
                   {a.rec.best.env, a.rec.baseline.env},
                   fmt::format("verifying the best setting against the default: {} more runs each", spec.verify)};
}

RoundRunBounds MaxRoundRuns(const StudySpec& spec, const Design& design) {
  RoundRunBounds b;
  size_t grid = 1;
  for (const Factor& f : spec.factors) grid *= f.levels.size();
  if (spec.confirm && design.cells.size() < grid) b.confirm = spec.repeats;
  if (spec.refine) {
    for (const Factor& f : spec.factors) {
      const auto numeric = std::count_if(f.levels.begin(), f.levels.end(),
                                         [&](const std::string& l) { return KnobMagnitude(f.name, l).has_value(); });
      b.refine +=
          spec.repeats * static_cast<int>(std::min<std::ptrdiff_t>(2, std::max<std::ptrdiff_t>(0, numeric - 1)));
    }
  }
  b.verify = 2 * spec.verify;
  return b;
}

std::vector<RunResult> RoundRuns(const StudySpec& spec, const RoundPlan& plan, int first_seq) {
  std::vector<RunResult> round;
  for (int rep = 0; rep < plan.repeats; ++rep) {
    for (const Env& env : plan.settings) {
      RunResult r;
      r.seq = first_seq + static_cast<int>(round.size());
      r.phase = plan.phase;
      r.repeat = rep;
      r.levels = LevelsOf(spec, env);
      r.env = env;
      round.push_back(r);
    }
  }
  return round;
}

}  // namespace gcpilot
