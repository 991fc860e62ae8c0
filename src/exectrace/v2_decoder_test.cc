#include "exectrace/v2_decoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <tuple>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "base/read_file.h"
#include "exectrace/v2_framing.h"
#include "exectrace/v2_test_util.h"

namespace gcpilot {
namespace {

using testing::LoadV2Fixtures;
using testing::V2Fixture;
using Kind = TraceEventKind;

struct Event {
  Kind kind;
  int32_t p;
  int64_t g, ns, a, b, offset;
  std::string text, function;
  bool operator==(const Event&) const = default;
};

class Collect final : public TraceSink {
 public:
  void OnStart(const TraceInfo& info) override {
    info_ = info;
    ++starts_;
  }
  void OnEvent(const TraceEvent& e) override {
    events_.push_back({e.kind, e.p, e.g, e.ns, e.a, e.b, e.offset, std::string(e.text), std::string(e.function)});
  }
  void OnFinish() override { ++finishes_; }
  int Count(Kind k) const {
    int n = 0;
    for (const Event& e : events_) n += e.kind == k;
    return n;
  }
  std::vector<Event> events_;
  TraceInfo info_;
  int starts_ = 0, finishes_ = 0;
};

struct Decoded {
  Collect sink;
  TraceReadResult result;
  Status status;
};

// Reads `bytes` as one stable chunk, or in pieces of `chunk` bytes copied
// (not stable), or split in two at `split`.
void Decode(std::string_view bytes, Decoded* out, size_t chunk = 0, bool lenient = false) {
  TraceReader reader({.lenient = lenient}, &out->sink);
  Status fed;
  if (chunk == 0) {
    fed = reader.Feed(bytes, /*stable=*/true);
  } else {
    for (size_t i = 0; i < bytes.size() && fed.ok(); i += chunk) {
      const std::string piece(bytes.substr(i, chunk));
      fed = reader.Feed(piece, /*stable=*/false);
    }
  }
  Status finished = reader.Finish(&out->result);
  out->status = fed.ok() ? finished : fed;
}

void DecodeSplit(std::string_view bytes, size_t split, Decoded* out) {
  TraceReader reader({}, &out->sink);
  const std::string first(bytes.substr(0, split)), second(bytes.substr(split));
  Status fed = reader.Feed(first, false);
  if (fed.ok()) fed = reader.Feed(second, false);
  Status finished = reader.Finish(&out->result);
  out->status = fed.ok() ? finished : fed;
}

// Lines of the text form starting with `name` and a space (or ending).
int CountLines(const std::string& text, std::string_view name) {
  int n = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    n += line.starts_with(name) && (line.size() == name.size() || line[name.size()] == ' ');
  }
  return n;
}

// Wire events in the text: every line but the header, batch headers,
// frame and data lines.
int CountWireEvents(const std::string& text) {
  int n = 0;
  std::istringstream lines(text);
  std::string header;
  std::getline(lines, header);  // "Trace Go1.N"
  for (std::string line; std::getline(lines, line);) {
    n += !line.empty() && line[0] != '\t' && !line.starts_with("EventBatch") && line != "EndOfGeneration";
  }
  return n;
}

struct BatchAt {
  int64_t offset, data_offset;
  V2BatchHeader header;
};

// The batches of an encoded trace, framed by the test itself.
std::vector<BatchAt> Batches(int minor, const std::string& bytes) {
  std::vector<BatchAt> out;
  size_t pos = 16;
  while (pos < bytes.size()) {
    V2BatchHeader h;
    std::string why;
    if (V2ParseBatchHeader(minor, std::string_view(bytes).substr(pos), &h, &why) != V2Frame::kComplete) break;
    out.push_back({static_cast<int64_t>(pos), static_cast<int64_t>(pos + h.header_bytes), h});
    pos += h.header_bytes + h.size;
  }
  return out;
}

int Minor(const std::string& bytes) { return (bytes[5] - '0') * 10 + (bytes[6] - '0'); }

TEST(V2Decoder, EveryFixtureGivesTheEventsItsTextCounts) {
  const std::vector<V2Fixture> fixtures = LoadV2Fixtures();
  SKIP_WITHOUT_V2_FIXTURES(fixtures);
  for (const V2Fixture& f : fixtures) {
    if (!f.success()) continue;
    SCOPED_TRACE(f.name);
    Decoded d;
    Decode(*EncodeTraceText(f.text), &d);
    ASSERT_TRUE(d.status.ok()) << d.status.message();
    const std::string& t = f.text;
    EXPECT_EQ(d.result.events, CountWireEvents(t));
    EXPECT_EQ(d.result.batches, CountLines(t, "EventBatch"));
    EXPECT_EQ(d.sink.Count(Kind::kAssistBegin), CountLines(t, "GCMarkAssistBegin"));
    EXPECT_EQ(d.sink.Count(Kind::kAssistActive), CountLines(t, "GCMarkAssistActive"));
    EXPECT_EQ(d.sink.Count(Kind::kAssistEnd), CountLines(t, "GCMarkAssistEnd"));
    EXPECT_EQ(d.sink.Count(Kind::kStwBegin), CountLines(t, "STWBegin"));
    EXPECT_EQ(d.sink.Count(Kind::kStwEnd), CountLines(t, "STWEnd"));
    EXPECT_EQ(d.sink.Count(Kind::kGcActive), CountLines(t, "GCActive"));
    EXPECT_EQ(d.sink.Count(Kind::kGcBegin), CountLines(t, "GCBegin"));
    EXPECT_EQ(d.sink.Count(Kind::kGcEnd), CountLines(t, "GCEnd"));
    EXPECT_EQ(d.sink.Count(Kind::kSweepBegin), CountLines(t, "GCSweepBegin"));
    EXPECT_EQ(d.sink.Count(Kind::kSweepEnd), CountLines(t, "GCSweepEnd"));
    EXPECT_EQ(d.sink.Count(Kind::kHeapAlloc), CountLines(t, "HeapAlloc"));
    EXPECT_EQ(d.sink.Count(Kind::kHeapGoal), CountLines(t, "HeapGoal"));
    EXPECT_EQ(d.sink.Count(Kind::kProcs), CountLines(t, "ProcsChange"));
    EXPECT_EQ(d.sink.Count(Kind::kGoStart), CountLines(t, "GoStart"));
    EXPECT_EQ(d.sink.Count(Kind::kGoBlock), CountLines(t, "GoBlock"));
    EXPECT_EQ(d.sink.Count(Kind::kGoStop), CountLines(t, "GoStop"));
    EXPECT_EQ(d.sink.Count(Kind::kGoUnblock), CountLines(t, "GoUnblock"));
    EXPECT_EQ(d.sink.Count(Kind::kGoCreate), CountLines(t, "GoCreate") + CountLines(t, "GoCreateSyscall"));
    EXPECT_EQ(d.sink.Count(Kind::kGoEnd), CountLines(t, "GoDestroy") + CountLines(t, "GoDestroySyscall"));
    EXPECT_EQ(d.sink.Count(Kind::kProcStop), CountLines(t, "ProcStop") + CountLines(t, "ProcSteal"));
    EXPECT_EQ(d.sink.Count(Kind::kGoStatus), CountLines(t, "GoStatus"));
    EXPECT_EQ(d.sink.Count(Kind::kGoLabel), CountLines(t, "GoLabel"));
    EXPECT_EQ(d.sink.Count(Kind::kTaskBegin), CountLines(t, "UserTaskBegin"));
    EXPECT_EQ(d.sink.Count(Kind::kTaskEnd), CountLines(t, "UserTaskEnd"));
    EXPECT_EQ(d.sink.Count(Kind::kRegionBegin), CountLines(t, "UserRegionBegin"));
    EXPECT_EQ(d.sink.Count(Kind::kRegionEnd), CountLines(t, "UserRegionEnd"));
    EXPECT_EQ(d.result.dropped_events, CountLines(t, "UserLog") + CountLines(t, "CPUSample"));
    std::set<std::string> gens;
    std::istringstream lines(t);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("EventBatch gen=")) gens.insert(line.substr(15, line.find(' ', 15) - 15));
    }
    EXPECT_EQ(d.result.generations, static_cast<int64_t>(gens.size()));
    EXPECT_EQ(d.sink.starts_, 1);
    EXPECT_EQ(d.sink.finishes_, 1);
    EXPECT_FALSE(d.result.truncated);
    for (size_t i = 1; i < d.sink.events_.size(); ++i) ASSERT_LE(d.sink.events_[i - 1].ns, d.sink.events_[i].ns) << i;
    if (!d.sink.events_.empty()) {
      EXPECT_EQ(d.sink.events_[0].ns, 0);
    }
  }
}

