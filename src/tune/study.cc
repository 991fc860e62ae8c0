#include "tune/study.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <chrono>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "loadgen/request.h"
#include "tune/trial.h"

namespace gcpilot {
namespace {

std::map<std::string, std::string> EnvOf(const StudySpec& spec, const std::vector<int>& levels) {
  std::map<std::string, std::string> env;
  for (size_t f = 0; f < spec.factors.size(); ++f) {
    const Factor& fac = spec.factors[f];
    env[fac.name] = levels[f] < 0 ? fac.baseline : fac.levels[levels[f]];
  }
  return env;
}

std::string Describe(const std::map<std::string, std::string>& env) {
  std::string s;
  for (const auto& [k, v] : env) s += fmt::format("{}{}={}", s.empty() ? "" : " ", k, v.empty() ? "(unset)" : v);
  return s;
}

StatusOr<Design> DesignFor(const StudySpec& spec) {
  std::vector<int> levels;
  for (const Factor& f : spec.factors) levels.push_back(static_cast<int>(f.levels.size()));
  return MakeDesign(spec.design, levels);
}

// Numeric value of a knob level in a common unit (GOMEMLIMIT: bytes), or
// nullopt for "off", unset and non-numbers.
std::optional<double> KnobNumber(const std::string& name, const std::string& v) {
  if (v.empty() || v == "off") return std::nullopt;
  if (name == "GOMEMLIMIT") {
    auto b = ParseBytes(v);
    if (b.ok()) return static_cast<double>(*b);
    return std::nullopt;
  }
  double d = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  if (ec != std::errc() || p != v.data() + v.size()) return std::nullopt;
  return d;
}

using Env = std::map<std::string, std::string>;

// Each factor's level index in `env`, -1 where its value is not a level.
std::vector<int> LevelsOf(const StudySpec& spec, const Env& env) {
  std::vector<int> levels;
  for (const Factor& f : spec.factors) {
    const auto it = std::find(f.levels.begin(), f.levels.end(), env.at(f.name));
    levels.push_back(it == f.levels.end() ? -1 : static_cast<int>(it - f.levels.begin()));
  }
  return levels;
}

bool HasPhase(const std::vector<RunRecord>& runs, const std::string& phase) {
  return std::any_of(runs.begin(), runs.end(), [&](const RunRecord& r) { return r.phase == phase; });
}

}  // namespace

std::vector<std::string> NeighbourMidpoints(const Factor& f, const std::string& best) {
  const auto b = KnobNumber(f.name, best);
  if (!b) return {};
  std::optional<double> lower, upper;
  for (const std::string& l : f.levels) {
    const auto v = KnobNumber(f.name, l);
    if (!v) continue;
    if (*v < *b && (!lower || *v > *lower)) lower = v;
    if (*v > *b && (!upper || *v < *upper)) upper = v;
  }
  std::vector<std::string> out;
  for (const auto& n : {lower, upper}) {
    if (!n) continue;
    const double mid = (*n + *b) / 2;
    std::string text;
    if (f.name == "GOMEMLIMIT") {
      text = fmt::format("{}MiB", std::llround(mid / 1048576.0));
    } else {
      text = fmt::format("{}", std::llround(mid));
    }
    if (text != best && std::find(f.levels.begin(), f.levels.end(), text) == f.levels.end() &&
        CheckFactorValue(f.name, text).ok()) {
      out.push_back(text);
    }
  }
  return out;
}

std::vector<RunRecord> PlanStudy(const StudySpec& spec, const Design& design) {
  std::vector<RunRecord> plan;
  std::vector<int> baseline(spec.factors.size(), -1);
  for (size_t f = 0; f < spec.factors.size(); ++f) {
    const auto& lv = spec.factors[f].levels;
    const auto it = std::find(lv.begin(), lv.end(), spec.factors[f].baseline);
    if (it != lv.end()) baseline[f] = static_cast<int>(it - lv.begin());
  }
  for (int rep = 0; rep < spec.repeats; ++rep) {
    for (size_t c = 0; c < design.cells.size(); ++c) {
      RunRecord r;
      r.cell = static_cast<int>(c);
      r.repeat = rep;
      r.phase = "design";
      r.levels = design.cells[c];
      r.env = EnvOf(spec, r.levels);
      plan.push_back(r);
    }
    RunRecord b;
    b.cell = -1;
    b.repeat = rep;
    b.phase = "baseline";
    b.levels = baseline;
    b.env = EnvOf(spec, baseline);
    plan.push_back(b);
  }
  Rng rng(spec.seed ^ 0x5eed5eedULL);
  for (size_t i = plan.size(); i > 1; --i) std::swap(plan[i - 1], plan[rng.Below(i)]);
  for (size_t i = 0; i < plan.size(); ++i) plan[i].seq = static_cast<int>(i);
  return plan;
}

StatusOr<StudyOutcome> RunStudy(StudyStore& store, const StudySpec& given, bool resume,
                                const std::string& work_dir, const StudyEvents& ev) {
  auto say = [&](const std::string& s) {
    if (ev.status) ev.status(s);
  };
  StudyOutcome out;
  if (resume) {
    auto id = store.LatestUnfinished();
    if (!id.ok()) return id.status();
    if (!*id) return Status::NotFound("no unfinished study to resume in this database");
    auto stored = store.Load(**id);
    if (!stored.ok()) return stored.status();
    auto spec = StudySpecFromJson(nlohmann::json::parse(stored->spec_json, nullptr, false));
    if (!spec.ok()) return spec.status();
    out.id = stored->id;
    out.spec = *spec;
    out.design = stored->design;
  } else {
    auto design = DesignFor(given);
    if (!design.ok()) return design.status();
    out.spec = given;
    out.design = design->name;
    auto id = store.CreateStudy(StudySpecToJson(given).dump(), design->name, PlanStudy(given, *design));
    if (!id.ok()) return id.status();
    out.id = *id;
  }
  const StudySpec& spec = out.spec;
  std::error_code ec;
  std::filesystem::create_directories(work_dir, ec);

  using Clock = std::chrono::steady_clock;
  double session_s = 0;
  // Runs whatever is pending, in order; returns after the last.
  auto run_pending = [&]() -> Status {
    auto st = store.Load(out.id);
    if (!st.ok()) return st.status();
    std::vector<RunRecord> runs = std::move(st->runs);
    const int total = static_cast<int>(runs.size());
    int done = 0;
    for (const RunRecord& r : runs) done += r.status != "pending";
    for (RunRecord& r : runs) {
      if (r.status != "pending") continue;
      const int left = total - done;
      std::string eta;
      if (out.runs_this_session > 0) {
        const double per = session_s / out.runs_this_session;
        eta = fmt::format(", ETA {:.0f}:{:02.0f}", std::floor(per * left / 60), std::fmod(per * left, 60));
      }
      const std::string head = fmt::format("run {} of {} ({}{}{}) {}", done + 1, total, r.phase,
                                           r.phase == "design" ? fmt::format(" cell {}", r.cell + 1) : "", eta,
                                           Describe(r.env));
      say(head);
      const auto t0 = Clock::now();
      TrialOutcome t = RunTrial(spec, r, work_dir, [&](const std::string& s) { say(head + ": " + s); });
      if (Status s = store.SaveRun(t.record, t.load ? &*t.load : nullptr, t.cycles); !s.ok()) return s;
      session_s += std::chrono::duration<double>(Clock::now() - t0).count();
      ++out.runs_this_session;
      ++done;
      if (ev.run_finished) ev.run_finished(t.record);
    }
    return Status::Ok();
  };
  if (Status s = run_pending(); !s.ok()) return s;

  // A round decided after the design: each setting `reps` times,
  // repeat-major (so drift hits the settings alike), after the stored runs.
  auto run_round = [&](size_t stored, const std::string& phase, int cell, int reps,
                       const std::vector<std::pair<std::vector<int>, Env>>& settings,
                       const std::string& message) -> Status {
    std::vector<RunRecord> round;
    for (int rep = 0; rep < reps; ++rep) {
      for (const auto& [levels, env] : settings) {
        RunRecord r;
        r.seq = static_cast<int>(stored + round.size());
        r.cell = cell;
        r.repeat = rep;
        r.phase = phase;
        r.levels = levels;
        r.env = env;
        round.push_back(r);
      }
    }
    if (round.empty()) return Status::Ok();
    say(message);
    if (Status s = store.AddRuns(out.id, round); !s.ok()) return s;
    return run_pending();
  };

  // Confirmation: the best level of every factor together, if untried.
  auto st = store.Load(out.id);
  if (!st.ok()) return st.status();
  if (spec.confirm && !HasPhase(st->runs, "confirm")) {
    const StudyAnalysis a = Analyze(spec, st->runs);
    bool complete = !a.effects.empty();
    for (const MainEffect& e : a.effects) {
      complete &= std::any_of(e.levels.begin(), e.levels.end(), [](const LevelEffect& l) { return l.n > 0; });
    }
    bool tried = false;
    for (const RunRecord& r : st->runs) tried |= r.env == a.predicted_best;
    if (complete && !tried && a.done > 0) {
      if (Status s = run_round(st->runs.size(), "confirm", -2, spec.repeats,
                               {{LevelsOf(spec, a.predicted_best), a.predicted_best}},
                               "confirming the predicted best setting: " + Describe(a.predicted_best));
          !s.ok()) {
        return s;
      }
    }
  }
  // Refinement: one factor at a time, the midpoints between the best
  // setting's value and its neighbouring levels (numeric knobs only).
  st = store.Load(out.id);
  if (!st.ok()) return st.status();
  if (spec.refine && !HasPhase(st->runs, "refine")) {
    const StudyAnalysis a = Analyze(spec, st->runs);
    std::vector<std::pair<std::vector<int>, Env>> cells;
    if (a.rec.found) {
      for (const Factor& f : spec.factors) {
        const std::string best = a.rec.best.env.at(f.name);
        for (const std::string& mid : NeighbourMidpoints(f, best)) {
          Env env = a.rec.best.env;
          env[f.name] = mid;
          bool tried = false;
          for (const RunRecord& r : st->runs) tried |= r.env == env;
          for (const auto& c : cells) tried |= c.second == env;
          if (!tried) cells.emplace_back(LevelsOf(spec, env), env);
        }
      }
    }
    if (Status s = run_round(st->runs.size(), "refine", -3, spec.repeats, cells,
                             fmt::format("refining around the best setting: {} settings", cells.size()));
        !s.ok()) {
      return s;
    }
  }
  // Verification: more runs of the recommended setting and the default,
  // alternating, for a verdict on fresh runs.
  st = store.Load(out.id);
  if (!st.ok()) return st.status();
  if (spec.verify > 0 && !HasPhase(st->runs, "verify")) {
    const StudyAnalysis a = Analyze(spec, st->runs);
    if (a.rec.found && !a.rec.is_default && !a.rec.baseline.values.empty()) {
      if (Status s = run_round(
              st->runs.size(), "verify", -4, spec.verify,
              {{a.rec.best.levels, a.rec.best.env}, {a.rec.baseline.levels, a.rec.baseline.env}},
              fmt::format("verifying the best setting against the default: {} more runs each", spec.verify));
          !s.ok()) {
        return s;
      }
    }
  }
  st = store.Load(out.id);
  if (!st.ok()) return st.status();
  out.runs = st->runs;
  out.analysis = Analyze(spec, out.runs);
  if (out.analysis.pending == 0) {
    if (Status s = store.SetStudyStatus(out.id, "done"); !s.ok()) return s;
  }
  return out;
}

}  // namespace gcpilot
