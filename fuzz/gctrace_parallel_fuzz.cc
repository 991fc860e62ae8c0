// Fuzzes the parallel gctrace reader against the serial one: the input is
// read by GctraceReader (the reference) and by ParallelGctraceReader cut into
// small segments (sizes from the second byte), fed in chunks (sizes from the
// first byte) and whole (in place), lenient and strict. The parallel reader
// must deliver the same cycles with the same line numbers, the same counts
// and kept errors, and in strict mode fail with the same message.
// Segments are parsed inline (ParallelGctraceOptions::inline_segments): the
// cutting, ordering and renumbering code is the threaded reader's, without
// starting threads for every input.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "gclog/gctrace_parallel.h"
#include "gclog/gctrace_parser.h"

namespace {

using namespace gcpilot;

struct Result {
  std::vector<std::pair<int64_t, int64_t>> cycles;  // (line, number)
  GctraceParseStats stats;
  Status status;
};

Result ReadSerial(std::string_view input, size_t step, bool strict) {
  Result r;
  GctraceReader reader({.source_name = "fuzz", .strict = strict},
                       [&](const GcCycle& c) { r.cycles.emplace_back(c.origin.line, c.number); });
  for (size_t i = 0; i < input.size() && r.status.ok(); i += step) r.status = reader.Feed(input.substr(i, step));
  if (r.status.ok()) r.status = reader.Finish();
  r.stats = reader.stats();
  return r;
}

Result ReadParallel(std::string_view input, size_t step, size_t segment_bytes, bool strict, bool whole) {
  Result r;
  ParallelGctraceReader reader(
      {.reader = {.source_name = "fuzz", .strict = strict}, .inline_segments = true, .segment_bytes = segment_bytes},
      [&](const GcCycle& c) { r.cycles.emplace_back(c.origin.line, c.number); });
  if (whole) {
    r.status = reader.FeedWhole(input);
  } else {
    for (size_t i = 0; i < input.size() && r.status.ok(); i += step) r.status = reader.Feed(input.substr(i, step));
  }
  if (r.status.ok()) r.status = reader.Finish();
  r.stats = reader.stats();
  return r;
}

void ExpectSame(const Result& serial, const Result& par) {
  if (par.status.ok() != serial.status.ok() || par.status.message() != serial.status.message()) std::abort();
  if (par.cycles != serial.cycles) std::abort();
  if (!serial.status.ok()) return;  // counts past a strict failure are not promised
  const GctraceParseStats& s = serial.stats;
  const GctraceParseStats& p = par.stats;
  if (p.bytes != s.bytes || p.lines != s.lines || p.cycles != s.cycles || p.malformed != s.malformed ||
      p.scavenger_lines != s.scavenger_lines || p.pacer_lines != s.pacer_lines || p.legacy_lines != s.legacy_lines ||
      p.other_lines != s.other_lines || p.truncated_last_line != s.truncated_last_line ||
      p.first_errors.size() != s.first_errors.size()) {
    std::abort();
  }
  for (size_t i = 0; i < s.first_errors.size(); ++i) {
    if (p.first_errors[i].line != s.first_errors[i].line || p.first_errors[i].column != s.first_errors[i].column) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t step = 1 + data[0] % 64;
  const size_t segment_bytes = 1 + data[1] % 200u;
  const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
  for (bool strict : {false, true}) {
    const Result serial = ReadSerial(input, step, strict);
    if (!strict && !serial.status.ok()) std::abort();  // lenient never fails
    for (bool whole : {false, true}) ExpectSame(serial, ReadParallel(input, step, segment_bytes, strict, whole));
  }
  return 0;
}
