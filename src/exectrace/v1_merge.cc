#include "exectrace/v1_merge.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "exectrace/v1_events.h"
#include "exectrace/v1_wire.h"

namespace gcpilot {
namespace {

using K = TraceEventKind;

// One P's place in its batch stream, with its next event read ahead.
struct Cursor {
  int32_t p = -1;
  int32_t batch = -1;
  size_t pos = 0, end = 0;
  uint64_t ticks = 0;  // of the last timed event read
  int64_t g = 0;       // its running goroutine
  bool has_next = false;
  V1WireEvent next;
  uint64_t next_ticks = 0;
};

class Merger {
 public:
  Merger(std::string_view body, int64_t base, int go_minor, const V1Index& index, TraceSink* sink)
      : body_(body), base_(base), minor_(go_minor), index_(index), sink_(sink) {}

  void Run() {
    cursors_.reserve(index_.ps.size());
    for (const auto& [p, first] : index_.ps) {
      Cursor& c = cursors_.emplace_back();
      c.p = p;
      Enter(c, first);
      Advance(c);
      if (c.has_next) heap_.push_back(cursors_.size() - 1);
    }
    std::make_heap(heap_.begin(), heap_.end(), Later{this});
    if (!heap_.empty()) first_ticks_ = cursors_[heap_.front()].next_ticks;
    TraceInfo info;
    info.go_minor = minor_;
    info.frequency = static_cast<int64_t>(std::min<uint64_t>(index_.frequency, std::numeric_limits<int64_t>::max()));
    if (sink_ != nullptr) sink_->OnStart(info);
    // The order (ticks, then offset) is total, so any heap gives the same
    // sequence. The P on top usually stays there for a run of events: it
    // is sifted down in place, which stops at once when its next event
    // still comes first.
    while (!heap_.empty()) {
      Cursor& c = cursors_[heap_.front()];
      const V1WireEvent ev = c.next;
      const uint64_t ticks = c.next_ticks;
      Advance(c);  // the read-ahead GoSysCall needs
      Emit(c, ev, Ns(ticks));
      if (!c.has_next) {
        heap_.front() = heap_.back();
        heap_.pop_back();
      }
      SiftDownTop();
    }
  }

 private:
  struct Later {
    const Merger* m;
    bool operator()(size_t a, size_t b) const {
      const Cursor& x = m->cursors_[a];
      const Cursor& y = m->cursors_[b];
      return x.next_ticks != y.next_ticks ? x.next_ticks > y.next_ticks : x.next.pos > y.next.pos;
    }
  };

  void SiftDownTop() {
    const Later later{this};
    const size_t n = heap_.size();
    size_t i = 0;
    for (;;) {
      const size_t l = 2 * i + 1;
      if (l >= n) return;
      size_t child = l;
      if (l + 1 < n && later(heap_[l], heap_[l + 1])) child = l + 1;
      if (!later(heap_[i], heap_[child])) return;
      std::swap(heap_[i], heap_[child]);
      i = child;
    }
  }

  void Enter(Cursor& c, int32_t batch) {
    const V1Batch& b = index_.batches[batch];
    c.batch = batch;
    c.ticks = b.ticks;
    c.end = b.end;
    V1WireEvent header;
    c.pos = ReadV1Event(body_, b.pos, minor_, &header, &error_) == V1Read::kEvent ? b.pos + header.size : b.end;
  }

  // Reads c's next event that takes part in the order (timed, no CPU
  // sample), crossing into the P's next batch where needed.
  void Advance(Cursor& c) {
    for (;;) {
      if (c.pos >= c.end) {
        const int32_t next = index_.batches[c.batch].next;
        if (next < 0) {
          c.has_next = false;
          return;
        }
        Enter(c, next);
        continue;
      }
      if (ReadV1Event(body_, c.pos, minor_, &c.next, &error_) != V1Read::kEvent) {
        c.pos = c.end;  // the index checked every event of the batch; this is only a guard
        continue;
      }
      c.pos += c.next.size;
      if (!c.next.spec->timed) continue;
      c.ticks += c.next.Delta();
      if (c.next.type == kV1CPUSample) continue;
      c.next_ticks = c.ticks;
      c.has_next = true;
      return;
    }
  }

  int64_t Ns(uint64_t ticks) {
    constexpr double kMaxNs = 9.0e18;
    double ns = 0;
    if (ticks > first_ticks_) {
      const double d = static_cast<double>(ticks - first_ticks_);
      ns = index_.frequency == 0 ? d : d * (1e9 / static_cast<double>(index_.frequency));
    }
    const int64_t out = static_cast<int64_t>(std::min(ns, kMaxNs));
    last_ns_ = std::max(last_ns_, out);
    return last_ns_;
  }

  void Send(TraceEvent& e, K kind) {
    e.kind = kind;
    if (sink_ != nullptr) sink_->OnEvent(e);
  }

  void Emit(Cursor& c, const V1WireEvent& ev, int64_t ns) {
    TraceEvent e;
    e.p = c.p;
    e.g = c.g;
    e.ns = ns;
    e.offset = base_ + static_cast<int64_t>(ev.pos);
    if (EmitGc(e, ev)) return;
    EmitGoroutine(c, e, ev);
  }

