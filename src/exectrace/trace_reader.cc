#include "exectrace/trace_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "exectrace/format_decoders.h"

namespace gcpilot {

bool IsV1TraceVersion(int go_minor) { return go_minor == 11 || go_minor == 19 || go_minor == 21; }
bool IsV2TraceVersion(int go_minor) {
  return go_minor == 22 || go_minor == 23 || go_minor == 25 || go_minor == 26;
}

StatusOr<int> ParseTraceHeader(std::string_view header16) {
  constexpr std::string_view kPrefix = "go 1.";
  constexpr std::string_view kSuffix = " trace";
  if (header16.size() < kTraceHeaderBytes || !header16.starts_with(kPrefix)) {
    return Status::Corruption("not a Go execution trace (it does not begin with \"go 1.N trace\")");
  }
  int minor = 0;
  size_t i = kPrefix.size();
  while (i < header16.size() && i < kPrefix.size() + 3 && header16[i] >= '0' && header16[i] <= '9') {
    minor = minor * 10 + (header16[i] - '0');
    ++i;
  }
  const std::string_view rest = header16.substr(i, kTraceHeaderBytes - i);
  const bool padded = rest.starts_with(kSuffix) &&
                      std::all_of(rest.begin() + kSuffix.size(), rest.end(), [](char c) { return c == '\0'; });
  if (i == kPrefix.size() || !padded) {
    return Status::Corruption("not a Go execution trace (it does not begin with \"go 1.N trace\")");
  }
  if (!IsV1TraceVersion(minor) && !IsV2TraceVersion(minor)) {
    return Status::InvalidArgument(fmt::format("unsupported trace version go 1.{}", minor));
  }
  return minor;
}

TraceReader::TraceReader(TraceReadOptions options, TraceSink* sink) : options_(std::move(options)), sink_(sink) {}
TraceReader::~TraceReader() = default;

Status TraceReader::Feed(std::string_view chunk, bool stable) {
  if (!error_.ok()) return error_;
  result_.bytes += static_cast<int64_t>(chunk.size());
  if (decoder_ == nullptr) {
    const size_t need = kTraceHeaderBytes - header_.size();
    header_.append(chunk.substr(0, need));
    chunk.remove_prefix(std::min(need, chunk.size()));
    if (header_.size() < kTraceHeaderBytes) return Status::Ok();
    StatusOr<int> minor = ParseTraceHeader(header_);
    if (!minor.ok()) return error_ = minor.status();
    result_.go_minor = *minor;
    result_.v2 = IsV2TraceVersion(*minor);
    decoder_ = result_.v2 ? MakeV2Decoder(*minor, options_, sink_) : MakeV1Decoder(*minor, options_, sink_);
  }
  if (chunk.empty()) return Status::Ok();
  const int64_t chunk_base = result_.bytes - static_cast<int64_t>(chunk.size());
  error_ = decoder_->Feed(chunk, chunk_base, stable);
  return error_;
}

Status TraceReader::Finish(TraceReadResult* result) {
  if (decoder_ == nullptr && error_.ok()) {
    error_ = Status::Corruption(
        result_.bytes == 0 ? std::string("empty input: not a Go execution trace")
                           : fmt::format("the input ends after {} bytes, inside the 16-byte trace header",
                                         result_.bytes));
  }
  if (decoder_ != nullptr) {
    const Status finished = decoder_->Finish(&result_);
    if (error_.ok()) error_ = finished;
  }
  if (sink_ != nullptr) sink_->OnFinish();
  *result = result_;
  return error_;
}

Status ReadTrace(std::string_view bytes, const TraceReadOptions& options, TraceSink* sink, TraceReadResult* result) {
  TraceReader reader(options, sink);
  const Status fed = reader.Feed(bytes, /*stable=*/true);
  const Status finished = reader.Finish(result);
  return fed.ok() ? finished : fed;
}

}  // namespace gcpilot