TEST(V2Decoder, GcStressHoldsOneCycleAndItsAssists) {
  const std::string bytes = testing::EncodedV2Fixture("go122-gc-stress.test");
  if (bytes.empty()) GTEST_SKIP() << "shared fixtures absent";
  Decoded d;
  Decode(bytes, &d);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  EXPECT_EQ(d.sink.Count(Kind::kAssistBegin), 158);
  EXPECT_EQ(d.sink.Count(Kind::kAssistActive), 18);
  EXPECT_EQ(d.sink.Count(Kind::kStwBegin), 1);
  EXPECT_EQ(d.sink.Count(Kind::kGcActive), 1);
  EXPECT_EQ(d.sink.Count(Kind::kGcEnd), 1);
  EXPECT_EQ(d.sink.Count(Kind::kSweepBegin), 72);
  EXPECT_EQ(d.result.generations, 1);
  EXPECT_EQ(d.sink.info_.frequency, 15625000);
  EXPECT_TRUE(d.sink.info_.v2);
  EXPECT_EQ(d.sink.info_.go_minor, 22);
  for (const Event& e : d.sink.events_) {
    // STWBegin dt=12586 kind_string=21 stack=21; String id=21 "GC mark termination"
    if (e.kind == Kind::kStwBegin) {
      EXPECT_EQ(e.text, "GC mark termination");
    }
    // EventBatch gen=3 m=169438: ProcStatus p=47 pstatus=1, GoStatus g=111
    // m=169438 gstatus=2, GCMarkAssistActive g=111: on P 47, goroutine 111.
    if (e.kind == Kind::kAssistActive && e.g == 111) {
      EXPECT_EQ(e.p, 47);
    }
  }
  // GoStart g=122; GCMarkAssistEnd; HeapAlloc 194902744; GCMarkAssistBegin
  // stack=3 (its top frame: func=66, the tracer's own
  // "runtime.traceLocker.GCMarkAssistStart").
  int found = 0;
  for (size_t i = 0; i < d.sink.events_.size(); ++i) {
    const Event& e = d.sink.events_[i];
    if (e.kind == Kind::kHeapAlloc && e.a == 194902744) {
      EXPECT_EQ(e.g, 122);
      ++found;
    }
    if (e.kind == Kind::kAssistBegin && e.g == 122 && found == 1) {
      EXPECT_EQ(e.function, "runtime.traceLocker.GCMarkAssistStart");
      ++found;
    }
  }
  EXPECT_EQ(found, 2);
}

