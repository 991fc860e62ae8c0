#include "exectrace/v2_merge.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace gcpilot {
namespace {

using Kind = TraceEventKind;

// nanotime()/64: the runtime's trace clock wherever the OS clock is fine
// grained (Linux, macOS); on Linux nanotime is CLOCK_MONOTONIC, so such
// ticks * 64 are CLOCK_MONOTONIC ns.
constexpr uint64_t kNanotimeBy64Frequency = 15625000;

// ticks * 1e9 / frequency without overflow: whole seconds, then the rest
// (exact while frequency * 1e9 fits 64 bits, i.e. below 18.4 GHz).
int64_t AbsNs(uint64_t ticks, uint64_t frequency) {
  constexpr uint64_t kNsPerSecond = 1000000000;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const uint64_t seconds = ticks / frequency;
  const uint64_t rest = ticks % frequency;
  if (seconds > static_cast<uint64_t>(kMax) / kNsPerSecond) return kMax;
  const uint64_t rest_ns =
      frequency <= ~uint64_t{0} / kNsPerSecond
          ? rest * kNsPerSecond / frequency
          : static_cast<uint64_t>(static_cast<long double>(rest) * kNsPerSecond / static_cast<long double>(frequency));
  return static_cast<int64_t>(seconds * kNsPerSecond + rest_ns);
}

// tracev2 goroutine statuses: 1 runnable, 2 running, 3 syscall, 4 waiting.
GoState ToGoState(uint64_t status) {
  switch (status) {
    case 1: return GoState::kRunnable;
    case 2: return GoState::kRunning;
    case 3: return GoState::kSyscall;
    case 4: return GoState::kWaiting;
    default: return GoState::kDead;  // 0 "bad" and unknown values
  }
}

int32_t ToP(uint64_t p) { return p > static_cast<uint64_t>(std::numeric_limits<int32_t>::max()) ? -1 : static_cast<int32_t>(p); }
int64_t ToI64(uint64_t v) { return static_cast<int64_t>(v); }

}  // namespace

bool V2Merger::Advance(Cursor* c) const {
  while (true) {
    if (c->p < c->end) {
      if (V2ReadEvent(minor_, &c->p, c->end, &c->ev) != nullptr) {
        c->p = c->end;  // cannot happen: the generation checked the batch
        continue;
      }
      c->ticks += c->ev.args[0];  // dt
      return true;
    }
    if (c->batch >= c->m->batches.size()) return false;
    const V2Batch& b = c->m->batches[c->batch++];
    c->begin = reinterpret_cast<const uint8_t*>(b.data.data());
    c->p = c->begin;
    c->end = c->begin + b.data.size();
    c->data_offset = b.data_offset;
    c->ticks = b.header.time;
  }
}

Status V2Merger::Emit(const V2Generation& gen, uint64_t frequency) {
  gen_ = &gen;
  std::vector<Cursor> cursors(gen.ms().size());
  std::vector<Cursor*> heap;
  for (size_t i = 0; i < cursors.size(); ++i) {
    Cursor& c = cursors[i];
    c.m = &gen.ms()[i];
    c.state = &ms_[c.m->m];
    c.order = static_cast<int>(i);
    if (Advance(&c)) heap.push_back(&c);
  }
  const auto later = [](const Cursor* a, const Cursor* b) {
    return a->ticks != b->ticks ? a->ticks > b->ticks : a->order > b->order;
  };
  std::make_heap(heap.begin(), heap.end(), later);
  if (!started_ && !heap.empty()) Start(gen, frequency, heap.front()->ticks);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    Cursor* c = heap.back();
    Status st = Handle(*c, Ns(c->ticks, frequency));
    if (!st.ok()) return st;
    if (Advance(c)) {
      std::push_heap(heap.begin(), heap.end(), later);
    } else {
      heap.pop_back();
    }
  }
  return Status::Ok();
}

void V2Merger::Start(const V2Generation& gen, uint64_t frequency, uint64_t first_ticks) {
  started_ = true;
  origin_ns_ = AbsNs(first_ticks, frequency);
  TraceInfo info;
  info.go_minor = minor_;
  info.v2 = true;
  info.frequency = static_cast<int64_t>(frequency);
  if (gen.has_clock_snapshot()) {
    info.monotonic_offset_ns = ToI64(gen.clock_mono_ns()) - (AbsNs(gen.clock_ticks(), frequency) - origin_ns_);
  } else if (frequency == kNanotimeBy64Frequency) {
    info.monotonic_offset_ns = origin_ns_;
  }
  if (sink_ != nullptr) sink_->OnStart(info);
}

