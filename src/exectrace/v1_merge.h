// The second pass over a v1 execution trace: merges the Ps' batch streams
// in time order and turns the wire events into TraceEvents (trace_event.h).
//
// Each P's batches are in file order and its events in tick order, so a
// small heap over the Ps, keyed by each P's next event's ticks (file
// offset breaking ties), gives the trace's order; a P whose clock steps
// back is clamped (ns never decreases). What the merge keeps per P: its
// place, its ticks and its running goroutine (set by GoStart*, cleared
// by GoEnd, GoStop, GoSched, GoPreempt, GoSleep, GoBlock*, GoSysBlock),
// which every event of that P happened on.
//
// How v1 events become TraceEvents (the v2 format's words, as Go's own
// v1-to-v2 conversion gives them):
//   GCStart(seq) kGcBegin a=seq; GCDone kGcEnd; GCSTWStart(kind) kStwBegin
//   text=V1StwReason; GCSweepStart/Done kSweepBegin/End (a swept, b
//   reclaimed); GCMarkAssistStart/Done kAssistBegin (function: its stack's
//   top) / kAssistEnd; HeapAlloc, HeapGoal; Gomaxprocs kProcs;
//   ProcStart/Stop; GoCreate kGoCreate (a new g, function: its start);
//   GoStart, GoStartLocal, GoStartLabel kGoStart (g the started one; text
//   the label); GoSched, GoPreempt kGoStop and GoStop, GoSleep, GoBlock*
//   kGoBlock, text V1BlockReason; GoUnblock(Local) kGoUnblock a=g; GoEnd;
//   GoWaiting, GoInSyscall kGoStatus (a g, b kWaiting / kSyscall);
//   UserTaskCreate kTaskBegin (a id, b parent, text name), UserTaskEnd,
//   UserRegion kRegionBegin/End (mode 0/1; text name).
//   Syscalls: GoSysCall is kGoSyscall; unless the P's next event is
//   GoSysBlock (the syscall blocked and lost the P) a kGoSyscallEnd at the
//   same ns follows it. GoSysExit(g) and GoSysExitLocal are
//   kGoSyscallBlocked for that g (at the event's time; its `ts`, the
//   syscall's real return, is not used). GoSysBlock itself is no event.
//   Dropped: FutileWakeup, UserLog, CPUSample (not in the order either:
//   the runtime writes samples late into batches of their own).
// Time: ns = (ticks - first event's ticks) * 1e9 / frequency, in doubles
// as Go's reader does; without a Frequency event (a trace cut before its
// end, where the runtime writes it) ns counts ticks.
#ifndef GCPILOT_EXECTRACE_V1_MERGE_H_
#define GCPILOT_EXECTRACE_V1_MERGE_H_

#include <cstdint>
#include <string_view>

#include "exectrace/trace_event.h"
#include "exectrace/v1_index.h"

namespace gcpilot {

// Calls sink->OnStart, then OnEvent for every event of the indexed
// batches of `body` (file offset `base` at body[0]). Not OnFinish.
void MergeV1Events(std::string_view body, int64_t base, int go_minor, const V1Index& index, TraceSink* sink);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_V1_MERGE_H_
