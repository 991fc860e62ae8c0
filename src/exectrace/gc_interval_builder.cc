#include "exectrace/gc_interval_builder.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gcpilot {
namespace {

using Kind = TraceEventKind;
using SliceKind = ProcGcSlice::Kind;

// The runtime's reasons are "GC sweep termination" and "GC mark
// termination" (v2); v1 has only those two kinds of STW, as the decoder
// words them.
bool IsSweepTermination(std::string_view reason) { return reason.find("sweep termination") != reason.npos; }
bool IsMarkTermination(std::string_view reason) { return reason.find("mark termination") != reason.npos; }
// Go's MMU counts only the stop-the-worlds of the GC (a reason naming it).
bool IsGcStw(std::string_view reason) { return IsGcStwReason(reason); }

std::optional<GcWorkerSpan::Mode> WorkerMode(std::string_view label) {
  if (label == "GC (dedicated)") return GcWorkerSpan::Mode::kDedicated;
  if (label == "GC (fractional)") return GcWorkerSpan::Mode::kFractional;
  if (label == "GC (idle)") return GcWorkerSpan::Mode::kIdle;
  return std::nullopt;
}

SliceKind WorkerSlice(GcWorkerSpan::Mode mode) {
  switch (mode) {
    case GcWorkerSpan::Mode::kDedicated:
      return SliceKind::kDedicated;
    case GcWorkerSpan::Mode::kFractional:
      return SliceKind::kFractional;
    default:
      return SliceKind::kIdle;
  }
}

// Whether a P running this takes the P from the program (the MMU's view).
bool TakesTheP(SliceKind kind) { return kind != SliceKind::kIdle; }

int32_t ClampProcs(int64_t n) {
  return static_cast<int32_t>(std::clamp<int64_t>(n, 0, std::numeric_limits<int32_t>::max()));
}

// An assist or sweep that has begun and not ended.
struct OpenSpan {
  int64_t start_ns = 0;
  int32_t proc = -1;
  int64_t goroutine = 0;
  int64_t cycle = GcCycle::kUnknown;
  bool active_at_start = false;
};

struct GState {
  int32_t p = -1;  // the P it runs on; -1 not running
  int64_t run_start_ns = 0;
  std::optional<GcWorkerSpan::Mode> worker;  // this run's label
  std::optional<OpenSpan> assist;
};

struct PState {
  int64_t running_g = 0;
  std::optional<OpenSpan> sweep;
  std::optional<SliceKind> slice;  // the GC work the P runs now
  int64_t slice_g = 0;
  int64_t slice_start_ns = 0;
};

struct OpenCycle {
  GcCycle cycle;
  int64_t begin_ns = 0;
  bool active_at_start = false;
  bool ending = false;  // kGcEnd seen; handed on at its STW's end
  int64_t end_event_ns = 0;
  int64_t sweep_term_start = -1, sweep_term_end = -1;
  int64_t mark_term_start = -1, mark_term_end = -1;
};

struct OpenStw {
  int64_t start_ns = 0;
  std::string reason;
  int64_t cycle = GcCycle::kUnknown;
  bool gc = false;
};

}  // namespace

struct GcIntervalBuilder::State {
  std::vector<GcIntervalSink*> sinks;
  GcIntervalCounts counts;
  int64_t last_ns = 0;
  int32_t procs = 0;
  int64_t heap_bytes = GcCycle::kUnknown, goal_bytes = GcCycle::kUnknown;
  int64_t last_cycle_number = 0;
  std::map<int32_t, PState> ps;
  // A goroutine's entry lives from its start to its stop (or its assist's
  // end). (A pool resource for its nodes counted more instructions than
  // malloc's thread cache.)
  using GoroutineMap = std::unordered_map<int64_t, GState>;
  GoroutineMap gs;
  std::optional<OpenCycle> cycle;
  std::optional<OpenStw> stw;
  int32_t busy = 0;  // Ps whose slice takes the P
  std::optional<GcUtilizationStep> last_step;

