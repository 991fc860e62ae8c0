#include "loadgen/engine.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>

#include <fmt/format.h>

#include "base/plural.h"
#include "net/http_response.h"

namespace gcpilot {

const char* LoadErrorName(LoadError e) {
  static constexpr const char* kNames[kLoadErrorKinds] = {"connect_refused", "connect_failed", "reset",   "timeout",
                                                          "closed",          "malformed",      "non_2xx", "aborted"};
  return kNames[static_cast<int>(e)];
}

int64_t PhaseStats::request_errors() const {
  int64_t n = 0;
  for (int i = static_cast<int>(LoadError::kReset); i < kLoadErrorKinds; ++i) n += errors[i];
  return n;
}

namespace {

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

struct Request {
  int64_t due = 0;  // absolute ns
  int64_t sent_at = 0;
  uint64_t seq = 0;
  int64_t log_slot = -1;  // its record in LoadResult::requests; -1: not kept
  uint32_t kind = 0;
  bool warmup = false;
};

// The log's name for a request error (connection attempts are not
// requests: they never reach a request's record).
RequestOutcome OutcomeOf(LoadError e) {
  switch (e) {
    case LoadError::kReset:
      return RequestOutcome::kReset;
    case LoadError::kTimeout:
      return RequestOutcome::kTimeout;
    case LoadError::kClosed:
      return RequestOutcome::kClosed;
    case LoadError::kMalformed:
      return RequestOutcome::kMalformed;
    case LoadError::kNon2xx:
      return RequestOutcome::kNon2xx;
    case LoadError::kAborted:
      return RequestOutcome::kAborted;
    case LoadError::kConnectRefused:
    case LoadError::kConnectFailed:
      break;
  }
  return RequestOutcome::kAborted;  // not reached
}

struct Conn {
  enum class State { kFree, kConnecting, kIdle, kWriting, kReading };
  State state = State::kFree;
  int fd = -1;
  std::string out;
  size_t out_off = 0;
  bool out_armed = false;  // EPOLLOUT registered for a blocked write
  HttpResponseParser parser;
  // The answer's first bytes (up to LoadResult::kMalformedExcerptBytes),
  // kept to show the first malformed one.
  std::string head;
  Request req;
};

class Engine {
 public:
  Engine(const LoadSpec& spec, RequestMix mix, const LoadProgressFn& progress)
      : spec_(spec), mix_(std::move(mix)), progress_(progress), rng_(spec.seed) {}
  ~Engine() {
    for (Conn& c : conns_) {
      if (c.fd >= 0) close(c.fd);
    }
    if (ep_ >= 0) close(ep_);
  }

  StatusOr<LoadResult> Run();

 private:
  // The phases of Run().
  static constexpr int kMaxEvents = 256;
  Status Connect();
  void StartClock();
  bool Step(int64_t now);
  void Wait(int64_t now);
  void Finish();

  PhaseStats& Phase(bool warmup) { return warmup ? result_.warmup : result_.measured; }
  void Error(bool warmup, LoadError e, uint32_t kind = UINT32_MAX);
  void FailRequest(const Request& r, LoadError e);
  // The request log: a slot when a request falls due, filled in by index
  // when it is sent and when it ends, so the log stays in due order
  // whatever order answers come in.
  void StartRequestLog();
  void LogDue(Request* r);
  void LogSent(const Request& r);
  void LogDone(const Request& r, int64_t now, RequestOutcome outcome, int status);
  bool OpenConnection();
  void CloseConn(int slot);
  void StartRequest(int slot, const Request& r);
  void SendClosedLoop(int slot, int64_t now);
  void ContinueWrite(int slot);
  void OnReadable(int slot);
  void Complete(int slot, bool conn_ok);
  void FailInFlight(int slot, LoadError e);
  void HandleEvent(int slot, uint32_t events);
  void Generate(int64_t now);
  void PollStop(int64_t now);
  void Dispatch(int64_t now);
  void CheckTimeouts(int64_t now);
  void Tick(int64_t now);
  int64_t NextDueAbs() const;

  const LoadSpec& spec_;
  RequestMix mix_;
  const LoadProgressFn& progress_;
  Rng rng_;
  LoadResult result_;
  int ep_ = -1;
  sockaddr_in addr_{};
  std::vector<Conn> conns_;
  std::vector<int> free_slots_;
  std::vector<int> idle_;  // may hold stale slots; checked on pop
  std::deque<Request> pending_;
  int open_ = 0, connecting_ = 0, in_flight_ = 0;
  uint64_t seq_ = 0;
  bool closed_loop_ = false;

