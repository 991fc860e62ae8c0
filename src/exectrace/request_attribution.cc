#include "exectrace/request_attribution.h"

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/string_hash.h"
#include "exectrace/request_tally.h"

namespace gcpilot {
namespace {

// Cumulative time spent in a stop-the-world, and in a mark phase outside
// any stop-the-world, since the trace began. A goroutine's stretch in one
// state from t0 to t1 met (Stw(t1) - Stw(t0)) of the first and
// (Mark(t1) - Mark(t0)) of the second, so no event has to visit every
// goroutine when a phase begins or ends.
class PhaseClock {
 public:
  void SetStw(bool on, int64_t now) {
    Advance(now);
    stw_ = on;
  }
  void SetMark(bool on, int64_t now) {
    Advance(now);
    mark_ = on;
  }
  int64_t StwNs(int64_t now) const { return stw_ns_ + (stw_ ? now - since_ : 0); }
  int64_t MarkNs(int64_t now) const { return mark_ns_ + (mark_ && !stw_ ? now - since_ : 0); }

 private:
  void Advance(int64_t now) {
    stw_ns_ = StwNs(now);
    mark_ns_ = MarkNs(now);
    since_ = now;
  }
  bool stw_ = false, mark_ = false;
  int64_t since_ = 0, stw_ns_ = 0, mark_ns_ = 0;
};

// A goroutine's time so far, by state. `dead`: it ended while a task it
// began was still open; the task waits (counted blocked) until it ends.
struct Goroutine {
  GoState state = GoState::kRunnable;
  bool in_assist = false;
  bool system = false;  // a GC worker or a runtime goroutine: never a request
  bool dead = false;
  int64_t first_ns = 0, since_ns = 0, stw_at_since = 0, mark_at_since = 0;
  int64_t assists = 0;  // assist intervals entered
  int open_tasks = 0;
  int function = -1;  // index into the names, -1 unknown
  RequestTimeSplit split;
};

struct OpenTask {
  int64_t g = 0;
  int64_t begin_ns = 0;
  int name = 0;
  int64_t assists_at_begin = 0;
  RequestTimeSplit split_at_begin;
};

bool IsGcWorkerLabel(std::string_view label) { return label.starts_with("GC ("); }
bool IsRuntimeFunction(std::string_view f) { return f.starts_with("runtime."); }

}  // namespace

struct RequestAttributor::State {
  explicit State(const RequestAttributionOptions& o) : options(o), tasks_tally(o.keep), goroutine_tally(o.keep) {}

  RequestAttributionOptions options;
  PhaseClock phases;
  bool gc_stw_open = false;  // the open stop-the-world is the GC's
  std::unordered_map<int64_t, Goroutine> goroutines;
  std::unordered_map<int64_t, OpenTask> tasks;
  std::vector<std::string> names;
  std::unordered_map<std::string, int, StringHash, std::equal_to<>> name_index;
  bool saw_tasks = false;
  RequestTally tasks_tally, goroutine_tally;
  TraceAttribution result;

