#include "exectrace/v1_events.h"

#include <array>

namespace gcpilot {
namespace {

using A = std::string_view;
constexpr A kBatch[] = {"p", "time"};
constexpr A kFreq[] = {"freq"};
constexpr A kStack[] = {"id", "nframes"};
constexpr A kProcs[] = {"procs"};
constexpr A kThread[] = {"thread"};
constexpr A kSeq[] = {"seq"};
constexpr A kKind[] = {"kindid"};
constexpr A kSwept[] = {"swept", "reclaimed"};
constexpr A kCreate[] = {"g", "new_stack"};
constexpr A kGSeq[] = {"g", "seq"};
constexpr A kSysExit[] = {"g", "seq", "ts"};
constexpr A kG[] = {"g"};
constexpr A kMem[] = {"mem"};
constexpr A kString[] = {"id"};
constexpr A kGTs[] = {"g", "ts"};
constexpr A kLabel[] = {"g", "seq", "labelid"};
constexpr A kTask[] = {"taskid", "pid", "typeid"};
constexpr A kTaskEnd[] = {"taskid"};
constexpr A kRegion[] = {"taskid", "mode", "typeid"};
constexpr A kLog[] = {"id", "keyid"};
constexpr A kSample[] = {"ts", "p", "g"};

constexpr std::span<const A> kNoArgs{};

struct Row {
  int type;
  V1EventSpec spec;
};

// {name, args, timed, has_stack, min_minor}
constexpr Row kRows[] = {
    {kV1Batch, {"Batch", kBatch, false, false}},
    {kV1Frequency, {"Frequency", kFreq, false, false}},
    {kV1Stack, {"Stack", kStack, false, false}},
    {kV1Gomaxprocs, {"Gomaxprocs", kProcs, true, true}},
    {kV1ProcStart, {"ProcStart", kThread, true, false}},
    {kV1ProcStop, {"ProcStop", kNoArgs, true, false}},
    {kV1GCStart, {"GCStart", kSeq, true, true}},
    {kV1GCDone, {"GCDone", kNoArgs, true, false}},
    {kV1STWStart, {"GCSTWStart", kKind, true, false}},
    {kV1STWDone, {"GCSTWDone", kNoArgs, true, false}},
    {kV1GCSweepStart, {"GCSweepStart", kNoArgs, true, true}},
    {kV1GCSweepDone, {"GCSweepDone", kSwept, true, false}},
    {kV1GoCreate, {"GoCreate", kCreate, true, true}},
    {kV1GoStart, {"GoStart", kGSeq, true, false}},
    {kV1GoEnd, {"GoEnd", kNoArgs, true, false}},
    {kV1GoStop, {"GoStop", kNoArgs, true, true}},
    {kV1GoSched, {"GoSched", kNoArgs, true, true}},
    {kV1GoPreempt, {"GoPreempt", kNoArgs, true, true}},
    {kV1GoSleep, {"GoSleep", kNoArgs, true, true}},
    {kV1GoBlock, {"GoBlock", kNoArgs, true, true}},
    {kV1GoUnblock, {"GoUnblock", kGSeq, true, true}},
    {kV1GoBlockSend, {"GoBlockSend", kNoArgs, true, true}},
    {kV1GoBlockRecv, {"GoBlockRecv", kNoArgs, true, true}},
    {kV1GoBlockSelect, {"GoBlockSelect", kNoArgs, true, true}},
    {kV1GoBlockSync, {"GoBlockSync", kNoArgs, true, true}},
    {kV1GoBlockCond, {"GoBlockCond", kNoArgs, true, true}},
    {kV1GoBlockNet, {"GoBlockNet", kNoArgs, true, true}},
    {kV1GoSysCall, {"GoSysCall", kNoArgs, true, true}},
    {kV1GoSysExit, {"GoSysExit", kSysExit, true, false}},
    {kV1GoSysBlock, {"GoSysBlock", kNoArgs, true, false}},
    {kV1GoWaiting, {"GoWaiting", kG, true, false}},
    {kV1GoInSyscall, {"GoInSyscall", kG, true, false}},
    {kV1HeapAlloc, {"HeapAlloc", kMem, true, false}},
    {kV1HeapGoal, {"HeapGoal", kMem, true, false}},
    {kV1TimerGoroutine, {"TimerGoroutine", kG, false, false}},
    {kV1FutileWakeup, {"FutileWakeup", kNoArgs, true, false}},
    {kV1String, {"String", kString, false, false}},
    {kV1GoStartLocal, {"GoStartLocal", kG, true, false}},
    {kV1GoUnblockLocal, {"GoUnblockLocal", kG, true, true}},
    {kV1GoSysExitLocal, {"GoSysExitLocal", kGTs, true, false}},
    {kV1GoStartLabel, {"GoStartLabel", kLabel, true, false}},
    {kV1GoBlockGC, {"GoBlockGC", kNoArgs, true, true}},
    {kV1GCMarkAssistStart, {"GCMarkAssistStart", kNoArgs, true, true}},
    {kV1GCMarkAssistDone, {"GCMarkAssistDone", kNoArgs, true, false}},
    {kV1UserTaskCreate, {"UserTaskCreate", kTask, true, true}},
    {kV1UserTaskEnd, {"UserTaskEnd", kTaskEnd, true, true}},
    {kV1UserRegion, {"UserRegion", kRegion, true, true}},
    {kV1UserLog, {"UserLog", kLog, true, true}},
    {kV1CPUSample, {"CPUSample", kSample, true, true, 19}},
};

constexpr std::array<const V1EventSpec*, kV1TypeCount> MakeTable() {
  std::array<const V1EventSpec*, kV1TypeCount> table{};
  for (const Row& row : kRows) table[row.type] = &row.spec;
  return table;
}
constexpr std::array<const V1EventSpec*, kV1TypeCount> kTable = MakeTable();

// Go 1.21's stop-the-world reasons by number, in the runtime's words.
constexpr std::string_view kStwReasons121[] = {
    "",
    "GC mark termination",
    "GC sweep termination",
    "write heap dump",
    "goroutine profile",
    "goroutine profile cleanup",
    "all goroutine stack trace",
    "read mem stats",
    "AllThreadsSyscall",
    "GOMAXPROCS",
    "start trace",
    "stop trace",
    "CountPagesInUse (test)",
    "ReadMetricsSlow (test)",
    "ReadMemStatsSlow (test)",
    "PageCachePagesLeaked (test)",
    "ResetDebugLog (test)",
};

}  // namespace

const V1EventSpec* V1Spec(int type, int go_minor) {
  if (type <= kV1None || type >= kV1TypeCount) return nullptr;
  const V1EventSpec* spec = kTable[type];
  return spec != nullptr && go_minor >= spec->min_minor ? spec : nullptr;
}

int V1TypeByName(std::string_view name) {
  for (const Row& row : kRows) {
    if (row.spec.name == name) return row.type;
  }
  return -1;
}

std::string_view V1StwReason(int go_minor, uint64_t kind) {
  if (go_minor >= 21) return kind < std::size(kStwReasons121) ? kStwReasons121[kind] : "";
  // Before 1.21 the runtime wrote 0 at mark termination, 1 at sweep termination.
  if (kind == 0) return kStwReasons121[1];
  if (kind == 1) return kStwReasons121[2];
  return "";
}

std::string_view V1BlockReason(int type) {
  switch (type) {
    case kV1GoStop:
      return "forever";
    case kV1GoSched:
      return "runtime.Gosched";
    case kV1GoPreempt:
      return "preempted";
    case kV1GoSleep:
      return "sleep";
    case kV1GoBlockSend:
      return "chan send";
    case kV1GoBlockRecv:
      return "chan receive";
    case kV1GoBlockSelect:
      return "select";
    case kV1GoBlockSync:
      return "sync";
    case kV1GoBlockCond:
      return "sync.(*Cond).Wait";
    case kV1GoBlockNet:
      return "network";
    case kV1GoBlockGC:
      return "GC mark assist wait for work";
    default:
      return "";
  }
}

}  // namespace gcpilot
