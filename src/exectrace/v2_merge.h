// Puts a v2 generation's per-M event streams in one time order and turns
// the wire events into TraceEvents (trace_event.h).
//
// Order. Each M's batches are read in file order; the Ms are merged by
// timestamp (batch time + the running sum of dt), ties in the order the Ms
// first appear in the generation. The runtime's goroutine and P sequence
// numbers (g_seq, p_seq), which Go's own reader uses to repair broken
// timestamps, are not used: on Linux the trace clock is monotonic across
// threads and timestamp order is what the analyses need.
//
// Time. ns = ticks * 1e9 / frequency (each generation's own frequency),
// minus the ns of the first event emitted; an event whose ns would be
// smaller than its predecessor's gets its predecessor's (ns never
// decreases).
//
// Who. Each M's P and goroutine are tracked across generations: ProcStart,
// a running ProcStatus bind a P, ProcStop and ProcSteal (of the P an M in
// a syscall holds; a steal that sorts before the victim's GoSyscallBegin
// takes effect there) unbind it; GoStart, a running GoStatus, GoCreateSyscall
// bind a goroutine, GoStop, GoBlock, GoDestroy, GoSyscallEndBlocked unbind
// it. Every event gets its M's P and goroutine.
//
// Mapping. GoCreateBlocked is a kGoCreate; GoSwitch a kGoBlock of the
// running goroutine then a kGoStart of the next (GoSwitchDestroy: kGoEnd,
// kGoStart); ProcSteal a kProcStop of the stolen P; a ProcStatus saying
// running, on an M that did not yet hold that P, a kProcStart (the P was
// running where tracing began). UserLog, experimental events, Frequency
// and ClockSnapshot are not handed on.
//
// Checks (strict only): GoSyscallEnd, which needs its M to hold a P, fails with "offset N: GoSyscallEnd:
// expected a proc but didn't have one", as Go's reader does.
#ifndef GCPILOT_EXECTRACE_V2_MERGE_H_
#define GCPILOT_EXECTRACE_V2_MERGE_H_

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "exectrace/trace_event.h"
#include "exectrace/v2_events.h"
#include "exectrace/v2_generation.h"

namespace gcpilot {

class V2Merger {
 public:
  V2Merger(int go_minor, bool strict, TraceSink* sink) : minor_(go_minor), strict_(strict), sink_(sink) {}

  // Emits `gen`'s events. `frequency`: its ticks per second (> 0). Stops at
  // the first failed check (strict).
  [[nodiscard]] Status Emit(const V2Generation& gen, uint64_t frequency);
  // Gives the sink OnStart if no event did yet (a trace without events).
  void StartIfNeeded(uint64_t frequency);

 private:
  struct MState {
    int32_t p = -1;
    int64_t g = 0;
    bool in_syscall = false;
    int32_t stolen_p = -1;  // a ProcSteal seen before this M's GoSyscallBegin (tied timestamps)
  };
  struct Cursor {
    const V2MBatches* m = nullptr;
    MState* state = nullptr;
    size_t batch = 0;
    const uint8_t* begin = nullptr;  // the current batch's events
    const uint8_t* p = nullptr;
    const uint8_t* end = nullptr;
    int64_t data_offset = 0;
    uint64_t ticks = 0;
    int order = 0;
    V2WireEvent ev;
  };
  bool Advance(Cursor* c) const;
  void Start(const V2Generation& gen, uint64_t frequency, uint64_t first_ticks);
  int64_t Ns(uint64_t ticks, uint64_t frequency);
  Status Handle(const Cursor& c, int64_t ns);
  Status HandleProc(const Cursor& c, TraceEvent* e);
  Status HandleGoroutine(const Cursor& c, TraceEvent* e);
  void HandleGc(const Cursor& c, TraceEvent* e);
  void HandleAnnotation(const Cursor& c, TraceEvent* e);
  Status NeedProc(const Cursor& c, const TraceEvent& e) const;

  int minor_;
  bool strict_;
  TraceSink* sink_;
  const V2Generation* gen_ = nullptr;
  std::unordered_map<uint64_t, MState> ms_;  // by M id, across generations
  bool started_ = false;
  int64_t origin_ns_ = 0;  // absolute ns of the first event
  int64_t last_ns_ = 0;
};

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_V2_MERGE_H_