  template <typename F>
  void Emit(F&& f) {
    for (GcIntervalSink* s : sinks) f(*s);
  }

  void OnEvent(const TraceEvent& e);
  void OnGc(const TraceEvent& e);
  void OnStwEvent(const TraceEvent& e);
  void OnAssist(const TraceEvent& e);
  void OnSweep(const TraceEvent& e);
  void OnGoroutine(const TraceEvent& e);
  void OnMeasure(const TraceEvent& e);

  void OpenCycleAt(int64_t number, int64_t ns, int64_t offset, bool active_at_start);
  void FinishCycle(int64_t end_ns, bool cut);
  void CloseStw(int64_t end_ns, bool cut);
  void CloseAssist(int64_t g, GState& st, int64_t end_ns, bool cut);
  void CloseSweep(int32_t p, PState& st, int64_t end_ns, bool cut);
  void StartRunning(int64_t g, int32_t p, int64_t ns, std::string_view label);
  void StopRunning(int64_t g, int64_t ns, bool cut);
  void Forget(GoroutineMap::iterator it);
  void RefreshP(int32_t p, int64_t ns);
  void CloseSlice(int32_t p, PState& st, int64_t ns);
  void StepUtilization(int64_t ns);
  void Finish();
};

GcIntervalBuilder::GcIntervalBuilder(std::vector<GcIntervalSink*> sinks) : state_(std::make_unique<State>()) {
  state_->sinks = std::move(sinks);
}
GcIntervalBuilder::~GcIntervalBuilder() = default;
void GcIntervalBuilder::OnStart(const TraceInfo& /*info*/) {}
void GcIntervalBuilder::OnEvent(const TraceEvent& e) { state_->OnEvent(e); }
void GcIntervalBuilder::OnFinish() { state_->Finish(); }
const GcIntervalCounts& GcIntervalBuilder::counts() const { return state_->counts; }
int64_t GcIntervalBuilder::end_ns() const { return state_->last_ns; }

void GcIntervalBuilder::State::OnEvent(const TraceEvent& e) {
  last_ns = std::max(last_ns, e.ns);
  switch (e.kind) {
    case Kind::kGcBegin:
    case Kind::kGcActive:
    case Kind::kGcEnd:
      OnGc(e);
      break;
    case Kind::kStwBegin:
    case Kind::kStwEnd:
      OnStwEvent(e);
      break;
    case Kind::kAssistBegin:
    case Kind::kAssistActive:
    case Kind::kAssistEnd:
      OnAssist(e);
      break;
    case Kind::kSweepBegin:
    case Kind::kSweepActive:
    case Kind::kSweepEnd:
      OnSweep(e);
      break;
    case Kind::kHeapAlloc:
    case Kind::kHeapGoal:
    case Kind::kProcs:
      OnMeasure(e);
      break;
    default:
      OnGoroutine(e);
      break;
  }
  StepUtilization(e.ns);
}

// GCBegin [seq]; GCActive [seq] at a generation's start while a cycle is
// under way; GCEnd [seq], written inside the mark-termination STW. Cycles
// are numbered 1, 2, ... in the order the trace shows them: the wire's
// sequence counts from the start of tracing, from 0 in v1 and by two (begin
// and end) in v2, so it is no cycle number a user could match.
void GcIntervalBuilder::State::OnGc(const TraceEvent& e) {
  const int64_t number = SaturatingAdd(last_cycle_number, 1);
  if (e.kind == Kind::kGcBegin) {
    if (cycle) FinishCycle(e.ns, false);
    OpenCycleAt(number, e.ns, e.offset, false);
    return;
  }
  if (e.kind == Kind::kGcActive) {
    if (!cycle) OpenCycleAt(number, e.ns, e.offset, true);
    return;
  }
  if (!cycle) OpenCycleAt(number, 0, e.offset, true);  // began before the trace
  if (cycle->ending) return;
  cycle->ending = true;
  cycle->end_event_ns = e.ns;
  cycle->cycle.heap_end_bytes = heap_bytes;
  const bool in_mark_term = stw && cycle->mark_term_start >= 0 && cycle->mark_term_end < 0;
  if (!in_mark_term) FinishCycle(e.ns, false);
}

