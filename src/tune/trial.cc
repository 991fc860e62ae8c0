#include "tune/trial.h"

#include <sched.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "attribution/clock_alignment.h"
#include "attribution/period_window.h"
#include "attribution/window_latency.h"
#include "base/file_util.h"
#include "base/free_port.h"
#include "gclog/gctrace_analysis.h"
#include "gclog/gctrace_overrun.h"
#include "loadgen/engine.h"
#include "model/gc_cpu.h"
#include "net/http_get.h"
#include "runner/process.h"
#include "tune/period_stop.h"
#include "tune/trace_capture.h"
#include "tune/trace_summary_link.h"
#include "tune/trial_attribution.h"

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

// "load 3/13 s (warm-up)" for a fixed window; over whole GC periods,
// whose end is not known ahead, "load 23 s, 2/3 GC periods, ~9 s left".
std::string LoadStatus(const LoadProgress& p, const GcPeriodStop* periods) {
  if (!periods) {
    return fmt::format("load {:.0f}/{:.0f} s{}", p.elapsed_ns / 1e9, p.total_ns / 1e9, p.warmup ? " (warm-up)" : "");
  }
  if (p.warmup) return fmt::format("load {:.0f} s (warm-up)", p.elapsed_ns / 1e9);
  return fmt::format("load {:.0f} s, {}", p.elapsed_ns / 1e9, periods->Status(MonotonicNs(Clock::now())));
}

// The load: the schedule over the duration (a fixed window), or over
// max_duration with `periods` ending it once the window is complete. The
// trace capture, if any, starts with the measured window.
StatusOr<LoadResult> DriveLoad(const StudySpec& spec, const RunResult& r, int port, GcPeriodStop* periods,
                               TraceCapture* trace, const TrialStatusFn& say) {
  LoadSpec ls;
  ls.target = *ParseLoopbackUrl(WithPort(spec.load_url, port));
  ls.kinds = spec.kinds;
  ls.schedule = *RateSchedule::Parse(spec.rate, periods ? spec.max_duration_ns : spec.duration_ns);
  if (periods || trace) {
    ls.measured_start = [periods, trace](int64_t t) {
      if (periods) periods->Start(t);
      if (trace) trace->Start(t);
    };
  }
  if (periods) ls.stop = [periods](int64_t now) { return periods->Poll(now); };
  ls.warmup_ns = spec.warmup_ns;
  ls.connections = spec.connections;
  ls.max_connections = spec.max_connections;
  ls.timeout_ns = spec.timeout_ns;
  ls.seed = spec.seed * 1000003 + static_cast<uint64_t>(r.seq);
  PinThread pin(spec.load_cpus);
  return RunLoad(ls, [&](const LoadProgress& p) { say(LoadStatus(p, periods)); });
}

// DriveLoad, with the execution trace the spec asks for ([trace] seconds)
// captured in the measured window and summarized into `data` (or the note
// why not) before returning: before the target stops, as the trace may
// still be arriving.
StatusOr<LoadResult> DriveLoadTraced(const StudySpec& spec, const RunResult& r, int port, GcPeriodStop* periods,
                                     RunData* data, const TrialStatusFn& say) {
  if (spec.trace_seconds <= 0) return DriveLoad(spec, r, port, periods, nullptr, say);
  TraceCapture trace(TraceUrl(*ParseLoopbackUrl(WithPort(spec.load_url, port)), spec.trace_seconds), spec.trace_seconds,
                     SummarizeCapturedTrace);
  StatusOr<LoadResult> load = DriveLoad(spec, r, port, periods, &trace, say);
  say("reading the execution trace");
  trace.Finish(data);
  return load;
}

// Every cycle the target logged, whatever happened: a crash's last cycles
// matter most. A cycle no run could have (its clock span past the next
// one's start) is a skipped line here too, as in gcpilot gctrace.
void ReadCycles(const std::string& stderr_path, GcTimeline* gc, GctraceParseStats* stats) {
  ReadGctraceCycles(stderr_path, &gc->cycles, stats);
}

// The measured window of a load that ended: whole GC periods when `live`
// saw them complete; otherwise the measured phase (the fixed window, or
// the whole bound), its whole periods counted over every stored cycle.
MeasuredWindow MeasuredWindowOf(const StudySpec& spec, const LoadResult& load, const GcTimeline& gc,
                                const GcPeriodStop* live) {
  const int64_t end = load.measured_start_ns + load.measured.duration_ns;
  if (live) {
    if (MeasuredWindow w = live->Window(end); w.whole_periods) return w;
  }
  PeriodWatch count(load.measured_start_ns, 0, 0);
  for (const GcCycle& c : gc.cycles) count.AddCycleStart(gc.ToLoadClock(c.start_ns));
  MeasuredWindow w = count.Window(end);
  w.min_periods = spec.min_gc_periods;
  return w;
}

