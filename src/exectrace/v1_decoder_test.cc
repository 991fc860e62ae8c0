// The v1 decoder on traces hand-written in the text form: how P and
// goroutine are resolved, what each wire event becomes, time order, chunk
// boundaries, truncation and corruption.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "exectrace/trace_reader.h"
#include "exectrace/v1_test_util.h"
#include "exectrace/v1_wire.h"

namespace gcpilot {
namespace {

using v1test::Encode;
using v1test::Recorder;

// Two Ps. P0: a goroutine's GC start, a sweep-termination STW, a syscall
// that returns at once and one that blocks. P1: a GC worker (label) that
// assists and blocks on the network, then the blocked syscall's return.
// 500 MHz ticks: 2 ns each.
constexpr std::string_view kTwoPs = R"txt(Trace Go1.19
EventBatch p=0 time=1000
ProcStart dt=1 thread=7
GoStart dt=1 g=5 seq=0
GCStart dt=2 seq=1 stack=0
GCSTWStart dt=1 kindid=1
GCSTWDone dt=1
GoSysCall dt=1 stack=0
GoSysCall dt=1 stack=0
GoSysBlock dt=1
ProcStop dt=1
EventBatch p=1 time=1003
ProcStart dt=1 thread=8
GoStartLabel dt=1 g=9 seq=0 labelid=1
GCMarkAssistStart dt=1 stack=2
GCMarkAssistDone dt=1
GoBlockNet dt=1 stack=0
GoSysExit dt=5 g=5 seq=0 ts=0
EventBatch p=0 time=1020
String id=1
	data="GC (dedicated)"
String id=2
	data="main.handler"
Stack id=2 nframes=1
	pc=100 func=2 file=3 line=10
Frequency freq=500000000
)txt";

Recorder Decode(std::string_view bytes, TraceReadResult* result, Status* status, bool lenient = false) {
  Recorder r;
  TraceReadOptions options;
  options.lenient = lenient;
  *status = ReadTrace(bytes, options, &r, result);
  return r;
}

TEST(V1Decoder, ResolvesPAndGoroutineAndMergesThePsInTimeOrder) {
  const std::string bytes = Encode(kTwoPs);
  TraceReadResult result;
  Status status;
  Recorder r = Decode(bytes, &result, &status);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(r.Text(),
            "0 ProcStart p=0 g=0\n"
            "2 GoStart p=0 g=5\n"
            "6 GcBegin p=0 g=5 a=1\n"
            "6 ProcStart p=1 g=0\n"
            "8 StwBegin p=0 g=5 text=\"GC sweep termination\"\n"
            "8 GoStart p=1 g=9 text=\"GC (dedicated)\"\n"
            "10 StwEnd p=0 g=5\n"
            "10 AssistBegin p=1 g=9 fn=\"main.handler\"\n"
            "12 GoSyscall p=0 g=5\n"
            "12 GoSyscallEnd p=0 g=5\n"
            "12 AssistEnd p=1 g=9\n"
            "14 GoSyscall p=0 g=5\n"
            "14 GoBlock p=1 g=9 text=\"network\"\n"
            "18 ProcStop p=0 g=0\n"
            "24 GoSyscallBlocked p=1 g=5\n");
  EXPECT_EQ(r.starts_, 1);
  EXPECT_EQ(r.finishes_, 1);
  EXPECT_EQ(r.info_.go_minor, 19);
  EXPECT_FALSE(r.info_.v2);
  EXPECT_EQ(r.info_.frequency, 500000000);
  EXPECT_EQ(r.info_.monotonic_offset_ns, -1);
  EXPECT_EQ(result.batches, 3);
  EXPECT_EQ(result.events, 19);  // every wire event but the 3 batch headers
  EXPECT_FALSE(result.truncated);
}

TEST(V1Decoder, GivesEachStopAndBlockItsReasonInTheRuntimesWords) {
  std::string text = "Trace Go1.19\nEventBatch p=2 time=10\n";
  const char* const kEvents[] = {"GoStop",      "GoSched",     "GoPreempt",   "GoSleep",
                                 "GoBlock",     "GoBlockSend", "GoBlockRecv", "GoBlockSelect",
                                 "GoBlockSync", "GoBlockCond", "GoBlockGC"};
  for (const char* ev : kEvents) text += std::string("GoStartLocal dt=1 g=3\n") + ev + " dt=1 stack=0\n";
  text += "Frequency freq=1000000000\n";
  TraceReadResult result;
  Status status;
  Recorder r = Decode(Encode(text), &result, &status);
  ASSERT_TRUE(status.ok()) << status.message();
  std::string stops;
  for (const std::string& line : r.lines_) {
    if (line.find("GoStart") == std::string::npos) stops += line.substr(line.find(' ') + 1) + "\n";
  }
  EXPECT_EQ(stops,
            "GoBlock p=2 g=3 text=\"forever\"\n"
            "GoStop p=2 g=3 text=\"runtime.Gosched\"\n"
            "GoStop p=2 g=3 text=\"preempted\"\n"
            "GoBlock p=2 g=3 text=\"sleep\"\n"
            "GoBlock p=2 g=3\n"
            "GoBlock p=2 g=3 text=\"chan send\"\n"
            "GoBlock p=2 g=3 text=\"chan receive\"\n"
            "GoBlock p=2 g=3 text=\"select\"\n"
            "GoBlock p=2 g=3 text=\"sync\"\n"
            "GoBlock p=2 g=3 text=\"sync.(*Cond).Wait\"\n"
            "GoBlock p=2 g=3 text=\"GC mark assist wait for work\"\n");
}

TEST(V1Decoder, TasksRegionsStatusesAndTheGoroutineAnEventNames) {
  constexpr std::string_view kText = R"txt(Trace Go1.19
EventBatch p=18446744073709551615 time=5
GoCreate dt=1 g=7 new_stack=1 stack=0
GoWaiting dt=1 g=7
GoInSyscall dt=1 g=8
EventBatch p=0 time=9
GoStart dt=1 g=7 seq=0
UserTaskCreate dt=1 taskid=4 pid=0 typeid=3 stack=0
UserRegion dt=1 taskid=4 mode=0 typeid=3 stack=0
UserLog dt=1 id=4 keyid=3 stack=0
	data="a message"
UserRegion dt=1 taskid=4 mode=1 typeid=3 stack=0
UserTaskEnd dt=1 taskid=4 stack=0
GoUnblockLocal dt=1 g=8 stack=0
HeapAlloc dt=1 mem=4096
HeapGoal dt=1 mem=8192
Gomaxprocs dt=1 procs=4 stack=0
GCSweepStart dt=1 stack=0
GCSweepDone dt=1 swept=100 reclaimed=50
GoEnd dt=1
GCDone dt=1
String id=2
	data="main.worker"
String id=3
	data="pay"
Stack id=1 nframes=1
	pc=9 func=2 file=2 line=1
Frequency freq=1000000000
)txt";
  TraceReadResult result;
  Status status;
  Recorder r = Decode(Encode(kText), &result, &status);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(r.Text(),
            "0 GoCreate p=-1 g=0 a=7 fn=\"main.worker\"\n"
            "1 GoStatus p=-1 g=0 a=7 b=2\n"
            "2 GoStatus p=-1 g=0 a=8 b=3\n"
            "4 GoStart p=0 g=7\n"
            "5 TaskBegin p=0 g=7 a=4 text=\"pay\"\n"
            "6 RegionBegin p=0 g=7 a=4 text=\"pay\"\n"
            "8 RegionEnd p=0 g=7 a=4 text=\"pay\"\n"
            "9 TaskEnd p=0 g=7 a=4\n"
            "10 GoUnblock p=0 g=7 a=8\n"
            "11 HeapAlloc p=0 g=7 a=4096\n"
            "12 HeapGoal p=0 g=7 a=8192\n"
            "13 Procs p=0 g=7 a=4\n"
            "14 SweepBegin p=0 g=7\n"
            "15 SweepEnd p=0 g=7 a=100 b=50\n"
            "16 GoEnd p=0 g=7\n"
            "17 GcEnd p=0 g=0\n");
}

