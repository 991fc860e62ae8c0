#include "exectrace/v2_generation.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "exectrace/v2_events.h"

namespace gcpilot {
namespace {

// Walks the events of a batch: `visit(ev, offset)` for each, or an error
// naming the offset of the first that cannot be read.
template <typename Visit>
Status WalkBatch(int minor, const V2Batch& b, Visit visit) {
  const auto* begin = reinterpret_cast<const uint8_t*>(b.data.data());
  const uint8_t* end = begin + b.data.size();
  V2WireEvent ev;
  for (const uint8_t* p = begin; p < end;) {
    const int64_t offset = b.data_offset + (p - begin);
    if (const char* why = V2ReadEvent(minor, &p, end, &ev)) {
      const std::string name = ev.spec ? std::string(ev.spec->name) : fmt::format("type {}", ev.type);
      return Status::Corruption(fmt::format("offset {}: {}: {}", offset, name, why));
    }
    Status st = visit(ev, offset);
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

Status Misplaced(const V2WireEvent& ev, int64_t offset, std::string_view batch) {
  return Status::Corruption(fmt::format("offset {}: {} in {} batch", offset, ev.spec->name, batch));
}

uint8_t FirstType(const V2Batch& b) { return b.data.empty() ? 0 : static_cast<uint8_t>(b.data[0]); }

}  // namespace

Status V2Generation::Add(V2Batch batch, bool in_place) {
  const bool copy = !in_place && !batch.data.empty();
  if (copy) batch.data = owned_.emplace_back(batch.data);
  Status st = Dispatch(batch);
  if (!st.ok()) {
    if (copy) owned_.pop_back();
    return st;
  }
  if (copy) owned_bytes_ += static_cast<int64_t>(batch.data.size());
  if (batches_++ == 0) {
    gen_ = batch.header.gen;
    first_offset_ = batch.offset;
  }
  return Status::Ok();
}

Status V2Generation::Dispatch(const V2Batch& batch) {
  if (batch.header.kind == V2BatchHeader::kExperimental) {
    ++dropped_;
    return Status::Ok();
  }
  const uint8_t first = FirstType(batch);
  const bool sync = minor_ >= 25 ? first == kV2Sync : first == kV2Frequency;
  if (sync) return AddSync(batch);
  if (first == kV2CpuSamples) return AddCpuSamples(batch);
  if (first != kV2Strings && first != kV2Stacks) return AddEvents(batch);
  std::vector<Entry> entries;
  Status st = first == kV2Strings ? AddStrings(batch, &entries) : AddStacks(batch, &entries);
  auto& table = first == kV2Strings ? string_entries_ : stack_entries_;
  if (st.ok()) table.insert(table.end(), entries.begin(), entries.end());
  return st;
}

Status V2Generation::AddEvents(const V2Batch& b) {
  int64_t events = 0, dropped = 0;
  Status st = WalkBatch(minor_, b, [&](const V2WireEvent& ev, int64_t offset) {
    if (!ev.spec->timed) return Misplaced(ev, offset, "an M's");
    ++events;
    if (ev.spec->experimental || ev.type == kV2UserLog) ++dropped;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  events_ += events;
  dropped_ += dropped;
  auto it = std::find_if(ms_.begin(), ms_.end(), [&](const V2MBatches& m) { return m.m == b.header.m; });
  if (it == ms_.end()) it = ms_.insert(ms_.end(), V2MBatches{b.header.m, {}});
  it->batches.push_back(b);
  return Status::Ok();
}

// Strings
// 	String id=5
// 		data="runtime.gopark"
Status V2Generation::AddStrings(const V2Batch& b, std::vector<Entry>* out) {
  bool first = true;
  Status st = WalkBatch(minor_, b, [&](const V2WireEvent& ev, int64_t offset) {
    const bool header = std::exchange(first, false);
    if (ev.type != (header ? kV2Strings : kV2String)) return Misplaced(ev, offset, "a Strings");
    if (!header) out->push_back(Entry{ev.args[0], 0, ev.data, offset});
    return Status::Ok();
  });
  if (st.ok()) events_ += static_cast<int64_t>(out->size()) + 1;
  return st;
}

// Stacks
// 	Stack id=45 nframes=3
// 		pc=4804964 func=110 file=111 line=80   <- the top frame: func kept
Status V2Generation::AddStacks(const V2Batch& b, std::vector<Entry>* out) {
  bool first = true;
  Status st = WalkBatch(minor_, b, [&](const V2WireEvent& ev, int64_t offset) {
    const bool header = std::exchange(first, false);
    if (ev.type != (header ? kV2Stacks : kV2Stack)) return Misplaced(ev, offset, "a Stacks");
    if (!header) out->push_back(Entry{ev.args[0], ev.top_func, {}, offset});
    return Status::Ok();
  });
  if (st.ok()) events_ += static_cast<int64_t>(out->size()) + 1;
  return st;
}

// Sync (1.25+)
// Frequency freq=15625000
// ClockSnapshot dt=55 mono=33184307329817 sec=1796146895 nsec=388695931
Status V2Generation::AddSync(const V2Batch& b) {
  uint64_t freq = 0, ticks = 0, mono = 0;
  int64_t events = 0;
  Status st = WalkBatch(minor_, b, [&](const V2WireEvent& ev, int64_t offset) {
    ++events;
    if (ev.type == kV2Frequency) {
      if (ev.args[0] == 0) return Status::Corruption(fmt::format("offset {}: Frequency of 0 ticks per second", offset));
      freq = ev.args[0];
    } else if (ev.type == kV2ClockSnapshot) {
      ticks = b.header.time + ev.args[0];
      mono = ev.args[1];
    } else if (ev.type != kV2Sync) {
      return Misplaced(ev, offset, "a sync");
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  events_ += events;
  if (freq != 0) frequency_ = freq;
  if (ticks != 0) {
    clock_ticks_ = ticks;
    clock_mono_ns_ = mono;
  }
  return Status::Ok();
}

Status V2Generation::AddCpuSamples(const V2Batch& b) {
  bool first = true;
  int64_t events = 0;
  Status st = WalkBatch(minor_, b, [&](const V2WireEvent& ev, int64_t offset) {
    const bool header = std::exchange(first, false);
    if (ev.type != (header ? kV2CpuSamples : kV2CpuSample)) return Misplaced(ev, offset, "a CPUSamples");
    ++events;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  events_ += events;
  dropped_ += events - 1;
  return Status::Ok();
}

Status V2Generation::FinishTables() {
  const auto build = [](const std::vector<Entry>& entries, std::string_view what, auto* table, auto value) {
    uint64_t max_id = 0;
    const Entry* worst = nullptr;
    for (const Entry& e : entries) {
      if (e.id >= max_id) worst = &e, max_id = e.id;
    }
    if (worst != nullptr && max_id > 2 * entries.size() + 1024) {
      return Status::Corruption(fmt::format("offset {}: {} id {} is too large for a table of {} entries",
                                            worst->offset, what, max_id, entries.size()));
    }
    table->assign(entries.empty() ? 0 : max_id + 1, {});
    for (const Entry& e : entries) (*table)[e.id] = value(e);
    return Status::Ok();
  };
  Status st = build(string_entries_, "string", &strings_, [](const Entry& e) { return e.text; });
  if (!st.ok()) return st;
  return build(stack_entries_, "stack", &stacks_, [](const Entry& e) { return e.value; });
}

void V2Generation::Clear() {
  *this = V2Generation(minor_);
}

int64_t V2Generation::held_bytes() const {
  int64_t n = owned_bytes_;
  n += static_cast<int64_t>((string_entries_.size() + stack_entries_.size()) * sizeof(Entry));
  n += static_cast<int64_t>(strings_.size() * sizeof(std::string_view) + stacks_.size() * sizeof(uint64_t));
  for (const V2MBatches& m : ms_) n += static_cast<int64_t>(m.batches.size() * sizeof(V2Batch));
  return n;
}

}  // namespace gcpilot
