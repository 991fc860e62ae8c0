#include "tune/trace_capture.h"

#include <utility>

#include <fmt/format.h>

#include "net/http_get.h"

namespace gcpilot {

LoopbackUrl TraceUrl(const LoopbackUrl& load, int seconds) {
  LoopbackUrl u = load;
  u.path = fmt::format("/debug/pprof/trace?seconds={}", seconds);
  return u;
}

TraceCapture::TraceCapture(LoopbackUrl url, int seconds, TraceSummarizer summarize)
    : url_(std::move(url)), seconds_(seconds), summarize_(std::move(summarize)) {}

TraceCapture::~TraceCapture() {
  {
    std::lock_guard lock(mu_);
    finished_ = true;
  }
  finishing_.notify_all();
  if (fetcher_.joinable()) fetcher_.join();
}

void TraceCapture::Start(int64_t at_ns) {
  std::call_once(started_, [this, at_ns] { fetcher_ = std::thread([this, at_ns] { Fetch(at_ns); }); });
}

void TraceCapture::Fetch(int64_t at_ns) {
  {
    std::unique_lock lock(mu_);
    const std::chrono::steady_clock::time_point at{std::chrono::nanoseconds(at_ns)};
    // Called off only before its time: a Finish after it waits for the trace.
    finishing_.wait_until(lock, at, [this] { return finished_; });
    if (std::chrono::steady_clock::now() < at) {
      bytes_ = Status::FailedPrecondition("the load ended before its measured window began");
      return;
    }
  }
  const auto timeout = std::chrono::milliseconds(int64_t{seconds_} * 1000) + kSlack;
  StatusOr<HttpReply> reply = HttpGet(url_, timeout, kMaxBytes);
  if (!reply.ok()) {
    bytes_ = reply.status();
  } else if (reply->status != 200) {
    // A one-line text body says why ("404 page not found"); an HTML page would not read well in a note.
    std::string body = reply->body.substr(0, reply->body.find('\n')).substr(0, 200);
    if (body.starts_with("<")) body.clear();
    bytes_ = Status::IoError(fmt::format("http://{}{} answered {}{}", url_.HostHeader(), url_.path, reply->status,
                                         body.empty() ? "" : ": " + body));
  } else {
    bytes_ = std::move(reply->body);
  }
}

void TraceCapture::Finish(RunData* data) {
  // Start runs in the load's measured_start callback, on the thread that
  // ran the load and now calls Finish: no race on fetcher_.
  if (!fetcher_.joinable()) {
    data->trace_note = "trace: not captured: the load ended before its measured window began";
    return;
  }
  {
    std::lock_guard lock(mu_);
    finished_ = true;
  }
  finishing_.notify_all();
  fetcher_.join();
  if (!bytes_ || !bytes_->ok()) {
    data->trace_note = "trace: not captured: " + (bytes_ ? bytes_->status().message() : std::string("no reply"));
    return;
  }
  StatusOr<TraceSummary> summary = summarize_(**bytes_);
  if (!summary.ok()) {
    data->trace_note = fmt::format("trace: captured {} bytes but could not read them: {}", (*bytes_)->size(),
                                   summary.status().message());
    return;
  }
  data->trace = std::move(*summary);
}

}  // namespace gcpilot
