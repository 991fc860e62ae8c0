#include "base/fd_ostream.h"

#include <unistd.h>

#include <cerrno>

namespace gcpilot {

FdStreamBuf::FdStreamBuf(int fd) : fd_(fd), buf_(64 * 1024) { setp(buf_.data(), buf_.data() + buf_.size()); }

FdStreamBuf::~FdStreamBuf() { Drain(); }

// Writes the buffered bytes; false (error_ set) if write(2) failed.
bool FdStreamBuf::Drain() {
  const char* p = pbase();
  while (error_ == 0 && p < pptr()) {
    const ssize_t n = write(fd_, p, static_cast<size_t>(pptr() - p));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) error_ = n < 0 ? errno : EIO;
    if (n > 0) p += n;
  }
  setp(buf_.data(), buf_.data() + buf_.size());
  return error_ == 0;
}

FdStreamBuf::int_type FdStreamBuf::overflow(int_type c) {
  if (!Drain()) return traits_type::eof();
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

int FdStreamBuf::sync() { return Drain() ? 0 : -1; }

}  // namespace gcpilot
