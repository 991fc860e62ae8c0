// `gcpilot tune`: designed GC experiments against a live service, with a
// recommendation and its evidence. No arguments: the bundled gateway.
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analysis/analysis_text.h"
#include "attribution/attribution_summary.h"
#include "base/file_util.h"
#include "base/interrupt_note.h"
#include "base/plural.h"
#include "cli/bundled_gateway.h"
#include "cli/progress.h"
#include "cli/verbs.h"
#include "loadgen/schedule.h"
#include "store/study_store.h"
#include "tune/rounds.h"
#include "tune/spec_flags.h"
#include "tune/study.h"

namespace gcpilot::cli {
namespace {

struct TuneFlags {
  std::string spec_path, db = "gcpilot-study.db", work_dir;
  bool resume = false, json = false, dry_run = false, quiet = false;
  std::string ready;  // with a command after --
  SpecOverrides overrides;
  std::vector<std::string> command;
  std::string live_mb;
  std::string paygate;  // built-in study: the gateway binary; "" = found beside gcpilot
  std::string report;   // HTML report path; "" = DB.html
  bool no_report = false;
};

int Usage(const std::string& msg) {
  std::fprintf(stderr, "gcpilot tune: %s\nRun 'gcpilot tune --help' for usage.\n", msg.c_str());
  return kExitUsage;
}

// The built-in study of the bundled gateway (--paygate, or the one beside
// gcpilot), at --live-mb.
StatusOr<StudySpec> BuiltinSpec(const TuneFlags& f) {
  const std::string& live_mb_text = f.live_mb;
  int live_mb = 32;
  if (!live_mb_text.empty()) {
    const char* end = live_mb_text.data() + live_mb_text.size();
    const auto [p, ec] = std::from_chars(live_mb_text.data(), end, live_mb);
    if (ec != std::errc() || p != end || live_mb < 1 || live_mb > 65536) {
      return Status::InvalidArgument(
          fmt::format("--live-mb: \"{}\" is not a whole number of MiB in 1..65536 (the "
                      "request mix reads the gateway's order history)",
                      live_mb_text));
    }
  }
  auto gateway = FindBundledGateway(SelfDir(), f.paygate, std::getenv("GCPILOT_PAYGATE"), f.overrides.requests.empty());
  if (!gateway.ok()) return gateway.status();
  return BuiltinPaygateSpec(gateway->binary, gateway->data_dir, live_mb);
}

// The spec the flags ask for: a TOML file, a command after --, or the
// built-in study, with the flags' overrides. A bad one is a usage error.
StatusOr<StudySpec> SpecFromFlags(const TuneFlags& f) {
  if (!f.spec_path.empty() && !f.command.empty()) {
    return Status::InvalidArgument("give --spec or a command after --, not both");
  }
  StatusOr<StudySpec> spec = !f.spec_path.empty() ? LoadStudySpec(f.spec_path)
                             : !f.command.empty() ? CommandLineSpec(f.command, f.ready, f.overrides.url)
                                                  : BuiltinSpec(f);
  if (!spec.ok()) return spec;
  if (Status st = ApplyOverrides(f.overrides, &*spec); !st.ok()) return st;
  return spec;
}

std::vector<std::string> FactorNames(const StudySpec& spec) {
  std::vector<std::string> names;
  for (const Factor& f : spec.factors) names.push_back(f.name);
  return names;
}

// "~45 s", "~7 min": short studies in seconds, never "~0 min".
std::string ApproxTime(double seconds) {
  if (seconds < 59.5) return fmt::format("~{:.0f} s", seconds);
  return fmt::format("~{:.0f} min", seconds / 60);
}

// ", plus up to 2 confirmation runs and 6 verification runs": only the
// rounds that can happen after the design.
std::string RoundsText(const RoundRunBounds& b) {
  std::vector<std::string> parts;
  if (b.confirm > 0) parts.push_back(CountOf(b.confirm, "confirmation run"));
  if (b.refine > 0) parts.push_back(CountOf(b.refine, "refinement run"));
  if (b.verify > 0) parts.push_back(CountOf(b.verify, "verification run"));
  std::string text;
  for (size_t i = 0; i < parts.size(); ++i) {
    text += (i == 0 ? ", plus up to " : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  }
  return text;
}

// Notes on what every run shares or repeats, for the plan and the run.
std::vector<std::string> StudyNotes(const StudySpec& spec, const Design& design) {
  std::vector<std::string> notes = DesignNotes(design, FactorNames(spec));
  if (const auto cell = DefaultSettingCell(spec, design)) {
    notes.push_back(fmt::format(
        "the default setting is design cell {} too: its {} and {} are pooled, {} that every setting is compared "
        "against",
        *cell + 1, CountOf(spec.repeats, "design run"), CountOf(spec.repeats, "baseline run"),
        CountOf(2 * spec.repeats, "run")));
  }
  if (spec.min_gc_periods > 0 && RateSetsDuration(spec.rate)) {
    // Steps and ramps are measured as written: a window cut to GC periods
    // would drop or stretch a step.
    notes.push_back(fmt::format(
        "the rate sets its own length ({}): every run measures that fixed window, not {} (load.min_gc_periods "
        "applies to a steady rate only)",
        FormatDurationNs(spec.duration_ns), CountOf(spec.min_gc_periods, "whole GC period")));
  }
  if (spec.trace_seconds > 0) {
    notes.push_back(fmt::format(
        "every run captures a {}-s execution trace from the target's /debug/pprof/trace once its warm-up is over "
        "(trace.seconds)",
        spec.trace_seconds));
  }
  for (const auto& [name, value] : InheritedGoKnobs(spec)) {
    notes.push_back(
        fmt::format("{}={} is inherited from this shell and applies to every run, the default setting's too (set it in "
                    "[target] env to make it explicit, or unset it)",
                    name, value));
  }
  return notes;
}

// --dry-run: the design, the settings and the run order.
int PrintPlan(const StudySpec& spec, const Design& design) {
  const auto plan = PlanStudy(spec, design);
  const double per_run = (spec.warmup_ns + spec.duration_ns) / 1e9 + 3;
  // A run over whole GC periods lasts from `duration` to `max_duration`.
  const std::string time =
      UsesPeriodWindow(spec)
          ? fmt::format("{} to {}", ApproxTime(plan.size() * per_run),
                        ApproxTime(plan.size() * ((spec.warmup_ns + spec.max_duration_ns) / 1e9 + 3)))
          : ApproxTime(plan.size() * per_run);
  std::printf("study of %s: %s design, %s x %s + the default setting = %s (%s%s)\n", spec.source.c_str(),
              design.name.c_str(), CountOf(design.cells.size(), "setting").c_str(),
              CountOf(spec.repeats, "repeat").c_str(), CountOf(plan.size(), "run").c_str(), time.c_str(),
              RoundsText(MaxRoundRuns(spec, design)).c_str());
  for (const std::string& note : StudyNotes(spec, design)) std::printf("note: %s\n", note.c_str());
  for (const RunResult& r : plan) {
    std::printf("  run %2d  %-8s %s\n", r.seq + 1, RunPhaseName(r.phase), DescribeEnv(r.env).c_str());
  }
  return kExitOk;
}

// Progress on a TTY, and one line per finished run.
StudyEvents ProgressEvents(const TuneFlags& f, Progress& progress, int64_t min_gc_periods) {
  StudyEvents ev;
  ev.status = [&f, &progress](const std::string& s) {
    if (!f.quiet && progress.enabled()) progress.Update("tune: " + s);
  };
  ev.run_finished = [&f, &progress, min_gc_periods](const RunResult& r) {
    if (f.quiet) return;
    progress.Done();
    const std::string env = DescribeEnv(r.env);
    const RunMetrics& m = r.metrics;
    if (r.done()) {
      const std::string errors =
          m.errors > 0 ? fmt::format(", {} ({:.2f}%)", CountOf(m.errors, "request error"), 100 * m.error_rate) : "";
      std::fprintf(stderr, "tune: run %d %s: %s, %.0f/s, peak RSS %s, %s%s\n", r.seq + 1, env.c_str(),
                   RunFigureText(r, Objective::kP99, min_gc_periods).c_str(), m.achieved_rps,
                   FormatBytes(m.peak_rss_bytes).c_str(), CountOf(m.gc_cycles, "GC cycle").c_str(), errors.c_str());
    } else {
      std::fprintf(stderr, "tune: run %d %s: FAILED: %s\n", r.seq + 1, env.c_str(), r.reason.c_str());
    }
  };
  return ev;
}

// One setting of the verdict ("recommended", "default"): its
// representative run's requests joined to its GC, as stored.
struct SettingAttribution {
  std::string role;
  const RunResult* run = nullptr;
  RunAttribution attribution;
};

std::vector<SettingAttribution> VerdictAttributions(StudyStore& store, const StudyOutcome& out) {
  const Recommendation& rec = out.analysis.rec;
  std::vector<SettingAttribution> all;
  if (!rec.found) return all;
  all.push_back({rec.is_default ? "recommended (the default)" : "recommended", nullptr, {}});
  all.back().run = RepresentativeRun(out.runs, rec.best);
  if (!rec.is_default && !rec.baseline.run_ids.empty()) {
    all.push_back({"default", RepresentativeRun(out.runs, rec.baseline), {}});
  }
  for (SettingAttribution& s : all) {
    if (s.run == nullptr) continue;
    auto a = store.LoadAttribution(s.run->id);
    if (a.ok()) {
      s.attribution = std::move(*a);
    } else {
      std::fprintf(stderr, "gcpilot tune: run %d's attribution: %s\n", s.run->seq + 1, a.status().message().c_str());
    }
  }
  return all;
}

// "GC attribution, recommended: GOGC=400 ... (verify run 21)" and the
// attribution under it.
void PrintAttributions(const std::vector<SettingAttribution>& all) {
  for (const SettingAttribution& s : all) {
    if (s.run == nullptr) continue;
    std::printf("\nGC attribution, %s: %s (%s run %d)\n", s.role.c_str(), DescribeEnv(s.run->env).c_str(),
                RunPhaseName(s.run->phase), s.run->seq + 1);
    std::fputs(AttributionText(s.attribution).c_str(), stdout);
  }
}

nlohmann::ordered_json AttributionsJson(const std::vector<SettingAttribution>& all) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const SettingAttribution& s : all) {
    if (s.run == nullptr) continue;
    j.push_back({{"role", s.role},
                 {"run", s.run->seq + 1},
                 {"env", s.run->env},
                 {"attribution", AttributionJson(s.attribution)}});
  }
  return j;
}

void PrintOutcome(const TuneFlags& f, const StudyOutcome& out, StudyStore& store) {
  const std::vector<SettingAttribution> attributions = VerdictAttributions(store, out);
  if (f.json) {
    nlohmann::ordered_json j;
    j["study"] = out.id;
    j["database"] = f.db;
    j["source"] = out.spec.source;
    j["design"] = out.design;
    j["analysis"] = AnalysisJson(out.analysis);
    j["gc_attribution"] = AttributionsJson(attributions);
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("study %lld in %s: %s, %s design, %s, objective %s at %s\n\n", static_cast<long long>(out.id),
                f.db.c_str(), out.spec.source.c_str(), out.design.c_str(), CountOf(out.spec.repeats, "repeat").c_str(),
                ObjectiveKey(out.spec.objective),
                RateSchedule::Parse(out.spec.rate, out.spec.duration_ns)->Describe().c_str());
    std::fputs(AnalysisTable(out.spec, out.analysis).c_str(), stdout);
    PrintAttributions(attributions);
  }
  std::fflush(stdout);  // the table before any later stderr line
}

std::string ReportPath(const TuneFlags& f) { return f.no_report ? "" : f.report.empty() ? f.db + ".html" : f.report; }

// The checks a run makes of --db (without creating it): a directory, a
// file that is not a study database, a folder that does not exist.
Status CheckDb(const std::string& db) {
  std::error_code ec;
  if (std::filesystem::is_directory(db, ec)) return Status::IoError(db + ": is a directory, not a study database");
  if (std::filesystem::file_size(db, ec) > 0 && !ec) return StudyStore::OpenExisting(db).status();
  if (std::filesystem::exists(db, ec)) return Status::Ok();  // empty: becomes one
  if (const std::string why = WhyUnwritable(db); !why.empty()) return Status::IoError("--db " + db + ": " + why);
  return Status::Ok();
}

// --db, --report and --work-dir checked before hours of runs (and by
// --dry-run, so it refuses what the run would); the exit status on failure.
std::optional<int> CheckOutputs(const TuneFlags& f) {
  if (Status st = CheckDb(f.db); !st.ok()) {
    std::fprintf(stderr, "gcpilot tune: %s\n", st.message().c_str());
    return kExitError;
  }
  // A path that cannot be written is exit 1, as report -o's (the flag is well formed).
  const auto refuse = [](const std::string& why) {
    std::fprintf(stderr, "gcpilot tune: %s\n", why.c_str());
    return kExitError;
  };
  const std::string report = ReportPath(f);
  if (!report.empty() && SameFile(report, f.db)) {
    return Usage(fmt::format("--report {}: is the study database (--db): the page would replace the study", report));
  }
  if (const std::string why = report.empty() ? "" : WhyUnwritable(report); !why.empty()) {
    return refuse(fmt::format("--report {}: {}", report, why));
  }
  std::error_code ec;
  if (!f.work_dir.empty() && std::filesystem::exists(f.work_dir, ec) &&
      !std::filesystem::is_directory(f.work_dir, ec)) {
    return refuse(fmt::format("--work-dir {}: is not a directory (the targets' output goes into it)", f.work_dir));
  }
  return std::nullopt;
}

// A flag the chosen study would silently ignore, as a usage message.
std::string IgnoredFlag(const TuneFlags& f) {
  const SpecOverrides& o = f.overrides;
  if (f.resume && f.dry_run) return "--dry-run plans a new study and --resume continues a stored one: give one of them";
  if (f.resume) {
    const std::pair<bool, const char*> changes[] = {{!f.spec_path.empty(), "--spec"},
                                                    {!f.command.empty(), "a command"},
                                                    {!f.ready.empty(), "--ready"},
                                                    {!o.url.empty(), "--url"},
                                                    {!o.requests.empty(), "--requests"},
                                                    {!o.rate.empty(), "--rate"},
                                                    {!o.duration.empty(), "--duration"},
                                                    {!o.warmup.empty(), "--warmup"},
                                                    {!o.min_gc_periods.empty(), "--min-gc-periods"},
                                                    {!o.max_duration.empty(), "--max-duration"},
                                                    {!o.heap_horizon.empty(), "--heap-horizon"},
                                                    {!o.trace_seconds.empty(), "--trace-seconds"},
                                                    {!o.design.empty(), "--design"},
                                                    {o.repeats > 0, "--repeats"},
                                                    {o.refine, "--refine"},
                                                    {!o.factors.empty(), "--factor"},
                                                    {!f.live_mb.empty(), "--live-mb"},
                                                    {!f.paygate.empty(), "--paygate"}};
    for (const auto& [given, flag] : changes) {
      if (given) return fmt::format("--resume runs the stored study as it was planned; {} cannot change it", flag);
    }
    return "";
  }
  const bool builtin = f.spec_path.empty() && f.command.empty();
  const char* other = !f.spec_path.empty() ? "--spec" : "a command after --";
  if (!builtin && !f.live_mb.empty()) return fmt::format("--live-mb is for the built-in study; {} has its own", other);
  if (!builtin && !f.paygate.empty())
    return fmt::format("--paygate is for the built-in study; {} names its own target", other);
  if (f.command.empty() && !f.ready.empty())
    return "--ready is for a command after --: give the service's argv after --";
  if (builtin && !o.url.empty())
    return "--url is for a command after -- or --spec: the built-in study loads its own gateway";
  return "";
}

int Run(TuneFlags& f) {
  if (const std::string why = IgnoredFlag(f); !why.empty()) return Usage(why);
  StudySpec spec;
  if (!f.resume) {
    auto s = SpecFromFlags(f);
    if (!s.ok()) {
      // An input file that is missing, unreadable or wrong is an input
      // error (1) naming its place, as in every verb; a flag's is usage (2).
      const std::string why = s.status().message();
      if (s.status().code() == StatusCode::kInvalidArgument) return Usage(why);
      std::fprintf(stderr, "gcpilot tune: %s\n", why.c_str());
      return kExitError;
    }
    spec = std::move(*s);
    std::vector<int> levels;
    for (const Factor& fac : spec.factors) levels.push_back(static_cast<int>(fac.levels.size()));
    auto design = MakeDesign(spec.design, levels);
    if (!design.ok()) {
      // A spec file's [design] and [[factor]]s that do not fit are an
      // input error; --design's or --factor's, a usage error.
      if (f.spec_path.empty() || !f.overrides.design.empty() || !f.overrides.factors.empty()) {
        return Usage("design: " + design.status().message());
      }
      std::fprintf(stderr, "gcpilot tune: %s: design: %s\n", f.spec_path.c_str(), design.status().message().c_str());
      return kExitError;
    }
    if (const auto rc = CheckOutputs(f)) return *rc;
    if (f.dry_run) return PrintPlan(spec, *design);
    for (const std::string& note : StudyNotes(spec, *design)) std::fprintf(stderr, "tune: note: %s\n", note.c_str());
    KeepInheritedGoKnobs(&spec);  // stored with the study, so --resume runs them too
  } else if (const auto rc = CheckOutputs(f)) {
    return *rc;
  }
  const std::string report = ReportPath(f);
  auto store = f.resume ? StudyStore::OpenExisting(f.db) : StudyStore::Open(f.db);
  if (!store.ok()) {
    std::fprintf(stderr, "gcpilot tune: %s\n", store.status().message().c_str());
    return kExitError;
  }
  Progress progress;
  const StudyEvents ev = ProgressEvents(f, progress, spec.min_gc_periods);
  // Ctrl-C or SIGTERM: finished runs are already stored; say how to go on.
  SayOnInterrupt(
      fmt::format("\ngcpilot tune: interrupted; every finished run is stored: continue with "
                  "gcpilot tune --resume --db {}\n",
                  f.db));
  auto out = RunStudy(*store, spec, f.resume, !f.work_dir.empty() ? f.work_dir : f.db + ".runs", ev);
  progress.Done();
  if (!out.ok()) {
    std::fprintf(stderr, "gcpilot tune: %s\n", out.status().message().c_str());
    return kExitError;
  }
  PrintOutcome(f, *out, *store);
  if (!report.empty() && out->analysis.pending == 0) {
    if (WriteStudyReport(f.db, out->id, report) != kExitOk) return kExitError;
    if (!f.quiet) std::fprintf(stderr, "tune: report written to %s\n", report.c_str());
  }
  return out->analysis.rec.found ? kExitOk : kExitError;
}

}  // namespace

