#include "tune/trial.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "base/read_file.h"
#include "gclog/gctrace_analysis.h"
#include "gclog/gctrace_parser.h"
#include "net/http_get.h"
#include "runner/process.h"

namespace gcpilot {
namespace {

using Clock = std::chrono::steady_clock;

double UnixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string WithPort(std::string s, int port) {
  for (size_t at; (at = s.find("{port}")) != std::string::npos;) s.replace(at, 6, std::to_string(port));
  return s;
}

// The last `n` non-empty lines of a file joined by '|', at most 300
// bytes, for failure reasons; "" for an empty or missing file.
std::string Tail(const std::string& path, int n) {
  const std::string text = ReadFileOrEmpty(path);
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    const size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    if (!line.empty()) lines.push_back(line);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
  }
  std::string tail;
  for (size_t i = lines.size() > static_cast<size_t>(n) ? lines.size() - n : 0; i < lines.size(); ++i) {
    tail += (tail.empty() ? "" : "|") + std::string(lines[i]);
  }
  return tail.size() > 300 ? tail.substr(tail.size() - 300) : tail;
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

void Fail(TrialOutcome& out, std::string reason) {
  out.record.status = "failed";
  out.record.reason = std::move(reason);
}

}  // namespace

StatusOr<int> PickFreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::IoError("socket: cannot pick a port");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0;
  close(fd);
  if (!ok) return Status::IoError("bind 127.0.0.1:0: cannot pick a port");
  return static_cast<int>(ntohs(a.sin_port));
}

