// A small real HTTP/1.1 server on 127.0.0.1 for the load generator's tests:
// a thread per connection, behaviour chosen by the request path.
//   /ok            200 "ok" (keep-alive)
//   /status/NNN    status NNN
//   /chunked       200, chunked body
//   /http10        HTTP/1.0 reply delimited by close
//   /close         closes the connection without answering
//   /reset         resets the connection (RST) without answering
//   /garbage       answers bytes that are not HTTP
//   /sleep/MS      200 after MS milliseconds
// Pause(ms) holds every answer until the pause ends (a stalled server).
#ifndef GCPILOT_LOADGEN_TEST_SERVER_H_
#define GCPILOT_LOADGEN_TEST_SERVER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gcpilot {

class TestServer {
 public:
  TestServer();  // listens on 127.0.0.1, a free port
  ~TestServer();
  int port() const { return port_; }
  // Stops accepting and closes every connection (the target "dies").
  void Stop();
  void Pause(std::chrono::milliseconds d);
  // Requests seen per path (query stripped), and every raw request head+body.
  std::map<std::string, int64_t> counts() const;
  int64_t total() const;
  std::vector<std::string> raw_requests() const;
  int64_t connections_accepted() const { return accepted_; }

 private:
  void AcceptLoop();
  void Serve(int fd);
  void ServeRequests(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> accepted_{0};
  std::atomic<int64_t> pause_until_ns_{0};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<std::thread> workers_;
  std::vector<int> fds_;
  std::map<std::string, int64_t> counts_;
  std::vector<std::string> raw_;
};

}  // namespace gcpilot

#endif  // GCPILOT_LOADGEN_TEST_SERVER_H_
