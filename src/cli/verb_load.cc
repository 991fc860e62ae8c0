// `gcpilot load URL`: open-loop HTTP load with coordinated-omission-correct
// latency, against a loopback target.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/file_util.h"
#include "base/input_file.h"
#include "base/plural.h"
#include "base/read_file.h"
#include "cli/load_gctrace.h"
#include "cli/progress.h"
#include "cli/verbs.h"
#include "loadgen/engine.h"
#include "loadgen/load_report.h"

namespace gcpilot::cli {
namespace {

struct LoadFlags {
  std::string url;
  std::string rate = "1000";
  std::string duration = "30s";
  std::string warmup;
  int connections = 64;
  int max_connections = 512;
  std::string timeout = "5s";
  std::string method;
  std::vector<std::string> headers;
  std::string body, body_file, sign, requests;
  uint64_t seed = 1;
  bool json = false;
  std::string hgrm, timeline, requests_csv;
  std::string gctrace;  // the target's gctrace file, followed during the run
  bool quiet = false;
  CLI::Option* duration_opt = nullptr;
};

// The load clock (the engine's: std::chrono::steady_clock, CLOCK_MONOTONIC).
int64_t MonotonicNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int Usage(const std::string& msg) {
  std::fprintf(stderr, "gcpilot load: %s\nRun 'gcpilot load --help' for usage.\n", msg.c_str());
  return kExitUsage;
}

// Through a temporary file: a failed or stopped write leaves no half file.
bool WriteFile(const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (Status st = WriteFileAtomically(path, write); !st.ok()) {
    std::fprintf(stderr, "gcpilot load: %s\n", st.message().c_str());
    return false;
  }
  return true;
}

bool WriteFile(const std::string& path, const std::string& text) {
  return WriteFile(path, [&](std::ostream& out) { out << text; });
}

// The request kinds the flags ask for: a --requests mix or one kind from
// --method/--header/--body/--body-file/--sign. Exit status on failure.
std::optional<int> RequestKinds(const LoadFlags& f, const std::string& path, std::vector<RequestKindSpec>* kinds) {
  const bool single_flags =
      !f.method.empty() || !f.headers.empty() || !f.body.empty() || !f.body_file.empty() || !f.sign.empty();
  if (!f.requests.empty()) {
    if (single_flags) return Usage("--requests replaces --method/--header/--body/--body-file/--sign");
    auto mix = LoadRequestKinds(f.requests);
    if (!mix.ok()) {
      std::fprintf(stderr, "gcpilot load: %s\n", mix.status().message().c_str());
      return kExitError;
    }
    *kinds = std::move(*mix);
    return std::nullopt;
  }
  if (!f.body.empty() && !f.body_file.empty()) return Usage("give --body or --body-file, not both");
  RequestFlags rf{path, f.method, f.headers, f.body, f.sign};
  if (Status st = f.body_file.empty() ? Status::Ok() : ReadInputFile(f.body_file, "a request body", &rf.body);
      !st.ok()) {
    std::fprintf(stderr, "gcpilot load: --body-file %s\n", st.message().c_str());
    return kExitError;
  }
  auto kind = RequestKindFromFlags(rf);
  if (!kind.ok()) return Usage(kind.status().message());
  kinds->push_back(std::move(*kind));
  return std::nullopt;
}

// The schedule, warm-up, timeout and connections; exit status on failure.
std::optional<int> Schedule(const LoadFlags& f, LoadSpec* spec) {
  auto duration = ParseDurationNs(f.duration);
  if (!duration.ok()) return Usage("--duration: " + duration.status().message());
  auto schedule = RateSchedule::Parse(f.rate, *duration);
  if (!schedule.ok()) return Usage(schedule.status().message());
  const bool timed_segments = f.rate.find('@') != std::string::npos && f.rate.find("burst:") == std::string::npos;
  if (timed_segments && f.duration_opt->count() && schedule->duration_ns() != *duration) {
    return Usage(fmt::format("--duration {} conflicts with the {} the --rate segments add up to; give one of them",
                             f.duration, FormatDurationNs(schedule->duration_ns())));
  }
  spec->schedule = *schedule;
  if (!f.warmup.empty()) {
    auto w = ParseOptionalDurationNs(f.warmup);
    if (!w.ok()) return Usage("--warmup: " + w.status().message());
    spec->warmup_ns = *w;
  }
  auto timeout = ParseDurationNs(f.timeout);
  if (!timeout.ok()) return Usage("--timeout: " + timeout.status().message());
  spec->timeout_ns = *timeout;
  if (f.max_connections < f.connections) {
    return Usage(fmt::format("--max-connections {} is below --connections {}", f.max_connections, f.connections));
  }
  spec->connections = f.connections;
  spec->max_connections = f.max_connections;
  spec->seed = f.seed;
  // 32 bytes a request, only when asked for.
  spec->keep_requests = !f.requests_csv.empty() || !f.gctrace.empty();
  return std::nullopt;
}

// Every output file the flags name, checked before the run so a run is not
// made only to lose its results; exit status on failure (1: the flag is
// well formed, the file system refuses it, as for report -o and tune --report).
std::optional<int> CheckOutputs(const LoadFlags& f) {
  std::vector<std::pair<const char*, std::string>> outputs;
  std::error_code ec;
  if (!f.hgrm.empty() && std::filesystem::is_directory(f.hgrm, ec)) {
    std::fprintf(stderr, "gcpilot load: --hgrm %s: is a directory; give a prefix of file names such as %s/run\n",
                 f.hgrm.c_str(), f.hgrm.c_str());
    return kExitUsage;
  }
  if (!f.hgrm.empty()) {
    outputs.emplace_back("--hgrm", f.hgrm + ".corrected.hgrm");
    outputs.emplace_back("--hgrm", f.hgrm + ".uncorrected.hgrm");
  }
  if (!f.timeline.empty()) outputs.emplace_back("--timeline", f.timeline);
  if (!f.requests_csv.empty()) outputs.emplace_back("--requests-csv", f.requests_csv);
  for (size_t i = 0; i < outputs.size(); ++i) {
    const auto& [flag, path] = outputs[i];
    for (size_t j = 0; j < i; ++j) {
      if (SameFile(path, outputs[j].second)) {
        std::fprintf(stderr, "gcpilot load: %s %s: is also the file of %s: one would replace the other\n", flag,
                     path.c_str(), outputs[j].first);
        return kExitUsage;
      }
    }
    if (const std::string why = WhyUnwritable(path); !why.empty()) {
      std::fprintf(stderr, "gcpilot load: %s %s: %s\n", flag, path.c_str(), why.c_str());
      return kExitError;
    }
  }
  return std::nullopt;
}

StatusOr<LoadResult> RunWithProgress(const LoadFlags& f, LoadSpec spec, LoadGctraceJoin* join) {
  Progress progress;
  if (f.quiet) progress.Done();
  LoadProgressFn on_progress;
  if (progress.enabled() && !f.quiet) {
    on_progress = [&](const LoadProgress& p) {
      progress.Update(fmt::format("load: {:.0f}/{:.0f} s{}  {}  {}  {:.0f}/s  p99 {:.3f} ms", p.elapsed_ns / 1e9,
                                  p.total_ns / 1e9, p.warmup ? " (warm-up)" : "", CountOf(p.responses, "response"),
                                  CountOf(p.errors, "error"), p.last_second_rps, p.last_second_p99_ns / 1e6));
    };
  }
  if (join) {
    spec.stop = [join](int64_t now_ns) {
      join->Poll(now_ns);
      return false;  // followed, never a reason to stop
    };
  }
  auto result = RunLoad(spec, on_progress);
  progress.Done();
  if (join && result.ok()) join->Finish(*result, MonotonicNowNs());
  return result;
}

// The files asked for; false if one could not be written (it says so).
bool WriteOutputs(const LoadFlags& f, const LoadResult& result) {
  bool ok = true;
  if (!f.hgrm.empty()) {
    ok &= WriteFile(f.hgrm + ".corrected.hgrm", result.measured.corrected.ToHgrm(1e6));
    ok &= WriteFile(f.hgrm + ".uncorrected.hgrm", result.measured.uncorrected.ToHgrm(1e6));
  }
  if (!f.timeline.empty()) ok &= WriteFile(f.timeline, LoadTimelineCsv(result));
  if (!f.requests_csv.empty()) {
    ok &= WriteFile(f.requests_csv, [&](std::ostream& out) { WriteLoadRequestsCsv(result, out); });
  }
  return ok;
}

int Run(LoadFlags& f) {
  auto url = ParseLoopbackUrl(f.url);
  if (!url.ok()) return Usage(url.status().message());
  LoadSpec spec;
  spec.target = *url;
  if (auto rc = Schedule(f, &spec)) return *rc;
  if (auto rc = RequestKinds(f, url->path, &spec.kinds)) return *rc;
  if (auto rc = CheckOutputs(f)) return *rc;
  std::optional<LoadGctraceJoin> join;
  if (!f.gctrace.empty()) {
    join.emplace(f.gctrace);
    if (Status st = CheckInputFile(f.gctrace, "a gctrace log");
        !st.ok() || !(st = join->Begin(MonotonicNowNs())).ok()) {
      std::fprintf(stderr, "gcpilot load: --gctrace %s\n", st.message().c_str());
      return kExitError;
    }
  }
  auto result = RunWithProgress(f, spec, join ? &*join : nullptr);
  if (!result.ok()) {
    std::fprintf(stderr, "gcpilot load: %s\n", result.status().message().c_str());
    return result.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitError;
  }
  const LoadRunInfo info{url->HostHeader(), spec.connections, spec.max_connections, spec.warmup_ns, spec.timeout_ns};
  if (f.json) {
    auto j = LoadJson(*result, info);
    if (join) j["gctrace"] = join->Json();
    std::fputs((j.dump(2) + "\n").c_str(), stdout);
  } else {
    std::fputs(LoadTable(*result, info).c_str(), stdout);
    if (join) std::fputs(("\n" + join->Text()).c_str(), stdout);
  }
  std::fflush(stdout);
  const bool written = WriteOutputs(f, *result);
  if (join && join->HoldsNoGctrace()) {  // the attribution asked for cannot be made: say so and fail
    std::fprintf(stderr,
                 "gcpilot load: --gctrace %s: holds no gctrace line (is the target running with "
                 "GODEBUG=gctrace=1, its stderr going to that file?)\n",
                 f.gctrace.c_str());
    return kExitError;
  }
  // Every answer an error (none at all, all non-2xx, all malformed): the
  // run measured no working service, whatever its latency says.
  if (!result->aborted && result->measured.ok == 0 && result->measured.request_errors() > 0) {
    std::fprintf(stderr, "gcpilot load: %s: no request got a 2xx answer (%s; see errors above)\n",
                 url->HostHeader().c_str(), CountOf(result->measured.request_errors(), "error").c_str());
    return kExitError;
  }
  if (result->aborted) {
    std::fprintf(stderr, "gcpilot load: %s\n", result->abort_reason.c_str());
    return kExitError;
  }
  return written ? kExitOk : kExitError;
}

}  // namespace

Verb AddLoadVerb(CLI::App& app) {
  auto f = std::make_shared<LoadFlags>();
  CLI::App* cmd = app.add_subcommand("load",
                                     "Drive a loopback HTTP service at a fixed schedule (open loop) and report latency "
                                     "corrected for coordinated omission");
  cmd->add_option("URL", f->url, "target, http://127.0.0.1:PORT/PATH (loopback only)")->required();
  cmd->add_option("-r,--rate", f->rate,
                  "requests/s: 3000 | 1000@30s,5000@30s | 1000..8000@60s | burst:1000/8000@2s/10s | max")
      ->capture_default_str();
  f->duration_opt =
      cmd->add_option("-d,--duration", f->duration, "how long to measure (30s, 2m, ...)")->capture_default_str();
  cmd->add_option("--warmup", f->warmup, "load before measuring, at the initial rate, reported apart");
  cmd->add_option("-c,--connections", f->connections, "connections opened before the start")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--max-connections", f->max_connections,
                  "most connections, opened while requests queue behind a slow server")
      ->capture_default_str()
      ->check(CLI::Range(1, 20000));
  cmd->add_option("--timeout", f->timeout, "a request unanswered this long after it was due is an error")
      ->capture_default_str();
  cmd->add_option("-m,--method", f->method, "HTTP method (default GET, or POST with a body)");
  cmd->add_option("-H,--header", f->headers, "request header \"Name: value\" (repeatable)")->allow_extra_args(false);
  cmd->add_option("--body", f->body, "request body; {seq}, {rand}, {rand:N} are substituted");
  cmd->add_option("--body-file", f->body_file, "request body from a file");
  cmd->add_option("--sign", f->sign, "HEADER:KEY: put hex HMAC-SHA256(KEY, body) in HEADER");
  cmd->add_option("--requests", f->requests, "TOML file of weighted request kinds ([[request]] tables)");
  cmd->add_option("--seed", f->seed, "random seed for kind picks and {rand}")->capture_default_str();
  cmd->add_flag("--json", f->json, "print the result as JSON instead of a table");
  cmd->add_option("--hgrm", f->hgrm, "write PREFIX.corrected.hgrm and PREFIX.uncorrected.hgrm");
  cmd->add_option("--timeline", f->timeline, "write the per-second timeline as CSV to this file");
  cmd->add_option("--requests-csv", f->requests_csv,
                  "write one CSV row per measured request to this file (due/sent/done in ns from the "
                  "start of the measured phase)");
  cmd->add_option("--gctrace", f->gctrace,
                  "the target's GODEBUG=gctrace=1 output (the file its stderr goes to), followed during the run: "
                  "each measured request is joined to the GC phase it fell due in");
  cmd->add_flag("-q,--quiet", f->quiet, "no progress line");
  cmd->footer(
      "Latency is measured from when each request was due (corrected) and from when it was "
      "sent (uncorrected).\nExit status: 0 done, 1 target unreachable or died or no request got a 2xx answer, "
      "an input file unreadable or an output file unwritable, 2 usage error.");
  return {cmd, [f] { return Run(*f); }};
}

}  // namespace gcpilot::cli
