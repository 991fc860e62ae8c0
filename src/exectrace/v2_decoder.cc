#include "exectrace/v2_decoder.h"

#include <algorithm>

#include <fmt/format.h>

#include "exectrace/format_decoders.h"

namespace gcpilot {
namespace {

constexpr size_t kMaxSkippedListed = 10;

class NullSink final : public TraceSink {
 public:
  void OnEvent(const TraceEvent&) override {}
};

TraceSink* OrNull(TraceSink* sink) {
  static NullSink null_sink;
  return sink != nullptr ? sink : &null_sink;
}

}  // namespace

V2Decoder::V2Decoder(int go_minor, const TraceReadOptions& options, TraceSink* sink)
    : minor_(go_minor), options_(options), gen_(go_minor), merger_(go_minor, !options.lenient, OrNull(sink)) {}

Status V2Decoder::Feed(std::string_view chunk, int64_t base, bool stable) {
  if (!error_.ok()) return error_;
  end_ = base + static_cast<int64_t>(chunk.size());
  size_t used = 0;
  Status st;
  if (stable && tail_.empty()) {
    st = Frame(chunk, base, /*in_place=*/true, &used);
    if (st.ok()) {
      tail_.assign(chunk.substr(used));
      tail_base_ = base + static_cast<int64_t>(used);
    }
  } else {
    if (tail_.empty()) tail_base_ = base;
    tail_.append(chunk);
    st = Frame(tail_, tail_base_, /*in_place=*/false, &used);
    if (st.ok()) {
      tail_.erase(0, used);
      tail_base_ += static_cast<int64_t>(used);
    }
  }
  if (options_.progress) options_.progress(end_);
  return st;
}

// EventBatch gen=1 m=167930 time=28113086277797 size=41, then 41 bytes.
Status V2Decoder::Frame(std::string_view bytes, int64_t base, bool in_place, size_t* used) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    V2BatchHeader h;
    std::string why;
    const std::string_view rest = bytes.substr(pos);
    const V2Frame f = V2ParseBatchHeader(minor_, rest, &h, &why);
    const int64_t offset = base + static_cast<int64_t>(pos);
    if (f == V2Frame::kCorrupt) {
      // No way to find the next batch: hand on what is complete, and end.
      const Status done = CompleteGeneration(/*truncated=*/true);
      return Fail(done.ok() ? Status::Corruption(fmt::format("offset {}: {}", offset, why)) : done);
    }
    if (f == V2Frame::kNeedMore || h.header_bytes + h.size > rest.size()) break;
    pos += h.header_bytes + h.size;
    if (h.kind == V2BatchHeader::kEndOfGeneration) {
      Status st = CompleteGeneration(/*truncated=*/false);
      if (!st.ok()) return st;
      if (in_place) ReleaseBefore(base + static_cast<int64_t>(pos));
      continue;
    }
    V2Batch batch{h, rest.substr(h.header_bytes, h.size), offset, offset + static_cast<int64_t>(h.header_bytes)};
    Status st = TakeBatch(batch, in_place);
    if (!st.ok()) return st;
  }
  *used = pos;
  return Status::Ok();
}

Status V2Decoder::TakeBatch(V2Batch batch, bool in_place) {
  ++counts_.batches;
  const uint64_t gen = batch.header.gen;
  const uint64_t current = gen_.empty() ? last_gen_ : gen_.gen();
  if (gen < current || (gen_.empty() && gen == last_gen_)) {
    return Corrupt(Status::Corruption(fmt::format("offset {}: a batch of generation {} after generation {}",
                                                  batch.offset, gen, current)),
                   batch.offset);
  }
  if (!gen_.empty() && gen != gen_.gen()) {
    Status st = CompleteGeneration(/*truncated=*/false);
    if (!st.ok()) return st;
    if (in_place) ReleaseBefore(batch.offset);
  }
  if (!in_place && gen_.held_bytes() + static_cast<int64_t>(batch.data.size()) > kMaxGenerationBytes) {
    return Fail(Status::Corruption(fmt::format(
        "offset {}: generation {} holds more than {} MiB of batches (the runtime starts a new one about every "
        "second): not a trace Go writes",
        batch.offset, gen, kMaxGenerationBytes >> 20)));
  }
  Status st = gen_.Add(batch, in_place);
  return st.ok() ? st : Corrupt(st, batch.offset);
}

Status V2Decoder::CompleteGeneration(bool truncated) {
  if (gen_.empty()) return Status::Ok();
  Status st = gen_.FinishTables();
  if (!st.ok()) {
    gen_.Clear();
    return Fail(st);
  }
  counts_.events += gen_.events();
  counts_.dropped_events += gen_.dropped_events();
  ++counts_.generations;
  last_gen_ = gen_.gen();
  uint64_t frequency = gen_.frequency() != 0 ? gen_.frequency() : last_frequency_;
  if (frequency == 0 && !truncated) {
    st = Status::Corruption(fmt::format("offset {}: generation {} has no Frequency event", gen_.first_offset(),
                                        gen_.gen()));
  } else if (frequency != 0) {
    last_frequency_ = frequency;
    st = merger_.Emit(gen_, frequency);
  }
  gen_.Clear();
  return st.ok() ? st : Fail(st);
}

// Every generation before `offset` has been handed on: its bytes are not
// read again.
void V2Decoder::ReleaseBefore(int64_t offset) {
  if (options_.release && offset > released_) options_.release(released_, offset);
  released_ = std::max(released_, offset);
}

// A batch that cannot be read: skipped when lenient, else the end.
Status V2Decoder::Corrupt(const Status& why, int64_t batch_offset) {
  if (!options_.lenient) {
    Status st = CompleteGeneration(/*truncated=*/true);
    return Fail(st.ok() ? why : st);
  }
  ++counts_.skipped_batches;
  if (counts_.skipped.size() < kMaxSkippedListed) {
    // The listed problem carries the batch's offset; the message keeps only
    // what is wrong ("type 200: unknown event type").
    std::string message = why.message();
    if (message.starts_with("offset ")) message = message.substr(message.find(": ") + 2);
    counts_.skipped.push_back(TraceProblem{batch_offset, message});
  }
  return Status::Ok();
}

Status V2Decoder::Fail(Status st) {
  if (error_.ok()) error_ = st;
  return error_;
}

Status V2Decoder::Finish(TraceReadResult* result) {
  if (error_.ok()) {
    const bool cut = !tail_.empty() || (minor_ >= 26 && !gen_.empty());
    if (cut) {
      counts_.truncated = true;
      counts_.truncated_at = tail_.empty() ? end_ : tail_base_;
    }
    Status st = CompleteGeneration(cut);
    if (!st.ok()) error_ = st;
    merger_.StartIfNeeded(last_frequency_);
  }
  tail_.clear();
  result->events = counts_.events;
  result->batches = counts_.batches;
  result->generations = counts_.generations;
  result->dropped_events = counts_.dropped_events;
  result->skipped_batches = counts_.skipped_batches;
  result->skipped = counts_.skipped;
  result->truncated = counts_.truncated;
  result->truncated_at = counts_.truncated_at;
  return error_;
}

std::unique_ptr<FormatDecoder> MakeV2Decoder(int go_minor, const TraceReadOptions& options, TraceSink* sink) {
  return std::make_unique<V2Decoder>(go_minor, options, sink);
}

}  // namespace gcpilot