// Go 1.21 numbers its stop-the-world kinds by reason; earlier versions
// wrote 0 (mark termination) or 1 (sweep termination).
TEST(V1Decoder, ReadsStwKindsAsTheVersionDefinesThem) {
  auto reasons = [](std::string_view version, std::string_view kinds) {
    std::string text = "Trace Go1." + std::string(version) + "\nEventBatch p=0 time=1\n";
    for (char k : kinds) text += std::string("GCSTWStart dt=1 kindid=") + k + "\nGCSTWDone dt=1\n";
    text += "Frequency freq=1000000000\n";
    TraceReadResult result;
    Status status;
    Recorder r = Decode(Encode(text), &result, &status);
    std::string out;
    for (size_t i = 0; i < r.lines_.size(); i += 2) out += r.lines_[i].substr(r.lines_[i].find("text")) + ";";
    return status.ok() ? out : status.message();
  };
  EXPECT_EQ(reasons("11", "01"), "text=\"GC mark termination\";text=\"GC sweep termination\";");
  EXPECT_EQ(reasons("19", "01"), "text=\"GC mark termination\";text=\"GC sweep termination\";");
  EXPECT_EQ(reasons("21", "1279"),
            "text=\"GC mark termination\";text=\"GC sweep termination\";text=\"read mem stats\";"
            "text=\"GOMAXPROCS\";");
}

