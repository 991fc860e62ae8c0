#include "gclog/gctrace_parallel.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "base/cpus.h"

namespace gcpilot {
namespace {

// Adds a segment's (or tail reader's) counts to `into`, moving its line
// numbers past the `line_offset` lines delivered before it. Bytes are
// counted as they are fed, not here.
void MergeStats(const GctraceParseStats& from, int64_t line_offset, GctraceParseStats* into) {
  into->lines += from.lines;
  into->cycles += from.cycles;
  into->malformed += from.malformed;
  into->out_of_range += from.out_of_range;
  into->scavenger_lines += from.scavenger_lines;
  into->pacer_lines += from.pacer_lines;
  into->scan_lines += from.scan_lines;
  into->legacy_lines += from.legacy_lines;
  into->other_lines += from.other_lines;
  if (into->first_overlong_line == 0 && from.first_overlong_line != 0) {
    into->first_overlong_line = from.first_overlong_line + line_offset;
  }
  into->overlong_lines += from.overlong_lines;
  into->truncated_last_line = into->truncated_last_line || from.truncated_last_line;
  for (const GctraceLineError& e : from.first_errors) {
    if (into->first_errors.size() >= GctraceParseStats::kMaxKeptErrors) break;
    into->first_errors.push_back(e);
    into->first_errors.back().line += line_offset;
  }
}

}  // namespace

ParallelGctraceReader::ParallelGctraceReader(ParallelGctraceOptions options, CycleSink sink)
    : options_(std::move(options)), sink_(std::move(sink)) {
  options_.segment_bytes = std::max<size_t>(options_.segment_bytes, 1);
  int threads = 0;  // inline: every segment is parsed (done) when submitted
  if (!options_.inline_segments) {
    threads = options_.threads > 0 ? options_.threads : std::max<int>(1, UsableCpuList().size());
    threads = std::min(threads, 64);
  }
  // Two segments per worker keep every worker busy while the caller reads
  // and delivers; more would only add memory. Inline, Deliver never waits.
  max_in_flight_ = static_cast<size_t>(std::max(2 * threads, 1));
  next_ = NewSegment();
  workers_.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
}

ParallelGctraceReader::~ParallelGctraceReader() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& t : workers_) t.join();
}

std::unique_ptr<ParallelGctraceReader::Segment> ParallelGctraceReader::NewSegment() {
  std::unique_ptr<Segment> s;
  if (spare_.empty()) {
    s = std::make_unique<Segment>();
    // Room for a segment plus the chunk that overflows it (up to 1 MiB;
    // more grows the string once, and spare segments keep their capacity).
    // Small segments (tests, fuzzing) reserve in proportion, not 1 MiB each.
    s->bytes.reserve(options_.segment_bytes + std::min(options_.segment_bytes, size_t{1} << 20));
  } else {
    s = std::move(spare_.back());
    spare_.pop_back();
    s->bytes.clear();  // capacities are kept: no new pages per segment
    s->view = {};
    s->in_place = false;
    s->cycles.clear();
    s->stats = GctraceParseStats{};
    s->done = false;
  }
  return s;
}

void ParallelGctraceReader::Submit(std::unique_ptr<Segment> s) {
  if (!s->in_place) s->view = s->bytes;
  Segment* raw = s.get();
  in_flight_.push_back(std::move(s));
  if (options_.inline_segments) {
    Parse(raw);
    raw->done = true;  // no worker exists to race with
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    todo_.push_back(raw);
  }
  work_cv_.notify_one();
}

void ParallelGctraceReader::SubmitOverlongLine() {
  std::unique_ptr<Segment> s = NewSegment();
  s->stats.lines = 1;
  s->stats.overlong_lines = 1;
  s->stats.first_overlong_line = 1;  // of this segment's one line
  s->done = true;                    // nothing to parse; keeps its place in the order
  in_flight_.push_back(std::move(s));
}

void ParallelGctraceReader::CutAndSubmit() {
  std::string& b = next_->bytes;
  const size_t cut = b.rfind('\n');
  if (cut == std::string::npos) {
    if (b.size() > GctraceParseStats::kMaxLineBytes) {
      b.clear();  // no cycle line is this long: skip to its end
      skipping_overlong_ = true;
    }
    return;
  }
  std::unique_ptr<Segment> rest = NewSegment();
  rest->bytes.append(b, cut + 1, std::string::npos);
  b.resize(cut + 1);
  Submit(std::move(next_));
  next_ = std::move(rest);
}

Status ParallelGctraceReader::Feed(std::string_view chunk) {
  if (!failed_.ok()) return failed_;
  total_.bytes += static_cast<int64_t>(chunk.size());
  if (skipping_overlong_) {
    const void* nl = std::memchr(chunk.data(), '\n', chunk.size());
    if (nl == nullptr) return Status::Ok();
    SubmitOverlongLine();
    skipping_overlong_ = false;
    chunk.remove_prefix(static_cast<const char*>(nl) - chunk.data() + 1);
  }
  next_->bytes.append(chunk);
  if (next_->bytes.size() >= options_.segment_bytes) CutAndSubmit();
  return Deliver(false);
}

