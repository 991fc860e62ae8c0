// FdOstream: an std::ostream over a file descriptor it borrows (never
// closes), written with write(2). Nothing is reopened by name, so output
// to a descriptor the shell redirected (`> run.txt`, `>> log`) lands at
// that descriptor's offset, after what was printed before it.
#ifndef GCPILOT_BASE_FD_OSTREAM_H_
#define GCPILOT_BASE_FD_OSTREAM_H_

#include <ostream>
#include <streambuf>
#include <vector>

namespace gcpilot {

class FdStreamBuf : public std::streambuf {
 public:
  explicit FdStreamBuf(int fd);
  ~FdStreamBuf() override;
  FdStreamBuf(const FdStreamBuf&) = delete;
  FdStreamBuf& operator=(const FdStreamBuf&) = delete;

  // errno of the first failed write(2), 0 if none failed.
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  bool Drain();
  int fd_;
  int error_ = 0;
  std::vector<char> buf_;
};

// Write errors set badbit; error() says why.
class FdOstream : public std::ostream {
 public:
  explicit FdOstream(int fd) : std::ostream(nullptr), buf_(fd) { rdbuf(&buf_); }
  int error() const { return buf_.error(); }

 private:
  FdStreamBuf buf_;
};

}  // namespace gcpilot

#endif  // GCPILOT_BASE_FD_OSTREAM_H_
