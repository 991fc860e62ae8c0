#include "net/http_get.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "net/http_response.h"

namespace gcpilot {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

StatusOr<HttpReply> HttpGet(const LoopbackUrl& url, std::chrono::milliseconds timeout, size_t max_bytes) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  const std::string where = fmt::format("GET http://{}{}", url.HostHeader(), url.path);
  auto io_error = [&](std::string_view step, int err) {
    return Status::IoError(fmt::format("{}: {}: {}", where, step, std::strerror(err)));
  };
  // Waits for `events` until the deadline; false on timeout.
  auto wait = [&](int fd, short events) {
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd, events, 0};
      const int r = poll(&p, 1, static_cast<int>(left.count()));
      if (r > 0) return true;
      if (r == 0) return false;
      if (errno != EINTR) return true;  // let the next call report it
    }
  };
  auto timed_out = [&] { return Status::IoError(fmt::format("{}: timed out after {} ms", where, timeout.count())); };

  Fd sock(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (sock.get() < 0) return io_error("socket", errno);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(url.port);
  addr.sin_addr.s_addr = htonl(url.ipv4);
  if (connect(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINPROGRESS) return io_error("connect", errno);
    if (!wait(sock.get(), POLLOUT)) return timed_out();
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(sock.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) return io_error("connect", err);
  }
  const std::string req = fmt::format(
      "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: gcpilot\r\nAccept: */*\r\n"
      "Connection: close\r\n\r\n",
      url.path, url.HostHeader());
  for (size_t sent = 0; sent < req.size();) {
    const ssize_t n = send(sock.get(), req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += n;
    } else if (n < 0 && errno == EAGAIN) {
      if (!wait(sock.get(), POLLOUT)) return timed_out();
    } else if (n < 0 && errno != EINTR) {
      return io_error("send", errno);
    }
  }
  HttpResponseParser parser;
  parser.Reset(/*no_body=*/false, /*keep_body=*/true);
  char buf[16384];
  while (parser.state() == HttpResponseParser::State::kNeedMore) {
    const ssize_t n = recv(sock.get(), buf, sizeof buf, 0);
    if (n > 0) {
      parser.Feed(std::string_view(buf, n));
      if (parser.bytes() > max_bytes) {
        return Status::IoError(fmt::format("{}: reply over {} bytes", where, max_bytes));
      }
    } else if (n == 0) {
      parser.FinishOnEof();
    } else if (errno == EAGAIN) {
      if (!wait(sock.get(), POLLIN)) return timed_out();
    } else if (errno != EINTR) {
      return io_error("recv", errno);
    }
  }
  if (parser.state() == HttpResponseParser::State::kError) {
    return Status::Corruption(fmt::format("{}: bad reply: {}", where, parser.error()));
  }
  return HttpReply{parser.status(), parser.body()};
}

}  // namespace gcpilot
