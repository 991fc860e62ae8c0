// `gcpilot tune`: designed GC experiments against a live service, with a
// recommendation and its evidence. No arguments: the bundled gateway.
#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/progress.h"
#include "cli/verbs.h"
#include "loadgen/schedule.h"
#include "store/study_store.h"
#include "analysis/analysis_text.h"
#include "tune/study.h"

namespace gcpilot::cli {
namespace {

struct TuneFlags {
  std::string spec_path, db = "gcpilot-study.db", work_dir;
  bool resume = false, json = false, dry_run = false, quiet = false;
  std::string rate, duration, warmup, design, ready, url, requests;
  int repeats = 0;
  std::vector<std::string> factors;
  std::vector<std::string> command;
  std::string live_mb;
  std::string report;  // HTML report path; "" = DB.html
  bool no_report = false;
  bool refine = false;
};

int Usage(const std::string& msg) {
  std::fprintf(stderr, "gcpilot tune: %s\nRun 'gcpilot tune --help' for usage.\n", msg.c_str());
  return kExitUsage;
}

// Where the bundled gateway and the checkout are: gcpilot lives in
// build/src/cli/, the gateway in build/.
std::string SelfDir() {
  std::error_code ec;
  return std::filesystem::read_symlink("/proc/self/exe", ec).parent_path().string();
}

int Run(TuneFlags& f) {
  StudySpec spec;
  if (!f.resume) {
    if (!f.spec_path.empty()) {
      if (!f.command.empty()) return Usage("give --spec or a command after --, not both");
      auto s = LoadStudySpec(f.spec_path);
      if (!s.ok()) {
        std::fprintf(stderr, "gcpilot tune: %s\n", s.status().message().c_str());
        return kExitUsage;
      }
      spec = std::move(*s);
    } else if (!f.command.empty()) {
      if (f.ready.empty()) return Usage("a command needs --ready URL (answers 200 when the service is up)");
      spec.source = "command line";
      spec.command = f.command;
      spec.ready_url = f.ready;
      spec.load_url = f.url.empty() ? f.ready : f.url;
      RequestKindSpec k;
      const size_t slash = spec.load_url.find('/', 7);
      k.path = slash == std::string::npos ? "/" : spec.load_url.substr(slash);
      spec.kinds = {k};
      spec.factors = {{"GOGC", {"50", "100", "400"}, "100"},
                      {"GOMEMLIMIT", {"off", "1GiB"}, "off"}};
      SplitCpus(&spec);
    } else {
      const std::string self = SelfDir();
      int live_mb = 256;
      if (!f.live_mb.empty()) {
        const auto [p, ec] = std::from_chars(f.live_mb.data(), f.live_mb.data() + f.live_mb.size(), live_mb);
        if (ec != std::errc() || p != f.live_mb.data() + f.live_mb.size() || live_mb < 1 || live_mb > 65536) {
          return Usage(fmt::format("--live-mb: \"{}\" is not a whole number of MiB in 1..65536 (the request mix "
                                   "reads the gateway's order history)", f.live_mb));
        }
      }
      spec = BuiltinPaygateSpec(self + "/../../paygate", GCPILOT_SOURCE_DIR, live_mb);
    }
    if (!f.requests.empty()) {
      auto kinds = LoadRequestKinds(f.requests);
      if (!kinds.ok()) {
        std::fprintf(stderr, "gcpilot tune: %s\n", kinds.status().message().c_str());
        return kExitUsage;
      }
      spec.kinds = *kinds;
    }
    if (!f.url.empty() && spec.source != "command line") spec.load_url = f.url;
    if (!f.rate.empty()) spec.rate = f.rate;
    if (!f.duration.empty()) {
      auto d = ParseDurationNs(f.duration);
      if (!d.ok()) return Usage("--duration: " + d.status().message());
      spec.duration_ns = *d;
    }
    if (!f.warmup.empty()) {
      auto d = ParseOptionalDurationNs(f.warmup);
      if (!d.ok()) return Usage("--warmup: " + d.status().message());
      spec.warmup_ns = *d;
    }
    if (!f.design.empty()) spec.design = f.design;
    if (f.repeats > 0) spec.repeats = f.repeats;
    if (f.refine) spec.refine = true;
    if (!f.factors.empty()) {
      spec.factors.clear();
      for (const std::string& text : f.factors) {
        const size_t eq = text.find('=');
        if (eq == std::string::npos || eq == 0) {
          return Usage(fmt::format("--factor \"{}\": want NAME=level,level,... (e.g. GOGC=50,100,400)", text));
        }
        Factor fac;
        fac.name = text.substr(0, eq);
        std::string rest = text.substr(eq + 1);
        for (size_t at = 0;;) {
          const size_t comma = rest.find(',', at);
          fac.levels.push_back(rest.substr(at, comma - at));
          if (comma == std::string::npos) break;
          at = comma + 1;
        }
        if (fac.name == "GOGC") fac.baseline = "100";
        if (fac.name == "GOMEMLIMIT") fac.baseline = "off";
        spec.factors.push_back(fac);
      }
    }
    if (Status st = ValidateStudySpec(spec); !st.ok()) return Usage(st.message());
    std::vector<int> levels;
    for (const Factor& fac : spec.factors) levels.push_back(static_cast<int>(fac.levels.size()));
    auto design = MakeDesign(spec.design, levels);
    if (!design.ok()) return Usage("design: " + design.status().message());
    if (f.dry_run) {
      const auto plan = PlanStudy(spec, *design);
      const double per_run = (spec.warmup_ns + spec.duration_ns) / 1e9 + 3;
      std::printf("study of %s: %s design, %zu settings x %d repeats + the default setting = %zu runs "
                  "(~%.0f min, plus confirmation and verification runs)\n",
                  spec.source.c_str(), design->name.c_str(), design->cells.size(), spec.repeats, plan.size(),
                  plan.size() * per_run / 60);
      for (const RunResult& r : plan) {
        std::printf("  run %2d  %-8s %s\n", r.seq + 1, RunPhaseName(r.phase), DescribeEnv(r.env).c_str());
      }
      return kExitOk;
    }
  }
  auto store = f.resume ? StudyStore::OpenExisting(f.db) : StudyStore::Open(f.db);
  if (!store.ok()) {
    std::fprintf(stderr, "gcpilot tune: %s\n", store.status().message().c_str());
    return kExitError;
  }
  const std::string work = !f.work_dir.empty() ? f.work_dir : f.db + ".runs";
  Progress progress;
  StudyEvents ev;
  ev.status = [&](const std::string& s) {
    if (f.quiet) return;
    if (progress.enabled()) {
      progress.Update("tune: " + s);
    }
  };
  ev.run_finished = [&](const RunResult& r) {
    if (f.quiet) return;
    progress.Done();
    const std::string env = DescribeEnv(r.env);
    const RunMetrics& m = r.metrics;
    if (r.done()) {
      std::fprintf(stderr, "tune: run %d %s: p99 %.3f ms, %.0f/s, peak RSS %s, %lld GC cycles\n", r.seq + 1,
                   env.c_str(), m.p99_ns / 1e6, m.achieved_rps, FormatBytes(m.peak_rss_bytes).c_str(),
                   static_cast<long long>(m.gc_cycles));
    } else {
      std::fprintf(stderr, "tune: run %d %s: FAILED: %s\n", r.seq + 1, env.c_str(), r.reason.c_str());
    }
  };
  // Ctrl-C or SIGTERM: finished runs are already stored; say how to go on.
  static char interrupted_note[512];
  std::snprintf(interrupted_note, sizeof interrupted_note,
                "\ngcpilot tune: interrupted; every finished run is stored: continue with "
                "gcpilot tune --resume --db %s\n",
                f.db.c_str());
  struct sigaction on_stop {};
  on_stop.sa_handler = [](int sig) {
    (void)!write(STDERR_FILENO, interrupted_note, std::strlen(interrupted_note));
    signal(sig, SIG_DFL);
    raise(sig);
  };
  sigemptyset(&on_stop.sa_mask);
  sigaction(SIGINT, &on_stop, nullptr);
  sigaction(SIGTERM, &on_stop, nullptr);
  auto out = RunStudy(*store, spec, f.resume, work, ev);
  progress.Done();
  if (!out.ok()) {
    std::fprintf(stderr, "gcpilot tune: %s\n", out.status().message().c_str());
    return out.status().code() == StatusCode::kNotFound ? kExitError : kExitError;
  }
  if (f.json) {
    nlohmann::ordered_json j;
    j["study"] = out->id;
    j["database"] = f.db;
    j["source"] = out->spec.source;
    j["design"] = out->design;
    j["analysis"] = AnalysisJson(out->analysis);
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("study %lld in %s: %s, %s design, %d repeats, objective %s at %s\n\n",
                static_cast<long long>(out->id), f.db.c_str(), out->spec.source.c_str(), out->design.c_str(),
                out->spec.repeats, ObjectiveKey(out->spec.objective),
                RateSchedule::Parse(out->spec.rate, out->spec.duration_ns)->Describe().c_str());
    std::fputs(AnalysisTable(out->spec, out->analysis).c_str(), stdout);
  }
  std::fflush(stdout);  // the table before any later stderr line
  if (!f.no_report && out->analysis.pending == 0) {
    const std::string path = f.report.empty() ? f.db + ".html" : f.report;
    if (WriteStudyReport(f.db, out->id, path) == kExitOk && !f.quiet) {
      std::fprintf(stderr, "tune: report written to %s\n", path.c_str());
    }
  }
  return out->analysis.rec.found ? kExitOk : kExitError;
}

}  // namespace

Verb AddTuneVerb(CLI::App& app) {
  auto f = std::make_shared<TuneFlags>();
  CLI::App* cmd = app.add_subcommand(
      "tune",
      "Run designed GC experiments (GOGC, GOMEMLIMIT, GOMAXPROCS, env switches) against a live "
      "service and recommend a setting with its evidence");
  cmd->add_option("--spec", f->spec_path, "study spec (TOML); default: the built-in paygate study");
  cmd->add_option("--db", f->db, "SQLite file that stores the study")->capture_default_str();
  cmd->add_flag("--resume", f->resume, "continue the newest unfinished study in --db");
  cmd->add_option("--work-dir", f->work_dir, "where targets' output goes (default: DB.runs/)");
  cmd->add_flag("--json", f->json, "print the analysis as JSON");
  cmd->add_flag("--dry-run", f->dry_run, "print the plan and exit");
  cmd->add_flag("-q,--quiet", f->quiet, "no progress");
  cmd->add_option("--rate", f->rate, "override the load rate schedule (see gcpilot load)");
  cmd->add_option("--duration", f->duration, "override the measured time per run");
  cmd->add_option("--warmup", f->warmup, "override the warm-up per run");
  cmd->add_option("--design", f->design, "auto, full, L4, L8, L9, L16, L18, L27");
  cmd->add_option("--repeats", f->repeats, "runs per setting")->check(CLI::Range(1, 100));
  cmd->add_flag("--refine", f->refine, "after the design, try midpoints of numeric knobs around the best setting");
  cmd->add_option("--factor", f->factors, "NAME=level,level,... (repeatable; replaces the spec's factors)");
  cmd->add_option("--ready", f->ready, "with a command: readiness URL, {port} allowed");
  cmd->add_option("--url", f->url, "load URL ({port} allowed)");
  cmd->add_option("--requests", f->requests, "request mix TOML (see gcpilot load)");
  cmd->add_option("--live-mb", f->live_mb, "built-in study: the gateway's -live-mb");
  cmd->add_option("--report", f->report, "where to write the HTML report (default: DB.html)");
  cmd->add_flag("--no-report", f->no_report, "do not write the HTML report");
  cmd->add_option("command", f->command, "the service's argv after --; {port} is a free port per run");
  cmd->footer(
      "Examples:\n"
      "  gcpilot tune                                  # the bundled payment gateway, ~7 min\n"
      "  gcpilot tune --spec study.toml --db study.db\n"
      "  gcpilot tune --resume --db study.db          # after an interruption\n"
      "  gcpilot tune --ready http://127.0.0.1:{port}/healthz --factor GOGC=50,100,200 \\\n"
      "      -- ./myservice --listen 127.0.0.1:{port}\n"
      "Exit status: 0 with a recommendation, 1 none (or a runtime error), 2 usage error.");
  return {cmd, [f] { return Run(*f); }};
}

}  // namespace gcpilot::cli