  // Schedule walking: phase 0 warm-up (constant), phase 1 the schedule.
  RateSchedule warmup_schedule_;
  int gen_phase_ = 0;
  int64_t gen_rel_ = 0;  // due time of the next request, relative to its phase
  bool gen_done_ = false;
  int64_t t0_ = 0, tm_ = 0, end_ = 0;
  int64_t next_stop_poll_ = 0;

  // Dead-target detection and reconnect pacing.
  int64_t last_progress_ = 0;
  int64_t connect_failures_since_progress_ = 0;
  int64_t next_connect_ok_ = 0;
  std::string last_connect_error_;

  // Per-second timeline and progress.
  HdrHistogram interval_c_ = HdrHistogram::ForLatencyNs();
  HdrHistogram interval_u_ = HdrHistogram::ForLatencyNs();
  LoadSecond point_;
  int64_t next_tick_ = 0;
  int64_t last_timeout_scan_ = 0;
  int64_t progress_responses_ = 0, progress_errors_ = 0;
  int64_t progress_last_responses_ = 0, next_progress_ = 0;
};

void Engine::Error(bool warmup, LoadError e, uint32_t kind) {
  ++Phase(warmup).errors[static_cast<int>(e)];
  if (!warmup && e != LoadError::kConnectRefused && e != LoadError::kConnectFailed) {
    ++point_.errors;
    if (kind != UINT32_MAX) ++result_.kinds[kind].errors;
  }
  ++progress_errors_;
}

void Engine::FailRequest(const Request& r, LoadError e) {
  Error(r.warmup, e, r.kind);
  LogDone(r, NowNs(), OutcomeOf(e), 0);
}

void Engine::StartRequestLog() {
  result_.measured_start_ns = tm_;
  if (!spec_.keep_requests) return;
  RequestLog& log = result_.requests;
  for (size_t i = 0; i < mix_.size(); ++i) log.kinds.push_back(mix_.kind(i).name());
  // Room for the whole schedule up front, so no reallocation copies the
  // log mid-run. The count can exceed the rate's integral by one per
  // constant segment (and a little for ramps and bursts); the slack is
  // never touched unless used, so it costs address space, not memory.
  // Reserving is capped (64M records, 2 GiB of address space); past that
  // the log grows as any vector does.
  if (!closed_loop_) {
    const double expected = std::min(spec_.schedule.ExpectedRequests() * 1.01 + 1024, double{1 << 26});
    log.records.reserve(static_cast<size_t>(expected));
  }
}

void Engine::LogDue(Request* r) {
  if (r->warmup || !spec_.keep_requests) return;
  r->log_slot = static_cast<int64_t>(result_.requests.records.size());
  RequestRecord rec;
  rec.due_ns = r->due;
  rec.kind = static_cast<uint16_t>(r->kind);
  result_.requests.records.push_back(rec);
}

void Engine::LogSent(const Request& r) {
  if (r.log_slot < 0) return;
  RequestRecord& rec = result_.requests.records[r.log_slot];
  rec.due_ns = r.due;  // a closed-loop request falls due when it is sent
  rec.sent_ns = r.sent_at;
}

void Engine::LogDone(const Request& r, int64_t now, RequestOutcome outcome, int status) {
  if (r.log_slot < 0) return;
  RequestRecord& rec = result_.requests.records[r.log_slot];
  rec.done_ns = now;
  rec.outcome = outcome;
  rec.http_status = static_cast<uint16_t>(status);
}

bool Engine::OpenConnection() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    last_connect_error_ = fmt::format("socket: {}", std::strerror(errno));
    return false;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  int slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<int>(conns_.size());
    conns_.emplace_back();
  }
  Conn& c = conns_[slot];
  c.fd = fd;
  ++open_;
  ++result_.connections_opened;
  result_.max_open_connections = std::max(result_.max_open_connections, open_);
  const bool warmup = NowNs() < tm_;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr_), sizeof addr_) == 0) {
    c.state = Conn::State::kIdle;
    epoll_event ev{EPOLLIN | EPOLLRDHUP, {.u64 = static_cast<uint64_t>(slot)}};
    epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev);
    idle_.push_back(slot);
    last_progress_ = NowNs();
    connect_failures_since_progress_ = 0;
    return true;
  }
  if (errno != EINPROGRESS) {
    const int err = errno;
    last_connect_error_ = std::strerror(err);
    Error(warmup, err == ECONNREFUSED ? LoadError::kConnectRefused : LoadError::kConnectFailed);
    ++connect_failures_since_progress_;
    next_connect_ok_ = NowNs() + 10'000'000;  // no reconnect storm at a dead target
    CloseConn(slot);
    return false;
  }
  c.state = Conn::State::kConnecting;
  ++connecting_;
  epoll_event ev{EPOLLOUT | EPOLLIN | EPOLLRDHUP, {.u64 = static_cast<uint64_t>(slot)}};
  epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev);
  return true;
}