  bool EmitGc(TraceEvent& e, const V1WireEvent& ev) {
    switch (ev.type) {
      case kV1GCStart:
        e.a = static_cast<int64_t>(ev.Arg(0));
        Send(e, K::kGcBegin);
        return true;
      case kV1GCDone:
        Send(e, K::kGcEnd);
        return true;
      case kV1STWStart:
        e.text = V1StwReason(minor_, ev.Arg(0));
        Send(e, K::kStwBegin);
        return true;
      case kV1STWDone:
        Send(e, K::kStwEnd);
        return true;
      case kV1GCSweepStart:
        Send(e, K::kSweepBegin);
        return true;
      case kV1GCSweepDone:
        e.a = static_cast<int64_t>(ev.Arg(0));
        e.b = static_cast<int64_t>(ev.Arg(1));
        Send(e, K::kSweepEnd);
        return true;
      case kV1GCMarkAssistStart:
        e.function = index_.StackTopFunction(ev.StackId());
        Send(e, K::kAssistBegin);
        return true;
      case kV1GCMarkAssistDone:
        Send(e, K::kAssistEnd);
        return true;
      case kV1HeapAlloc:
        e.a = static_cast<int64_t>(ev.Arg(0));
        Send(e, K::kHeapAlloc);
        return true;
      case kV1HeapGoal:
        e.a = static_cast<int64_t>(ev.Arg(0));
        Send(e, K::kHeapGoal);
        return true;
      case kV1Gomaxprocs:
        e.a = static_cast<int64_t>(ev.Arg(0));
        Send(e, K::kProcs);
        return true;
      case kV1ProcStart:
        Send(e, K::kProcStart);
        return true;
      case kV1ProcStop:
        Send(e, K::kProcStop);
        return true;
      default:
        return false;
    }
  }

  void EmitGoroutine(Cursor& c, TraceEvent& e, const V1WireEvent& ev) {
    switch (ev.type) {
      case kV1GoCreate:
        e.a = static_cast<int64_t>(ev.Arg(0));
        e.function = index_.StackTopFunction(ev.Arg(1));
        return Send(e, K::kGoCreate);
      case kV1GoStartLabel:
        e.text = index_.String(ev.Arg(2));
        [[fallthrough]];
      case kV1GoStart:
      case kV1GoStartLocal:
        c.g = e.g = static_cast<int64_t>(ev.Arg(0));
        return Send(e, K::kGoStart);
      case kV1GoEnd:
        c.g = 0;
        return Send(e, K::kGoEnd);
      case kV1GoSched:
      case kV1GoPreempt:
        c.g = 0;
        e.text = V1BlockReason(ev.type);
        return Send(e, K::kGoStop);
      case kV1GoUnblock:
      case kV1GoUnblockLocal:
        e.a = static_cast<int64_t>(ev.Arg(0));
        return Send(e, K::kGoUnblock);
      case kV1GoSysCall:
        Send(e, K::kGoSyscall);
        if (!(c.has_next && c.next.type == kV1GoSysBlock)) Send(e, K::kGoSyscallEnd);
        return;
      case kV1GoSysBlock:
        c.g = 0;
        return;
      case kV1GoSysExit:
      case kV1GoSysExitLocal:
        e.g = static_cast<int64_t>(ev.Arg(0));
        return Send(e, K::kGoSyscallBlocked);
      case kV1GoWaiting:
      case kV1GoInSyscall:
        e.a = static_cast<int64_t>(ev.Arg(0));
        e.b = static_cast<int64_t>(ev.type == kV1GoWaiting ? GoState::kWaiting : GoState::kSyscall);
        return Send(e, K::kGoStatus);
      default:
        return EmitBlockOrUser(c, e, ev);
    }
  }

  void EmitBlockOrUser(Cursor& c, TraceEvent& e, const V1WireEvent& ev) {
    switch (ev.type) {
      case kV1GoStop:
      case kV1GoSleep:
      case kV1GoBlock:
      case kV1GoBlockSend:
      case kV1GoBlockRecv:
      case kV1GoBlockSelect:
      case kV1GoBlockSync:
      case kV1GoBlockCond:
      case kV1GoBlockNet:
      case kV1GoBlockGC:
        c.g = 0;
        e.text = V1BlockReason(ev.type);
        return Send(e, K::kGoBlock);
      case kV1UserTaskCreate:
        e.a = static_cast<int64_t>(ev.Arg(0));
        e.b = static_cast<int64_t>(ev.Arg(1));
        e.text = index_.String(ev.Arg(2));
        return Send(e, K::kTaskBegin);
      case kV1UserTaskEnd:
        e.a = static_cast<int64_t>(ev.Arg(0));
        return Send(e, K::kTaskEnd);
      case kV1UserRegion:
        if (ev.Arg(1) > 1) return;  // no mode the runtime writes
        e.a = static_cast<int64_t>(ev.Arg(0));
        e.text = index_.String(ev.Arg(2));
        return Send(e, ev.Arg(1) == 0 ? K::kRegionBegin : K::kRegionEnd);
      default:
        return;  // FutileWakeup, UserLog
    }
  }

  std::string_view body_;
  int64_t base_;
  int minor_;
  const V1Index& index_;
  TraceSink* sink_;
  std::vector<Cursor> cursors_;
  std::vector<size_t> heap_;
  uint64_t first_ticks_ = 0;
  int64_t last_ns_ = 0;
  std::string error_;  // ReadV1Event's, unused: the index pass reported it
};

}  // namespace

void MergeV1Events(std::string_view body, int64_t base, int go_minor, const V1Index& index, TraceSink* sink) {
  Merger(body, base, go_minor, index, sink).Run();
}

}  // namespace gcpilot
