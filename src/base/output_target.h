// Where a write to an output path lands, decided before anything is
// written: one of our own open descriptors (`--timeline /dev/stdout` with
// stdout redirected to the user's file), a directory (refused), a pipe or
// device, or a regular file to create or replace (a symlink's target).
#ifndef GCPILOT_BASE_OUTPUT_TARGET_H_
#define GCPILOT_BASE_OUTPUT_TARGET_H_

#include <string>

namespace gcpilot {

struct OutputTarget {
  enum class Kind {
    kFile,       // path: the regular file to create or replace
    kDirectory,  // never written
    kStream,     // a FIFO or device not open here: written in place by name
    kOpenFd,     // fd: one of our descriptors, written at its offset
  };
  Kind kind = Kind::kFile;
  std::string path;  // kFile: symlinks followed to their end, even a dangling one's target
  int fd = -1;       // kOpenFd only
};

// An OutputTarget for `path` as given. Our descriptors are the ones the
// path names (/dev/stdin, /dev/stdout, /dev/stderr, /dev/fd/N,
// /proc/self/fd/N, /proc/thread-self/fd/N, /proc/PID/fd/N with our PID,
// directly or through symlinks) while open, and the writable ones of 0..2
// whose device and inode are the file's (`--timeline run.txt > run.txt`).
// A symlink chain longer than 40 links is left for the write to fail on.
OutputTarget ResolveOutput(const std::string& path);

}  // namespace gcpilot

#endif  // GCPILOT_BASE_OUTPUT_TARGET_H_
