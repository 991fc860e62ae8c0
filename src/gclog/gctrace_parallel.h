// Parses a gctrace stream on several threads, delivering cycles in input
// order. The input is cut at line ends into segments; worker threads parse
// segments with a GctraceReader each, and the calling thread hands their
// cycles to the sink in order, renumbering lines, so the result (cycles,
// stats, errors) is the serial reader's. Memory stays flat: at most a few
// segments are in flight whatever the input size.
#ifndef GCPILOT_GCLOG_GCTRACE_PARALLEL_H_
#define GCPILOT_GCLOG_GCTRACE_PARALLEL_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "base/status.h"
#include "gclog/gctrace_parser.h"

namespace gcpilot {

struct ParallelGctraceOptions {
  GctraceReaderOptions reader;
  // Worker threads; 0 uses one per CPU this process may run on.
  int threads = 0;
  // Parses each segment on the calling thread as it is submitted, starting
  // no worker (`threads` is then ignored). Everything else (segment cutting,
  // in-order delivery, line renumbering, strict mode, release and progress
  // calls) is the threaded reader's own code path. For callers that create
  // many short-lived readers, where starting threads would dominate: the
  // fuzz target comparing this reader with the serial one.
  bool inline_segments = false;
  // Bytes per segment (cut at the last line end past this size). A line
  // longer than max(segment_bytes, kMaxLineBytes) is counted as overlong
  // and not parsed.
  size_t segment_bytes = size_t{2} << 20;
  // Called on the caller's thread with each part of a FeedWhole input once
  // it has been parsed and delivered (e.g. to drop mapped pages).
  std::function<void(std::string_view)> release;
  // Called on the caller's thread after each delivered segment.
  std::function<void(const GctraceParseStats&)> progress;
};

// Same contract as GctraceReader: Feed chunks cut anywhere, then Finish.
// The sink runs on the thread that calls Feed/Finish. In strict mode the
// first malformed line (in input order) fails the read, naming
// source:line:column, after the cycles before it were delivered.
class ParallelGctraceReader {
 public:
  using CycleSink = GctraceReader::CycleSink;

  ParallelGctraceReader(ParallelGctraceOptions options, CycleSink sink);
  ~ParallelGctraceReader();  // stops and joins the workers
  ParallelGctraceReader(const ParallelGctraceReader&) = delete;
  ParallelGctraceReader& operator=(const ParallelGctraceReader&) = delete;

  Status Feed(std::string_view chunk);
  // The whole input at once, parsed in place (no copy): `all` must stay
  // valid until Finish returns. Not to be mixed with Feed.
  Status FeedWhole(std::string_view all);
  Status Finish();

  // Bytes fed so far; lines and cycles of the segments delivered so far.
  const GctraceParseStats& stats() const { return total_; }

 private:
  struct Segment {
    std::string bytes;            // copied input (Feed)
    std::string_view view;        // what is parsed: whole lines, each with '\n'
    bool in_place = false;        // view is part of a FeedWhole input
    std::vector<GcCycle> cycles;  // lines numbered within the segment
    GctraceParseStats stats;
    bool done = false;  // guarded by mu_ while in flight
  };

  std::unique_ptr<Segment> NewSegment();
  void Submit(std::unique_ptr<Segment> s);
  void SubmitOverlongLine();
  void CutAndSubmit();  // submits whole lines of next_, keeps the rest
  Status Deliver(bool wait_for_all);
  Status Consume(Segment& s);
  // After a failure: drops unstarted segments and waits for the workers to
  // finish theirs, so no worker reads the input after Feed/Finish returns.
  void Abandon();
  void Work();
  // Parses `s->view` (whole lines) into its cycles and stats, leniently.
  void Parse(Segment* s) const;

  ParallelGctraceOptions options_;
  CycleSink sink_;
  GctraceParseStats total_;
  Status failed_;
  std::unique_ptr<Segment> next_;                   // bytes not yet submitted
  bool skipping_overlong_ = false;                  // inside a line too long to keep
  std::deque<std::unique_ptr<Segment>> in_flight_;  // input order
  std::vector<std::unique_ptr<Segment>> spare_;     // delivered, for reuse
  size_t max_in_flight_ = 0;

  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::deque<Segment*> todo_;  // guarded by mu_
  bool stop_ = false;          // guarded by mu_
  int busy_ = 0;               // segments a worker is parsing; guarded by mu_
  std::vector<std::thread> workers_;
};

}  // namespace gcpilot

#endif  // GCPILOT_GCLOG_GCTRACE_PARALLEL_H_