void GcIntervalBuilder::State::OpenCycleAt(int64_t number, int64_t ns, int64_t offset, bool active_at_start) {
  OpenCycle c;
  c.cycle.number = number;
  c.cycle.heap_start_bytes = heap_bytes;
  c.cycle.heap_end_bytes = GcCycle::kUnknown;
  c.cycle.heap_live_bytes = GcCycle::kUnknown;
  c.cycle.origin.source = GcSource::kExecTrace;
  c.cycle.origin.offset = offset;
  c.begin_ns = ns;
  c.active_at_start = active_at_start;
  last_cycle_number = number;
  cycle = std::move(c);
}

// The phases from the STWs seen: sweep termination from its STW, mark up
// to the mark-termination STW (or the end), mark termination to its STW's
// end (or the end).
void GcIntervalBuilder::State::FinishCycle(int64_t end_ns, bool cut) {
  OpenCycle& oc = *cycle;
  GcCycle c = oc.cycle;
  c.start_ns = oc.sweep_term_start >= 0 ? oc.sweep_term_start : oc.begin_ns;
  if (oc.sweep_term_start >= 0) {
    c.sweep_term_ns = (oc.sweep_term_end >= 0 ? oc.sweep_term_end : end_ns) - oc.sweep_term_start;
  }
  const int64_t mark_start = c.start_ns + c.sweep_term_ns;
  const int64_t mark_end = oc.mark_term_start >= 0 ? oc.mark_term_start : (oc.ending ? oc.end_event_ns : end_ns);
  c.mark_ns = std::max<int64_t>(0, mark_end - mark_start);
  if (oc.mark_term_start >= 0) {
    c.mark_term_ns = (oc.mark_term_end >= 0 ? oc.mark_term_end : end_ns) - oc.mark_term_start;
  }
  c.procs = procs;
  c.heap_goal_bytes = goal_bytes;
  c.cpu_sweep_term_ns = SaturatingMul(c.sweep_term_ns, procs);
  c.cpu_mark_term_ns = SaturatingMul(c.mark_term_ns, procs);
  if (!oc.ending) c.heap_end_bytes = heap_bytes;
  ++counts.cycles;
  if (oc.active_at_start) ++counts.active_at_start;
  if (cut) ++counts.cut;
  cycle.reset();
  Emit([&](GcIntervalSink& s) { s.OnCycle(c); });
}

// STWBegin [reason] .. STWEnd: one at a time.
void GcIntervalBuilder::State::OnStwEvent(const TraceEvent& e) {
  if (e.kind == Kind::kStwBegin) {
    if (stw) CloseStw(e.ns, false);
    OpenStw s{e.ns, std::string(e.text), cycle ? cycle->cycle.number : GcCycle::kUnknown, IsGcStw(e.text)};
    if (cycle && IsSweepTermination(e.text) && cycle->sweep_term_start < 0) cycle->sweep_term_start = e.ns;
    if (cycle && IsMarkTermination(e.text)) cycle->mark_term_start = e.ns;
    stw = std::move(s);
    return;
  }
  if (!stw) {
    stw = OpenStw{0, "unknown", GcCycle::kUnknown, false};  // began before the trace
    ++counts.active_at_start;
  }
  CloseStw(e.ns, false);
}