TEST(V2Decoder, ResolvesPsGoroutinesStringsAndStartFunctions) {
  const std::string bytes = testing::EncodedV2Fixture("go122-annotations.test");
  if (bytes.empty()) GTEST_SKIP() << "shared fixtures absent";
  Decoded d;
  Decode(bytes, &d);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  // EventBatch gen=1 m=167930: ProcStart p=1, GoStart g=7, HeapAlloc
  // 1892352, GoBlock reason_string=12 ("chan receive").
  bool heap = false, block = false, create = false;
  for (const Event& e : d.sink.events_) {
    if (e.kind == Kind::kHeapAlloc && e.a == 1892352) {
      heap = true;
      EXPECT_EQ(e.p, 1);
      EXPECT_EQ(e.g, 7);
    }
    if (e.kind == Kind::kGoBlock && e.g == 7 && !block) {
      block = true;
      EXPECT_EQ(e.p, 1);
      EXPECT_EQ(e.text, "chan receive");
    }
    // GoCreate new_g=6 new_stack=4: Stack id=4's top frame is func=56.
    if (e.kind == Kind::kGoCreate && e.a == 6) {
      create = true;
      EXPECT_EQ(e.function, "runtime.traceStartReadCPU.func1");
    }
  }
  EXPECT_TRUE(heap && block && create);
}

TEST(V2Decoder, TheClockSnapshotGivesTheMonotonicClockAtZero) {
  const std::string bytes = testing::EncodedV2Fixture("go125-sync.test");
  if (bytes.empty()) GTEST_SKIP() << "shared fixtures absent";
  Decoded d;
  Decode(bytes, &d);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  // Sync batch time=9, ClockSnapshot dt=1 mono=99: trace tick 10 is mono
  // 99 ns; the first event (ProcStatus, batch time=15 dt=1) is tick 16, at
  // 1e9 ticks per second: mono 105.
  EXPECT_EQ(d.sink.info_.frequency, 1000000000);
  EXPECT_EQ(d.sink.info_.monotonic_offset_ns, 105);
  EXPECT_EQ(d.result.generations, 3);
  ASSERT_EQ(d.sink.events_.size(), 1u);  // the running P 0 of generation 1
  EXPECT_EQ(d.sink.events_[0].kind, Kind::kProcStart);
  EXPECT_EQ(d.sink.events_[0].p, 0);
  EXPECT_EQ(d.sink.events_[0].offset, 16 + 14 + 16 + 5);  // after two batch headers and the sync batch
}