void V2Merger::StartIfNeeded(uint64_t frequency) {
  if (started_) return;
  started_ = true;
  TraceInfo info;
  info.go_minor = minor_;
  info.v2 = true;
  info.frequency = static_cast<int64_t>(frequency);
  if (sink_ != nullptr) sink_->OnStart(info);
}

int64_t V2Merger::Ns(uint64_t ticks, uint64_t frequency) {
  const int64_t ns = std::max(AbsNs(ticks, frequency) - origin_ns_, last_ns_);
  last_ns_ = ns;
  return ns;
}

Status V2Merger::Handle(const Cursor& c, int64_t ns) {
  TraceEvent e;
  e.p = c.state->p;
  e.g = c.state->g;
  e.ns = ns;
  e.offset = c.data_offset + (c.ev.at - c.begin);
  const uint8_t t = c.ev.type;
  Status st;
  if (t >= kV2ProcsChange && t <= kV2ProcStatus) {
    st = HandleProc(c, &e);
  } else if ((t >= kV2GoCreate && t <= kV2GoStatus) || (t >= kV2GoSwitch && t <= kV2GoStatusStack)) {
    st = HandleGoroutine(c, &e);
  } else if (t >= kV2StwBegin && t <= kV2HeapGoal) {
    HandleGc(c, &e);
  } else if (t >= kV2GoLabel && t <= kV2UserRegionEnd) {
    HandleAnnotation(c, &e);
  }
  return st;
}

// ProcStart dt=336 p=2 p_seq=1
Status V2Merger::HandleProc(const Cursor& c, TraceEvent* e) {
  const uint64_t* a = c.ev.args;
  MState& m = *c.state;
  switch (c.ev.type) {
    case kV2ProcsChange: e->kind = Kind::kProcs, e->a = ToI64(a[1]); break;
    case kV2ProcStart: m.p = e->p = ToP(a[1]), e->kind = Kind::kProcStart; break;
    case kV2ProcStop: e->kind = Kind::kProcStop, m.p = -1; break;
    case kV2ProcSteal: {
      auto victim = ms_.find(a[3]);
      if (victim != ms_.end() && victim->second.p == ToP(a[1])) {
        MState& v = victim->second;
        if (v.in_syscall) {
          v.p = -1;
        } else {
          v.stolen_p = v.p;
        }
      }
      e->kind = Kind::kProcStop, e->p = ToP(a[1]), e->g = 0;
      break;
    }
    case kV2ProcStatus: {
      const int32_t p = ToP(a[1]);
      const bool holds = a[2] == 1 || a[2] == 3;  // running, syscall
      if (!holds) {
        if (m.p == p) m.p = -1;
        return Status::Ok();
      }
      const bool fresh = m.p != p;
      m.p = p;
      if (!fresh || a[2] != 1) return Status::Ok();
      e->kind = Kind::kProcStart, e->p = p;
      break;
    }
    default: return Status::Ok();
  }
  sink_->OnEvent(*e);
  return Status::Ok();
}

Status V2Merger::NeedProc(const Cursor& c, const TraceEvent& e) const {
  if (!strict_ || c.state->p >= 0) return Status::Ok();
  return Status::Corruption(fmt::format("offset {}: {}: expected a proc but didn't have one", e.offset, c.ev.spec->name));
}