void Engine::CloseConn(int slot) {
  Conn& c = conns_[slot];
  if (c.state == Conn::State::kConnecting) --connecting_;
  if (c.state == Conn::State::kWriting || c.state == Conn::State::kReading) --in_flight_;
  if (c.fd >= 0) {
    close(c.fd);  // also removes it from the epoll set
    --open_;
  }
  c.fd = -1;
  c.out_armed = false;
  c.state = Conn::State::kFree;
  free_slots_.push_back(slot);
}

void Engine::SendClosedLoop(int slot, int64_t now) {
  const bool warmup = now < tm_;
  Request r{now, 0, seq_++, -1, static_cast<uint32_t>(mix_.Pick(rng_)), warmup};
  ++Phase(warmup).due;
  LogDue(&r);
  StartRequest(slot, r);
}

void Engine::StartRequest(int slot, const Request& r) {
  Conn& c = conns_[slot];
  c.req = r;
  c.out.clear();
  c.out_off = 0;
  mix_.kind(r.kind).Render(r.seq, rng_, &c.out);
  c.parser.Reset(mix_.kind(r.kind).is_head());
  c.head.clear();
  c.req.sent_at = NowNs();
  if (closed_loop_) c.req.due = c.req.sent_at;
  ++Phase(r.warmup).sent;
  if (!r.warmup) ++point_.sent;
  LogSent(c.req);
  c.state = Conn::State::kWriting;
  ++in_flight_;
  ContinueWrite(slot);
}

void Engine::ContinueWrite(int slot) {
  Conn& c = conns_[slot];
  while (c.out_off < c.out.size()) {
    const ssize_t n = send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
    if (n > 0) {
      c.out_off += n;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      if (!c.out_armed) {
        epoll_event ev{EPOLLIN | EPOLLOUT | EPOLLRDHUP, {.u64 = static_cast<uint64_t>(slot)}};
        epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &ev);
        c.out_armed = true;
      }
      return;
    } else {
      FailInFlight(slot, LoadError::kReset);
      return;
    }
  }
  if (c.state == Conn::State::kWriting) {
    c.state = Conn::State::kReading;
    if (c.out_armed) {
      epoll_event ev{EPOLLIN | EPOLLRDHUP, {.u64 = static_cast<uint64_t>(slot)}};
      epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &ev);
      c.out_armed = false;
    }
  }
}

void Engine::FailInFlight(int slot, LoadError e) {
  FailRequest(conns_[slot].req, e);
  CloseConn(slot);
}

void Engine::Complete(int slot, bool conn_ok) {
  Conn& c = conns_[slot];
  const int64_t now = NowNs();
  const Request& r = c.req;
  const int64_t lat_c = now - r.due, lat_u = now - r.sent_at;
  PhaseStats& ph = Phase(r.warmup);
  const int status = c.parser.status();
  ph.corrected.Record(lat_c);
  ph.uncorrected.Record(lat_u);
  ++ph.responses;
  ++ph.status_codes[status];
  const bool ok = status >= 200 && status < 300;
  if (ok) ++ph.ok;
  if (!r.warmup) {
    Tick(now);  // an answer after a second's end belongs to the next second
    KindStats& ks = result_.kinds[r.kind];
    ++ks.responses;
    if (ok) ++ks.ok;
    ks.corrected.Record(lat_c);
    interval_c_.Record(lat_c);
    interval_u_.Record(lat_u);
    ++point_.responses;
  }
  ++progress_responses_;
  if (!ok) Error(r.warmup, LoadError::kNon2xx, r.kind);
  LogDone(r, now, ok ? RequestOutcome::kOk : RequestOutcome::kNon2xx, status);
  last_progress_ = now;
  connect_failures_since_progress_ = 0;
  --in_flight_;
  if (conn_ok && c.parser.keep_alive()) {
    c.state = Conn::State::kIdle;
    if (closed_loop_ && now < end_) {
      // Closed loop: the next request goes out on this connection at once,
      // as a closed-loop client would.
      SendClosedLoop(slot, now);
    } else {
      idle_.push_back(slot);
    }
  } else {
    ++result_.closed_after_answer;
    ++in_flight_;  // CloseConn counts it down again for kReading
    CloseConn(slot);
  }
}