TEST(V2Decoder, NanotimeTicksAreTheMonotonicClock) {
  const std::vector<V2Fixture> fixtures = LoadV2Fixtures();
  SKIP_WITHOUT_V2_FIXTURES(fixtures);
  const V2Fixture& f = *std::find_if(fixtures.begin(), fixtures.end(),
                                     [](const V2Fixture& x) { return x.name == "go122-gc-stress.test"; });
  Decoded d;
  Decode(*EncodeTraceText(f.text), &d);
  // 15625000 ticks per second: ticks are nanotime/64. The earliest event:
  // the smallest batch time + first dt of the M batches.
  uint64_t earliest = ~uint64_t{0};
  std::istringstream lines(f.text);
  bool first = false;
  uint64_t time = 0;
  for (std::string line; std::getline(lines, line);) {
    unsigned long gen = 0, m = 0, t = 0, size = 0, dt = 0;
    if (std::sscanf(line.c_str(), "EventBatch gen=%lu m=%lu time=%lu size=%lu", &gen, &m, &t, &size) == 4) {
      first = m != ~0ul;
      time = t;
    } else if (first && std::sscanf(line.c_str(), "%*s dt=%lu", &dt) == 1) {
      earliest = std::min<uint64_t>(earliest, time + dt);
      first = false;
    }
  }
  EXPECT_EQ(d.sink.info_.monotonic_offset_ns, static_cast<int64_t>(earliest * 64));
}

TEST(V2Decoder, TheFailureFixtureIsAnError) {
  const std::vector<V2Fixture> fixtures = LoadV2Fixtures();
  SKIP_WITHOUT_V2_FIXTURES(fixtures);
  int failures = 0;
  for (const V2Fixture& f : fixtures) {
    if (f.success()) continue;
    ++failures;
    EXPECT_EQ(f.name, "go122-create-syscall-with-p.test");
    Decoded d;
    Decode(*EncodeTraceText(f.text), &d);
    // The second GoSyscallEnd: its M lost P 0 at GoDestroySyscall.
    EXPECT_EQ(d.status.message(), "offset 47: GoSyscallEnd: expected a proc but didn't have one");
    EXPECT_EQ(d.sink.Count(Kind::kGoSyscall), 1);
  }
  EXPECT_EQ(failures, 1);
}

TEST(V2Decoder, ChunksCutAnywhereGiveTheSameEvents) {
  const std::string bytes = testing::EncodedV2Fixture("go122-task-across-generations.test") ;
  const std::string annotations = testing::EncodedV2Fixture("go122-annotations.test");
  if (bytes.empty() || annotations.empty()) GTEST_SKIP() << "shared fixtures absent";
  for (const std::string* input : {&bytes, &annotations}) {
    Decoded whole;
    Decode(*input, &whole);
    ASSERT_TRUE(whole.status.ok());
    ASSERT_FALSE(whole.sink.events_.empty());
    for (size_t split = 1; split < input->size(); ++split) {
      Decoded d;
      DecodeSplit(*input, split, &d);
      ASSERT_TRUE(d.status.ok()) << split;
      ASSERT_EQ(d.sink.events_, whole.sink.events_) << split;
      ASSERT_EQ(d.result.events, whole.result.events);
    }
    Decoded bytewise;
    Decode(*input, &bytewise, 1);
    ASSERT_TRUE(bytewise.status.ok());
    EXPECT_EQ(bytewise.sink.events_, whole.sink.events_);
    EXPECT_EQ(bytewise.result.batches, whole.result.batches);
  }
}

TEST(V2Decoder, ATruncatedTraceKeepsTheCompleteBatchesBeforeTheCut) {
  const std::vector<V2Fixture> fixtures = LoadV2Fixtures();
  SKIP_WITHOUT_V2_FIXTURES(fixtures);
  for (const V2Fixture& f : fixtures) {
    if (!f.success()) continue;
    SCOPED_TRACE(f.name);
    const std::string bytes = *EncodeTraceText(f.text);
    const std::vector<BatchAt> batches = Batches(Minor(bytes), bytes);
    for (size_t k = 1; k < batches.size(); k += std::max<size_t>(1, batches.size() / 5)) {
      const BatchAt& cut = batches[k];
      Decoded before, truncated;
      Decode(std::string_view(bytes).substr(0, cut.offset), &before);
      for (int64_t at : {cut.offset + 1, cut.data_offset, cut.data_offset + 1}) {
        if (at >= static_cast<int64_t>(bytes.size()) || at >= cut.data_offset + static_cast<int64_t>(cut.header.size)) {
          continue;
        }
        Decoded d;
        Decode(std::string_view(bytes).substr(0, at), &d, 7);
        ASSERT_TRUE(d.status.ok()) << at << ": " << d.status.message();
        EXPECT_TRUE(d.result.truncated);
        EXPECT_EQ(d.result.truncated_at, cut.offset) << at;
        EXPECT_EQ(d.sink.events_, before.sink.events_) << at;
      }
    }
  }
}

