#include "exectrace/v1_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <string>
#include <unordered_map>

#include "exectrace/v1_wire.h"

namespace gcpilot {
namespace {

constexpr size_t kMaxKeptProblems = 8;
constexpr uint64_t kNoP = std::numeric_limits<uint64_t>::max();  // the runtime writes P -1 as 2^64-1
constexpr uint64_t kMaxResyncP = 1024;                           // more Ps than GOMAXPROCS goes in practice
constexpr int kResyncEvents = 8;

template <typename V>
V Lookup(const std::vector<std::pair<uint64_t, V>>& table, uint64_t id, V none) {
  auto it = std::lower_bound(table.begin(), table.end(), id, [](const auto& e, uint64_t k) { return e.first < k; });
  return it != table.end() && it->first == id ? it->second : none;
}

class Indexer {
 public:
  Indexer(std::string_view body, int64_t base, int go_minor, bool lenient)
      : body_(body), base_(base), minor_(go_minor), lenient_(lenient) {}

  V1Index Run() {
    size_t pos = 0;
    for (;;) {
      std::string error;
      V1Read read = ReadV1Event(body_, pos, minor_, &ev_, &error);
      if (read == V1Read::kEnd) break;
      if (read == V1Read::kTruncated) {
        index_.truncated = true;
        index_.truncated_at = base_ + static_cast<int64_t>(pos);
        break;
      }
      if (read == V1Read::kEvent) error = Check();
      if (!error.empty()) {
        if (!lenient_) {
          index_.error = Status::Corruption(fmt::format("offset {}: {}", base_ + static_cast<int64_t>(pos), error));
          break;
        }
        pos = SkipBatch(pos, error);
        continue;
      }
      Note(pos);
      pos += ev_.size;
    }
    CloseBatch(pos);
    Finish();
    return std::move(index_);
  }

 private:
  // What makes a well-formed event wrong where it stands.
  std::string Check() const {
    if (ev_.type != kV1Batch) {
      return index_.batches.empty() ? std::string("an event before the first Batch header") : std::string();
    }
    const uint64_t p = ev_.values[0];
    if (p != kNoP && p > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
      return fmt::format("Batch: P {} is past the largest P id", p);
    }
    return {};
  }

  void Note(size_t pos) {
    switch (ev_.type) {
      case kV1Batch: {
        CloseBatch(pos);
        const int32_t p = ev_.values[0] == kNoP ? -1 : static_cast<int32_t>(ev_.values[0]);
        index_.batches.push_back({pos, 0, ev_.values[1], p, -1});
        if (!first_ticks_seen_) first_ticks_ = ev_.values[1];
        first_ticks_seen_ = true;
        batch_events_ = 0;
        return;
      }
      case kV1String:
        index_.strings.emplace_back(ev_.values[0], ev_.data);
        break;
      case kV1Stack:
        if (ev_.values[1] > 0) index_.stack_tops.emplace_back(ev_.values[0], ev_.values[3]);
        break;
      case kV1Frequency:
        index_.frequency = ev_.values[0];
        break;
      default:
        break;
    }
    ++index_.events;
    ++batch_events_;
  }

  // Ends the open batch, if any, at `pos` (a batch dropped in lenient mode
  // leaves the one before it closed already).
  void CloseBatch(size_t pos) {
    if (!index_.batches.empty() && index_.batches.back().end == 0) index_.batches.back().end = pos;
  }

  // Lenient: drops the batch holding the bad event at `pos` and returns
  // where the next plausible batch begins (or the body's end).
  size_t SkipBatch(size_t pos, const std::string& error) {
    const int64_t at = base_ + static_cast<int64_t>(pos);
    if (index_.skipped.size() < kMaxKeptProblems) index_.skipped.push_back({at, error});
    ++index_.skipped_batches;
    if (!index_.batches.empty()) {
      index_.events -= batch_events_;
      index_.batches.pop_back();
    }
    batch_events_ = 0;
    for (size_t at_pos = pos + 1; at_pos < body_.size(); ++at_pos) {
      if (PlausibleBatch(at_pos)) return at_pos;
    }
    return body_.size();
  }

  // A Batch header whose P is -1 or a small id, whose ticks are no earlier
  // than the trace's first batch, followed by a few well-formed events.
  bool PlausibleBatch(size_t pos) const {
    if (static_cast<uint8_t>(body_[pos]) != (kV1Batch | 1 << 6)) return false;
    V1WireEvent ev;
    std::string error;
    if (ReadV1Event(body_, pos, minor_, &ev, &error) != V1Read::kEvent) return false;
    const uint64_t p = ev.values[0];
    if ((p != kNoP && p >= kMaxResyncP) || (first_ticks_seen_ && ev.values[1] < first_ticks_)) return false;
    pos += ev.size;
    for (int i = 0; i < kResyncEvents; ++i) {
      const V1Read read = ReadV1Event(body_, pos, minor_, &ev, &error);
      if (read == V1Read::kEnd) return true;
      if (read != V1Read::kEvent || ev.type == kV1Batch) return read == V1Read::kEvent;
      pos += ev.size;
    }
    return true;
  }

  void Finish() {
    std::unordered_map<int32_t, int32_t> last;
    for (size_t i = 0; i < index_.batches.size(); ++i) {
      const int32_t p = index_.batches[i].p;
      auto [it, fresh] = last.try_emplace(p, static_cast<int32_t>(i));
      if (fresh) {
        index_.ps.emplace_back(p, static_cast<int32_t>(i));
      } else {
        index_.batches[it->second].next = static_cast<int32_t>(i);
        it->second = static_cast<int32_t>(i);
      }
    }
    auto by_id = [](const auto& a, const auto& b) { return a.first < b.first; };
    std::stable_sort(index_.strings.begin(), index_.strings.end(), by_id);
    std::stable_sort(index_.stack_tops.begin(), index_.stack_tops.end(), by_id);
  }

  std::string_view body_;
  int64_t base_;
  int minor_;
  bool lenient_;
  V1Index index_;
  V1WireEvent ev_;
  int64_t batch_events_ = 0;
  bool first_ticks_seen_ = false;
  uint64_t first_ticks_ = 0;  // the first batch header's, kept when that batch is dropped
};

}  // namespace

std::string_view V1Index::String(uint64_t id) const { return Lookup(strings, id, std::string_view()); }

std::string_view V1Index::StackTopFunction(uint64_t id) const {
  const uint64_t function = Lookup(stack_tops, id, uint64_t{0});
  return function == 0 ? std::string_view() : String(function);
}

V1Index BuildV1Index(std::string_view body, int64_t base, int go_minor, bool lenient) {
  return Indexer(body, base, go_minor, lenient).Run();
}

}  // namespace gcpilot