void Engine::OnReadable(int slot) {
  static thread_local char buf[65536];
  Conn& c = conns_[slot];
  while (c.fd >= 0) {
    const ssize_t n = recv(c.fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (c.state == Conn::State::kIdle) {
      // An idle keep-alive connection: the server closed it (n == 0) or
      // sent bytes nobody asked for. Either way it is not reusable.
      ++result_.closed_while_idle;
      CloseConn(slot);
      return;
    }
    if (c.state != Conn::State::kReading && c.state != Conn::State::kWriting) return;
    if (n < 0) {
      FailInFlight(slot, LoadError::kReset);
      return;
    }
    if (n == 0) {
      c.parser.FinishOnEof();
      if (c.parser.state() == HttpResponseParser::State::kDone) {
        Complete(slot, false);
      } else {
        FailInFlight(slot, LoadError::kClosed);
      }
      return;
    }
    if (c.head.size() < LoadResult::kMalformedExcerptBytes) {
      c.head.append(buf, std::min(static_cast<size_t>(n), LoadResult::kMalformedExcerptBytes - c.head.size()));
    }
    const size_t used = c.parser.Feed(std::string_view(buf, n));
    if (c.parser.state() == HttpResponseParser::State::kError) {
      if (!c.req.warmup && result_.first_malformed_error.empty()) {
        result_.first_malformed_bytes = c.head;
        result_.first_malformed_error = c.parser.error();
      }
      FailInFlight(slot, LoadError::kMalformed);
      return;
    }
    if (c.parser.state() == HttpResponseParser::State::kDone) {
      // Bytes beyond the response we asked for: the connection is out of
      // step; finish this request and drop the connection.
      Complete(slot, used == static_cast<size_t>(n));
      return;
    }
  }
}

void Engine::HandleEvent(int slot, uint32_t events) {
  Conn& c = conns_[slot];
  if (c.state == Conn::State::kFree) return;
  if (c.state == Conn::State::kConnecting) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err == 0 && (events & EPOLLOUT) && !(events & (EPOLLERR | EPOLLHUP))) {
      --connecting_;
      c.state = Conn::State::kIdle;
      epoll_event ev{EPOLLIN | EPOLLRDHUP, {.u64 = static_cast<uint64_t>(slot)}};
      epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &ev);
      idle_.push_back(slot);
      last_progress_ = NowNs();
      connect_failures_since_progress_ = 0;
      return;
    }
    if (err == 0) err = ECONNREFUSED;
    last_connect_error_ = std::strerror(err);
    Error(NowNs() < tm_, err == ECONNREFUSED ? LoadError::kConnectRefused : LoadError::kConnectFailed);
    ++connect_failures_since_progress_;
    next_connect_ok_ = NowNs() + 10'000'000;
    CloseConn(slot);
    return;
  }
  if ((events & EPOLLOUT) && c.state == Conn::State::kWriting) ContinueWrite(slot);
  if (c.state == Conn::State::kFree) return;
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) OnReadable(slot);
}

int64_t Engine::NextDueAbs() const {
  if (gen_done_ || closed_loop_) return INT64_MAX;
  return (gen_phase_ == 0 ? t0_ : tm_) + gen_rel_;
}

