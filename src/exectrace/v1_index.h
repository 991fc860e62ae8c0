// The first pass over a v1 execution trace: tokenizes every event once to
// find the batches (a v1 batch has no length: it runs to the next Batch
// header), and keeps what later events refer to by id: the strings, each
// stack's top function, the tick frequency. Memory: a few words per batch
// plus the string table (views into the body) and two ids per stack;
// nothing per event.
//
// Faults. Where the body ends inside an event the index stops there
// (`truncated_at`). A malformed event (unknown type, wrong value count, a
// length past its limit or past its event) stops the index there too, with
// `error` saying what and where; with `lenient` the batch holding it is
// dropped instead, counted, and indexing goes on at the next byte that
// reads as a plausible Batch header (a known P, or -1, with ticks no
// earlier than the trace's first batch).
#ifndef GCPILOT_EXECTRACE_V1_INDEX_H_
#define GCPILOT_EXECTRACE_V1_INDEX_H_

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "exectrace/trace_reader.h"

namespace gcpilot {

struct V1Batch {
  size_t pos = 0;      // its Batch header, in the body
  size_t end = 0;      // where its events end (the next header, a fault, the body's end); 0 while open
  uint64_t ticks = 0;  // the header's absolute ticks
  int32_t p = -1;      // -1: events written without a P
  int32_t next = -1;   // the index of the same P's next batch, -1 none
};

struct V1Index {
  std::vector<V1Batch> batches;                 // file order
  std::vector<std::pair<int32_t, int32_t>> ps;  // (P, its first batch), in order of first appearance
  uint64_t frequency = 0;                       // ticks per second; 0: no Frequency event
  int64_t events = 0;                           // wire events in kept batches (headers not counted)
  bool truncated = false;
  int64_t truncated_at = 0;           // file offset
  Status error;                       // strict mode: the first malformed event
  int64_t skipped_batches = 0;        // lenient mode
  std::vector<TraceProblem> skipped;  // the first few, file offsets

  // The string with `id`, "" when the trace has none (as for a trace cut
  // before its string table entry).
  std::string_view String(uint64_t id) const;
  // The function name of the top frame of stack `id`, "" when unknown.
  std::string_view StackTopFunction(uint64_t id) const;

  // Sorted by id after BuildV1Index.
  std::vector<std::pair<uint64_t, std::string_view>> strings;
  std::vector<std::pair<uint64_t, uint64_t>> stack_tops;  // stack id -> function string id
};

// Indexes `body` (the bytes after the 16-byte header; body[0] is file
// offset `base`) of a go 1.`go_minor` trace. The views in the index point
// into `body`, which must outlive it.
V1Index BuildV1Index(std::string_view body, int64_t base, int go_minor, bool lenient);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_V1_INDEX_H_