// Replaces batch k's first event type byte by `type`.
std::string WithEventType(std::string bytes, const BatchAt& b, uint8_t type) {
  bytes[b.data_offset] = static_cast<char>(type);
  return bytes;
}

TEST(V2Decoder, ACorruptBatchNamesItsOffsetAndLenientSkipsIt) {
  const std::vector<V2Fixture> fixtures = LoadV2Fixtures();
  SKIP_WITHOUT_V2_FIXTURES(fixtures);
  for (const V2Fixture& f : fixtures) {
    if (!f.success()) continue;
    SCOPED_TRACE(f.name);
    const std::string bytes = *EncodeTraceText(f.text);
    const std::vector<BatchAt> batches = Batches(Minor(bytes), bytes);
    // The middle one of the batches an M wrote.
    std::vector<BatchAt> m_batches;
    for (const BatchAt& b : batches) {
      if (b.header.m != ~uint64_t{0} && b.header.size > 0) m_batches.push_back(b);
    }
    const BatchAt& bad = m_batches[m_batches.size() / 2];
    const std::string corrupt = WithEventType(bytes, bad, 200);
    Decoded d, before;
    Decode(corrupt, &d);
    Decode(std::string_view(bytes).substr(0, bad.offset), &before);
    EXPECT_EQ(d.status.message(), "offset " + std::to_string(bad.data_offset) + ": type 200: unknown event type");
    EXPECT_EQ(d.sink.events_, before.sink.events_);
    Decoded lenient;
    Decode(corrupt, &lenient, 0, /*lenient=*/true);
    ASSERT_TRUE(lenient.status.ok()) << lenient.status.message();
    EXPECT_EQ(lenient.result.skipped_batches, 1);
    ASSERT_EQ(lenient.result.skipped.size(), 1u);
    EXPECT_EQ(lenient.result.skipped[0].offset, bad.offset);
    EXPECT_EQ(lenient.result.skipped[0].message, "type 200: unknown event type");
    EXPECT_EQ(lenient.result.batches, static_cast<int64_t>(batches.size()));
  }
}

// The last batch's header re-encoded with another size.
std::string WithLastBatchSize(const std::string& bytes, const BatchAt& last, uint64_t size) {
  std::string out = bytes.substr(0, last.offset);
  out.push_back(1);
  for (uint64_t v : {last.header.gen, last.header.m, last.header.time, size}) {
    for (; v >= 0x80; v >>= 7) out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    out.push_back(static_cast<char>(v));
  }
  return out + bytes.substr(last.data_offset);
}

TEST(V2Decoder, ABatchSizePastTheLimitIsFatalAndPastTheEndIsATruncation) {
  const std::vector<V2Fixture> fixtures = LoadV2Fixtures();
  SKIP_WITHOUT_V2_FIXTURES(fixtures);
  for (const V2Fixture& f : fixtures) {
    if (!f.success()) continue;
    SCOPED_TRACE(f.name);
    const std::string bytes = *EncodeTraceText(f.text);
    const std::vector<BatchAt> batches = Batches(Minor(bytes), bytes);
    const BatchAt& last = batches.back();
    Decoded before;
    Decode(std::string_view(bytes).substr(0, last.offset), &before);
    for (bool lenient : {false, true}) {
      Decoded d;
      Decode(WithLastBatchSize(bytes, last, uint64_t{1} << 30), &d, 0, lenient);
      EXPECT_EQ(d.status.message(), "offset " + std::to_string(last.offset) +
                                        ": batch size 1073741824 is past the format's limit of 65536 bytes");
      EXPECT_EQ(d.sink.events_, before.sink.events_);
    }
    Decoded past;
    Decode(WithLastBatchSize(bytes, last, last.header.size + 100), &past);
    ASSERT_TRUE(past.status.ok());
    EXPECT_TRUE(past.result.truncated);
    EXPECT_EQ(past.result.truncated_at, last.offset);
    EXPECT_EQ(past.sink.events_, before.sink.events_);
  }
}

TEST(V2Decoder, NoBatchWhereOneMustStartIsFatalEvenWhenLenient) {
  const std::string bytes = testing::EncodedV2Fixture("go122-annotations.test");
  if (bytes.empty()) GTEST_SKIP() << "shared fixtures absent";
  const std::vector<BatchAt> batches = Batches(22, bytes);
  std::string bad = bytes;
  bad[batches[3].offset] = 9;
  Decoded d;
  Decode(bad, &d, 0, /*lenient=*/true);
  EXPECT_EQ(d.status.message(), "offset " + std::to_string(batches[3].offset) + ": expected a batch, found event type 9");
}