  int Intern(std::string_view name);
  Goroutine& Sight(int64_t g, GoState state, int64_t now);
  void Settle(Goroutine& r, int64_t now);
  void SetState(int64_t g, GoState state, int64_t now);
  void OnGoroutineEvent(const TraceEvent& e);
  void OnCreate(const TraceEvent& e);
  void OnEnd(const TraceEvent& e);
  void OnStatus(const TraceEvent& e);
  void OnAssist(const TraceEvent& e, bool on);
  void OnLabel(int64_t g, std::string_view label, int64_t now);
  void OnTaskBegin(const TraceEvent& e);
  void OnTaskEnd(const TraceEvent& e);
  void DropTask(int64_t id);
  void Forget(int64_t g);
};

int RequestAttributor::State::Intern(std::string_view name) {
  if (auto it = name_index.find(name); it != name_index.end()) return it->second;
  names.emplace_back(name);
  return name_index.emplace(std::string(name), static_cast<int>(names.size()) - 1).first->second;
}

// The goroutine's record, made at first sight in `state` (used only when
// new): its time counts from here.
Goroutine& RequestAttributor::State::Sight(int64_t g, GoState state, int64_t now) {
  auto [it, added] = goroutines.try_emplace(g);
  Goroutine& r = it->second;
  if (added) {
    r.state = state;
    r.first_ns = r.since_ns = now;
    r.stw_at_since = phases.StwNs(now);
    r.mark_at_since = phases.MarkNs(now);
  }
  return r;
}

// Books the time since the goroutine's last change to its state, minus
// what a stop-the-world took.
void RequestAttributor::State::Settle(Goroutine& r, int64_t now) {
  const int64_t stw = phases.StwNs(now), mark = phases.MarkNs(now);
  const int64_t in_stw = stw - r.stw_at_since;
  const int64_t rest = now - r.since_ns - in_stw;
  r.split.stw_ns += in_stw;
  if (r.dead) {
    r.split.blocked_ns += rest;
  } else {
    switch (r.state) {
      case GoState::kRunning:
        (r.in_assist ? r.split.assist_ns : r.split.running_ns) += rest;
        break;
      case GoState::kRunnable:
        r.split.runnable_ns += rest;
        r.split.runnable_in_mark_ns += mark - r.mark_at_since;
        break;
      case GoState::kSyscall:
        r.split.syscall_ns += rest;
        break;
      case GoState::kWaiting:
      case GoState::kDead:
        r.split.blocked_ns += rest;
        break;
    }
  }
  r.since_ns = now;
  r.stw_at_since = stw;
  r.mark_at_since = mark;
}

void RequestAttributor::State::SetState(int64_t g, GoState state, int64_t now) {
  if (g == 0) return;
  Goroutine& r = Sight(g, state, now);
  Settle(r, now);
  r.state = state;
}

void RequestAttributor::State::OnCreate(const TraceEvent& e) {
  Goroutine& r = Sight(e.a, GoState::kRunnable, e.ns);
  if (!e.function.empty()) {
    r.function = Intern(e.function);
    r.system = r.system || IsRuntimeFunction(e.function);
  }
}

void RequestAttributor::State::OnLabel(int64_t g, std::string_view label, int64_t now) {
  if (g == 0 || !IsGcWorkerLabel(label)) return;
  Sight(g, GoState::kRunning, now).system = true;
}

void RequestAttributor::State::OnAssist(const TraceEvent& e, bool on) {
  if (e.g == 0) return;
  Goroutine& r = Sight(e.g, GoState::kRunning, e.ns);
  Settle(r, e.ns);
  if (on && !r.in_assist) r.assists++;
  r.in_assist = on;
}

// A goroutine's life ends: in a trace without tasks, that is a request.
void RequestAttributor::State::OnEnd(const TraceEvent& e) {
  auto it = goroutines.find(e.g);
  if (it == goroutines.end() || it->second.dead) return;
  Goroutine& r = it->second;
  Settle(r, e.ns);
  if (!r.system) {
    goroutine_tally.Add(r.function >= 0 ? std::string_view(names[r.function]) : "(unknown)", e.g, {r.first_ns, e.ns},
                        r.split, r.assists > 0);
  }
  Forget(e.g);
}

// Drops a goroutine's record, or keeps it (dead) while a task it began is open.
void RequestAttributor::State::Forget(int64_t g) {
  auto it = goroutines.find(g);
  if (it == goroutines.end()) return;
  if (it->second.open_tasks > 0) {
    it->second.dead = true;
  } else {
    goroutines.erase(it);
  }
}

void RequestAttributor::State::OnStatus(const TraceEvent& e) {
  if (e.b < 0 || e.b > static_cast<int64_t>(GoState::kDead)) return;
  const auto state = static_cast<GoState>(e.b);
  if (state == GoState::kDead) {
    if (auto it = goroutines.find(e.a); it != goroutines.end()) Settle(it->second, e.ns);
    Forget(e.a);
    return;
  }
  SetState(e.a, state, e.ns);
}

void RequestAttributor::State::OnTaskBegin(const TraceEvent& e) {
  saw_tasks = true;
  if (e.g == 0) return;
  DropTask(e.a);  // an id begun again: the earlier one never ends
  Goroutine& r = Sight(e.g, GoState::kRunning, e.ns);
  Settle(r, e.ns);
  r.open_tasks++;
  tasks[e.a] = OpenTask{
      .g = e.g, .begin_ns = e.ns, .name = Intern(e.text), .assists_at_begin = r.assists, .split_at_begin = r.split};
}

void RequestAttributor::State::OnTaskEnd(const TraceEvent& e) {
  saw_tasks = true;
  auto it = tasks.find(e.a);
  if (it == tasks.end()) return;  // began before the trace
  const OpenTask task = it->second;
  tasks.erase(it);
  auto g = goroutines.find(task.g);  // kept while the task is open
  if (g == goroutines.end()) return;
  Goroutine& r = g->second;
  Settle(r, e.ns);
  const RequestTimeSplit split = SubtractSplit(r.split, task.split_at_begin);
  tasks_tally.Add(names[task.name], e.a, {task.begin_ns, e.ns}, split,
                  r.assists > task.assists_at_begin || split.assist_ns > 0);
  if (--r.open_tasks == 0 && r.dead) goroutines.erase(task.g);
}

void RequestAttributor::State::DropTask(int64_t id) {
  auto it = tasks.find(id);
  if (it == tasks.end()) return;
  auto g = goroutines.find(it->second.g);
  tasks.erase(it);
  if (g == goroutines.end()) return;
  if (--g->second.open_tasks == 0 && g->second.dead) goroutines.erase(g);
}

void RequestAttributor::State::OnGoroutineEvent(const TraceEvent& e) {
  switch (e.kind) {
    case TraceEventKind::kGoStart:
      SetState(e.g, GoState::kRunning, e.ns);
      OnLabel(e.g, e.text, e.ns);
      break;
    case TraceEventKind::kGoStop:
    case TraceEventKind::kGoSyscallBlocked:
      SetState(e.g, GoState::kRunnable, e.ns);
      break;
    case TraceEventKind::kGoUnblock:
      SetState(e.a, GoState::kRunnable, e.ns);
      break;
    case TraceEventKind::kGoBlock:
      SetState(e.g, GoState::kWaiting, e.ns);
      break;
    case TraceEventKind::kGoSyscall:
      SetState(e.g, GoState::kSyscall, e.ns);
      break;
    case TraceEventKind::kGoSyscallEnd:
      SetState(e.g, GoState::kRunning, e.ns);
      break;
    default:
      break;
  }
}

RequestAttributor::RequestAttributor(RequestAttributionOptions options)
    : state_(std::make_unique<State>(options)) {}
RequestAttributor::~RequestAttributor() = default;

void RequestAttributor::OnStart(const TraceInfo& /*info*/) {}

void RequestAttributor::OnEvent(const TraceEvent& e) {
  State& s = *state_;
  switch (e.kind) {
    case TraceEventKind::kGcBegin:
    case TraceEventKind::kGcActive:
      return s.phases.SetMark(true, e.ns);
    case TraceEventKind::kGcEnd:
      return s.phases.SetMark(false, e.ns);
    // Only the GC's stop-the-worlds are the GC's cost; the trace's own
    // start, a ReadMemStats or a GOMAXPROCS change count as the state the
    // goroutine was in.
    case TraceEventKind::kStwBegin:
      s.gc_stw_open = IsGcStwReason(e.text);
      if (s.gc_stw_open) s.phases.SetStw(true, e.ns);
      return;
    case TraceEventKind::kStwEnd:
      if (s.gc_stw_open) s.phases.SetStw(false, e.ns);
      s.gc_stw_open = false;
      return;
    case TraceEventKind::kAssistBegin:
    case TraceEventKind::kAssistActive:
      return s.OnAssist(e, true);
    case TraceEventKind::kAssistEnd:
      return s.OnAssist(e, false);
    case TraceEventKind::kGoCreate:
      return s.OnCreate(e);
    case TraceEventKind::kGoLabel:
      return s.OnLabel(e.g, e.text, e.ns);
    case TraceEventKind::kGoEnd:
      return s.OnEnd(e);
    case TraceEventKind::kGoStatus:
      return s.OnStatus(e);
    case TraceEventKind::kTaskBegin:
      return s.OnTaskBegin(e);
    case TraceEventKind::kTaskEnd:
      return s.OnTaskEnd(e);
    default:
      return s.OnGoroutineEvent(e);
  }
}

void RequestAttributor::OnFinish() {
  State& s = *state_;
  const RequestTally& tally = s.saw_tasks ? s.tasks_tally : s.goroutine_tally;
  s.result = {};
  s.result.unit = s.saw_tasks ? TraceAttribution::Unit::kTask : TraceAttribution::Unit::kGoroutine;
  tally.Finish(s.options.slow_percentile, &s.result);
}

const TraceAttribution& RequestAttributor::result() const { return state_->result; }

}  // namespace gcpilot
