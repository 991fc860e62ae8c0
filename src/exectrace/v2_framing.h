// Batch framing of the v2 format: what lies between batches.
//
//   EventBatch gen=1 m=167930 time=28113086277797 size=41
//
// is on the wire the type byte 1, four uvarints (generation, the M that
// wrote it or 2^64-1 for none, the timestamp the first event's dt counts
// from, the byte size of the events that follow), then `size` bytes of
// events. An ExperimentalBatch (Go 1.23+) is type 49, one experiment byte,
// gen, m, time and size the same way, then `size` bytes of opaque data. Go
// 1.26 ends each generation with EndOfGeneration, the lone byte 52.
#ifndef GCPILOT_EXECTRACE_V2_FRAMING_H_
#define GCPILOT_EXECTRACE_V2_FRAMING_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace gcpilot {

struct V2BatchHeader {
  enum Kind : uint8_t { kEvents, kExperimental, kEndOfGeneration } kind = kEvents;
  uint8_t experiment = 0;
  uint64_t gen = 0;
  uint64_t m = 0;
  uint64_t time = 0;      // ticks
  uint64_t size = 0;      // bytes of events (or data) after the header
  size_t header_bytes = 0;
};

enum class V2Frame { kComplete, kNeedMore, kCorrupt };

// Parses the header at the start of `bytes` (Go 1.`go_minor`). kNeedMore:
// `bytes` ends inside the header; kCorrupt: no batch starts here (an other
// type byte, a bad uvarint, a size past the runtime's 64 KiB limit), with
// the reason in *error. Never reads past `bytes`.
V2Frame V2ParseBatchHeader(int go_minor, std::string_view bytes, V2BatchHeader* header, std::string* error);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_V2_FRAMING_H_