TEST(V2Decoder, AStableInputIsReadInPlaceAndAChunkedOneCopied) {
  const std::string bytes = testing::EncodedV2Fixture("go122-gc-stress.test");
  if (bytes.empty()) GTEST_SKIP() << "shared fixtures absent";
  int64_t batch_bytes = 0;
  for (const BatchAt& b : Batches(22, bytes)) batch_bytes += static_cast<int64_t>(b.header.size);
  const std::string body = bytes.substr(16);
  V2Decoder in_place(22, {}, nullptr), copied(22, {}, nullptr);
  ASSERT_TRUE(in_place.Feed(body, 16, /*stable=*/true).ok());
  ASSERT_TRUE(copied.Feed(body, 16, /*stable=*/false).ok());
  // The one generation is held until the end: by reference, or copied.
  EXPECT_EQ(copied.held_bytes() - in_place.held_bytes(), batch_bytes);
  TraceReadResult r1, r2;
  ASSERT_TRUE(in_place.Finish(&r1).ok());
  ASSERT_TRUE(copied.Finish(&r2).ok());
  EXPECT_EQ(in_place.held_bytes(), 0);
  EXPECT_EQ(copied.held_bytes(), 0);
}

TEST(V2Decoder, ArgumentsPastTheBatchAndTableIdsTooLargeAreCorrupt) {
  // The one event of m=0's batch claims a g past the batch's 3 bytes.
  std::string bytes = *EncodeTraceText(
      "Trace Go1.22\nEventBatch gen=1 m=18446744073709551615 time=0 size=5\nFrequency freq=15625000\n"
      "EventBatch gen=1 m=0 time=0 size=3\nGoStart dt=1 g=128 g_seq=1\n");
  Decoded d;
  Decode(bytes, &d);
  EXPECT_EQ(d.status.message(), "offset 40: GoStart: its arguments run past the end of the batch");
  bytes = *EncodeTraceText(
      "Trace Go1.22\nEventBatch gen=1 m=18446744073709551615 time=0 size=5\nFrequency freq=15625000\n"
      "EventBatch gen=1 m=18446744073709551615 time=0 size=9\nStrings\nString id=99999\n\tdata=\"abc\"\n");
  Decoded ids;
  Decode(bytes, &ids);
  EXPECT_EQ(ids.status.message(), "offset 50: string id 99999 is too large for a table of 1 entries");
}