// CPU samples exist from Go 1.19 on; the runtime writes them late, into
// batches of their own, so they take no part in the order and are dropped.
TEST(V1Decoder, DropsCpuSamplesAndRefusesThemBeforeGo119) {
  constexpr std::string_view kSamples = R"txt(EventBatch p=0 time=100
GoStart dt=1 g=3 seq=0
GoEnd dt=1
EventBatch p=0 time=50
CPUSample dt=1 ts=51 p=0 g=3 stack=0
EventBatch p=0 time=200
GoStart dt=1 g=4 seq=0
Frequency freq=1000000000
)txt";
  TraceReadResult result;
  Status status;
  Recorder r = Decode(Encode("Trace Go1.19\n" + std::string(kSamples)), &result, &status);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(r.Text(), "0 GoStart p=0 g=3\n1 GoEnd p=0 g=3\n100 GoStart p=0 g=4\n");
  EXPECT_EQ(result.events, 5);

  const StatusOr<std::string> in111 = EncodeTraceText("Trace Go1.11\n" + std::string(kSamples));
  EXPECT_EQ(in111.status().message(), "line 6: no event \"CPUSample\" in a go 1.11 trace");
  std::string bytes = Encode("Trace Go1.19\n" + std::string(kSamples));
  bytes.replace(0, 16, std::string("go 1.11 trace\0\0\0", 16));
  Decode(bytes, &result, &status);
  EXPECT_EQ(status.message(), "offset 28: unknown event type 49 in a go 1.11 trace");
}

TEST(V1Decoder, GivesTheSameEventsForEveryChunkSplit) {
  const std::string bytes = Encode(kTwoPs);
  TraceReadResult result;
  Status status;
  const std::string whole = Decode(bytes, &result, &status).Text();
  ASSERT_TRUE(status.ok());
  ASSERT_NO_FATAL_FAILURE(v1test::ExpectSameEventsAtEverySplit(bytes, whole));
  Recorder bytewise;
  TraceReader reader({}, &bytewise);
  for (char c : bytes) ASSERT_TRUE(reader.Feed(std::string_view(&c, 1), /*stable=*/false).ok());
  ASSERT_TRUE(reader.Finish(&result).ok());
  EXPECT_EQ(bytewise.Text(), whole);
}

// The offsets where events start in `bytes` (after the header).
std::vector<size_t> EventStarts(const std::string& bytes, int minor) {
  std::vector<size_t> starts;
  const std::string_view body = std::string_view(bytes).substr(kTraceHeaderBytes);
  V1WireEvent ev;
  std::string error;
  for (size_t pos = 0; ReadV1Event(body, pos, minor, &ev, &error) == V1Read::kEvent; pos += ev.size) {
    starts.push_back(kTraceHeaderBytes + pos);
  }
  return starts;
}

// A trace cut anywhere is read up to the event the cut falls in; every
// event before it is still handed on.
TEST(V1Decoder, ATruncatedTraceSaysWhereAndKeepsWhatCameBefore) {
  const std::string bytes = Encode(kTwoPs);
  const std::vector<size_t> starts = EventStarts(bytes, 19);
  TraceReadResult result;
  Status status;
  const Recorder whole = Decode(bytes, &result, &status);
  for (size_t cut = kTraceHeaderBytes; cut < bytes.size(); ++cut) {
    Recorder r = Decode(std::string_view(bytes).substr(0, cut), &result, &status);
    ASSERT_TRUE(result.truncated) << cut;
    // The event holding byte `cut`, or `cut` itself where an event starts there.
    const size_t expected = *(std::upper_bound(starts.begin(), starts.end(), cut) - 1);
    ASSERT_EQ(result.truncated_at, static_cast<int64_t>(expected)) << cut;
    // Frequency comes last, so every cut loses it: the events are handed on,
    // but no time can be trusted, and the reader says so.
    ASSERT_EQ(status.message(), fmt::format("offset {}: the trace ends before its Frequency event (Go 1.11-1.21 "
                                            "write it last, so the file was cut off): without the tick rate no "
                                            "time in it can be known",
                                            expected))
        << cut;
    EXPECT_FALSE(r.decreased_);
    std::vector<std::pair<int64_t, TraceEventKind>> want, got;
    for (size_t i = 0; i < whole.kinds_.size(); ++i) {
      if (whole.offsets_[i] < result.truncated_at && whole.kinds_[i] != TraceEventKind::kGoSyscallEnd) {
        want.emplace_back(whole.offsets_[i], whole.kinds_[i]);
      }
    }
    for (size_t i = 0; i < r.kinds_.size(); ++i) {
      if (r.kinds_[i] != TraceEventKind::kGoSyscallEnd) got.emplace_back(r.offsets_[i], r.kinds_[i]);
    }
    ASSERT_EQ(got, want) << "cut at " << cut;
  }
}

