#include "base/chunk_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "base/input_file.h"

namespace gcpilot {
namespace {

// Owns a file descriptor; stdin is borrowed, never closed.
class Fd {
 public:
  explicit Fd(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~Fd() {
    if (owned_ && fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
  bool owned_;
};

constexpr std::string_view kWhat = "a log file";  // what a directory given as input is not

// read(2) until the buffer is full or EOF; returns bytes read or -1.
ssize_t ReadFull(int fd, char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, buf + got, n - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return static_cast<ssize_t>(got);
}

Status Inflate(int fd, const std::string& path, std::vector<char>& in, size_t have, const ChunkSink& sink,
               size_t chunk_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) {
    return Status::Internal("zlib: inflateInit2 failed");
  }
  std::vector<char> out(chunk_bytes);
  int64_t consumed_total = 0;
  bool eof = false;
  bool member_done = false;
  Status result;
  zs.next_in = reinterpret_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(have);
  while (true) {
    if (zs.avail_in == 0 && !eof) {
      ssize_t r = ReadFull(fd, in.data(), in.size());
      if (r < 0) {
        result = Status::IoError(fmt::format("{}: read failed: {}", path, std::strerror(errno)));
        break;
      }
      if (r == 0) eof = true;
      zs.next_in = reinterpret_cast<Bytef*>(in.data());
      zs.avail_in = static_cast<uInt>(r);
    }
    if (zs.avail_in == 0 && eof) {
      if (!member_done) {
        result = Status::Corruption(fmt::format("{}: gzip data cut off at compressed byte {}", path, consumed_total));
      }
      break;
    }
    if (member_done) {
      // Another gzip member follows (as `cat a.gz b.gz` makes).
      inflateReset(&zs);
      member_done = false;
    }
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const uInt before_in = zs.avail_in;
    int rc = inflate(&zs, Z_NO_FLUSH);
    consumed_total += before_in - zs.avail_in;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      result = Status::Corruption(fmt::format("{}: gzip data corrupt near compressed byte {}: {}", path, consumed_total,
                                              zs.msg ? zs.msg : "inflate error"));
      break;
    }
    const size_t produced = out.size() - zs.avail_out;
    if (produced > 0) {
      result = sink(std::string_view(out.data(), produced));
      if (!result.ok()) break;
    }
    if (rc == Z_STREAM_END) member_done = true;
    if (rc == Z_BUF_ERROR && produced == 0 && zs.avail_in != 0) {
      result = Status::Corruption(fmt::format("{}: gzip data corrupt near compressed byte {}", path, consumed_total));
      break;
    }
  }
  inflateEnd(&zs);
  return result;
}

Status ReadChunksDirect(const std::string& path, const ChunkSink& sink, size_t chunk_bytes) {
  if (chunk_bytes < 2) chunk_bytes = 2;
  const bool is_stdin = path == "-";
  Fd fd(is_stdin ? 0 : open(path.c_str(), O_RDONLY | O_CLOEXEC), !is_stdin);
  const std::string name = is_stdin ? "<stdin>" : path;
  if (fd.get() < 0) return InputFileError(name, errno, kWhat);
  struct stat st {};
  if (fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode)) return InputFileError(name, EISDIR, kWhat);
  if (!is_stdin) posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  std::vector<char> buf(chunk_bytes);
  ssize_t r = ReadFull(fd.get(), buf.data(), buf.size());
  if (r < 0) {
    return Status::IoError(fmt::format("{}: read failed: {}", name, std::strerror(errno)));
  }
  if (r >= 2 && static_cast<unsigned char>(buf[0]) == 0x1f && static_cast<unsigned char>(buf[1]) == 0x8b) {
    return Inflate(fd.get(), name, buf, static_cast<size_t>(r), sink, chunk_bytes);
  }
  while (r > 0) {
    Status s = sink(std::string_view(buf.data(), static_cast<size_t>(r)));
    if (!s.ok()) return s;
    r = ReadFull(fd.get(), buf.data(), buf.size());
    if (r < 0) {
      return Status::IoError(fmt::format("{}: read failed: {}", name, std::strerror(errno)));
    }
  }
  return Status::Ok();
}

// Hands chunks from a reader thread (read(2), inflate) to the consumer on
// the calling thread, so I/O and decompression overlap with parsing: on two
// cores this is worth ~20% on a cached multi-GB log. At most kDepth chunks
// are in flight, so memory stays bounded.
class Pipeline {
 public:
  static constexpr size_t kDepth = 4;

  // Producer side: copies the chunk into a free buffer; blocks while the
  // consumer is kDepth chunks behind. Returns false once the consumer quit.
  Status Push(std::string_view chunk) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return queue_.size() < kDepth || stop_; });
    if (stop_) return Status::FailedPrecondition("consumer stopped");
    std::string buf;
    if (!free_.empty()) {
      buf = std::move(free_.back());
      free_.pop_back();
    }
    buf.assign(chunk.data(), chunk.size());
    queue_.push_back(std::move(buf));
    cv_.notify_all();
    return Status::Ok();
  }
  void Close(Status producer_status) {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    producer_status_ = std::move(producer_status);
    cv_.notify_all();
  }
  // Consumer side: runs sink on each chunk in order until the producer
  // closes or the sink fails.
  Status Drain(const ChunkSink& sink) {
    while (true) {
      std::string buf;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return !queue_.empty() || closed_; });
        if (queue_.empty()) return producer_status_;
        buf = std::move(queue_.front());
        queue_.pop_front();
        cv_.notify_all();
      }
      Status s = sink(buf);
      {
        std::lock_guard<std::mutex> lock(mu_);
        free_.push_back(std::move(buf));
        if (!s.ok()) {
          stop_ = true;
          cv_.notify_all();
          return s;
        }
      }
    }
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::vector<std::string> free_;
  bool closed_ = false;
  bool stop_ = false;
  Status producer_status_;
};

}  // namespace

Status ReadChunks(const std::string& path, const ChunkSink& sink, size_t chunk_bytes) {
  Pipeline pipe;
  std::thread reader([&] {
    Status s = ReadChunksDirect(
        path, [&](std::string_view c) { return pipe.Push(c); }, chunk_bytes);
    pipe.Close(std::move(s));
  });
  Status consumed = pipe.Drain(sink);
  reader.join();
  return consumed;
}

}  // namespace gcpilot