TEST(V2Decoder, GoSwitchAndExperimentalEventsOfGo123) {
  const std::string bytes = *EncodeTraceText(
      "Trace Go1.23\nEventBatch gen=1 m=18446744073709551615 time=0 size=5\nFrequency freq=15625000\n"
      "EventBatch gen=1 m=1 time=100 size=22\nProcStatus dt=1 p=3 pstatus=1\nGoStatus dt=1 g=5 m=1 gstatus=2\n"
      "GoSwitch dt=1 g=6 g_seq=1\nSpanFree dt=1 id=77\nGoSwitchDestroy dt=1 g=7 g_seq=1\nProcStop dt=1\n"
      "ExperimentalBatch exp=1 gen=1 m=1 time=0\n\tdata=\"xyz\"\n");
  Decoded d;
  Decode(bytes, &d);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  std::vector<std::pair<Kind, int64_t>> got;
  for (const Event& e : d.sink.events_) got.emplace_back(e.kind, e.g);
  const std::vector<std::pair<Kind, int64_t>> want = {
      {Kind::kProcStart, 0}, {Kind::kGoStatus, 5}, {Kind::kGoBlock, 5}, {Kind::kGoStart, 6},
      {Kind::kGoEnd, 6},     {Kind::kGoStart, 7},  {Kind::kProcStop, 7}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(d.result.dropped_events, 2);  // SpanFree, the experimental batch
  EXPECT_EQ(d.result.batches, 3);
}

TEST(V2Decoder, MemoryIsOneGenerationAndEachIsFreedWhenHandedOn) {
  const std::string bytes = testing::EncodedV2Fixture("go125-sync.test");
  if (bytes.empty()) GTEST_SKIP() << "shared fixtures absent";
  const std::vector<BatchAt> batches = Batches(25, bytes);
  // Generation 2 begins with its sync batch (size=17) at batches[4].
  ASSERT_EQ(batches[4].header.gen, 2u);
  const size_t gen2_first_end = batches[4].data_offset + batches[4].header.size;
  Collect sink;
  V2Decoder decoder(25, {}, &sink);
  ASSERT_TRUE(decoder.Feed(std::string(bytes.substr(16, batches[4].offset - 16)), 16, false).ok());
  EXPECT_GE(decoder.held_bytes(), 16 + 4 + 1 + 1);  // generation 1's batches, copied
  EXPECT_EQ(sink.events_.size(), 0u);
  ASSERT_TRUE(decoder.Feed(std::string(bytes.substr(batches[4].offset, gen2_first_end - batches[4].offset)),
                           batches[4].offset, false)
                  .ok());
  EXPECT_EQ(sink.events_.size(), 1u);      // generation 1 handed on
  EXPECT_EQ(decoder.held_bytes(), 17);     // only generation 2's sync batch
  ASSERT_TRUE(decoder.Feed(std::string(bytes.substr(gen2_first_end)), gen2_first_end, false).ok());
  TraceReadResult result;
  ASSERT_TRUE(decoder.Finish(&result).ok());
  EXPECT_EQ(decoder.held_bytes(), 0);
  EXPECT_EQ(result.generations, 3);
}

// A real trace of Go 1.26 (testdata/exectrace/go126-tasks-2gen.trace): the
// counts are those of `go tool trace -d=wire` on it.
TEST(V2Decoder, ARealGo126TraceWithTwoGenerations) {
  std::string bytes;
  ASSERT_TRUE(ReadFileToString(testing::SourceDir() + "/testdata/exectrace/go126-tasks-2gen.trace", &bytes));
  Decoded d;
  Decode(bytes, &d);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  EXPECT_EQ(d.result.generations, 2);
  EXPECT_EQ(d.result.batches, 17);
  EXPECT_EQ(d.result.events, 8318);
  EXPECT_FALSE(d.result.truncated);
  EXPECT_EQ(d.sink.Count(Kind::kGcBegin), 8);
  EXPECT_EQ(d.sink.Count(Kind::kGcEnd), 8);
  EXPECT_EQ(d.sink.Count(Kind::kStwBegin), 17);
  EXPECT_EQ(d.sink.Count(Kind::kAssistBegin), 10);
  EXPECT_EQ(d.sink.Count(Kind::kSweepBegin), 10);
  EXPECT_EQ(d.sink.Count(Kind::kTaskBegin), 80);
  EXPECT_EQ(d.sink.Count(Kind::kRegionBegin), 80);
  EXPECT_EQ(d.sink.Count(Kind::kHeapAlloc), 6146);
  for (const Event& e : d.sink.events_) {
    if (e.kind == Kind::kTaskBegin) {
      EXPECT_EQ(e.text, "pay");
    }
    if (e.kind == Kind::kRegionBegin) {
      EXPECT_EQ(e.text, "alloc");
    }
    if (e.kind == Kind::kTaskBegin || e.kind == Kind::kRegionBegin) {
      EXPECT_GT(e.g, 0);
    }
  }
  EXPECT_GT(d.sink.info_.monotonic_offset_ns, 0);
  // Its end is cut mid-batch, then after its last batch (no EndOfGeneration).
  Decoded cut;
  Decode(std::string_view(bytes).substr(0, bytes.size() - 1), &cut, 4096);
  ASSERT_TRUE(cut.status.ok());
  EXPECT_TRUE(cut.result.truncated);
  EXPECT_EQ(cut.result.truncated_at, static_cast<int64_t>(bytes.size() - 1));
  EXPECT_EQ(cut.sink.events_, d.sink.events_);
}

// Go's own test traces (the Go toolchain's source tree), read in place.
TEST(V2Decoder, ReadsTheGoToolchainsOwnTestTraces) {
  const std::vector<V2Fixture> fixtures = LoadV2Fixtures("/usr/local/go/src/internal/trace/testdata/tests");
  if (fixtures.empty()) GTEST_SKIP() << "no Go source tree at /usr/local/go";
  int read = 0;
  for (const V2Fixture& f : fixtures) {
    if (!f.success()) continue;
    Decoded d;
    Decode(*EncodeTraceText(f.text), &d);
    EXPECT_TRUE(d.status.ok()) << f.name << ": " << d.status.message();
    ++read;
  }
  EXPECT_GE(read, 7);
}

}  // namespace
}  // namespace gcpilot

