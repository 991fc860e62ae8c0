// One generation of a v2 trace (about a second of it): every batch whose
// header names the same generation, sorted by kind as they come.
//
//   - M batches (the events of one thread, in its order) are kept per M,
//     in file order, for the merge (v2_merge.h).
//   - Strings / Stacks batches fill the string and stack tables the M
//     batches' events name by id. Only a stack's top function is kept.
//   - The sync batch (1.25+: Sync, Frequency, ClockSnapshot; before: a lone
//     Frequency) gives the ticks per second and the clocks.
//   - CPUSamples and experimental batches are counted and dropped.
//
// Every batch is checked whole when it is added (known event types for the
// version, arguments inside the batch, the right kind of event for the
// batch), so a corrupt one is refused without touching what came before.
// Batch bytes are referenced where they lie, or copied into the generation
// (Keep) when the caller's buffer will not outlive the call.
#ifndef GCPILOT_EXECTRACE_V2_GENERATION_H_
#define GCPILOT_EXECTRACE_V2_GENERATION_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "exectrace/v2_framing.h"

namespace gcpilot {

struct V2Batch {
  V2BatchHeader header;
  std::string_view data;    // the bytes after the header
  int64_t offset = 0;       // file offset of the header
  int64_t data_offset = 0;  // file offset of data[0]
};

struct V2MBatches {
  uint64_t m = 0;
  std::vector<V2Batch> batches;  // in file order
};

class V2Generation {
 public:
  explicit V2Generation(int go_minor) : minor_(go_minor) {}

  bool empty() const { return batches_ == 0; }
  uint64_t gen() const { return gen_; }
  int64_t first_offset() const { return first_offset_; }

  // Adds a complete batch of this generation. `in_place`: `batch.data`
  // stays valid until Clear; else it is copied. A corrupt batch is refused
  // with "offset N: ..." (N: the bad event's file offset) and changes
  // nothing.
  [[nodiscard]] Status Add(V2Batch batch, bool in_place);
  // Builds the id -> entry tables once every batch is in. A string or stack
  // id far past the table's size (more than 2 * entries + 1024) is corrupt.
  [[nodiscard]] Status FinishTables();
  // Drops every batch and table: the generation is handed on.
  void Clear();

  const std::vector<V2MBatches>& ms() const { return ms_; }
  // "" for an id the tables do not hold (0 is "no string / no stack").
  std::string_view String(uint64_t id) const { return id < strings_.size() ? strings_[id] : std::string_view(); }
  std::string_view StackTopFunction(uint64_t stack_id) const {
    return stack_id < stacks_.size() ? String(stacks_[stack_id]) : std::string_view();
  }
  uint64_t frequency() const { return frequency_; }  // 0: none seen
  bool has_clock_snapshot() const { return clock_ticks_ != 0; }
  uint64_t clock_ticks() const { return clock_ticks_; }  // trace clock of the ClockSnapshot
  uint64_t clock_mono_ns() const { return clock_mono_ns_; }

  int64_t events() const { return events_; }            // wire events in the batches added
  int64_t dropped_events() const { return dropped_; }   // not handed on (see header)
  // Bytes this generation holds: copied batch bytes and table entries.
  int64_t held_bytes() const;

 private:
  struct Entry {
    uint64_t id;
    uint64_t value;  // stacks: the top frame's func string id
    std::string_view text;
    int64_t offset;
  };
  Status Dispatch(const V2Batch& b);
  Status AddEvents(const V2Batch& b);
  Status AddStrings(const V2Batch& b, std::vector<Entry>* out);
  Status AddStacks(const V2Batch& b, std::vector<Entry>* out);
  Status AddSync(const V2Batch& b);
  Status AddCpuSamples(const V2Batch& b);

  int minor_;
  uint64_t gen_ = 0;
  int64_t first_offset_ = 0;
  int64_t batches_ = 0;
  std::vector<V2MBatches> ms_;
  std::vector<Entry> string_entries_, stack_entries_;
  std::vector<std::string_view> strings_;
  std::vector<uint64_t> stacks_;
  std::deque<std::string> owned_;
  int64_t owned_bytes_ = 0;
  uint64_t frequency_ = 0, clock_ticks_ = 0, clock_mono_ns_ = 0;
  int64_t events_ = 0, dropped_ = 0;
};

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_V2_GENERATION_H_
