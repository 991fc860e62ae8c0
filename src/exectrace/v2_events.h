// The v2 trace format's event table (Go 1.22, 1.23, 1.25, 1.26): for each
// type byte its name and argument names as the text form prints them, and
// what the decoder must know to step over it (how many uvarint arguments,
// which is a string or stack id, whether frames or a data trailer follow).
//
// Wire shape of one event: the type byte, then `nargs` uvarints; a Stack
// has 4 more uvarints per frame (pc, func string, file string, line) after
// its `nframes` argument; a String (and an ExperimentalBatch) has a
// uvarint length and that many raw bytes. Timed events start with `dt`,
// the ticks since the previous event of the batch (the first: since the
// batch's `time`).
//
// Versions: 1.22 has types 1 (EventBatch) .. 44 (UserLog); 1.23 adds
// GoSwitch, GoSwitchDestroy, GoCreateBlocked, GoStatusStack and
// ExperimentalBatch (45..49); 1.25 adds Sync and ClockSnapshot (50, 51);
// 1.26 adds EndOfGeneration (52), a lone byte between batches. Types 128
// .. 136 are the AllocFree experiment's events (1.23+): never surfaced,
// stepped over by their argument count.
#ifndef GCPILOT_EXECTRACE_V2_EVENTS_H_
#define GCPILOT_EXECTRACE_V2_EVENTS_H_

#include <array>
#include <cstdint>
#include <string_view>

namespace gcpilot {

// The wire type bytes (internal/trace/tracev2/events.go numbering).
enum V2Type : uint8_t {
  kV2EventBatch = 1,
  kV2Stacks,
  kV2Stack,
  kV2Strings,
  kV2String,
  kV2CpuSamples,
  kV2CpuSample,
  kV2Frequency,
  kV2ProcsChange,
  kV2ProcStart,
  kV2ProcStop,
  kV2ProcSteal,
  kV2ProcStatus,
  kV2GoCreate,
  kV2GoCreateSyscall,
  kV2GoStart,
  kV2GoDestroy,
  kV2GoDestroySyscall,
  kV2GoStop,
  kV2GoBlock,
  kV2GoUnblock,
  kV2GoSyscallBegin,
  kV2GoSyscallEnd,
  kV2GoSyscallEndBlocked,
  kV2GoStatus,
  kV2StwBegin,
  kV2StwEnd,
  kV2GcActive,
  kV2GcBegin,
  kV2GcEnd,
  kV2GcSweepActive,
  kV2GcSweepBegin,
  kV2GcSweepEnd,
  kV2GcMarkAssistActive,
  kV2GcMarkAssistBegin,
  kV2GcMarkAssistEnd,
  kV2HeapAlloc,
  kV2HeapGoal,
  kV2GoLabel,
  kV2UserTaskBegin,
  kV2UserTaskEnd,
  kV2UserRegionBegin,
  kV2UserRegionEnd,
  kV2UserLog,  // 44: the last of Go 1.22
  kV2GoSwitch,
  kV2GoSwitchDestroy,
  kV2GoCreateBlocked,
  kV2GoStatusStack,
  kV2ExperimentalBatch,  // 49: the last of Go 1.23
  kV2Sync,
  kV2ClockSnapshot,  // 51: the last of Go 1.25
  kV2EndOfGeneration,
  kV2FirstExperimental = 128,
  kV2LastExperimental = 136,
};

inline constexpr int kV2MaxArgs = 5;
inline constexpr uint64_t kV2NoThread = ~uint64_t{0};  // m of the batches no M writes
inline constexpr uint64_t kV2MaxBatchBytes = 64 << 10;    // the runtime's batch limit
inline constexpr uint64_t kV2MaxFrames = 128;             // per stack
inline constexpr uint64_t kV2MaxDataBytes = 1 << 10;      // a String's data

struct V2EventSpec {
  std::string_view name;  // empty: no event has this type byte
  std::array<std::string_view, kV2MaxArgs> args{};
  uint8_t nargs = 0;
  int8_t string_arg = -1;  // index of the (first) string id argument
  int8_t stack_arg = -1;   // index of the event's own stack id argument
  bool timed = false;      // in an M's batch, `dt` first
  bool has_data = false;   // a uvarint length and raw bytes follow
  bool is_stack = false;   // nframes * 4 uvarints follow
  bool experimental = false;
};

// The spec of `type` in traces of `go_minor` (22, 23, 25, 26), or nullptr
// when that version has no such event (0, unknown bytes, later versions').
const V2EventSpec* V2Spec(int go_minor, uint8_t type);

// The type whose name is `name` in `go_minor`, or 0.
uint8_t V2TypeByName(int go_minor, std::string_view name);

// Reads a uvarint at `*p` (< `end`) and advances `*p`. False when the bytes
// end first or the value needs more than 64 bits; then `*p` is unchanged.
inline bool V2ReadUvarint(const uint8_t** p, const uint8_t* end, uint64_t* value) {
  uint64_t v = 0;
  const uint8_t* q = *p;
  for (int shift = 0; q < end && shift < 64; shift += 7) {
    const uint8_t byte = *q++;
    if (shift == 63 && byte > 1) return false;
    v |= uint64_t{byte & 0x7fu} << shift;
    if (byte < 0x80) {
      *p = q;
      *value = v;
      return true;
    }
  }
  return false;
}

// One event as it lies in a batch.
struct V2WireEvent {
  const uint8_t* at = nullptr;  // its type byte
  const V2EventSpec* spec = nullptr;
  uint8_t type = 0;
  uint64_t args[kV2MaxArgs] = {};
  uint64_t top_func = 0;  // a Stack's first frame's func string id (0: no frames)
  std::string_view data;  // a String's (or ExperimentalBatch's) bytes
};

// Reads the event at `*p` (< `end`) and advances `*p` past it. Returns null
// on success, else why it cannot be read (an unknown type for `go_minor`,
// arguments, frames or data past `end`, more than kV2MaxFrames frames or
// kV2MaxDataBytes of data); then `*p` is unchanged.
const char* V2ReadEvent(int go_minor, const uint8_t** p, const uint8_t* end, V2WireEvent* ev);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_V2_EVENTS_H_