void GcIntervalBuilder::State::CloseStw(int64_t end_ns, bool cut) {
  StwPause pause{{stw->start_ns, end_ns}, stw->reason, stw->cycle};
  if (cycle && IsSweepTermination(pause.reason) && cycle->sweep_term_start == pause.span.start_ns) {
    cycle->sweep_term_end = end_ns;
  }
  if (cycle && IsMarkTermination(pause.reason) && cycle->mark_term_start == pause.span.start_ns) {
    cycle->mark_term_end = end_ns;
  }
  ++counts.stw_pauses;
  if (cut) ++counts.cut;
  stw.reset();
  StepUtilization(end_ns);
  Emit([&](GcIntervalSink& s) { s.OnStw(pause); });
  if (cycle && cycle->ending && !cut) FinishCycle(end_ns, false);
}

// GCMarkAssistBegin / End on the running goroutine; GCMarkAssistActive [g]
// at a generation's start for a goroutine in an assist (running or not).
void GcIntervalBuilder::State::OnAssist(const TraceEvent& e) {
  if (e.g == 0) return;
  const auto it = gs.try_emplace(e.g).first;
  GState& st = it->second;
  const int64_t cycle_number = cycle ? cycle->cycle.number : GcCycle::kUnknown;
  const int32_t proc = st.p >= 0 ? st.p : e.p;
  if (e.kind == Kind::kAssistBegin) {
    if (st.assist) CloseAssist(e.g, st, e.ns, false);
    st.assist = OpenSpan{e.ns, proc, e.g, cycle_number, false};
  } else if (e.kind == Kind::kAssistActive) {
    if (!st.assist) st.assist = OpenSpan{e.ns, proc, e.g, cycle_number, true};
  } else {
    if (!st.assist) st.assist = OpenSpan{0, proc, e.g, GcCycle::kUnknown, true};
    CloseAssist(e.g, st, e.ns, false);
  }
  if (st.p >= 0) RefreshP(st.p, e.ns);
  Forget(it);
}

void GcIntervalBuilder::State::CloseAssist(int64_t g, GState& st, int64_t end_ns, bool cut) {
  const OpenSpan& o = *st.assist;
  GoroutineGcSpan span{GoroutineGcSpan::Kind::kMarkAssist, {o.start_ns, end_ns}, g, o.proc, o.cycle};
  ++counts.mark_assists;
  if (o.active_at_start) ++counts.active_at_start;
  if (cut) ++counts.cut;
  st.assist.reset();
  Emit([&](GcIntervalSink& s) { s.OnGoroutineSpan(span); });
}

// GCSweepBegin / End on a P; GCSweepActive [p] at a generation's start.
void GcIntervalBuilder::State::OnSweep(const TraceEvent& e) {
  PState& st = ps[e.p];
  const int64_t g = e.g != 0 ? e.g : st.running_g;
  const int64_t cycle_number = cycle ? cycle->cycle.number : GcCycle::kUnknown;
  if (e.kind == Kind::kSweepBegin) {
    if (st.sweep) CloseSweep(e.p, st, e.ns, false);
    st.sweep = OpenSpan{e.ns, e.p, g, cycle_number, false};
  } else if (e.kind == Kind::kSweepActive) {
    if (!st.sweep) st.sweep = OpenSpan{e.ns, e.p, g, cycle_number, true};
  } else {
    if (!st.sweep) st.sweep = OpenSpan{0, e.p, g, GcCycle::kUnknown, true};
    if (st.sweep->goroutine == 0) st.sweep->goroutine = g;  // opened before its goroutine was known
    CloseSweep(e.p, st, e.ns, false);
  }
  RefreshP(e.p, e.ns);
}

void GcIntervalBuilder::State::CloseSweep(int32_t p, PState& st, int64_t end_ns, bool cut) {
  const OpenSpan& o = *st.sweep;
  GoroutineGcSpan span{GoroutineGcSpan::Kind::kSweep, {o.start_ns, end_ns}, o.goroutine, p, o.cycle};
  ++counts.sweeps;
  if (o.active_at_start) ++counts.active_at_start;
  if (cut) ++counts.cut;
  st.sweep.reset();
  Emit([&](GcIntervalSink& s) { s.OnGoroutineSpan(span); });
}