void Engine::Generate(int64_t now) {
  while (!gen_done_ && NextDueAbs() <= now) {
    const bool warmup = gen_phase_ == 0;
    Request r;
    r.due = NextDueAbs();
    r.seq = seq_++;
    r.kind = static_cast<uint32_t>(mix_.Pick(rng_));
    r.warmup = warmup;
    ++Phase(warmup).due;
    LogDue(&r);
    pending_.push_back(r);
    const RateSchedule& s = warmup ? warmup_schedule_ : spec_.schedule;
    gen_rel_ = s.NextDue(gen_rel_);
    if (gen_rel_ >= s.duration_ns()) {
      if (gen_phase_ == 0) {
        gen_phase_ = 1;
        gen_rel_ = spec_.schedule.RateAt(0) > 0 ? 0 : spec_.schedule.NextDue(0);
        if (gen_rel_ >= spec_.schedule.duration_ns()) gen_done_ = true;
      } else {
        gen_done_ = true;
      }
    }
  }
  result_.max_backlog = std::max<int64_t>(result_.max_backlog, pending_.size());
}

// The stop ends the schedule at `now`: nothing more falls due, and the
// measured phase is as long as it ran.
void Engine::PollStop(int64_t now) {
  if (!spec_.stop || result_.stopped_early || now < tm_ || now >= end_ || now < next_stop_poll_) return;
  next_stop_poll_ = now + LoadSpec::kStopPollNs;
  if (!spec_.stop(now)) return;
  result_.stopped_early = true;
  gen_done_ = true;
  end_ = now;
  result_.measured.duration_ns = now - tm_;
}

void Engine::Dispatch(int64_t now) {
  while (!pending_.empty() && !idle_.empty()) {
    const int slot = idle_.back();
    idle_.pop_back();
    if (conns_[slot].state != Conn::State::kIdle) continue;  // stale entry
    const Request r = pending_.front();
    pending_.pop_front();
    StartRequest(slot, r);
  }
  // Queueing: open more connections, paced after failures; while connects
  // fail, one probe at a time (a dead target gets no reconnect storm).
  int64_t want = static_cast<int64_t>(pending_.size()) - connecting_;
  if (connect_failures_since_progress_ > 0) want = std::min<int64_t>(want, 1 - connecting_);
  if (want > 0 && now >= next_connect_ok_) {
    const int64_t room = spec_.max_connections - open_;
    for (int64_t i = 0; i < std::min(want, room); ++i) {
      if (!OpenConnection()) {
        next_connect_ok_ = now + 10'000'000;
        break;
      }
    }
    // Connections that connected at once can take requests now.
    if (!idle_.empty() && !pending_.empty()) Dispatch(now);
  }
}

void Engine::CheckTimeouts(int64_t now) {
  while (!pending_.empty() && pending_.front().due + spec_.timeout_ns <= now) {
    const Request& r = pending_.front();  // never got a connection
    FailRequest(r, LoadError::kTimeout);
    pending_.pop_front();
  }
  if (now - last_timeout_scan_ < 5'000'000) return;
  last_timeout_scan_ = now;
  for (size_t slot = 0; slot < conns_.size(); ++slot) {
    Conn& c = conns_[slot];
    if ((c.state == Conn::State::kWriting || c.state == Conn::State::kReading) && c.req.due + spec_.timeout_ns <= now) {
      FailInFlight(static_cast<int>(slot), LoadError::kTimeout);
    }
  }
}

