// MakeV1Decoder: the v1 format (Go 1.11, 1.19, 1.21) behind TraceReader.
//
// A v1 trace has no generations and its Ps' batches interleave through the
// whole file, so nothing can be handed on before the end: Feed only keeps
// the bytes and Finish runs the two passes, the batch index
// (v1_index.h) and the time-ordered merge (v1_merge.h). A stable input
// given as one chunk (a mapped file) is read in place; any other input is
// kept whole in one buffer, copied once.
#include <string>

#include <fmt/format.h>

#include "exectrace/format_decoders.h"
#include "exectrace/v1_index.h"
#include "exectrace/v1_merge.h"

namespace gcpilot {
namespace {

class V1Decoder final : public FormatDecoder {
 public:
  V1Decoder(int go_minor, const TraceReadOptions& options, TraceSink* sink)
      : minor_(go_minor),
        lenient_(options.lenient),
        progress_(options.progress),
        release_(options.release),
        sink_(sink) {}

  Status Feed(std::string_view chunk, int64_t base, bool stable) override {
    if (chunks_++ == 0) base_ = base;
    if (chunks_ == 1 && stable) {
      in_place_ = chunk;
      return Status::Ok();
    }
    if (!in_place_.empty()) {
      owned_.assign(in_place_);
      in_place_ = {};
    }
    owned_.append(chunk);
    return Status::Ok();
  }

  Status Finish(TraceReadResult* result) override {
    const std::string_view body = in_place_.empty() ? std::string_view(owned_) : in_place_;
    const V1Index index = BuildV1Index(body, base_, minor_, lenient_);
    if (progress_) progress_(base_ + static_cast<int64_t>(body.size()));
    // A mapped file's pages go back after each pass (the merge faults them
    // in again from the page cache), so neither pass keeps the file resident.
    const bool in_place = !in_place_.empty();
    const int64_t end = base_ + static_cast<int64_t>(body.size());
    if (in_place && release_) release_(base_, end);
    MergeV1Events(body, base_, minor_, index, sink_);
    if (in_place && release_) release_(base_, end);
    result->events = index.events;
    result->batches = static_cast<int64_t>(index.batches.size());
    result->skipped_batches = index.skipped_batches;
    result->skipped = index.skipped;
    result->truncated = index.truncated;
    result->truncated_at = index.truncated_at;
    if (index.error.ok() && index.frequency == 0) {
      // The runtime writes Frequency last: a trace without it was cut off,
      // and without the tick rate no time in it can be known (Go's own
      // reader refuses it too). Counts alone would pass for a result.
      if (!index.truncated) {
        result->truncated = true;
        result->truncated_at = base_ + static_cast<int64_t>(body.size());
      }
      return Status::Corruption(fmt::format(
          "offset {}: the trace ends before its Frequency event (Go 1.11-1.21 write it last, so the file was cut "
          "off): without the tick rate no time in it can be known",
          result->truncated_at));
    }
    return index.error;
  }

 private:
  int minor_;
  bool lenient_;
  std::function<void(int64_t)> progress_;
  std::function<void(int64_t, int64_t)> release_;
  TraceSink* sink_;
  int64_t base_ = static_cast<int64_t>(kTraceHeaderBytes);  // until the first Feed says
  int chunks_ = 0;
  std::string_view in_place_;
  std::string owned_;
};

}  // namespace

std::unique_ptr<FormatDecoder> MakeV1Decoder(int go_minor, const TraceReadOptions& options, TraceSink* sink) {
  return std::make_unique<V1Decoder>(go_minor, options, sink);
}

}  // namespace gcpilot