// Which goroutine runs on which P, and the mark workers' labels.
void GcIntervalBuilder::State::OnGoroutine(const TraceEvent& e) {
  switch (e.kind) {
    case Kind::kGoStart:
    case Kind::kGoSyscallEnd:
      if (e.g != 0 && e.p >= 0) StartRunning(e.g, e.p, e.ns, e.kind == Kind::kGoStart ? e.text : "");
      break;
    case Kind::kGoLabel: {
      auto it = gs.find(e.g);
      std::optional<GcWorkerSpan::Mode> mode = WorkerMode(e.text);
      if (it != gs.end() && it->second.p >= 0 && mode) {
        it->second.worker = mode;
        RefreshP(it->second.p, e.ns);
      }
      break;
    }
    case Kind::kGoStop:
    case Kind::kGoBlock:
    case Kind::kGoEnd:
    case Kind::kGoSyscall:
    case Kind::kGoSyscallBlocked:
      StopRunning(e.g, e.ns, false);
      break;
    case Kind::kGoStatus: {
      const bool running = static_cast<GoState>(e.b) == GoState::kRunning;
      auto it = gs.find(e.a);
      const bool known_running = it != gs.end() && it->second.p >= 0;
      if (running && e.p >= 0 && !(known_running && it->second.p == e.p)) StartRunning(e.a, e.p, e.ns, "");
      if (!running && known_running) StopRunning(e.a, e.ns, false);
      break;
    }
    case Kind::kProcStop: {
      auto it = ps.find(e.p);
      if (it != ps.end() && it->second.running_g != 0) StopRunning(it->second.running_g, e.ns, false);
      break;
    }
    default:
      break;
  }
}

void GcIntervalBuilder::State::StartRunning(int64_t g, int32_t p, int64_t ns, std::string_view label) {
  auto on_p = ps.find(p);
  if (on_p != ps.end() && on_p->second.running_g != 0 && on_p->second.running_g != g) {
    StopRunning(on_p->second.running_g, ns, false);
  }
  auto it = gs.find(g);
  if (it != gs.end() && it->second.p >= 0) StopRunning(g, ns, false);
  GState& st = gs[g];
  st.p = p;
  st.run_start_ns = ns;
  st.worker = WorkerMode(label);
  ps[p].running_g = g;
  RefreshP(p, ns);
}

void GcIntervalBuilder::State::StopRunning(int64_t g, int64_t ns, bool cut) {
  auto it = gs.find(g);
  if (it == gs.end() || it->second.p < 0) return;
  GState& st = it->second;
  const int32_t p = st.p;
  if (st.worker) {
    GcWorkerSpan span{*st.worker, {st.run_start_ns, ns}, p};
    ++counts.worker_spans;
    if (cut) ++counts.cut;
    Emit([&](GcIntervalSink& s) { s.OnWorkerSpan(span); });
  }
  st.p = -1;
  st.worker.reset();
  PState& pst = ps[p];
  if (pst.running_g == g) pst.running_g = 0;
  RefreshP(p, ns);
  Forget(it);
}

// A goroutine not running and not assisting has nothing to remember. `it`
// is still valid: what ran since it was found looks goroutines up, never
// adds or removes one.
void GcIntervalBuilder::State::Forget(GoroutineMap::iterator it) {
  if (it->second.p < 0 && !it->second.assist) gs.erase(it);
}