void Engine::Tick(int64_t now) {
  // Timeline points: whole seconds of the measured phase.
  while (now >= next_tick_ && next_tick_ <= end_) {
    point_.second = (next_tick_ - tm_) / 1'000'000'000 - 1;
    point_.asked_rps = closed_loop_ ? 0 : spec_.schedule.RateAt(point_.second * 1'000'000'000 + 500'000'000);
    point_.p50_corrected_ns = interval_c_.ValueAtPercentile(50);
    point_.p99_corrected_ns = interval_c_.ValueAtPercentile(99);
    point_.p99_uncorrected_ns = interval_u_.ValueAtPercentile(99);
    point_.max_corrected_ns = interval_c_.max();
    result_.timeline.push_back(point_);
    point_ = LoadSecond{};
    interval_c_.Reset();
    interval_u_.Reset();
    next_tick_ += 1'000'000'000;
  }
  // Progress: once a second of wall time from the start.
  if (progress_ && now >= next_progress_) {
    progress_({now - t0_, end_ - t0_, now < tm_, progress_responses_, progress_errors_,
               static_cast<double>(progress_responses_ - progress_last_responses_) /
                   ((now - next_progress_ + 1'000'000'000) / 1e9),
               interval_c_.ValueAtPercentile(99)});
    progress_last_responses_ = progress_responses_;
    while (next_progress_ <= now) next_progress_ += 1'000'000'000;
  }
}

// Sets up the socket address and epoll, opens the initial connections and
// waits (2 s at most) for them; an error when none could be opened.
Status Engine::Connect() {
  closed_loop_ = spec_.schedule.closed_loop();
  result_.schedule = spec_.schedule.Describe();
  for (size_t i = 0; i < mix_.size(); ++i) result_.kinds.push_back({mix_.kind(i).name()});
  addr_.sin_family = AF_INET;
  addr_.sin_port = htons(spec_.target.port);
  addr_.sin_addr.s_addr = htonl(spec_.target.ipv4);
  // The default 50 us timer slack would make every request late by up to
  // that much, and lateness is part of the corrected latency.
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  ep_ = epoll_create1(EPOLL_CLOEXEC);
  if (ep_ < 0) return Status::IoError(fmt::format("epoll_create1: {}", std::strerror(errno)));

  // Open the initial connections and wait (2 s at most) for them.
  t0_ = tm_ = end_ = INT64_MAX;
  for (int i = 0; i < spec_.connections; ++i) OpenConnection();
  epoll_event events[kMaxEvents];
  const int64_t connect_deadline = NowNs() + 2'000'000'000;
  while (connecting_ > 0 && NowNs() < connect_deadline) {
    const int n = epoll_wait(ep_, events, kMaxEvents, 50);
    for (int i = 0; i < n; ++i) HandleEvent(static_cast<int>(events[i].data.u64), events[i].events);
  }
  if (open_ - connecting_ == 0) {
    return Status::IoError(fmt::format("{}: cannot connect: {} ({}): is the target running?", spec_.target.HostHeader(),
                                       last_connect_error_.empty() ? "timed out" : last_connect_error_,
                                       CountOf(result_.connections_opened, "attempt")));
  }
  return Status::Ok();
}

// Starts the clock: the warm-up and measured phases, the log, the ticks.
void Engine::StartClock() {
  // Failed attempts before the start are not part of either phase.
  result_.warmup.errors = {};
  result_.measured.errors = {};
  progress_errors_ = 0;

  t0_ = NowNs();
  tm_ = t0_ + spec_.warmup_ns;
  end_ = tm_ + spec_.schedule.duration_ns();
  next_tick_ = tm_ + 1'000'000'000;
  StartRequestLog();
  if (spec_.measured_start) spec_.measured_start(tm_);
  next_progress_ = t0_ + 1'000'000'000;
  last_progress_ = t0_;
  if (spec_.warmup_ns > 0) {
    warmup_schedule_ =
        RateSchedule::Constant(closed_loop_ ? 0 : std::max(1.0, spec_.schedule.InitialRate()), spec_.warmup_ns);
    gen_phase_ = 0;
    gen_rel_ = 0;
  } else {
    gen_phase_ = 1;
    gen_rel_ = spec_.schedule.RateAt(0) > 0 ? 0 : spec_.schedule.NextDue(0);
  }
  result_.warmup.duration_ns = spec_.warmup_ns;
  result_.warmup.asked_rps = closed_loop_ ? 0 : warmup_schedule_.InitialRate();
  result_.measured.duration_ns = spec_.schedule.duration_ns();
  result_.measured.asked_rps =
      closed_loop_ ? 0 : spec_.schedule.ExpectedRequests() / (spec_.schedule.duration_ns() / 1e9);
}

// One pass of the loop at `now`: make requests due and send them, fail the
// late ones, close a timeline second. False when the run is over.
bool Engine::Step(int64_t now) {
  if (closed_loop_) {
    // Every idle connection sends at once while the run lasts.
    while (now < end_ && !idle_.empty()) {
      const int slot = idle_.back();
      idle_.pop_back();
      if (conns_[slot].state == Conn::State::kIdle) SendClosedLoop(slot, now);
    }
    if (now < end_ && open_ < spec_.connections && now >= next_connect_ok_) {
      if (!OpenConnection()) next_connect_ok_ = now + 10'000'000;
    }
  } else {
    Generate(now);
  }
  PollStop(now);  // after Generate: every request due by `now` is made
  if (!closed_loop_) Dispatch(now);
  CheckTimeouts(now);
  Tick(now);
  const bool generating = closed_loop_ ? now < end_ : !gen_done_;
  if (!generating && pending_.empty() && in_flight_ == 0) return false;
  if (now >= end_ + spec_.timeout_ns) return false;  // CheckTimeouts failed the rest
  if (connect_failures_since_progress_ > 0 && now - last_progress_ >= spec_.dead_after_ns) {
    result_.aborted = true;
    result_.abort_reason =
        fmt::format("{}: the target stopped accepting connections ({}; no answer or connection for {:.1f} s)",
                    spec_.target.HostHeader(), last_connect_error_, (now - last_progress_) / 1e9);
    return false;
  }
  return true;
}

// Sleeps until the next due request, a timeout scan, or the next tick,
// handling whatever events come meanwhile.
void Engine::Wait(int64_t now) {
  int64_t wake = std::min<int64_t>(next_tick_, now + 5'000'000);
  if (!closed_loop_) wake = std::min(wake, NextDueAbs());
  if (!pending_.empty() && now < next_connect_ok_) wake = std::min(wake, next_connect_ok_);
  // Waking from a sleep takes tens of microseconds (timer, idle CPU), and
  // a late send counts against the service in the corrected latency, so
  // the last kSpinNs before a due request are spent polling instead.
  constexpr int64_t kSpinNs = 60'000;
  int64_t wait_ns = std::max<int64_t>(0, wake - now);
  if (!closed_loop_ && wake == NextDueAbs()) wait_ns = std::max<int64_t>(0, wait_ns - kSpinNs);
  timespec ts{static_cast<time_t>(wait_ns / 1'000'000'000), static_cast<long>(wait_ns % 1'000'000'000)};
  epoll_event events[kMaxEvents];
  const int n = epoll_pwait2(ep_, events, kMaxEvents, &ts, nullptr);
  for (int i = 0; i < n; ++i) HandleEvent(static_cast<int>(events[i].data.u64), events[i].events);
}

// Fails what is still queued or in flight and closes the last second.
void Engine::Finish() {
  const int64_t now = NowNs();
  // Whatever is still queued or in flight did not finish in time, or was
  // cut off when a dead target ended the run.
  const LoadError unfinished = result_.aborted ? LoadError::kAborted : LoadError::kTimeout;
  while (!pending_.empty()) {
    FailRequest(pending_.front(), unfinished);
    pending_.pop_front();
  }
  for (size_t slot = 0; slot < conns_.size(); ++slot) {
    const Conn::State st = conns_[slot].state;
    if (st == Conn::State::kWriting || st == Conn::State::kReading) {
      FailInFlight(static_cast<int>(slot), unfinished);
    }
  }
  if (result_.aborted) result_.measured.duration_ns = std::max<int64_t>(0, std::min(now, end_) - tm_);
  // A finished schedule closes its last second even if the last answer
  // came before the second was over; an aborted run keeps whole seconds.
  Tick(result_.aborted ? std::min(now, end_) : std::max(now, end_));
  // Answers that came after the last whole second (the drain) still count
  // in the phase totals; the timeline covers whole seconds only.
}

StatusOr<LoadResult> Engine::Run() {
  if (Status st = Connect(); !st.ok()) return st;
  StartClock();
  for (int64_t now = NowNs(); Step(now); now = NowNs()) Wait(now);
  Finish();
  return std::move(result_);
}

}  // namespace

StatusOr<LoadResult> RunLoad(const LoadSpec& spec, const LoadProgressFn& progress) {
  if (spec.connections < 1 || spec.max_connections < spec.connections) {
    return Status::InvalidArgument("connections must be >= 1 and <= max connections");
  }
  if (spec.timeout_ns <= 0) return Status::InvalidArgument("timeout must be > 0");
  if (spec.kinds.size() > 65536) {
    return Status::InvalidArgument("at most 65536 request kinds (a request record holds a 16-bit kind)");
  }
  auto mix = RequestMix::Compile(spec.kinds, spec.target.HostHeader());
  if (!mix.ok()) return mix.status();
  try {
    Engine engine(spec, std::move(*mix), progress);
    return engine.Run();
  } catch (const std::bad_alloc&) {  // a log or histogram past the machine's memory
    return Status::Internal("out of memory for the request log: run shorter, slower or without a request log");
  }
}

}  // namespace gcpilot