TEST(V1Decoder, ACorruptEventFailsWithItsOffsetOrLenientlySkipsItsBatch) {
  std::string bytes = Encode(kTwoPs);
  const std::vector<size_t> starts = EventStarts(bytes, 19);
  // The second batch's GoStartLabel (event 12: header 16, P0's 10 events, P1's header and ProcStart).
  const size_t bad = starts[12];
  ASSERT_EQ(static_cast<uint8_t>(bytes[bad]) & 0x3f, 41);
  bytes[bad] = static_cast<char>(0xc0 | 63);
  TraceReadResult result;
  Status status;
  Recorder strict = Decode(bytes, &result, &status);
  EXPECT_EQ(status.message(), fmt::format("offset {}: unknown event type 63 in a go 1.19 trace", bad));
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_EQ(strict.Count(TraceEventKind::kProcStart), 2);  // P0's, and P1's before the bad event
  EXPECT_EQ(strict.Count(TraceEventKind::kGoSyscallBlocked), 0);

  Recorder lenient = Decode(bytes, &result, &status, /*lenient=*/true);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(result.skipped_batches, 1);
  ASSERT_EQ(result.skipped.size(), 1u);
  EXPECT_EQ(result.skipped[0].offset, static_cast<int64_t>(bad));
  EXPECT_EQ(result.skipped[0].message, "unknown event type 63 in a go 1.19 trace");
  EXPECT_EQ(result.batches, 2);  // P1's is gone, the tables' batch is found again
  EXPECT_EQ(lenient.Count(TraceEventKind::kProcStart), 1) << lenient.Text();
  EXPECT_EQ(lenient.Count(TraceEventKind::kStwBegin), 1);
  EXPECT_EQ(lenient.info_.frequency, 500000000);
}

TEST(V1Decoder, NamesWhatIsWrongWithAMalformedEvent) {
  auto error_of = [](std::string_view batch_bytes) {
    std::string bytes("go 1.19 trace\0\0\0", 16);
    bytes += std::string("\x41\x00\x01", 3);  // EventBatch p=0 time=1
    bytes += batch_bytes;
    TraceReadResult result;
    Status status;
    Decode(bytes, &result, &status);
    return status.message();
  };
  EXPECT_EQ(error_of("\xa1\x01\x02\x03"), "offset 19: HeapAlloc has 3 values, it needs 2");
  EXPECT_EQ(error_of("\xcd\xb8\x17"), "offset 19: GoCreate: argument length 3000 is past the limit of 2048 bytes");
  EXPECT_EQ(error_of("\xcd\x02\x81\x81"), "offset 19: GoCreate: an argument runs past the event's length");
  EXPECT_EQ(error_of("\xcd\x02\x01\x05"), "offset 19: GoCreate has 2 values, it needs 4");
  EXPECT_EQ(error_of("\x25\x01\xc1\x84\x3d"), "offset 19: String: length 1000001 is past the limit of 1000000 bytes");
  EXPECT_EQ(error_of("\x06\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f"),
            "offset 19: ProcStop: malformed uvarint argument");
  EXPECT_EQ(error_of(std::string("\x01\x00", 2)), "offset 19: Batch has 1 values, it needs 2");
  EXPECT_EQ(error_of(std::string("\xc3\x06\x01\x02\x00\x00\x00\x00", 8)),
            "offset 19: Stack: 2 frames need 10 values, it has 6");
}

TEST(V1Decoder, AnEventBeforeAnyBatchIsCorrupt) {
  std::string bytes("go 1.19 trace\0\0\0\x06\x01", 18);
  TraceReadResult result;
  Status status;
  Decode(bytes, &result, &status);
  EXPECT_EQ(status.message(), "offset 16: an event before the first Batch header");
}

}  // namespace
}  // namespace gcpilot