// GoCreate dt=17 new_g=19 new_stack=22 stack=23
// GoStatus dt=1 g=111 m=169438 gstatus=2
Status V2Merger::HandleGoroutine(const Cursor& c, TraceEvent* e) {
  const uint64_t* a = c.ev.args;
  MState& m = *c.state;
  switch (c.ev.type) {
    case kV2GoCreate:
    case kV2GoCreateBlocked:
      e->kind = Kind::kGoCreate, e->a = ToI64(a[1]), e->function = gen_->StackTopFunction(a[2]);
      break;
    case kV2GoCreateSyscall: e->kind = Kind::kGoCreate, e->a = ToI64(a[1]), m.g = ToI64(a[1]); break;
    case kV2GoStart: m.g = e->g = ToI64(a[1]), e->kind = Kind::kGoStart; break;
    case kV2GoDestroy: e->kind = Kind::kGoEnd, m.g = 0; break;
    case kV2GoDestroySyscall: e->kind = Kind::kGoEnd, m.g = 0, m.p = -1; break;
    case kV2GoStop: e->kind = Kind::kGoStop, e->text = gen_->String(a[1]), m.g = 0; break;
    case kV2GoBlock: e->kind = Kind::kGoBlock, e->text = gen_->String(a[1]), m.g = 0; break;
    case kV2GoUnblock: e->kind = Kind::kGoUnblock, e->a = ToI64(a[1]); break;
    case kV2GoSyscallBegin:
      e->kind = Kind::kGoSyscall, m.in_syscall = true;
      if (m.stolen_p >= 0 && m.stolen_p == m.p) m.p = -1;
      m.stolen_p = -1;
      break;
    case kV2GoSyscallEnd: e->kind = Kind::kGoSyscallEnd, m.in_syscall = false; break;
    case kV2GoSyscallEndBlocked: e->kind = Kind::kGoSyscallBlocked, m.g = 0, m.in_syscall = false; break;
    case kV2GoStatus:
    case kV2GoStatusStack: {
      const int64_t g = ToI64(a[1]);
      const bool on_m = a[3] == 2 || a[3] == 3;  // running, syscall: bound to the M in `m`
      if (on_m) {
        MState& target = a[2] == c.m->m ? m : ms_[a[2]];
        target.g = g;
      } else if (m.g == g) {
        m.g = 0;
      }
      e->kind = Kind::kGoStatus, e->a = g, e->b = static_cast<int64_t>(ToGoState(a[3])), e->g = m.g;
      break;
    }
    case kV2GoSwitch:
    case kV2GoSwitchDestroy: {
      e->kind = c.ev.type == kV2GoSwitch ? Kind::kGoBlock : Kind::kGoEnd;
      sink_->OnEvent(*e);
      m.g = e->g = ToI64(a[1]), e->kind = Kind::kGoStart;
      break;
    }
    default: return Status::Ok();
  }
  if (c.ev.type == kV2GoSyscallEnd) {
    Status st = NeedProc(c, *e);
    if (!st.ok()) return st;
  }
  sink_->OnEvent(*e);
  return Status::Ok();
}

// GCMarkAssistBegin dt=4 stack=45
// STWBegin dt=10 kind_string=21 stack=33
void V2Merger::HandleGc(const Cursor& c, TraceEvent* e) {
  const uint64_t* a = c.ev.args;
  switch (c.ev.type) {
    case kV2StwBegin: e->kind = Kind::kStwBegin, e->text = gen_->String(a[1]); break;
    case kV2StwEnd: e->kind = Kind::kStwEnd; break;
    case kV2GcActive: e->kind = Kind::kGcActive, e->a = ToI64(a[1]); break;
    case kV2GcBegin: e->kind = Kind::kGcBegin, e->a = ToI64(a[1]); break;
    case kV2GcEnd: e->kind = Kind::kGcEnd, e->a = ToI64(a[1]); break;
    case kV2GcSweepActive: e->kind = Kind::kSweepActive, e->p = ToP(a[1]), e->g = 0; break;
    case kV2GcSweepBegin: e->kind = Kind::kSweepBegin; break;
    case kV2GcSweepEnd: e->kind = Kind::kSweepEnd, e->a = ToI64(a[1]), e->b = ToI64(a[2]); break;
    case kV2GcMarkAssistActive: {
      const int64_t g = ToI64(a[1]);
      if (g != e->g) e->p = -1;  // not the running goroutine: its P is unknown
      e->kind = Kind::kAssistActive, e->g = g;
      break;
    }
    case kV2GcMarkAssistBegin:
      e->kind = Kind::kAssistBegin, e->function = gen_->StackTopFunction(a[1]);
      break;
    case kV2GcMarkAssistEnd: e->kind = Kind::kAssistEnd; break;
    case kV2HeapAlloc: e->kind = Kind::kHeapAlloc, e->a = ToI64(a[1]); break;
    case kV2HeapGoal: e->kind = Kind::kHeapGoal, e->a = ToI64(a[1]); break;
    default: return;
  }
  sink_->OnEvent(*e);
}

// UserTaskBegin dt=8 task=2 parent_task=0 name_string=29 stack=0
void V2Merger::HandleAnnotation(const Cursor& c, TraceEvent* e) {
  const uint64_t* a = c.ev.args;
  switch (c.ev.type) {
    case kV2GoLabel: e->kind = Kind::kGoLabel, e->text = gen_->String(a[1]); break;
    case kV2UserTaskBegin:
      e->kind = Kind::kTaskBegin, e->a = ToI64(a[1]), e->b = ToI64(a[2]), e->text = gen_->String(a[3]);
      break;
    case kV2UserTaskEnd: e->kind = Kind::kTaskEnd, e->a = ToI64(a[1]); break;
    case kV2UserRegionBegin:
    case kV2UserRegionEnd:
      e->kind = c.ev.type == kV2UserRegionBegin ? Kind::kRegionBegin : Kind::kRegionEnd;
      e->a = ToI64(a[1]), e->text = gen_->String(a[2]);
      break;
    default: return;
  }
  sink_->OnEvent(*e);
}

}  // namespace gcpilot
