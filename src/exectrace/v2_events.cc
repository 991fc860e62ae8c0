#include "exectrace/v2_events.h"

#include <initializer_list>

namespace gcpilot {
namespace {

enum Flags : uint8_t { kTimed = 1, kData = 2, kFrames = 4, kExperimental = 8 };

constexpr V2EventSpec Spec(std::string_view name, std::initializer_list<std::string_view> args, uint8_t flags,
                           int string_arg = -1, int stack_arg = -1) {
  V2EventSpec s;
  s.name = name;
  for (std::string_view a : args) s.args[s.nargs++] = a;
  s.string_arg = static_cast<int8_t>(string_arg);
  s.stack_arg = static_cast<int8_t>(stack_arg);
  s.timed = (flags & kTimed) != 0;
  s.has_data = (flags & kData) != 0;
  s.is_stack = (flags & kFrames) != 0;
  s.experimental = (flags & kExperimental) != 0;
  return s;
}

using Table = std::array<V2EventSpec, 256>;

constexpr void AddStructural(Table& t) {
  t[kV2EventBatch] = Spec("EventBatch", {"gen", "m", "time", "size"}, 0);
  t[kV2Stacks] = Spec("Stacks", {}, 0);
  t[kV2Stack] = Spec("Stack", {"id", "nframes"}, kFrames);
  t[kV2Strings] = Spec("Strings", {}, 0);
  t[kV2String] = Spec("String", {"id"}, kData);
  t[kV2CpuSamples] = Spec("CPUSamples", {}, 0);
  t[kV2CpuSample] = Spec("CPUSample", {"time", "m", "p", "g", "stack"}, 0, -1, 4);
  t[kV2Frequency] = Spec("Frequency", {"freq"}, 0);
  t[kV2ExperimentalBatch] = Spec("ExperimentalBatch", {"exp", "gen", "m", "time"}, kData);
  t[kV2Sync] = Spec("Sync", {}, 0);
  t[kV2EndOfGeneration] = Spec("EndOfGeneration", {}, 0);
}

constexpr void AddScheduling(Table& t) {
  t[kV2ProcsChange] = Spec("ProcsChange", {"dt", "procs_value", "stack"}, kTimed, -1, 2);
  t[kV2ProcStart] = Spec("ProcStart", {"dt", "p", "p_seq"}, kTimed);
  t[kV2ProcStop] = Spec("ProcStop", {"dt"}, kTimed);
  t[kV2ProcSteal] = Spec("ProcSteal", {"dt", "p", "p_seq", "m"}, kTimed);
  t[kV2ProcStatus] = Spec("ProcStatus", {"dt", "p", "pstatus"}, kTimed);
  t[kV2GoCreate] = Spec("GoCreate", {"dt", "new_g", "new_stack", "stack"}, kTimed, -1, 3);
  t[kV2GoCreateSyscall] = Spec("GoCreateSyscall", {"dt", "new_g"}, kTimed);
  t[kV2GoStart] = Spec("GoStart", {"dt", "g", "g_seq"}, kTimed);
  t[kV2GoDestroy] = Spec("GoDestroy", {"dt"}, kTimed);
  t[kV2GoDestroySyscall] = Spec("GoDestroySyscall", {"dt"}, kTimed);
  t[kV2GoStop] = Spec("GoStop", {"dt", "reason_string", "stack"}, kTimed, 1, 2);
  t[kV2GoBlock] = Spec("GoBlock", {"dt", "reason_string", "stack"}, kTimed, 1, 2);
  t[kV2GoUnblock] = Spec("GoUnblock", {"dt", "g", "g_seq", "stack"}, kTimed, -1, 3);
  t[kV2GoSyscallBegin] = Spec("GoSyscallBegin", {"dt", "p_seq", "stack"}, kTimed, -1, 2);
  t[kV2GoSyscallEnd] = Spec("GoSyscallEnd", {"dt"}, kTimed);
  t[kV2GoSyscallEndBlocked] = Spec("GoSyscallEndBlocked", {"dt"}, kTimed);
  t[kV2GoStatus] = Spec("GoStatus", {"dt", "g", "m", "gstatus"}, kTimed);
  t[kV2GoSwitch] = Spec("GoSwitch", {"dt", "g", "g_seq"}, kTimed);
  t[kV2GoSwitchDestroy] = Spec("GoSwitchDestroy", {"dt", "g", "g_seq"}, kTimed);
  t[kV2GoCreateBlocked] = Spec("GoCreateBlocked", {"dt", "new_g", "new_stack", "stack"}, kTimed, -1, 3);
  t[kV2GoStatusStack] = Spec("GoStatusStack", {"dt", "g", "m", "gstatus", "stack"}, kTimed, -1, 4);
  t[kV2ClockSnapshot] = Spec("ClockSnapshot", {"dt", "mono", "sec", "nsec"}, kTimed);
}

constexpr void AddGcAndAnnotations(Table& t) {
  t[kV2StwBegin] = Spec("STWBegin", {"dt", "kind_string", "stack"}, kTimed, 1, 2);
  t[kV2StwEnd] = Spec("STWEnd", {"dt"}, kTimed);
  t[kV2GcActive] = Spec("GCActive", {"dt", "gc_seq"}, kTimed);
  t[kV2GcBegin] = Spec("GCBegin", {"dt", "gc_seq", "stack"}, kTimed, -1, 2);
  t[kV2GcEnd] = Spec("GCEnd", {"dt", "gc_seq"}, kTimed);
  t[kV2GcSweepActive] = Spec("GCSweepActive", {"dt", "p"}, kTimed);
  t[kV2GcSweepBegin] = Spec("GCSweepBegin", {"dt", "stack"}, kTimed, -1, 1);
  t[kV2GcSweepEnd] = Spec("GCSweepEnd", {"dt", "swept_value", "reclaimed_value"}, kTimed);
  t[kV2GcMarkAssistActive] = Spec("GCMarkAssistActive", {"dt", "g"}, kTimed);
  t[kV2GcMarkAssistBegin] = Spec("GCMarkAssistBegin", {"dt", "stack"}, kTimed, -1, 1);
  t[kV2GcMarkAssistEnd] = Spec("GCMarkAssistEnd", {"dt"}, kTimed);
  t[kV2HeapAlloc] = Spec("HeapAlloc", {"dt", "heapalloc_value"}, kTimed);
  t[kV2HeapGoal] = Spec("HeapGoal", {"dt", "heapgoal_value"}, kTimed);
  t[kV2GoLabel] = Spec("GoLabel", {"dt", "label_string"}, kTimed, 1);
  t[kV2UserTaskBegin] = Spec("UserTaskBegin", {"dt", "task", "parent_task", "name_string", "stack"}, kTimed, 3, 4);
  t[kV2UserTaskEnd] = Spec("UserTaskEnd", {"dt", "task", "stack"}, kTimed, -1, 2);
  t[kV2UserRegionBegin] = Spec("UserRegionBegin", {"dt", "task", "name_string", "stack"}, kTimed, 2, 3);
  t[kV2UserRegionEnd] = Spec("UserRegionEnd", {"dt", "task", "name_string", "stack"}, kTimed, 2, 3);
  t[kV2UserLog] = Spec("UserLog", {"dt", "task", "key_string", "value_string", "stack"}, kTimed, 2, 4);
}

// The AllocFree experiment (heap spans, objects, goroutine stacks).
constexpr void AddExperimental(Table& t) {
  constexpr uint8_t kExp = kTimed | kExperimental;
  t[128] = Spec("Span", {"dt", "id", "npages_value", "kindclass"}, kExp);
  t[129] = Spec("SpanAlloc", {"dt", "id", "npages_value", "kindclass"}, kExp);
  t[130] = Spec("SpanFree", {"dt", "id"}, kExp);
  t[131] = Spec("HeapObject", {"dt", "id", "type"}, kExp);
  t[132] = Spec("HeapObjectAlloc", {"dt", "id", "type"}, kExp);
  t[133] = Spec("HeapObjectFree", {"dt", "id"}, kExp);
  t[134] = Spec("GoroutineStack", {"dt", "id", "order"}, kExp);
  t[135] = Spec("GoroutineStackAlloc", {"dt", "id", "order"}, kExp);
  t[136] = Spec("GoroutineStackFree", {"dt", "id"}, kExp);
}

constexpr Table MakeTable() {
  Table t{};
  AddStructural(t);
  AddScheduling(t);
  AddGcAndAnnotations(t);
  AddExperimental(t);
  return t;
}

constexpr Table kTable = MakeTable();

// The highest ordinary type byte each version knows.
int LastType(int go_minor) {
  switch (go_minor) {
    case 22: return kV2UserLog;
    case 23: return kV2ExperimentalBatch;
    case 25: return kV2ClockSnapshot;
    case 26: return kV2EndOfGeneration;
    default: return 0;
  }
}

}  // namespace

const V2EventSpec* V2Spec(int go_minor, uint8_t type) {
  const int last = LastType(go_minor);
  const bool known = (type >= kV2EventBatch && type <= last) ||
                     (go_minor >= 23 && type >= kV2FirstExperimental && type <= kV2LastExperimental);
  return known ? &kTable[type] : nullptr;
}

uint8_t V2TypeByName(int go_minor, std::string_view name) {
  for (int type = 1; type < 256; ++type) {
    const V2EventSpec* spec = V2Spec(go_minor, static_cast<uint8_t>(type));
    if (spec != nullptr && spec->name == name) return static_cast<uint8_t>(type);
  }
  return 0;
}

namespace {

const char* SkipFrames(const uint8_t** q, const uint8_t* end, V2WireEvent* ev) {
  const uint64_t nframes = ev->args[1];
  if (nframes > kV2MaxFrames) return "a stack of more frames than the format allows (128)";
  for (uint64_t f = 0; f < nframes; ++f) {
    uint64_t frame[4];
    for (uint64_t& v : frame) {
      if (!V2ReadUvarint(q, end, &v)) return "its frames run past the end of the batch";
    }
    if (f == 0) ev->top_func = frame[1];
  }
  return nullptr;
}

}  // namespace

const char* V2ReadEvent(int go_minor, const uint8_t** p, const uint8_t* end, V2WireEvent* ev) {
  const uint8_t* q = *p;
  ev->at = q;
  ev->type = *q++;
  ev->spec = V2Spec(go_minor, ev->type);
  if (ev->spec == nullptr) return "unknown event type";
  for (int i = 0; i < ev->spec->nargs; ++i) {
    if (!V2ReadUvarint(&q, end, &ev->args[i])) return "its arguments run past the end of the batch";
  }
  ev->top_func = 0;
  if (ev->spec->is_stack) {
    if (const char* why = SkipFrames(&q, end, ev)) return why;
  }
  if (ev->spec->has_data) {
    uint64_t len = 0;
    if (!V2ReadUvarint(&q, end, &len) || len > static_cast<uint64_t>(end - q)) {
      return "its data runs past the end of the batch";
    }
    if (len > kV2MaxDataBytes) return "a string longer than the format allows (1024 bytes)";
    ev->data = std::string_view(reinterpret_cast<const char*>(q), len);
    q += len;
  }
  *p = q;
  return nullptr;
}

}  // namespace gcpilot