// The most heap at mark termination of the cycles started in [from, to)
// (process clock).
int64_t HeapPeakBytes(const GcTimeline& gc, int64_t from_ns, int64_t to_ns) {
  int64_t peak = 0;
  for (const GcCycle& c : gc.cycles) {
    if (c.start_ns >= from_ns && c.start_ns < to_ns) peak = std::max(peak, c.heap_end_bytes);
  }
  return peak;
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

// The load figures of the requests due in the window; the rate is the
// window's answers over its length.
void LoadMetrics(const WindowLatency& wl, const MeasuredWindow& w, double asked_rps, RunMetrics* m) {
  m->asked_rps = asked_rps;
  m->achieved_rps = w.length_ns() > 0 ? wl.responses / (w.length_ns() / 1e9) : 0;
  m->responses = wl.responses;
  m->errors = wl.errors;
  m->error_rate = wl.due ? static_cast<double>(wl.errors) / wl.due : 0;
  m->p50_ns = wl.corrected.ValueAtPercentile(50);
  m->p90_ns = wl.corrected.ValueAtPercentile(90);
  m->p99_ns = wl.corrected.ValueAtPercentile(99);
  m->p999_ns = wl.corrected.ValueAtPercentile(99.9);
  m->max_ns = wl.corrected.max();
  m->mean_ns = std::llround(wl.corrected.mean());
  m->p99_uncorrected_ns = wl.uncorrected.ValueAtPercentile(99);
}

// Every figure of a finished load over its measured window `w`: latency
// and counts from the request log, the GC's from the cycles started in it
// (moved to the process clock), and the window itself. The histograms kept
// with the run are the window's.
void WindowMetrics(const MeasuredWindow& w, const LoadResult& load, const GctraceParseStats& gctrace,
                   TrialOutcome* out) {
  RunMetrics& m = out->result.metrics;
  WindowLatency wl = MeasureWindowLatency(load.requests, w.from_ns, w.to_ns);
  LoadMetrics(wl, w, load.measured.asked_rps, &m);
  const GcTimeline& gc = out->data.gc;
  const int64_t from = w.from_ns - gc.load_clock_origin_ns, to = w.to_ns - gc.load_clock_origin_ns;
  WindowGcMetrics(gc, gctrace, from, to, &m);
  m.heap_peak_bytes = HeapPeakBytes(gc, from, to);
  m.window_ns = w.length_ns();
  m.gc_periods = w.periods;
  m.whole_periods = w.whole_periods;
  out->data.corrected = std::move(wl.corrected);
  out->data.uncorrected = std::move(wl.uncorrected);
}

void Fail(TrialOutcome& out, std::string reason) {
  out.result.status = RunStatus::kFailed;
  out.result.reason = std::move(reason);
  out.result.finished_unix_ns = UnixNowNs();
}

// Done, unless the target went away or exited during the load.
void Judge(const LoadResult& load, const std::optional<ExitInfo>& died, TrialOutcome& out) {
  if (load.aborted) {
    Fail(out, fmt::format("the target went away during the load ({}): {}", out.result.exit, load.abort_reason));
  } else if (died) {
    const bool oom = died->signaled && died->signal == SIGKILL;
    Fail(out, fmt::format("exited during the load ({}{})", died->Describe(),
                          oom ? ", likely the out-of-memory killer" : ""));
  } else {
    out.result.status = RunStatus::kDone;
  }
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
  // after `before_spawn`: the error bound covers both sides, and the
  // rounding of gctrace's own times (kGctraceRoundingNs). A command that
  // wraps the Go program (a shell, a container runner) starts its runtime
  // later than this: the bound assumes argv[0] is the Go program.
  const auto spawned = Clock::now();
  out.data.gc.load_clock_origin_ns = MonotonicNs(spawned);
  out.data.gc.origin_error_ns = MonotonicNs(spawned) - MonotonicNs(before_spawn) + 1'000'000 + kGctraceRoundingNs;
  GctraceParseStats gctrace;
  if (auto not_ready = WaitReady(spec, *proc, ps, *port, &r.exit)) {
    ReadCycles(ps.stderr_path, &out.data.gc, &gctrace);
    Fail(out, *not_ready);
    return out;
  }
  say(fmt::format("ready after {:.1f} s", std::chrono::duration<double>(Clock::now() - spawned).count()));

  const auto load_start = Clock::now();
  std::optional<GcPeriodStop> periods;
  if (UsesPeriodWindow(spec)) {
    periods.emplace(ps.stderr_path, out.data.gc.load_clock_origin_ns, spec.duration_ns, spec.max_duration_ns,
                    spec.min_gc_periods);
  }
  StatusOr<LoadResult> load = DriveLoadTraced(spec, r, *port, periods ? &*periods : nullptr, &out.data, say);
  const auto died = proc->Poll();
  const ExitInfo exit = died ? *died : proc->Stop(std::chrono::seconds(10));
  r.exit = exit.Describe();
  r.metrics.peak_rss_bytes = exit.peak_rss_bytes;
  r.metrics.cpu_ns = exit.cpu_ns;
  r.finished_unix_ns = UnixNowNs();

  ReadCycles(ps.stderr_path, &out.data.gc, &gctrace);
  if (!load.ok()) {
    // No measured phase: the GC over where it would have been (cycle
    // times count from the target's start).
    const int64_t from = MonotonicNs(load_start) - MonotonicNs(spawned) + spec.warmup_ns;
    WindowGcMetrics(out.data.gc, gctrace, from, from + spec.duration_ns, &r.metrics);
    Fail(out, "load: " + load.status().message());
    return out;
  }
  const MeasuredWindow window = MeasuredWindowOf(spec, *load, out.data.gc, periods ? &*periods : nullptr);
  WindowMetrics(window, *load, gctrace, &out);
  out.data.timeline = load->timeline;
  out.data.requests = std::move(load->requests);
  AttributeTrial(spec, window, &out.result, &out.data);
  Judge(*load, died, out);
  return out;
}

}  // namespace gcpilot