// The P's slice follows what it runs: a sweep first, then the running
// goroutine's assist, then its worker label.
void GcIntervalBuilder::State::RefreshP(int32_t p, int64_t ns) {
  PState& st = ps[p];
  std::optional<SliceKind> want;
  int64_t g = st.running_g;
  if (st.sweep) {
    want = SliceKind::kSweep;
    if (st.sweep->goroutine != 0) g = st.sweep->goroutine;
  } else if (st.running_g != 0) {
    auto it = gs.find(st.running_g);
    if (it != gs.end() && it->second.assist) {
      want = SliceKind::kMarkAssist;
    } else if (it != gs.end() && it->second.worker) {
      want = WorkerSlice(*it->second.worker);
    }
  }
  if (want == st.slice && (!want || g == st.slice_g)) return;
  CloseSlice(p, st, ns);
  if (!want) return;
  st.slice = want;
  st.slice_g = g;
  st.slice_start_ns = ns;
  if (TakesTheP(*want)) ++busy;
}

void GcIntervalBuilder::State::CloseSlice(int32_t p, PState& st, int64_t ns) {
  if (!st.slice) return;
  ProcGcSlice slice{*st.slice, p, st.slice_g, {st.slice_start_ns, ns}};
  if (TakesTheP(slice.kind)) --busy;
  if (cycle) {
    const int64_t d = slice.span.duration_ns();
    if (slice.kind == SliceKind::kMarkAssist) cycle->cycle.cpu_assist_ns = SaturatingAdd(cycle->cycle.cpu_assist_ns, d);
    if (slice.kind == SliceKind::kDedicated || slice.kind == SliceKind::kFractional) {
      cycle->cycle.cpu_background_ns = SaturatingAdd(cycle->cycle.cpu_background_ns, d);
    }
    if (slice.kind == SliceKind::kIdle) cycle->cycle.cpu_idle_ns = SaturatingAdd(cycle->cycle.cpu_idle_ns, d);
  }
  st.slice.reset();
  Emit([&](GcIntervalSink& s) { s.OnProcSlice(slice); });
}

void GcIntervalBuilder::State::OnMeasure(const TraceEvent& e) {
  if (e.kind == Kind::kProcs) {
    const int32_t n = ClampProcs(e.a);
    if (n == procs) return;
    procs = n;
    ProcsChange change{e.ns, n};
    Emit([&](GcIntervalSink& s) { s.OnProcs(change); });
    return;
  }
  (e.kind == Kind::kHeapAlloc ? heap_bytes : goal_bytes) = e.a;
  HeapSample sample{e.ns, heap_bytes, goal_bytes};
  Emit([&](GcIntervalSink& s) { s.OnHeap(sample); });
}

void GcIntervalBuilder::State::StepUtilization(int64_t ns) {
  if (procs <= 0) return;
  const int32_t gc = stw && stw->gc ? procs : std::min(busy, procs);
  if (last_step && last_step->gc_procs == gc && last_step->procs == procs) return;
  GcUtilizationStep step{ns, gc, procs};
  last_step = step;
  Emit([&](GcIntervalSink& s) { s.OnUtilization(step); });
}

// Everything still open is closed at the last event, inner things first:
// assists and sweeps, the goroutines' runs, the STW, the cycle.
void GcIntervalBuilder::State::Finish() {
  const int64_t end = last_ns;
  std::vector<int64_t> goroutines;
  for (const auto& [g, st] : gs) goroutines.push_back(g);
  std::sort(goroutines.begin(), goroutines.end());
  for (int64_t g : goroutines) {
    GState& st = gs[g];
    if (st.assist) CloseAssist(g, st, end, true);
    if (st.p >= 0) RefreshP(st.p, end);
  }
  for (auto& [p, st] : ps) {
    if (st.sweep) CloseSweep(p, st, end, true);
  }
  for (int64_t g : goroutines) StopRunning(g, end, true);
  for (auto& [p, st] : ps) CloseSlice(p, st, end);
  if (stw) CloseStw(end, true);
  if (cycle) FinishCycle(end, true);
  gs.clear();
  Emit([&](GcIntervalSink& s) { s.OnEnd(end); });
}

}  // namespace gcpilot