namespace gcpilot {
namespace {

// (what, P, goroutine, ns since the first of them) of the events both Go's
// parser and ours name: heap allocation metrics, task and region starts,
// goroutines blocking. Go writes "no goroutine" as -1, we as 0.
using Tuple = std::tuple<std::string, int64_t, int64_t, int64_t>;

std::vector<Tuple> Rebased(std::vector<Tuple> v) {
  std::sort(v.begin(), v.end(), [](const Tuple& a, const Tuple& b) { return std::get<3>(a) < std::get<3>(b); });
  const int64_t t0 = v.empty() ? 0 : std::get<3>(v[0]);
  for (Tuple& t : v) std::get<3>(t) -= t0;
  std::sort(v.begin(), v.end());
  return v;
}

// M=2756 P=0 G=13 TaskBegin Time=33364553499072 ID=1 Parent=... Type="pay"
std::vector<Tuple> GoParsedTuples(const std::string& parsed) {
  std::vector<Tuple> out;
  std::istringstream lines(parsed);
  for (std::string line; std::getline(lines, line);) {
    long long p = 0, g = 0, t = 0;
    char what[32] = {};
    if (std::sscanf(line.c_str(), "M=%*s P=%lld G=%lld %31s Time=%lld", &p, &g, what, &t) != 4) continue;
    std::string kind = what;
    if (kind == "Metric" && line.find("/memory/classes/heap/objects:bytes") != std::string::npos) {
      kind = "HeapAlloc";
    } else if (kind == "StateTransition" && line.find(" Running->Waiting ") != std::string::npos) {
      kind = "GoBlock";
    } else if (kind != "TaskBegin" && kind != "RegionBegin") {
      continue;
    }
    out.emplace_back(kind, p, g < 0 ? 0 : g, t);
  }
  return Rebased(out);
}

TEST(V2Decoder, PsGoroutinesAndTimesAgreeWithGosOwnParser) {
  const std::string path = testing::SourceDir() + "/testdata/exectrace/go126-tasks-2gen.trace";
  const char* go = "/usr/local/go/bin/go";
  if (std::getenv("GCPILOT_NO_GO") != nullptr || !std::filesystem::exists(go)) {
    GTEST_SKIP() << "no Go toolchain at " << go;
  }
  const std::string out = ::testing::TempDir() + "/v2_decoder_go126.parsed";
  const std::string cmd = std::string(go) + " tool trace -d=parsed " + path + " > " + out + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::string parsed, bytes;
  ASSERT_TRUE(ReadFileToString(out, &parsed));
  ASSERT_TRUE(ReadFileToString(path, &bytes));
  Decoded d;
  Decode(bytes, &d);
  ASSERT_TRUE(d.status.ok());
  std::vector<Tuple> ours;
  for (const Event& e : d.sink.events_) {
    const char* kind = e.kind == Kind::kHeapAlloc     ? "HeapAlloc"
                       : e.kind == Kind::kTaskBegin   ? "TaskBegin"
                       : e.kind == Kind::kRegionBegin ? "RegionBegin"
                       : e.kind == Kind::kGoBlock     ? "GoBlock"
                                                      : nullptr;
    if (kind != nullptr) ours.emplace_back(kind, e.p, e.g, e.ns);
  }
  const std::vector<Tuple> want = GoParsedTuples(parsed);
  EXPECT_EQ(want.size(), 6483u);
  EXPECT_EQ(Rebased(ours), want);
}

}  // namespace
}  // namespace gcpilot

namespace gcpilot {
namespace {

TEST(V2Decoder, LenientListsTheFirstTenSkippedBatchesAndCountsAll) {
  const std::string bytes = testing::EncodedV2Fixture("go122-gc-stress.test");
  if (bytes.empty()) GTEST_SKIP() << "shared fixtures absent";
  std::string corrupt = bytes;
  int64_t bad = 0;
  for (const BatchAt& b : Batches(22, bytes)) {
    // Every batch but the Frequency one (M batches, and the GoStatus,
    // Strings and Stacks batches of no M).
    if (b.header.size == 0 || bytes[b.data_offset] == 8) continue;
    corrupt[b.data_offset] = static_cast<char>(200);
    ++bad;
  }
  ASSERT_GT(bad, 10);
  Decoded d;
  Decode(corrupt, &d, 0, /*lenient=*/true);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  EXPECT_EQ(d.result.skipped_batches, bad);
  EXPECT_EQ(d.result.skipped.size(), 10u);
  EXPECT_TRUE(d.sink.events_.empty());
}

TEST(V2Decoder, ReportsProgressInBytes) {
  const std::string bytes = testing::EncodedV2Fixture("go122-annotations.test");
  if (bytes.empty()) GTEST_SKIP() << "shared fixtures absent";
  std::vector<int64_t> seen;
  TraceReader reader({.progress = [&](int64_t n) { seen.push_back(n); }}, nullptr);
  for (size_t i = 0; i < bytes.size(); i += 1000) ASSERT_TRUE(reader.Feed(bytes.substr(i, 1000)).ok());
  TraceReadResult r;
  ASSERT_TRUE(reader.Finish(&r).ok());
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back(), static_cast<int64_t>(bytes.size()));
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

}  // namespace
}  // namespace gcpilot
