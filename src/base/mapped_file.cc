#include "base/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <signal.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace gcpilot {
namespace {

// Written by the SIGBUS handler, which may only call async-signal-safe
// functions: the message is formatted when the file is mapped.
char g_bus_message[1024];
size_t g_bus_message_len = 0;
struct sigaction g_previous_bus {};

void OnBusError(int) {
  (void)!write(STDERR_FILENO, g_bus_message, g_bus_message_len);
  _exit(1);
}

}  // namespace

MappedFile::~MappedFile() {
  if (data_ == nullptr) return;
  munmap(const_cast<char*>(data_), size_);
  sigaction(SIGBUS, &g_previous_bus, nullptr);
}

bool MappedFile::Open(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 2) {
    close(fd);
    return false;
  }
  unsigned char magic[2] = {0, 0};
  if (pread(fd, magic, 2, 0) != 2 || (magic[0] == 0x1f && magic[1] == 0x8b)) {
    close(fd);
    return false;
  }
  const size_t size = static_cast<size_t>(st.st_size);
  void* p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);  // the mapping keeps the file
  if (p == MAP_FAILED) return false;
  madvise(p, size, MADV_SEQUENTIAL);
  const int n = std::snprintf(g_bus_message, sizeof(g_bus_message),
                              "gcpilot: %s: the file was cut short while "
                              "being read (rotated or truncated?)\n",
                              path.c_str());
  g_bus_message_len = n < 0 ? 0 : std::min(static_cast<size_t>(n), sizeof(g_bus_message) - 1);
  struct sigaction on_bus {};
  on_bus.sa_handler = OnBusError;
  sigemptyset(&on_bus.sa_mask);
  sigaction(SIGBUS, &on_bus, &g_previous_bus);
  data_ = static_cast<const char*>(p);
  size_ = size;
  return true;
}

void MappedFile::Release(std::string_view range) const {
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t begin = reinterpret_cast<uintptr_t>(range.data());
  uintptr_t first = (begin + page - 1) / page * page;
  uintptr_t last = (begin + range.size()) / page * page;
  if (last > first) {
    madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
  }
}

}  // namespace gcpilot
