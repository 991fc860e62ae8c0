// The engine against a real HTTP server on 127.0.0.1 (test_server.h).
#include "loadgen/engine.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "loadgen/load_report.h"
#include "loadgen/test_server.h"

namespace gcpilot {
namespace {

using namespace std::chrono_literals;
constexpr int64_t kMs = 1'000'000;

LoadSpec Spec(int port, const std::string& path, const std::string& rate, int64_t duration_ns) {
  LoadSpec s;
  s.target = *ParseLoopbackUrl("http://127.0.0.1:" + std::to_string(port) + "/");
  RequestKindSpec k;
  k.path = path;
  s.kinds = {k};
  s.schedule = *RateSchedule::Parse(rate, duration_ns);
  s.connections = 4;
  s.max_connections = 16;
  return s;
}

int64_t Err(const PhaseStats& p, LoadError e) { return p.errors[static_cast<int>(e)]; }

// The log's outcome for each request error kind (the engine's mapping).
constexpr std::pair<LoadError, RequestOutcome> kErrorOutcomes[] = {
    {LoadError::kReset, RequestOutcome::kReset},   {LoadError::kTimeout, RequestOutcome::kTimeout},
    {LoadError::kClosed, RequestOutcome::kClosed}, {LoadError::kMalformed, RequestOutcome::kMalformed},
    {LoadError::kNon2xx, RequestOutcome::kNon2xx}, {LoadError::kAborted, RequestOutcome::kAborted},
};

// Why record i of the log breaks the engine's contract ("" if it keeps it).
std::string BadRecord(const LoadResult& r, size_t i) {
  const RequestRecord& rec = r.requests.records[i];
  const int64_t never = RequestRecord::kNever;
  if (rec.kind >= r.requests.kinds.size()) return "kind out of range";
  if (rec.due_ns < r.measured_start_ns) return "due before the measured phase";
  if (i > 0 && rec.due_ns < r.requests.records[i - 1].due_ns) return "not in due order";
  if (rec.sent_ns != never && rec.sent_ns < rec.due_ns) return "sent before due";
  if (rec.done_ns == never) return "no done time";
  if (rec.done_ns < std::max(rec.due_ns, rec.sent_ns)) return "done before due or sent";
  const bool answered = rec.outcome == RequestOutcome::kOk || rec.outcome == RequestOutcome::kNon2xx;
  if (answered != (rec.http_status != 0)) return "status does not match the outcome";
  if (answered && rec.sent_ns == never) return "an answer to a request never sent";
  const bool ok_status = rec.http_status >= 200 && rec.http_status < 300;
  if ((rec.outcome == RequestOutcome::kOk) != ok_status) return "ok outcome without a 2xx status";
  return "";
}

// The request log agrees with the phase counts and histograms of the same
// run: invariants only, none of them depends on the machine's speed.
void ExpectLogMatchesCounts(const LoadResult& r) {
  const std::vector<RequestRecord>& recs = r.requests.records;
  ASSERT_EQ(static_cast<int64_t>(recs.size()), r.measured.due);
  ASSERT_EQ(r.requests.kinds.size(), r.kinds.size());
  for (size_t k = 0; k < r.kinds.size(); ++k) EXPECT_EQ(r.requests.kinds[k], r.kinds[k].name);
  EXPECT_EQ(r.requests.clock, "CLOCK_MONOTONIC");
  std::array<int64_t, kRequestOutcomes> by_outcome{};
  std::vector<int64_t> answers_by_kind(r.kinds.size());
  int64_t sent = 0, answered = 0;
  for (size_t i = 0; i < recs.size(); ++i) {
    const std::string why = BadRecord(r, i);
    ASSERT_EQ(why, "") << "record " << i << " of " << recs.size();
    ++by_outcome[static_cast<int>(recs[i].outcome)];
    if (recs[i].sent_ns != RequestRecord::kNever) ++sent;
    if (recs[i].http_status != 0) {
      ++answered;
      ++answers_by_kind[recs[i].kind];
    }
  }
  EXPECT_EQ(by_outcome[static_cast<int>(RequestOutcome::kOk)], r.measured.ok);
  for (const auto& [e, o] : kErrorOutcomes) {
    EXPECT_EQ(by_outcome[static_cast<int>(o)], Err(r.measured, e)) << LoadErrorName(e);
  }
  EXPECT_EQ(sent, r.measured.sent);
  // The engine records a latency for every complete answer, 2xx or not
  // (Complete()), and none for a request that got no answer (a timeout,
  // reset, ... has no latency), so the histograms count answered records.
  EXPECT_EQ(answered, r.measured.responses);
  EXPECT_EQ(answered, r.measured.corrected.total_count());
  EXPECT_EQ(answered, r.measured.uncorrected.total_count());
  for (size_t k = 0; k < r.kinds.size(); ++k) {
    EXPECT_EQ(answers_by_kind[k], r.kinds[k].corrected.total_count()) << r.kinds[k].name;
  }
}

// Latencies recorded at or above `ns` (to the histogram's precision).
int64_t CountAtOrAbove(const HdrHistogram& h, int64_t ns) {
  int64_t n = 0;
  for (const auto& [value, count] : h.NonZeroCounts()) {
    if (h.HighestEquivalent(value) >= ns) n += count;
  }
  return n;
}

// Blocks until `server` has seen at least `requests` requests, or `give_up`
// is set (the run ended first: the test's own assertions then fail).
void AwaitRequests(const TestServer& server, int64_t requests, const std::atomic<bool>& give_up) {
  while (server.total() < requests && !give_up) std::this_thread::sleep_for(1ms);
}

TEST(EngineTest, ExactCountsAtAConstantRate) {
  TestServer server;
  LoadSpec spec = Spec(server.port(), "/ok", "200", 2'000 * kMs);
  spec.warmup_ns = 500 * kMs;
  auto r = RunLoad(spec);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->aborted);
  EXPECT_EQ(r->warmup.due, 100);  // 0.5 s at 200/s
  EXPECT_EQ(r->warmup.responses, 100);
  EXPECT_EQ(r->measured.due, 400);
  EXPECT_EQ(r->measured.sent, 400);
  EXPECT_EQ(r->measured.responses, 400);
  EXPECT_EQ(r->measured.ok, 400);
  EXPECT_EQ(r->measured.status_codes, (std::map<int, int64_t>{{200, 400}}));
  EXPECT_EQ(r->measured.request_errors(), 0);
  EXPECT_EQ(r->measured.corrected.total_count(), 400);
  EXPECT_EQ(r->measured.uncorrected.total_count(), 400);
  EXPECT_EQ(server.total(), 500);
  // Keep-alive: no connection was closed, so none was reopened. How many
  // connections there are depends on scheduling, not on the schedule: one
  // is added whenever a request falls due while all are busy (a slow
  // answer on a loaded machine), so only the bounds hold: the 4 asked for
  // up to max_connections, and the server never saw more than were opened
  // (a connection opened last may not be accepted yet, or never used).
  EXPECT_EQ(r->closed_while_idle, 0);
  EXPECT_EQ(r->closed_after_answer, 0);
  EXPECT_GE(r->connections_opened, spec.connections);
  EXPECT_LE(r->connections_opened, spec.max_connections);
  EXPECT_EQ(r->max_open_connections, r->connections_opened);
  EXPECT_LE(server.connections_accepted(), r->connections_opened);
  ExpectLogMatchesCounts(*r);  // and the 100 warm-up requests are not in it
  // The schedule's first request is due when the measured phase starts,
  // its last within the phase (the grid is exact: 5 ms apart).
  ASSERT_EQ(r->requests.records.size(), 400u);
  EXPECT_EQ(r->requests.records.front().due_ns, r->measured_start_ns);
  EXPECT_EQ(r->requests.records.back().due_ns, r->measured_start_ns + 399 * 5 * kMs);
  EXPECT_DOUBLE_EQ(r->measured.asked_rps, 200);
  // The timeline counts answers by completion second. An answer can only
  // slip into the next second if it took longer than the time left, so
  // each second holds 200 give or take rate x slowest answer.
  ASSERT_EQ(r->timeline.size(), 2u);
  const double slip = std::ceil(200 * r->measured.corrected.max() / 1e9) + 1;
  int64_t in_timeline = 0;
  for (const LoadSecond& p : r->timeline) {
    EXPECT_NEAR(p.responses, 200, slip) << "second " << p.second;
    EXPECT_DOUBLE_EQ(p.asked_rps, 200);
    in_timeline += p.responses;
  }
  // Whole seconds only: answers that slipped past the last second are in
  // the totals but in no second, and only those.
  EXPECT_LE(in_timeline, 400);
  EXPECT_GE(in_timeline, 400 - slip);
  // Every corrected latency includes the uncorrected one.
  EXPECT_GE(r->measured.corrected.ValueAtPercentile(50), r->measured.uncorrected.ValueAtPercentile(50));
}

TEST(EngineTest, TemplatesReachTheServer) {
  TestServer server;
  LoadSpec spec = Spec(server.port(), "/ok", "100", 1'000 * kMs);
  spec.kinds[0].headers = {{"Idempotency-Key", "k-{seq}"}};
  spec.kinds[0].method = "POST";
  spec.kinds[0].body = "{{\"n\":{seq}}";  // "{{" is a literal brace
  auto r = RunLoad(spec);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->measured.ok, 100);
  std::set<std::string> keys;
  for (const std::string& req : server.raw_requests()) {
    const size_t at = req.find("Idempotency-Key: ");
    ASSERT_NE(at, std::string::npos);
    const std::string key = req.substr(at + 17, req.find("\r\n", at) - at - 17);
    const std::string n = key.substr(2);
    EXPECT_NE(req.find("\r\n\r\n{\"n\":" + n + "}"), std::string::npos) << req;
    keys.insert(key);
  }
  EXPECT_EQ(keys.size(), 100u);  // k-0 .. k-99, each once
  EXPECT_TRUE(keys.count("k-0") && keys.count("k-99"));
}

TEST(EngineTest, WeightedKindsAreCountedApart) {
  TestServer server;
  LoadSpec spec = Spec(server.port(), "/ok", "400", 1'000 * kMs);
  RequestKindSpec missing;
  missing.name = "missing";
  missing.path = "/status/404";
  spec.kinds[0].name = "ok";
  spec.kinds[0].weight = 3;
  spec.kinds.push_back(missing);
  auto r = RunLoad(spec);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->kinds.size(), 2u);
  const auto counts = server.counts();
  EXPECT_EQ(r->kinds[0].responses, counts.at("/ok"));
  EXPECT_EQ(r->kinds[1].responses, counts.at("/status/404"));
  EXPECT_EQ(r->kinds[1].errors, r->kinds[1].responses);
  EXPECT_EQ(r->kinds[0].responses + r->kinds[1].responses, 400);
  EXPECT_EQ(Err(r->measured, LoadError::kNon2xx), r->kinds[1].responses);
  EXPECT_EQ(r->measured.status_codes.at(404), r->kinds[1].responses);
  ExpectLogMatchesCounts(*r);
  int64_t logged_missing = 0;
  for (const RequestRecord& rec : r->requests.records) {
    if (rec.kind != 1) continue;
    ++logged_missing;
    EXPECT_EQ(rec.http_status, 404);
  }
  EXPECT_EQ(logged_missing, r->kinds[1].responses);
}

struct ErrorCase {
  const char* path;
  LoadError kind;
};

TEST(EngineTest, EveryErrorKind) {
  const ErrorCase cases[] = {
      {"/status/503", LoadError::kNon2xx}, {"/close", LoadError::kClosed},      {"/reset", LoadError::kReset},
      {"/garbage", LoadError::kMalformed}, {"/sleep/400", LoadError::kTimeout},
  };
  for (const ErrorCase& c : cases) {
    TestServer server;
    LoadSpec spec = Spec(server.port(), c.path, "20", 1'000 * kMs);
    spec.timeout_ns = 150 * kMs;
    spec.max_connections = 64;
    auto r = RunLoad(spec);
    ASSERT_TRUE(r.ok()) << c.path << ": " << r.status().message();
    EXPECT_EQ(r->measured.due, 20) << c.path;
    EXPECT_EQ(Err(r->measured, c.kind), 20) << c.path;
    EXPECT_EQ(r->measured.request_errors(), 20) << c.path;
    EXPECT_FALSE(r->aborted) << c.path;
    SCOPED_TRACE(c.path);
    ExpectLogMatchesCounts(*r);
  }
}

TEST(EngineTest, ChunkedAndCloseDelimitedAnswersAreOk) {
  for (const char* path : {"/chunked", "/http10"}) {
    TestServer server;
    auto r = RunLoad(Spec(server.port(), path, "50", 1'000 * kMs));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->measured.ok, 50) << path;
    EXPECT_EQ(r->measured.request_errors(), 0) << path;
  }
}

TEST(EngineTest, NothingListeningIsAClearError) {
  int port;
  {
    TestServer server;
    port = server.port();
  }
  auto r = RunLoad(Spec(port, "/ok", "10", 1'000 * kMs));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_EQ(r.status().message(), "127.0.0.1:" + std::to_string(port) +
                                      ": cannot connect: Connection refused (4 attempts): is the target running?");
}

TEST(EngineTest, ATargetThatDiesEndsTheRun) {
  TestServer server;
  LoadSpec spec = Spec(server.port(), "/ok", "200", 30'000 * kMs);
  spec.dead_after_ns = 300 * kMs;
  // The target dies after it has seen 20 requests (not after a sleep: a
  // loaded machine may not have sent any by then). One request is in flight
  // per connection, so at least 20 - max_connections = 4 were answered.
  std::atomic<bool> run_over{false};
  std::thread killer([&] {
    AwaitRequests(server, 20, run_over);
    server.Stop();
  });
  auto r = RunLoad(spec);
  run_over = true;
  killer.join();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->aborted);
  EXPECT_NE(r->abort_reason.find("the target stopped accepting connections (Connection refused"), std::string::npos)
      << r->abort_reason;
  EXPECT_GT(r->measured.ok, 0);
  EXPECT_GT(Err(r->measured, LoadError::kConnectRefused), 0);
  // It ended at the abort, not after the 30 s schedule.
  EXPECT_LT(r->measured.duration_ns, 30'000 * kMs);
  // What was due after the death is "aborted", not a timeout nobody waited
  // for; and the dead target got one connect probe per 10 ms, no storm.
  EXPECT_GT(Err(r->measured, LoadError::kAborted), 0);
  EXPECT_EQ(Err(r->measured, LoadError::kTimeout), 0);
  EXPECT_LE(Err(r->measured, LoadError::kConnectRefused), r->measured.duration_ns / (10 * kMs) + spec.connections);
  // The report tells requests from connection attempts.
  const std::string table = LoadTable(*r, {"127.0.0.1", spec.connections, spec.max_connections, 0, spec.timeout_ns});
  EXPECT_NE(table.find("  connection attempts that failed: "), std::string::npos) << table;
  EXPECT_EQ(table.find("connect_refused"), std::string::npos) << table;
  // Failed connection attempts are not requests: the log holds exactly the
  // requests, the aborted ones among them.
  ExpectLogMatchesCounts(*r);
}

// A stalled server: requests due during the stall wait for it, and only the
// corrected latency shows that wait.
// Nothing but garbage comes back: no latency is invented for it.
TEST(EngineTest, NoAnswerShowsNoLatency) {
  TestServer server;
  auto r = RunLoad(Spec(server.port(), "/garbage", "100", 300 * kMs));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->measured.responses, 0);
  EXPECT_EQ(Err(r->measured, LoadError::kMalformed), r->measured.request_errors());
  EXPECT_EQ(r->measured.due, 30);
  EXPECT_EQ(r->measured.sent, 30);
  const std::string table = LoadTable(*r, {"127.0.0.1", 64, 512, 0, 0});
  EXPECT_NE(table.find("  (no complete answer to any of the 30 requests sent: no latency to show)\n"),
            std::string::npos)
      << table;
  EXPECT_EQ(table.find("corrected  "), std::string::npos) << table;
  // The first malformed answer, as received, and where the parser stopped.
  EXPECT_EQ(r->first_malformed_bytes, "BLAH BLAH\r\n\r\n");
  EXPECT_EQ(r->first_malformed_error, "byte 0: not an HTTP/1.x status line: \"BLAH BLAH\"");
  EXPECT_NE(table.find("  first malformed answer: byte 0: not an HTTP/1.x status line: \"BLAH BLAH\"\n"
                       "    \"BLAH BLAH\\r\\n\\r\\n\" (its first 13 bytes)\n"),
            std::string::npos)
      << table;
}

// A well-formed run has no malformed answer to show.
TEST(EngineTest, NoMalformedAnswerNoExcerpt) {
  TestServer server;
  auto r = RunLoad(Spec(server.port(), "/status/503", "20", 200 * kMs));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first_malformed_bytes, "");
  EXPECT_EQ(r->first_malformed_error, "");
  const std::string table = LoadTable(*r, {"127.0.0.1", 1, 512, 0, 0});
  EXPECT_EQ(table.find("malformed"), std::string::npos) << table;
  EXPECT_EQ(table.rfind("load: 127.0.0.1, ", 0), 0u) << table;
  EXPECT_NE(table.find(", 1 connection (max 512)\n"), std::string::npos) << table;
}

TEST(EngineTest, AStallShowsInCorrectedLatencyOnly) {
  TestServer server;
  LoadSpec spec = Spec(server.port(), "/ok", "500", 2'000 * kMs);
  spec.connections = 2;
  spec.max_connections = 2;  // requests must queue behind the stall
  // The stall starts once the server has seen request 250 (due at 0.5 s),
  // not after a sleep, so it falls inside the 2 s schedule however slowly
  // the run got going.
  std::atomic<bool> run_over{false};
  std::thread staller([&] {
    AwaitRequests(server, 250, run_over);
    server.Pause(300ms);
  });
  auto r = RunLoad(spec);
  run_over = true;
  staller.join();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->measured.ok, 1000);
  // 150 requests fall due during the 300 ms stall (one every 2 ms); none can
  // be answered before it ends, so the first 50 of them (5%) wait 200 ms or
  // more from their due time, and the first one nearly 300 ms, whatever the
  // machine's speed.
  const int64_t c_stalled = CountAtOrAbove(r->measured.corrected, 200 * kMs);
  EXPECT_GE(c_stalled, 50);
  EXPECT_GE(r->measured.corrected.ValueAtPercentile(99), 200 * kMs);
  EXPECT_GE(r->measured.corrected.max(), 280 * kMs);
  // Uncorrected latency starts when a request is written, and of those 50
  // all but the 2 the connections took were written only after the stall. Every
  // uncorrected latency is within its corrected one, so at most as many
  // reach 200 ms; that all 50 did would take 25 answers in a row of 200 ms
  // or more on each of the 2 connections, a 5 s freeze of the server (the
  // request timeout) rather than a loaded machine.
  EXPECT_LT(CountAtOrAbove(r->measured.uncorrected, 200 * kMs), c_stalled);
  // Both connections are held by the stall while 150 requests fall due.
  EXPECT_GT(r->max_backlog, 100);
  ExpectLogMatchesCounts(*r);
}

// A closed loop: each request falls due when it is sent, on connections
// that are kept busy; the log still matches the counts.
TEST(EngineTest, ClosedLoopRequestsAreLoggedAsSent) {
  TestServer server;
  LoadSpec spec = Spec(server.port(), "/ok", "max", 300 * kMs);
  spec.warmup_ns = 100 * kMs;
  auto r = RunLoad(spec);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_GT(r->measured.due, 0);
  ExpectLogMatchesCounts(*r);
  for (const RequestRecord& rec : r->requests.records) ASSERT_EQ(rec.due_ns, rec.sent_ns);
}

TEST(EngineTest, TheLogIsEmptyWhenNotKept) {
  TestServer server;
  LoadSpec spec = Spec(server.port(), "/ok", "100", 300 * kMs);
  spec.keep_requests = false;
  auto r = RunLoad(spec);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->measured.ok, 30);
  EXPECT_TRUE(r->requests.records.empty());
  EXPECT_TRUE(r->requests.kinds.empty());
  EXPECT_GT(r->measured_start_ns, 0);  // still there, for the timeline
}

TEST(EngineTest, TheStopPredicateEndsTheScheduleWhereItSaysSo) {
  TestServer server;
  // A 60 s bound the stop cuts short, 300 ms into the measured phase.
  LoadSpec spec = Spec(server.port(), "/ok", "200", 60'000 * kMs);
  spec.warmup_ns = 200 * kMs;
  std::vector<int64_t> polls;
  int64_t stop_at = -1;
  spec.stop = [&](int64_t now) {
    EXPECT_EQ(stop_at, -1) << "polled again after it said stop";
    polls.push_back(now);
    if (now - polls.front() >= 300 * kMs) stop_at = now;
    return stop_at != -1;
  };
  auto r = RunLoad(spec);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->stopped_early);
  EXPECT_FALSE(r->aborted);
  ASSERT_NE(stop_at, -1);
  EXPECT_GE(polls.front(), r->measured_start_ns);  // never during the warm-up
  EXPECT_EQ(r->measured.duration_ns, stop_at - r->measured_start_ns);
  // Requests are due on a 5 ms grid from the phase's start up to the stop
  // moment, none after it, and every one of them is accounted for.
  ExpectLogMatchesCounts(*r);
  EXPECT_EQ(r->measured.due, (stop_at - r->measured_start_ns) / (5 * kMs) + 1);
  ASSERT_FALSE(r->requests.records.empty());
  EXPECT_LE(r->requests.records.back().due_ns, stop_at);
  EXPECT_EQ(r->measured.responses + r->measured.request_errors() - Err(r->measured, LoadError::kNon2xx),
            r->measured.due);
}

}  // namespace
}  // namespace gcpilot