TrialOutcome RunTrial(const StudySpec& spec, RunRecord run, const std::string& work_dir,
                      const TrialStatusFn& status) {
  TrialOutcome out;
  out.record = std::move(run);
  RunRecord& r = out.record;
  r.started = UnixNow();
  auto say = [&](const std::string& s) {
    if (status) status(s);
  };
  auto port = PickFreePort();
  if (!port.ok()) {
    Fail(out, port.status().message());
    r.finished = UnixNow();
    return out;
  }

  ProcessSpec ps;
  for (const std::string& a : spec.command) ps.argv.push_back(WithPort(a, *port));
  std::string godebug;
  for (const auto& [k, v] : spec.env) {
    if (k == "GODEBUG") godebug = v;
    else ps.env.emplace_back(k, WithPort(v, *port));
  }
  for (const auto& [k, v] : r.env) {
    if (k == "GODEBUG") godebug = v;
    else if (v.empty()) ps.unset_env.push_back(k);
    else ps.env.emplace_back(k, v);
  }
  // gctrace is how we see the GC; keep any other GODEBUG settings.
  if (godebug.empty()) {
    if (const char* inherited = std::getenv("GODEBUG")) godebug = inherited;
  }
  ps.env.emplace_back("GODEBUG", godebug.empty() ? "gctrace=1" : godebug + ",gctrace=1");
  ps.cpus = spec.target_cpus;
  ps.stderr_path = fmt::format("{}/run-{:03d}.stderr", work_dir, r.seq);
  ps.stdout_path = fmt::format("{}/run-{:03d}.stdout", work_dir, r.seq);

  say("starting");
  auto proc = Process::Start(ps);
  if (!proc.ok()) {
    Fail(out, proc.status().message());
    r.finished = UnixNow();
    return out;
  }
  const auto spawned = Clock::now();

  // Ready: the readiness URL answers 200.
  auto ready = ParseLoopbackUrl(WithPort(spec.ready_url, *port));
  bool is_ready = false;
  std::string last_probe;
  while (ready.ok() && Clock::now() - spawned < std::chrono::nanoseconds(spec.ready_timeout_ns)) {
    if (auto e = proc->Poll()) {
      const std::string tail = Tail(ps.stderr_path, 3);
      Fail(out, fmt::format("exited before it was ready ({}); {}", e->Describe(),
                            tail.empty() ? "it wrote nothing to stderr" : "stderr: " + tail));
      r.exit = e->Describe();
      r.finished = UnixNow();
      return out;
    }
    auto reply = HttpGet(*ready, std::chrono::seconds(2));
    if (reply.ok() && reply->status == 200) {
      is_ready = true;
      break;
    }
    last_probe = reply.ok() ? fmt::format("status {}", reply->status) : reply.status().message();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!is_ready) {
    const ExitInfo e = proc->Stop(std::chrono::seconds(5));
    Fail(out, fmt::format("not ready after {} (last probe: {})", FormatDurationNs(spec.ready_timeout_ns),
                          last_probe.empty() ? "none" : last_probe));
    r.exit = e.Describe();
    r.finished = UnixNow();
    return out;
  }
  say(fmt::format("ready after {:.1f} s", std::chrono::duration<double>(Clock::now() - spawned).count()));

  LoadSpec ls;
  ls.target = *ParseLoopbackUrl(WithPort(spec.load_url, *port));
  ls.kinds = spec.kinds;
  ls.schedule = *RateSchedule::Parse(spec.rate, spec.duration_ns);
  ls.warmup_ns = spec.warmup_ns;
  ls.connections = spec.connections;
  ls.max_connections = spec.max_connections;
  ls.timeout_ns = spec.timeout_ns;
  ls.seed = spec.seed * 1000003 + static_cast<uint64_t>(r.seq);
  const auto load_start = Clock::now();
  StatusOr<LoadResult> load = Status::Internal("not run");
  {
    PinThread pin(spec.load_cpus);
    load = RunLoad(ls, [&](const LoadProgress& p) {
      say(fmt::format("load {:.0f}/{:.0f} s{}", p.elapsed_ns / 1e9, p.total_ns / 1e9,
                      p.warmup ? " (warm-up)" : ""));
    });
  }
  const auto died = proc->Poll();
  const ExitInfo exit = died ? *died : proc->Stop(std::chrono::seconds(10));
  r.exit = exit.Describe();
  r.peak_rss_bytes = exit.peak_rss_bytes;
  r.cpu_s = exit.cpu_ns / 1e9;
  r.finished = UnixNow();

  // Its GC log, whatever happened: a crash's last cycles matter most.
  GctraceReader reader({.source_name = ps.stderr_path}, [&](const GcCycle& c) { out.cycles.push_back(c); });
  reader.Feed(ReadFileOrEmpty(ps.stderr_path));
  reader.Finish();
  // Summaries cover the measured window only (cycle times count from the
  // target's start; the window is where the load was measured).
  const int64_t from = std::chrono::duration_cast<std::chrono::nanoseconds>(load_start - spawned).count() +
                       spec.warmup_ns;
  const int64_t to = from + spec.duration_ns;
  GctraceAnalyzer analyzer;
  for (const GcCycle& c : out.cycles) {
    if (c.start_ns >= from && c.start_ns < to) analyzer.Add(c);
  }
  const GctraceSummary gc = analyzer.Summarize(reader.stats());
  r.gc_cycles = gc.cycles;
  r.gc_cpu_share = WindowGcCpuShare(out.cycles, from, to);
  r.gc_wall_share = gc.gc_wall_share;
  r.assist_share = gc.assist_share;
  r.stw_p99_ms = gc.stw_ns.p99 / 1e6;
  r.stw_max_ms = gc.stw_ns.max / 1e6;
  r.heap_live_p50_mb = static_cast<double>(gc.heap_live_mb.p50);

  if (!load.ok()) {
    Fail(out, "load: " + load.status().message());
    return out;
  }
  out.load = std::move(*load);
  const PhaseStats& m = out.load->measured;
  r.asked_rps = m.asked_rps;
  r.achieved_rps = m.achieved_rps();
  r.responses = m.responses;
  r.errors = m.request_errors();
  r.error_rate = m.due ? static_cast<double>(r.errors) / m.due : 0;
  r.p50_ms = m.corrected.ValueAtPercentile(50) / 1e6;
  r.p90_ms = m.corrected.ValueAtPercentile(90) / 1e6;
  r.p99_ms = m.corrected.ValueAtPercentile(99) / 1e6;
  r.p999_ms = m.corrected.ValueAtPercentile(99.9) / 1e6;
  r.max_ms = m.corrected.max() / 1e6;
  r.mean_ms = m.corrected.mean() / 1e6;
  r.p99_uncorrected_ms = m.uncorrected.ValueAtPercentile(99) / 1e6;
  if (out.load->aborted) {
    Fail(out, fmt::format("the target went away during the load ({}): {}", r.exit, out.load->abort_reason));
  } else if (died) {
    const bool oom = died->signaled && died->signal == SIGKILL;
    Fail(out, fmt::format("exited during the load ({}{})", died->Describe(),
                          oom ? ", likely the out-of-memory killer" : ""));
  } else {
    r.status = "done";
  }
  return out;
}

}  // namespace gcpilot
