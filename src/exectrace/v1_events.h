// The event table of the v1 execution trace format (Go 1.11, 1.19, 1.21:
// headers "go 1.11 trace", "go 1.19 trace", "go 1.21 trace").
//
// Wire form of one event (docs in the runtime's trace.go of those
// releases):
//
//   byte     type | count << 6    type in the low 6 bits; count in the top 2
//   count < 3:  count + 1 uvarints     (timed events: the tick delta first)
//   count == 3: uvarint L, then L bytes holding the uvarints
//
// Timed events start with the ticks since the previous event of their
// batch (the batch header holds the batch's absolute ticks); the event's
// own stack id, where it has one, is its last value. The specials:
//   Batch      [p, ticks]               starts a P's batch (p -1: no P)
//   Frequency  [ticks per second]       written once, at the trace's end
//   Stack      [id, n, n x {pc, func string id, file string id, line}]
//   String     [id, length] + bytes     (a string table entry)
//   UserLog    [ticks, task, key string id, stack] + uvarint length + bytes
//
// The three versions share one table: Go 1.11 already had every event but
// CPUSample (1.19+). What differs is a meaning: GCSTWStart's kind is 0
// (mark termination) or 1 (sweep termination) before 1.21, and an index
// into the runtime's stop-the-world reasons in 1.21 (V1StwReason).
#ifndef GCPILOT_EXECTRACE_V1_EVENTS_H_
#define GCPILOT_EXECTRACE_V1_EVENTS_H_

#include <cstdint>
#include <span>
#include <string_view>

namespace gcpilot {

// Event type numbers (the low 6 bits of an event's first byte).
enum V1EventType : uint8_t {
  kV1None = 0,
  kV1Batch = 1,
  kV1Frequency = 2,
  kV1Stack = 3,
  kV1Gomaxprocs = 4,
  kV1ProcStart = 5,
  kV1ProcStop = 6,
  kV1GCStart = 7,
  kV1GCDone = 8,
  kV1STWStart = 9,
  kV1STWDone = 10,
  kV1GCSweepStart = 11,
  kV1GCSweepDone = 12,
  kV1GoCreate = 13,
  kV1GoStart = 14,
  kV1GoEnd = 15,
  kV1GoStop = 16,
  kV1GoSched = 17,
  kV1GoPreempt = 18,
  kV1GoSleep = 19,
  kV1GoBlock = 20,
  kV1GoUnblock = 21,
  kV1GoBlockSend = 22,
  kV1GoBlockRecv = 23,
  kV1GoBlockSelect = 24,
  kV1GoBlockSync = 25,
  kV1GoBlockCond = 26,
  kV1GoBlockNet = 27,
  kV1GoSysCall = 28,
  kV1GoSysExit = 29,
  kV1GoSysBlock = 30,
  kV1GoWaiting = 31,
  kV1GoInSyscall = 32,
  kV1HeapAlloc = 33,
  kV1HeapGoal = 34,
  kV1TimerGoroutine = 35,
  kV1FutileWakeup = 36,
  kV1String = 37,
  kV1GoStartLocal = 38,
  kV1GoUnblockLocal = 39,
  kV1GoSysExitLocal = 40,
  kV1GoStartLabel = 41,
  kV1GoBlockGC = 42,
  kV1GCMarkAssistStart = 43,
  kV1GCMarkAssistDone = 44,
  kV1UserTaskCreate = 45,
  kV1UserTaskEnd = 46,
  kV1UserRegion = 47,
  kV1UserLog = 48,
  kV1CPUSample = 49,
  kV1TypeCount = 50,
};

struct V1EventSpec {
  std::string_view name;  // as Go 1.19's internal/trace names it
  // The arguments after the tick delta and before the stack id, by name
  // (Go 1.19's names; GoCreate's second is "new_stack" here, so that the
  // text form never has two "stack=").
  std::span<const std::string_view> args;
  bool timed = true;       // starts with a tick delta
  bool has_stack = false;  // ends with a stack id
  int min_minor = 11;      // first Go 1.N trace that has it

  // The number of uvarints the event's wire form holds (delta, args,
  // stack; for Batch its two, for Stack it varies and this is 2).
  int WireValues() const { return static_cast<int>(args.size()) + (timed ? 1 : 0) + (has_stack ? 1 : 0); }
};

// The spec of `type` in a go 1.`go_minor` trace, or nullptr when that
// version has no such event (None, 50 and above, CPUSample before 1.19).
const V1EventSpec* V1Spec(int type, int go_minor);

// The type whose name is `name` (text form), or -1.
int V1TypeByName(std::string_view name);

// GCSTWStart's kind in the runtime's words, as the v2 format's STWBegin
// gives them ("GC mark termination", "GC sweep termination", ...); "" for a
// kind the version does not define.
std::string_view V1StwReason(int go_minor, uint64_t kind);

// The reason a v1 stop or block event gives, in the runtime's words the v2
// format uses ("chan receive", "network", "sleep", "preempted", ...); ""
// for GoBlock (no reason given) and for events that are no stop or block.
std::string_view V1BlockReason(int type);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_V1_EVENTS_H_
