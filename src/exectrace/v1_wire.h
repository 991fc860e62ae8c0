// Reads one wire event of a v1 execution trace (v1_events.h has the
// grammar). Used by the batch index pass, the merge pass and the text form;
// it allocates nothing and copies nothing.
#ifndef GCPILOT_EXECTRACE_V1_WIRE_H_
#define GCPILOT_EXECTRACE_V1_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "exectrace/v1_events.h"

namespace gcpilot {

// Limits that keep a corrupt length from claiming the rest of the file: the
// runtime's length-prefixed events hold at most ~52 bytes (it reserves one
// byte for the length), its stacks at most 128 frames, its strings are
// function, file, label and task names.
inline constexpr uint64_t kV1MaxArgBytes = 2048;
inline constexpr uint64_t kV1MaxStackFrames = 1000;
inline constexpr uint64_t kV1MaxStackBytes = 16 + kV1MaxStackFrames * 40;
inline constexpr uint64_t kV1MaxStringBytes = 1'000'000;
// Values kept per event: every event but Stack has at most 6; a Stack keeps
// its id, frame count and first frame here (the rest are in `payload`).
inline constexpr int kV1KeptValues = 6;

struct V1WireEvent {
  uint8_t type = kV1None;
  const V1EventSpec* spec = nullptr;
  size_t pos = 0;   // where it starts in the body
  size_t size = 0;  // its bytes
  // The values in wire order: tick delta (timed events), arguments, stack
  // id. Batch: p, ticks. String: id, length. Stack: id, n, pc, func, file,
  // line of the first frame.
  uint64_t values[kV1KeptValues] = {};
  int value_count = 0;  // all its values (a Stack's too), <= kV1KeptValues except for Stack
  bool length_prefixed = false;
  // The bytes of the length uvarint. Go 1.21 writes a Stack's length in
  // 10 bytes (it reserves the room before it knows the length), so this
  // is not always the shortest form.
  int length_bytes = 0;
  std::string_view payload;  // the length-prefixed bytes (empty otherwise)
  std::string_view data;     // String's bytes, UserLog's message

  uint64_t Arg(int i) const { return values[(spec->timed ? 1 : 0) + i]; }  // i-th named argument
  uint64_t Delta() const { return spec->timed ? values[0] : 0; }
  uint64_t StackId() const { return spec->has_stack ? values[value_count - 1] : 0; }
};

enum class V1Read {
  kEvent,      // *ev holds the event at pos
  kEnd,        // pos is the end of the body
  kTruncated,  // the body ends inside the event at pos
  kCorrupt,    // the event at pos is malformed: *error says how
};

// Reads the event at body[pos] of a go 1.`go_minor` trace.
V1Read ReadV1Event(std::string_view body, size_t pos, int go_minor, V1WireEvent* ev, std::string* error);

// Decodes the uvarint at s[*pos], advancing *pos. False when s ends inside
// it (*truncated = true) or it is longer than 10 bytes / overflows.
bool ReadV1Uvarint(std::string_view s, size_t* pos, uint64_t* value, bool* truncated);

// Appends the canonical (shortest) uvarint of `value`, or with `width`
// (1..10, at least the shortest form's) that many bytes.
void AppendV1Uvarint(std::string* out, uint64_t value, int width = 0);
// The bytes of the shortest uvarint of `value`.
int V1UvarintBytes(uint64_t value);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_V1_WIRE_H_