Verb AddTuneVerb(CLI::App& app) {
  auto f = std::make_shared<TuneFlags>();
  CLI::App* cmd =
      app.add_subcommand("tune",
                         "Run designed GC experiments (GOGC, GOMEMLIMIT, GOMAXPROCS, env switches) against a live "
                         "service and recommend a setting with its evidence");
  cmd->add_option("--spec", f->spec_path, "study spec (TOML); default: the built-in paygate study");
  cmd->add_option("--db", f->db, "SQLite file that stores the study")->capture_default_str();
  cmd->add_flag("--resume", f->resume, "continue the newest unfinished study in --db");
  cmd->add_option("--work-dir", f->work_dir, "where targets' output goes (default: DB.runs/)");
  cmd->add_flag("--json", f->json, "print the analysis as JSON");
  cmd->add_flag("--dry-run", f->dry_run, "print the plan and exit");
  cmd->add_flag("-q,--quiet", f->quiet, "no progress");
  cmd->add_option("--rate", f->overrides.rate, "override the load rate schedule (see gcpilot load)");
  cmd->add_option("--duration", f->overrides.duration, "override the measured time per run");
  cmd->add_option("--warmup", f->overrides.warmup, "override the warm-up per run");
  cmd->add_option("--min-gc-periods", f->overrides.min_gc_periods,
                  "measure each run over at least N whole GC periods after the warm-up (0: a fixed window of "
                  "--duration; default 3)");
  cmd->add_option("--max-duration", f->overrides.max_duration,
                  "the most load a run gets after the warm-up while it waits for those periods (default 180s; "
                  ">= --duration)");
  cmd->add_option("--heap-horizon", f->overrides.heap_horizon,
                  "how far ahead the live heap's trend is extrapolated against GOMEMLIMIT (default 1h)");
  cmd->add_option("--trace-seconds", f->overrides.trace_seconds,
                  "capture an N-second execution trace from the target's /debug/pprof/trace in each run's measured "
                  "window, summarized into the study and the report (0: none, the default; at most --duration)");
  cmd->add_option("--design", f->overrides.design, "auto, full, L4, L8, L9, L16, L18, L27");
  cmd->add_option("--repeats", f->overrides.repeats, "runs per setting")->check(CLI::Range(1, 100));
  cmd->add_flag("--refine", f->overrides.refine,
                "after the design, try midpoints of numeric knobs around the best setting");
  // One value per --factor, so "--factor GOGC=50,100 -- ./svc -flag" leaves
  // the service's argv to the command.
  cmd->add_option("--factor", f->overrides.factors, "NAME=level,level,... (repeatable; replaces the spec's factors)")
      ->allow_extra_args(false);
  cmd->add_option("--ready", f->ready, "with a command: readiness URL, {port} allowed");
  cmd->add_option("--url", f->overrides.url, "load URL ({port} allowed)");
  cmd->add_option("--requests", f->overrides.requests, "request mix TOML (see gcpilot load)");
  cmd->add_option("--live-mb", f->live_mb, "built-in study: the gateway's -live-mb (default 32)");
  cmd->add_option("--paygate", f->paygate,
                  "built-in study: the gateway binary (default: $GCPILOT_PAYGATE, else BUILD/paygate or "
                  "PREFIX/libexec/gcpilot/paygate beside gcpilot)");
  cmd->add_option("--report", f->report, "where to write the HTML report (default: DB.html)");
  cmd->add_flag("--no-report", f->no_report, "do not write the HTML report");
  cmd->add_option("command", f->command, "the service's argv after --; {port} is a free port per run");
  cmd->footer(
      "Examples:\n"
      "  gcpilot tune                                  # the bundled payment gateway, ~10 min\n"
      "  gcpilot tune --spec study.toml --db study.db\n"
      "  gcpilot tune --resume --db study.db          # after an interruption\n"
      "  gcpilot tune --trace-seconds 2               # and an execution trace in every run\n"
      "  gcpilot tune --ready http://127.0.0.1:{port}/healthz --factor GOGC=50,100,200 \\\n"
      "      -- ./myservice --listen 127.0.0.1:{port}\n"
      "Exit status: 0 with a recommendation, 1 none, an input file (--spec, --requests, --db) missing,\n"
      "unreadable or wrong, an unwritable --report, or a runtime error, 2 usage error.");
  return {cmd, [f] { return Run(*f); }};
}

}  // namespace gcpilot::cli
