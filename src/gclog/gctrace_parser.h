// Parses `GODEBUG=gctrace=1` output into GcCycle records.
//
// Input is bytes fed in chunks cut anywhere (a multi-GB log is never held
// whole). Lines may carry any prefix (timestamps, container log prefixes,
// indentation) and be interleaved with application output, scavenger
// (`scvg`, `scav`) and pacer lines, CRLF line ends, and a cut-off last
// line. The grammar of one cycle line is written down in
// docs/gctrace-format.md.
#ifndef GCPILOT_GCLOG_GCTRACE_PARSER_H_
#define GCPILOT_GCLOG_GCTRACE_PARSER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/gc_cycle.h"

namespace gcpilot {

// Why one line that looked like a cycle (`gc N @`) could not be parsed.
struct GctraceLineError {
  int64_t line = 0;      // 1-based
  int64_t column = 0;    // 1-based byte column where parsing stopped
  std::string expected;  // what the grammar wanted there, e.g. `" ms clock"`
  std::string excerpt;   // the line, cut to 160 bytes
  // The line keeps the grammar, but a number at `column` is past what the
  // model holds (kGctraceMaxNs and friends); `expected` names the limit.
  bool out_of_range = false;
};

// The largest values a cycle line may print. Times (ns) stop at 10^18
// (31.7 years), far past any real cycle, so the model's sums of one
// cycle's times (GcCycle::end_ns, gc_cpu_ns: at most 6 terms) still fit an
// int64; MB at the largest whole MiB whose bytes fit (MbToBytes' limit);
// counts at int64, % and P at int32 (their model fields). A line printing
// more is skipped as malformed, its error marked out_of_range: no stand-in
// value is ever passed on as if printed.
inline constexpr int64_t kGctraceMaxNs = 1'000'000'000'000'000'000;
inline constexpr int64_t kGctraceMaxMb = INT64_MAX >> 20;

enum class GctraceLineKind {
  kCycle,      // a parsed cycle line
  kMalformed,  // starts like a cycle line (`gc N @`) but breaks the grammar
  kScavenger,  // `scvg...` (Go <= 1.13) or `scav ...` (1.14+)
  kPacer,      // `pacer: ...` (gcpacertrace=1)
  // `scan: total ...` / `scan: class ...` (gctrace=2, Go 1.25+): the
  // objects and spans the cycle above scanned, in all and per size class.
  kScan,
  kLegacy,  // pre-Go 1.5 `gcN(...)` lines: recognized, not parsed
  kOther,   // anything else: application output
};

// Parses one line (without its '\n'; a trailing '\r' is allowed). On
// kCycle fills *cycle (its `line` field is left for the caller); on
// kMalformed fills *error's column, expected and out_of_range. Never reads
// outside `line`.
GctraceLineKind ParseGctraceLine(std::string_view line, GcCycle* cycle, GctraceLineError* error);

// What a reader saw besides the cycles it delivered.
struct GctraceParseStats {
  int64_t bytes = 0;
  int64_t lines = 0;
  int64_t cycles = 0;
  int64_t malformed = 0;     // skipped cycle-like lines
  int64_t out_of_range = 0;  // of those, the ones with a number past the model's limits
  int64_t scavenger_lines = 0;
  int64_t pacer_lines = 0;
  int64_t scan_lines = 0;  // gctrace=2 `scan: ...` lines
  int64_t legacy_lines = 0;
  int64_t other_lines = 0;
  int64_t overlong_lines = 0;                  // lines over kMaxLineBytes, not parsed
  int64_t first_overlong_line = 0;             // 1-based; 0 when there is none
  bool truncated_last_line = false;            // input ended inside a cycle line
  std::vector<GctraceLineError> first_errors;  // at most kMaxKeptErrors
  static constexpr size_t kMaxKeptErrors = 10;
  // A line split across chunks is buffered up to this size; a longer one
  // cannot be a cycle line (they are ~200 bytes) and is dropped unbuffered,
  // so memory stays flat whatever the input.
  static constexpr size_t kMaxLineBytes = 64 * 1024;
};

struct GctraceReaderOptions {
  // Name used in error messages (`gc.log:12:5: ...`); "-" reads as stdin.
  std::string source_name = "<input>";
  // A malformed cycle line, an overlong line or a cut-off last cycle line
  // is an error rather than counted and skipped.
  bool strict = false;
  // Lines are numbered from line_offset + 1 (a reader given the tail of a
  // longer input still names the right line).
  int64_t line_offset = 0;
};

// Strict mode's error for a line over kMaxLineBytes (1-based `line`):
// `gc.log:7: line longer than 65536 bytes, not read`.
Status GctraceOverlongLineError(const std::string& source_name, int64_t line);

// Streams chunks into cycles. The sink is called once per parsed cycle, in
// input order, with a reference valid only during the call.
class GctraceReader {
 public:
  using CycleSink = std::function<void(const GcCycle&)>;

  GctraceReader(GctraceReaderOptions options, CycleSink sink);

  // Consumes a chunk of any size (empty is fine). Returns non-ok only in
  // strict mode, naming source:line:column; the reader then stays failed.
  Status Feed(std::string_view chunk);
  // Ends the input: parses a last line that had no '\n'.
  Status Finish();

  const GctraceParseStats& stats() const { return stats_; }

 private:
  Status HandleLine(std::string_view line, bool at_eof);
  // Counts a line over kMaxLineBytes; in strict mode, the error naming it.
  Status CountOverlongLine();

  GctraceReaderOptions options_;
  CycleSink sink_;
  GctraceParseStats stats_;
  std::string carry_;            // bytes of a line split across chunks
  bool carry_overlong_ = false;  // carry_ overflowed; skip to next '\n'
  Status failed_;
  GcCycle scratch_;
};

}  // namespace gcpilot

#endif  // GCPILOT_GCLOG_GCTRACE_PARSER_H_
