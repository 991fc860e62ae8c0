#include "tune/trial.h"

#include <sched.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "base/file_util.h"
#include "base/free_port.h"
#include "base/read_file.h"
#include "gclog/gctrace_analysis.h"
#include "gclog/gctrace_overrun.h"
#include "gclog/gctrace_parser.h"
#include "loadgen/engine.h"
#include "model/gc_cpu.h"
#include "net/http_get.h"
#include "runner/process.h"

namespace gcpilot {
namespace {

using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC: the load clock

int64_t UnixNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t MonotonicNs(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

std::string WithPort(std::string s, int port) {
  for (size_t at; (at = s.find("{port}")) != std::string::npos;) s.replace(at, 6, std::to_string(port));
  return s;
}

// Pins the calling thread to `cpus` for its lifetime, then restores.
class PinThread {
 public:
  explicit PinThread(const std::vector<int>& cpus) {
    if (cpus.empty()) return;
    sched_getaffinity(0, sizeof old_, &old_);
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int c : cpus) CPU_SET(c, &set);
    pinned_ = sched_setaffinity(0, sizeof set, &set) == 0;
  }
  ~PinThread() {
    if (pinned_) sched_setaffinity(0, sizeof old_, &old_);
  }

 private:
  cpu_set_t old_;
  bool pinned_ = false;
};

// The target's process: argv and env with {port}, the setting's variables
// ("" unsets one), and gctrace added to any GODEBUG it has.
ProcessSpec TargetProcess(const StudySpec& spec, const RunResult& r, int port, const std::string& work_dir) {
  ProcessSpec ps;
  for (const std::string& a : spec.command) ps.argv.push_back(WithPort(a, port));
  std::string godebug;
  for (const auto& [k, v] : spec.env) {
    if (k == "GODEBUG")
      godebug = v;
    else
      ps.env.emplace_back(k, WithPort(v, port));
  }
  for (const auto& [k, v] : r.env) {
    if (k == "GODEBUG")
      godebug = v;
    else if (v.empty())
      ps.unset_env.push_back(k);
    else
      ps.env.emplace_back(k, v);
  }
  if (godebug.empty()) {
    if (const char* inherited = std::getenv("GODEBUG")) godebug = inherited;
  }
  ps.env.emplace_back("GODEBUG", godebug.empty() ? "gctrace=1" : godebug + ",gctrace=1");
  ps.cpus = spec.target_cpus;
  // Named by the run number progress and the report show ("run 1").
  ps.stderr_path = fmt::format("{}/run-{:03d}.stderr", work_dir, r.seq + 1);
  ps.stdout_path = fmt::format("{}/run-{:03d}.stdout", work_dir, r.seq + 1);
  return ps;
}

// Waits until the readiness URL answers 200. nullopt when ready; else why
// not (the target exited, or the timeout passed), with its exit filled in.
std::optional<std::string> WaitReady(const StudySpec& spec, Process& proc, const ProcessSpec& ps, int port,
                                     std::string* exit) {
  const auto spawned = Clock::now();
  auto ready = ParseLoopbackUrl(WithPort(spec.ready_url, port));
  std::string last_probe;
  while (ready.ok() && Clock::now() - spawned < std::chrono::nanoseconds(spec.ready_timeout_ns)) {
    if (auto e = proc.Poll()) {
      const std::string tail = TailLines(ps.stderr_path, 3);
      *exit = e->Describe();
      return fmt::format("exited before it was ready ({}); {}", e->Describe(),
                         tail.empty() ? "it wrote nothing to stderr" : "stderr: " + tail);
    }
    auto reply = HttpGet(*ready, std::chrono::seconds(2));
    if (reply.ok() && reply->status == 200) return std::nullopt;
    last_probe = reply.ok() ? fmt::format("status {}", reply->status) : reply.status().message();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  *exit = proc.Stop(std::chrono::seconds(5)).Describe();
  return fmt::format("not ready after {} (last probe: {})", FormatDurationNs(spec.ready_timeout_ns),
                     last_probe.empty() ? "none" : last_probe);
}

StatusOr<LoadResult> DriveLoad(const StudySpec& spec, const RunResult& r, int port, const TrialStatusFn& say) {
  LoadSpec ls;
  ls.target = *ParseLoopbackUrl(WithPort(spec.load_url, port));
  ls.kinds = spec.kinds;
  ls.schedule = *RateSchedule::Parse(spec.rate, spec.duration_ns);
  ls.warmup_ns = spec.warmup_ns;
  ls.connections = spec.connections;
  ls.max_connections = spec.max_connections;
  ls.timeout_ns = spec.timeout_ns;
  ls.seed = spec.seed * 1000003 + static_cast<uint64_t>(r.seq);
  PinThread pin(spec.load_cpus);
  return RunLoad(ls, [&](const LoadProgress& p) {
    say(fmt::format("load {:.0f}/{:.0f} s{}", p.elapsed_ns / 1e9, p.total_ns / 1e9, p.warmup ? " (warm-up)" : ""));
  });
}

// Every cycle the target logged, whatever happened: a crash's last cycles
// matter most.
void ReadCycles(const std::string& stderr_path, GcTimeline* gc, GctraceParseStats* stats) {
  // A cycle no run could have (its clock span past the next one's start)
  // is a skipped line here too, as in gcpilot gctrace.
  GctraceOverrunFilter overrun([&](const GcCycle& c) { gc->cycles.push_back(c); });
  GctraceReader reader({.source_name = stderr_path}, [&](const GcCycle& c) { overrun.Add(c); });
  (void)reader.Feed(ReadFileOrEmpty(stderr_path));
  (void)reader.Finish();  // lenient: never fails
  overrun.Finish();
  *stats = reader.stats();
  overrun.MergeInto(stats);
}

// The GC metrics of the measured window [from_ns, to_ns) on the target's clock.
void WindowGcMetrics(const GcTimeline& gc, const GctraceParseStats& stats, int64_t from_ns, int64_t to_ns,
                     RunMetrics* m) {
  GctraceAnalyzer analyzer;
  for (const GcCycle& c : gc.cycles) {
    if (c.start_ns >= from_ns && c.start_ns < to_ns) analyzer.Add(c);
  }
  const GctraceSummary s = analyzer.Summarize(stats);
  m->gc_cycles = s.cycles;
  m->gc_cpu_share = WindowGcCpuShare(gc.cycles, from_ns, to_ns);
  m->gc_wall_share = s.gc_wall_share;
  m->assist_share = s.assist_share;
  m->stw_p99_ns = s.stw_ns.p99;
  m->stw_max_ns = s.stw_ns.max;
  m->heap_live_p50_bytes = s.heap_live_mb.p50 << 20;
}

void LoadMetrics(const LoadResult& load, RunMetrics* m) {
  const PhaseStats& p = load.measured;
  m->asked_rps = p.asked_rps;
  m->achieved_rps = p.achieved_rps();
  m->responses = p.responses;
  m->errors = p.request_errors();
  m->error_rate = p.due ? static_cast<double>(m->errors) / p.due : 0;
  m->p50_ns = p.corrected.ValueAtPercentile(50);
  m->p90_ns = p.corrected.ValueAtPercentile(90);
  m->p99_ns = p.corrected.ValueAtPercentile(99);
  m->p999_ns = p.corrected.ValueAtPercentile(99.9);
  m->max_ns = p.corrected.max();
  m->mean_ns = std::llround(p.corrected.mean());
  m->p99_uncorrected_ns = p.uncorrected.ValueAtPercentile(99);
}

void Fail(TrialOutcome& out, std::string reason) {
  out.result.status = RunStatus::kFailed;
  out.result.reason = std::move(reason);
  out.result.finished_unix_ns = UnixNowNs();
}

}  // namespace

TrialOutcome RunTrial(const StudySpec& spec, RunResult run, const std::string& work_dir, const TrialStatusFn& status) {
  TrialOutcome out;
  out.result = std::move(run);
  RunResult& r = out.result;
  r.started_unix_ns = UnixNowNs();
  auto say = [&](const std::string& s) {
    if (status) status(s);
  };
  auto port = PickFreePort();
  if (!port.ok()) {
    Fail(out, port.status().message());
    return out;
  }
  const ProcessSpec ps = TargetProcess(spec, r, *port, work_dir);
  say("starting");
  const auto before_spawn = Clock::now();
  auto proc = Process::Start(ps);
  if (!proc.ok()) {
    Fail(out, proc.status().message());
    return out;
  }
  // Start returns once exec succeeded, so the runtime's clock starts at
  // `spawned` plus its start-up (well under 1 ms); exec itself happened
  // after `before_spawn`: the error bound covers both sides.
  const auto spawned = Clock::now();
  out.data.gc.load_clock_origin_ns = MonotonicNs(spawned);
  out.data.gc.origin_error_ns = MonotonicNs(spawned) - MonotonicNs(before_spawn) + 1'000'000;
  GctraceParseStats gctrace;
  if (auto not_ready = WaitReady(spec, *proc, ps, *port, &r.exit)) {
    ReadCycles(ps.stderr_path, &out.data.gc, &gctrace);
    Fail(out, *not_ready);
    return out;
  }
  say(fmt::format("ready after {:.1f} s", std::chrono::duration<double>(Clock::now() - spawned).count()));

  const auto load_start = Clock::now();
  StatusOr<LoadResult> load = DriveLoad(spec, r, *port, say);
  const auto died = proc->Poll();
  const ExitInfo exit = died ? *died : proc->Stop(std::chrono::seconds(10));
  r.exit = exit.Describe();
  r.metrics.peak_rss_bytes = exit.peak_rss_bytes;
  r.metrics.cpu_ns = exit.cpu_ns;
  r.finished_unix_ns = UnixNowNs();

  // The GC summaries cover the measured window only (cycle times count
  // from the target's start).
  ReadCycles(ps.stderr_path, &out.data.gc, &gctrace);
  const int64_t from = MonotonicNs(load_start) - MonotonicNs(spawned) + spec.warmup_ns;
  // The schedule's own length: a stepped rate measures its steps' sum.
  const int64_t measured_ns = RateSchedule::Parse(spec.rate, spec.duration_ns)->duration_ns();
  WindowGcMetrics(out.data.gc, gctrace, from, from + measured_ns, &r.metrics);
  if (!load.ok()) {
    Fail(out, "load: " + load.status().message());
    return out;
  }
  LoadMetrics(*load, &r.metrics);
  out.data.corrected = load->measured.corrected;
  out.data.uncorrected = load->measured.uncorrected;
  out.data.timeline = load->timeline;
  out.data.requests = std::move(load->requests);
  if (load->aborted) {
    Fail(out, fmt::format("the target went away during the load ({}): {}", r.exit, load->abort_reason));
  } else if (died) {
    const bool oom = died->signaled && died->signal == SIGKILL;
    Fail(out, fmt::format("exited during the load ({}{})", died->Describe(),
                          oom ? ", likely the out-of-memory killer" : ""));
  } else {
    r.status = RunStatus::kDone;
  }
  return out;
}

}  // namespace gcpilot
