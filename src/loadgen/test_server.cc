#include "loadgen/test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace gcpilot {
namespace {

int64_t Now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

bool SendAll(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += n;
  }
  return true;
}

}  // namespace

TestServer::TestServer() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(listen_fd_, 1024) != 0) {
    std::abort();
  }
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

TestServer::~TestServer() {
  Stop();
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> l(mu_);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
}

void TestServer::Stop() {
  if (stopping_.exchange(true)) return;
  shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  close(listen_fd_);
  std::lock_guard<std::mutex> l(mu_);
  for (int fd : fds_) shutdown(fd, SHUT_RDWR);
}

void TestServer::Pause(std::chrono::milliseconds d) {
  pause_until_ns_ = Now() + std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

std::map<std::string, int64_t> TestServer::counts() const {
  std::lock_guard<std::mutex> l(mu_);
  return counts_;
}

int64_t TestServer::total() const {
  int64_t n = 0;
  for (const auto& [k, v] : counts()) n += v;
  return n;
}

std::vector<std::string> TestServer::raw_requests() const {
  std::lock_guard<std::mutex> l(mu_);
  return raw_;
}

void TestServer::AcceptLoop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    if (stopping_) {
      close(fd);
      break;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ++accepted_;
    std::lock_guard<std::mutex> l(mu_);
    fds_.push_back(fd);
    workers_.emplace_back([this, fd] { Serve(fd); });
  }
}

void TestServer::Serve(int fd) {
  ServeRequests(fd);
  std::lock_guard<std::mutex> l(mu_);
  std::erase(fds_, fd);
  close(fd);  // with SO_LINGER {1, 0} set, this sends a reset
}

void TestServer::ServeRequests(int fd) {
  std::string buf;
  char chunk[16384];
  while (!stopping_) {
    // One request: head up to a blank line, then Content-Length bytes.
    size_t head_end;
    while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return;
      buf.append(chunk, n);
    }
    size_t length = 0;
    const size_t cl = buf.find("Content-Length: ");
    if (cl != std::string::npos && cl < head_end) length = std::strtoul(buf.c_str() + cl + 16, nullptr, 10);
    while (buf.size() < head_end + 4 + length) {
      const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return;
      buf.append(chunk, n);
    }
    const std::string request = buf.substr(0, head_end + 4 + length);
    buf.erase(0, request.size());
    const size_t sp1 = request.find(' '), sp2 = request.find(' ', sp1 + 1);
    std::string path = request.substr(sp1 + 1, sp2 - sp1 - 1);
    path = path.substr(0, path.find('?'));
    {
      std::lock_guard<std::mutex> l(mu_);
      ++counts_[path];
      if (raw_.size() < 10000) raw_.push_back(request);
    }
    while (Now() < pause_until_ns_ && !stopping_) {
      timespec ts{0, 1'000'000};
      nanosleep(&ts, nullptr);
    }
    std::string reply;
    if (path == "/ok") {
      reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    } else if (path.rfind("/status/", 0) == 0) {
      reply = "HTTP/1.1 " + path.substr(8, 3) + " X\r\nContent-Length: 0\r\n\r\n";
    } else if (path == "/chunked") {
      reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n";
    } else if (path == "/http10") {
      SendAll(fd, "HTTP/1.0 200 OK\r\n\r\nbody");
      return;  // close delimits the body
    } else if (path == "/close") {
      return;
    } else if (path == "/reset") {
      linger lg{1, 0};
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
      return;
    } else if (path == "/garbage") {
      reply = "BLAH BLAH\r\n\r\n";
    } else if (path.rfind("/sleep/", 0) == 0) {
      const long ms = std::strtol(path.c_str() + 7, nullptr, 10);
      timespec ts{ms / 1000, (ms % 1000) * 1'000'000};
      nanosleep(&ts, nullptr);
      reply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    } else {
      reply = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    }
    if (!SendAll(fd, reply)) return;
  }
}

}  // namespace gcpilot