Status ParallelGctraceReader::FeedWhole(std::string_view all) {
  if (!failed_.ok()) return failed_;
  size_t pos = 0;
  while (all.size() - pos > options_.segment_bytes) {
    const size_t from = pos + options_.segment_bytes;
    const void* nl = std::memchr(all.data() + from, '\n', all.size() - from);
    if (nl == nullptr) break;
    const size_t end = static_cast<size_t>(static_cast<const char*>(nl) - all.data() + 1);
    std::unique_ptr<Segment> s = NewSegment();
    s->view = all.substr(pos, end - pos);
    s->in_place = true;
    total_.bytes += static_cast<int64_t>(end - pos);
    Submit(std::move(s));
    pos = end;
    Status st = Deliver(false);
    if (!st.ok()) return st;
  }
  // The rest: whole lines in place, then a last line without '\n' is
  // copied for Finish (or counted overlong if no cycle line could be it).
  std::string_view rest = all.substr(pos);
  const size_t cut = rest.rfind('\n');
  if (cut != std::string_view::npos) {
    std::unique_ptr<Segment> s = NewSegment();
    s->view = rest.substr(0, cut + 1);
    s->in_place = true;
    Submit(std::move(s));
    rest.remove_prefix(cut + 1);
  }
  total_.bytes += static_cast<int64_t>(all.size() - pos);
  if (rest.size() > GctraceParseStats::kMaxLineBytes) {
    skipping_overlong_ = true;
  } else {
    next_->bytes.append(rest);
  }
  return Deliver(false);
}

Status ParallelGctraceReader::Finish() {
  if (!failed_.ok()) return failed_;
  std::string tail;  // a last line without '\n'
  if (skipping_overlong_) {
    SubmitOverlongLine();
    skipping_overlong_ = false;
  } else {
    std::string& b = next_->bytes;
    const size_t cut = b.rfind('\n');
    tail.assign(b, cut == std::string::npos ? 0 : cut + 1, std::string::npos);
    b.resize(cut == std::string::npos ? 0 : cut + 1);
    if (!b.empty()) {
      Submit(std::move(next_));
      next_ = NewSegment();
    }
  }
  Status st = Deliver(true);
  if (!st.ok() || tail.empty()) return st;
  // The serial reader decides what a cut-off last line means.
  GctraceReaderOptions o = options_.reader;
  o.line_offset = total_.lines;
  GctraceReader last(o, sink_);
  st = last.Feed(tail);
  if (st.ok()) st = last.Finish();
  MergeStats(last.stats(), 0, &total_);
  if (!st.ok()) failed_ = st;
  return st;
}

Status ParallelGctraceReader::Deliver(bool wait_for_all) {
  while (!in_flight_.empty()) {
    Segment& s = *in_flight_.front();
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!s.done) {
        if (!wait_for_all && in_flight_.size() < max_in_flight_) break;
        done_cv_.wait(lock, [&] { return s.done; });
      }
    }
    Status st = Consume(s);
    if (s.in_place && options_.release) options_.release(s.view);
    if (options_.progress) options_.progress(total_);
    spare_.push_back(std::move(in_flight_.front()));
    in_flight_.pop_front();
    if (!st.ok()) {
      failed_ = st;
      Abandon();
      return st;
    }
  }
  return Status::Ok();
}

void ParallelGctraceReader::Abandon() {
  std::unique_lock<std::mutex> lock(mu_);
  todo_.clear();
  done_cv_.wait(lock, [&] { return busy_ == 0; });
}

Status ParallelGctraceReader::Consume(Segment& s) {
  const int64_t offset = total_.lines;
  // Strict stops at the first line skipped, malformed or overlong.
  constexpr int64_t kNone = std::numeric_limits<int64_t>::max();
  const bool strict = options_.reader.strict;
  const int64_t malformed_line = strict && s.stats.malformed > 0 ? s.stats.first_errors.front().line : kNone;
  const int64_t overlong_line = strict && s.stats.overlong_lines > 0 ? s.stats.first_overlong_line : kNone;
  const int64_t stop_line = std::min(malformed_line, overlong_line);
  for (GcCycle& c : s.cycles) {
    if (c.origin.line >= stop_line) break;
    c.origin.line += offset;
    sink_(c);
  }
  if (overlong_line < malformed_line)
    return GctraceOverlongLineError(options_.reader.source_name, offset + overlong_line);
  if (malformed_line != kNone) {
    const GctraceLineError& e = s.stats.first_errors.front();
    return Status::Corruption(
        fmt::format("{}:{}:{}: expected {}", options_.reader.source_name, offset + e.line, e.column, e.expected));
  }
  MergeStats(s.stats, offset, &total_);
  return Status::Ok();
}

void ParallelGctraceReader::Parse(Segment* s) const {
  GctraceReaderOptions o = options_.reader;
  o.strict = false;  // the delivering thread applies strictness in order
  GctraceReader reader(o, [s](const GcCycle& c) { s->cycles.push_back(c); });
  (void)reader.Feed(s->view);  // whole lines: nothing is left to Finish
  s->stats = reader.stats();
}

void ParallelGctraceReader::Work() {
  while (true) {
    Segment* s = nullptr;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return stop_ || !todo_.empty(); });
      if (stop_) return;
      s = todo_.front();
      todo_.pop_front();
      ++busy_;
    }
    Parse(s);
    {
      std::lock_guard<std::mutex> lock(mu_);
      s->done = true;
      --busy_;
    }
    done_cv_.notify_all();
  }
}

}  // namespace gcpilot
