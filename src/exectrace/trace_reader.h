// Reads a Go execution trace: the header names the format version, then
// the version's decoder turns the bytes into TraceEvents (trace_event.h)
// for a sink. Bytes arrive in chunks cut anywhere; a mapped file arrives as
// one chunk that stays valid, and is then read in place (batches are
// referenced, not copied).
//
// Memory. v2 (Go 1.22+): a generation's batches are held until the
// generation is complete (in place for a stable chunk), merged in time
// order, handed on and dropped, so memory follows the largest generation,
// never the file. v1 (Go 1.11-1.21) has no generations and its batches of
// different Ps interleave through the whole file: the decoder indexes the
// batches (offset, P, first timestamp) and its strings and stacks in one
// pass, then merges the Ps' batches in time order in a second; a chunked
// (non-stable) v1 input is kept whole for that, a mapped one is not.
//
// Errors. A header that is no trace, or a version this reader does not
// know ("unsupported trace version go 1.N"), fails before any event. A
// file that ends inside an event or batch is `truncated` at that offset;
// everything before it is still read and handed on. A corrupt batch (an
// unknown event type, an argument past its batch, a batch length past the
// file) fails with its offset, or with `lenient` is skipped and counted.
#ifndef GCPILOT_EXECTRACE_TRACE_READER_H_
#define GCPILOT_EXECTRACE_TRACE_READER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "exectrace/trace_event.h"

namespace gcpilot {

struct TraceReadOptions {
  bool lenient = false;  // skip and count corrupt batches instead of failing
  // Called now and then with the bytes consumed so far (for progress).
  std::function<void(int64_t bytes)> progress;
  // Called with file offsets [from, to) the reader will not read again, for
  // a stable (mapped) input: the caller hands those pages back
  // (MappedFile::Release), so a file read in place never stays resident.
  std::function<void(int64_t from, int64_t to)> release;
};

// Something wrong at a place in the file.
struct TraceProblem {
  int64_t offset = 0;
  std::string message;  // without the offset
};

struct TraceReadResult {
  int go_minor = 0;  // 0 when the header was not read
  bool v2 = false;
  int64_t bytes = 0;            // bytes given
  int64_t events = 0;           // wire events decoded (all kinds, dropped ones too)
  // v2: wire events not handed on as TraceEvents (CPU samples, user logs,
  // experimental events; an experimental batch counts as one).
  int64_t dropped_events = 0;
  int64_t batches = 0;
  int64_t generations = 0;      // v2
  int64_t skipped_batches = 0;  // lenient only
  std::vector<TraceProblem> skipped;  // the first few skipped batches' reasons
  bool truncated = false;
  int64_t truncated_at = 0;     // offset where the input ended mid-event or mid-batch
};

// The format-specific half (v1_decoder.h, v2_decoder.h).
class FormatDecoder {
 public:
  virtual ~FormatDecoder() = default;
  // `base` is the file offset of chunk[0].
  [[nodiscard]] virtual Status Feed(std::string_view chunk, int64_t base, bool stable) = 0;
  // The input ended: hand on what is complete, note a truncation.
  [[nodiscard]] virtual Status Finish(TraceReadResult* result) = 0;
};

class TraceReader {
 public:
  TraceReader(TraceReadOptions options, TraceSink* sink);
  ~TraceReader();

  // The next bytes of the file. `stable`: the bytes stay valid and
  // unchanged until Finish returns (a mapped file). An error (the header, a
  // corrupt batch) is final: later calls return it again.
  [[nodiscard]] Status Feed(std::string_view chunk, bool stable = false);
  // Ends the input; the sink gets OnFinish. Returns the first error, if any
  // (then `result` still counts what was read).
  [[nodiscard]] Status Finish(TraceReadResult* result);

 private:
  TraceReadOptions options_;
  TraceSink* sink_;
  std::string header_;  // the header's bytes until all 16 are in
  std::unique_ptr<FormatDecoder> decoder_;
  TraceReadResult result_;
  Status error_;
};

// Reads a whole trace held in memory (stable): Feed + Finish.
[[nodiscard]] Status ReadTrace(std::string_view bytes, const TraceReadOptions& options, TraceSink* sink,
                               TraceReadResult* result);

// "go 1.N trace\0\0\0": 16 bytes. Returns N, or an error saying what the
// bytes are ("not a Go execution trace", "unsupported trace version go
// 1.N").
[[nodiscard]] StatusOr<int> ParseTraceHeader(std::string_view header16);
inline constexpr size_t kTraceHeaderBytes = 16;
bool IsV1TraceVersion(int go_minor);  // 11, 19, 21
bool IsV2TraceVersion(int go_minor);  // 22, 23, 25, 26

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_TRACE_READER_H_
