// The events of a Go execution trace in one shape for every format
// version. The v1 decoder (Go 1.11-1.21: per-P batches) and the v2 decoder
// (Go 1.22+: per-M batches in generations) both turn wire events into
// TraceEvents, already put in time order, with the P and goroutine each
// happened on resolved and the strings and stacks they name looked up; the
// builders and analyses that follow never see a format.
//
// Only what the GC analyses and the request attribution need is kept;
// wire events with nothing to say about them (CPU samples, user logs,
// experimental batches) are counted and dropped by the decoder.
#ifndef GCPILOT_EXECTRACE_TRACE_EVENT_H_
#define GCPILOT_EXECTRACE_TRACE_EVENT_H_

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace gcpilot {

enum class TraceEventKind : uint8_t {
  // GC. `a` of kGcBegin is the trace's own GC sequence number (it counts
  // from the start of tracing, not from the process start). kGcActive,
  // kAssistActive and kSweepActive say a phase was already under way where
  // a v2 generation began (the decoder emits them for every generation; a
  // builder ignores one for a phase it already knows is on).
  kGcBegin,
  kGcActive,
  kGcEnd,
  kStwBegin,  // text: the reason, in the runtime's words ("GC sweep termination")
  kStwEnd,
  kSweepBegin,   // on p (and g, where the sweeping goroutine is known)
  kSweepActive,  // p
  kSweepEnd,     // a: bytes swept, b: bytes reclaimed
  kAssistBegin,  // on g; function: the top frame of the assist's stack
  kAssistActive, // g: the goroutine (not necessarily running)
  kAssistEnd,    // on g
  kHeapAlloc,    // a: heap bytes (live + unswept)
  kHeapGoal,     // a: heap goal bytes
  kProcs,        // a: GOMAXPROCS from here on
  // Ps.
  kProcStart,  // p began running Go code
  kProcStop,   // p stopped
  // Goroutines. `g` is the goroutine the event happened on (the running
  // one); where an event names another goroutine it is in `a`.
  kGoCreate,   // a: the new goroutine; function: the new goroutine's start function
  kGoStart,    // g starts running on p; text: its label, where the format gives it here (v1)
  kGoLabel,    // text: label of the running goroutine g (v2: "GC (dedicated)", ...)
  kGoStop,     // g stops running but stays runnable (preempted, yielded); text: reason
  kGoBlock,    // g stops running and waits; text: reason ("network", "sync", "sleep", ...)
  kGoUnblock,  // a: the goroutine made runnable
  kGoEnd,      // g exits
  kGoSyscall,        // g enters a system call
  kGoSyscallEnd,     // g returns from it, still running
  kGoSyscallBlocked, // g returns from a syscall that lost its P: now runnable
  kGoStatus,   // a: goroutine, b: its GoState where tracing (or a generation) began
  // Annotations (runtime/trace).
  kTaskBegin,    // a: task id, b: parent task id (0 none); text: name; on g
  kTaskEnd,      // a: task id; on g
  kRegionBegin,  // a: task id (0 none); text: name; on g
  kRegionEnd,    // a: task id; text: name; on g
};

// Whether a stop-the-world's reason (kStwBegin's text) is the GC's: "GC
// sweep termination", "GC mark termination" (and any other reason naming
// the GC). Go's MMU counts only these; the trace's own "start trace", a
// ReadMemStats or a GOMAXPROCS change stop the world for other reasons.
inline bool IsGcStwReason(std::string_view reason) {
  return reason.find("GC") != reason.npos || reason.find("sweep termination") != reason.npos ||
         reason.find("mark termination") != reason.npos;
}

// A goroutine's state, as kGoStatus gives it.
enum class GoState : uint8_t { kRunnable, kRunning, kWaiting, kSyscall, kDead };

struct TraceEvent {
  TraceEventKind kind = TraceEventKind::kGcBegin;
  int32_t p = -1;          // the P it happened on; -1 none or unknown
  int64_t g = 0;           // the goroutine it happened on; 0 none
  int64_t ns = 0;          // trace clock: ns since the trace's first event (ticks * 1e9 / frequency)
  int64_t a = 0, b = 0;    // per kind, above
  int64_t offset = 0;      // byte offset of the wire event in the file
  std::string_view text;      // per kind; valid only during the call
  std::string_view function;  // per kind; valid only during the call
};

// What the header and the trace's own metadata say. Given to the sinks
// before the first event.
struct TraceInfo {
  int go_minor = 0;          // N of the "go 1.N trace" header
  bool v2 = false;           // Go 1.22+ format
  int64_t frequency = 0;     // ticks per second (v2: of the first generation)
  // CLOCK_MONOTONIC ns at trace time 0 (the first event), where the format
  // makes it known (v2 with 15.625 MHz ticks: nanotime/64 on Linux, or an
  // EvClockSnapshot); else -1.
  int64_t monotonic_offset_ns = -1;
};

// Receives the events in time order (ns never decreases). The decoder calls
// OnStart once, before the first event, when it knows the frequency and
// the trace's first timestamp.
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void OnStart(const TraceInfo& /*info*/) {}
  virtual void OnEvent(const TraceEvent& e) = 0;
  // After the last event (also after a truncated or corrupt input).
  virtual void OnFinish() {}
};

// Hands every event to each of `sinks`, in order.
class TraceFanout final : public TraceSink {
 public:
  explicit TraceFanout(std::vector<TraceSink*> sinks) : sinks_(std::move(sinks)) {}
  void OnStart(const TraceInfo& info) override {
    for (TraceSink* s : sinks_) s->OnStart(info);
  }
  void OnEvent(const TraceEvent& e) override {
    for (TraceSink* s : sinks_) s->OnEvent(e);
  }
  void OnFinish() override {
    for (TraceSink* s : sinks_) s->OnFinish();
  }

 private:
  std::vector<TraceSink*> sinks_;
};

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_TRACE_EVENT_H_
