// The v2 format decoder (Go 1.22, 1.23, 1.25, 1.26) behind TraceReader:
// frames batches from chunks cut anywhere, collects each generation
// (v2_generation.h), and when it is complete (a batch of the next
// generation, 1.26's EndOfGeneration, or the end of the input) merges it
// in time order into TraceEvents (v2_merge.h) and drops it.
//
// Memory: the generation being collected (its batches referenced in place
// for a stable chunk, copied otherwise) plus, for chunked input, the
// unframed tail of the last chunk. A batch header's size is checked
// against the format's 64 KiB limit before anything waits for its bytes,
// and nothing is ever reserved from a length field.
//
// Truncation: input that ends inside a batch (or, for 1.26, after a
// generation without its EndOfGeneration) is `truncated`, `truncated_at`
// the offset of the incomplete batch (the end of the input for a missing
// EndOfGeneration). Everything complete before is emitted, including the
// complete batches of the unfinished generation; if that generation has no
// Frequency yet, the previous generation's is used, and without one its
// events are dropped. Truncation is not an error (Finish returns ok).
//
// Corruption: a batch whose events cannot be read (unknown type, an
// argument, frame or data past the batch end, an event of the wrong kind
// for the batch), a generation going backwards, or a string/stack id far
// past its table fails with "offset N: ..."; the events before (the
// complete generations, the earlier batches of this one) are emitted
// first. With `lenient` such a batch is skipped, counted and listed
// instead. A bad batch header (no batch type byte where one must start, a
// size past 64 KiB) leaves no way to find the next batch: an error even
// when lenient. A generation without a Frequency is an error.
#ifndef GCPILOT_EXECTRACE_V2_DECODER_H_
#define GCPILOT_EXECTRACE_V2_DECODER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "exectrace/trace_reader.h"
#include "exectrace/v2_generation.h"
#include "exectrace/v2_merge.h"

namespace gcpilot {

class V2Decoder final : public FormatDecoder {
 public:
  // A copied (non-stable) input never holds more than this of one
  // generation: a stream that never starts a new generation is refused, not
  // buffered to its end.
  static constexpr int64_t kMaxGenerationBytes = int64_t{512} << 20;

  V2Decoder(int go_minor, const TraceReadOptions& options, TraceSink* sink);

  [[nodiscard]] Status Feed(std::string_view chunk, int64_t base, bool stable) override;
  [[nodiscard]] Status Finish(TraceReadResult* result) override;

  // Bytes held now: the generation being collected and the unframed tail.
  // 0 right after a generation was handed on with no tail.
  int64_t held_bytes() const { return gen_.held_bytes() + static_cast<int64_t>(tail_.size()); }

 private:
  Status Frame(std::string_view bytes, int64_t base, bool in_place, size_t* used);
  Status TakeBatch(V2Batch batch, bool in_place);
  Status CompleteGeneration(bool truncated);
  void ReleaseBefore(int64_t offset);
  Status Corrupt(const Status& why, int64_t batch_offset);
  Status Fail(Status st);

  int minor_;
  TraceReadOptions options_;
  V2Generation gen_;
  V2Merger merger_;
  std::string tail_;  // bytes of an incomplete batch (chunked input)
  int64_t tail_base_ = 0;
  uint64_t last_gen_ = 0;       // the last generation handed on
  uint64_t last_frequency_ = 0;
  int64_t end_ = 16;  // offset after the last byte fed
  int64_t released_ = 16;  // offsets before this were handed to options_.release
  TraceReadResult counts_;
  Status error_;
};

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_V2_DECODER_H_
