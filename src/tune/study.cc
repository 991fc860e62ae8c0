#include "tune/study.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tune/rounds.h"
#include "tune/trial.h"

namespace gcpilot {
namespace {

Env EnvOf(const StudySpec& spec, const std::vector<int>& levels) {
  Env env;
  for (size_t f = 0; f < spec.factors.size(); ++f) {
    const Factor& fac = spec.factors[f];
    env[fac.name] = levels[f] == RunResult::kNotALevel ? fac.baseline : fac.levels[levels[f]];
  }
  return env;
}

StatusOr<Design> DesignFor(const StudySpec& spec) {
  std::vector<int> levels;
  for (const Factor& f : spec.factors) levels.push_back(static_cast<int>(f.levels.size()));
  return MakeDesign(spec.design, levels);
}

// The newest unfinished study of `store`, with its stored spec.
Status Reopen(StudyStore& store, StudyOutcome* out) {
  auto id = store.LatestUnfinished();
  if (!id.ok()) return id.status();
  if (!*id) return Status::NotFound("no unfinished study to resume in this database");
  auto stored = store.Load(**id);
  if (!stored.ok()) return stored.status();
  auto spec = StudySpecFromJson(nlohmann::json::parse(stored->spec_json, nullptr, false));
  if (!spec.ok()) return spec.status();
  out->id = stored->id;
  out->spec = std::move(*spec);
  out->design = stored->design;
  out->runs = std::move(stored->runs);
  return Status::Ok();
}

Status Create(StudyStore& store, const StudySpec& spec, StudyOutcome* out) {
  auto design = DesignFor(spec);
  if (!design.ok()) return design.status();
  out->spec = spec;
  out->design = design->name;
  auto id = store.CreateStudy(StudySpecToJson(spec).dump(), design->name, PlanStudy(spec, *design));
  if (!id.ok()) return id.status();
  out->id = *id;
  auto stored = store.Load(*id);  // the plan with its ids
  if (!stored.ok()) return stored.status();
  out->runs = std::move(stored->runs);
  return Status::Ok();
}

// Runs every pending run in order, storing each and updating `out` as it
// lands; progress says which run, of how many, and the ETA.
class PendingRunner {
 public:
  PendingRunner(StudyStore& store, const std::string& work_dir, const StudyEvents& ev)
      : store_(store), work_dir_(work_dir), ev_(ev) {}

  Status RunAll(StudyOutcome* out) {
    int done = 0;
    for (const RunResult& r : out->runs) done += r.status != RunStatus::kPending;
    for (RunResult& r : out->runs) {
      if (r.status != RunStatus::kPending) continue;
      const std::string head = Headline(r, done, static_cast<int>(out->runs.size()), *out);
      Say(head);
      const auto t0 = std::chrono::steady_clock::now();
      TrialOutcome t = RunTrial(out->spec, r, work_dir_, [&](const std::string& s) { Say(head + ": " + s); });
      if (Status s = store_.SaveRun(t.result, t.data); !s.ok()) return s;
      r = std::move(t.result);
      session_s_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      ++out->runs_this_session;
      ++done;
      if (ev_.run_finished) ev_.run_finished(r);
    }
    return Status::Ok();
  }

  void Say(const std::string& s) const {
    if (ev_.status) ev_.status(s);
  }

 private:
  std::string Headline(const RunResult& r, int done, int total, const StudyOutcome& out) const {
    std::string eta;
    if (out.runs_this_session > 0) {
      const double left_s = session_s_ / out.runs_this_session * (total - done);
      eta = fmt::format(", ETA {:.0f}:{:02.0f}", std::floor(left_s / 60), std::fmod(left_s, 60));
    }
    const std::string cell = r.design_cell ? fmt::format(" cell {}", *r.design_cell + 1) : "";
    return fmt::format("run {} of {} ({}{}{}) {}", done + 1, total, RunPhaseName(r.phase), cell, eta,
                       DescribeEnv(r.env));
  }

  StudyStore& store_;
  const std::string& work_dir_;
  const StudyEvents& ev_;
  double session_s_ = 0;
};

std::vector<int> BaselineLevels(const StudySpec& spec) {
  Env baseline_env;
  for (const Factor& f : spec.factors) baseline_env[f.name] = f.baseline;
  return LevelsOf(spec, baseline_env);  // "100" is the level "" too
}

}  // namespace

std::optional<int> DefaultSettingCell(const StudySpec& spec, const Design& design) {
  const std::vector<int> baseline = BaselineLevels(spec);
  const auto it = std::find(design.cells.begin(), design.cells.end(), baseline);
  if (it == design.cells.end()) return std::nullopt;
  return static_cast<int>(it - design.cells.begin());
}

std::vector<RunResult> PlanStudy(const StudySpec& spec, const Design& design) {
  std::vector<RunResult> plan;
  const std::vector<int> baseline = BaselineLevels(spec);
  for (int rep = 0; rep < spec.repeats; ++rep) {
    for (size_t c = 0; c < design.cells.size(); ++c) {
      RunResult r;
      r.design_cell = static_cast<int>(c);
      r.repeat = rep;
      r.phase = RunPhase::kDesign;
      r.levels = design.cells[c];
      r.env = EnvOf(spec, r.levels);
      plan.push_back(r);
    }
    RunResult b;
    b.repeat = rep;
    b.phase = RunPhase::kBaseline;
    b.levels = baseline;
    b.env = EnvOf(spec, baseline);
    plan.push_back(b);
  }
  Rng rng(spec.seed ^ 0x5eed5eedULL);
  for (size_t i = plan.size(); i > 1; --i) std::swap(plan[i - 1], plan[rng.Below(i)]);
  for (size_t i = 0; i < plan.size(); ++i) plan[i].seq = static_cast<int>(i);
  return plan;
}

StatusOr<StudyOutcome> RunStudy(StudyStore& store, const StudySpec& given, bool resume, const std::string& work_dir,
                                const StudyEvents& ev) {
  StudyOutcome out;
  if (Status st = resume ? Reopen(store, &out) : Create(store, given, &out); !st.ok()) return st;
  std::error_code ec;
  std::filesystem::create_directories(work_dir, ec);
  PendingRunner runner(store, work_dir, ev);
  if (Status s = runner.RunAll(&out); !s.ok()) return s;
  for (RoundPlanner plan_round : kRounds) {
    const auto plan = plan_round(out.spec, out.runs, Analyze(out.spec, out.runs));
    if (!plan) continue;
    std::vector<RunResult> round = RoundRuns(out.spec, *plan, static_cast<int>(out.runs.size()));
    if (round.empty()) continue;
    runner.Say(plan->message);
    if (Status s = store.AddRuns(out.id, &round); !s.ok()) return s;
    out.runs.insert(out.runs.end(), round.begin(), round.end());
    if (Status s = runner.RunAll(&out); !s.ok()) return s;
  }
  out.analysis = Analyze(out.spec, out.runs);
  if (out.analysis.pending == 0) {
    if (Status s = store.SetStudyStatus(out.id, StudyStatus::kDone); !s.ok()) return s;
  }
  return out;
}

}  // namespace gcpilot
