// What a process does when Ctrl-C or SIGTERM stops it, from the signal
// handler (async-signal-safe: unlink(2) and one write(2)): remove the
// temporary files being written at that moment, write the note of a long
// job to stderr, then take the default action, so the exit status still
// says which signal it was.
#ifndef GCPILOT_BASE_INTERRUPT_NOTE_H_
#define GCPILOT_BASE_INTERRUPT_NOTE_H_

#include <string>

namespace gcpilot {

// Installs handlers for SIGINT and SIGTERM that write `note` (cut to 511
// bytes) and re-raise. Replaces any earlier note.
void SayOnInterrupt(const std::string& note);

// Registers a temporary file for removal if SIGINT or SIGTERM stops the
// process while this lives, whichever thread the signal lands in: a stop
// in the middle of a write ends the write and leaves no temporary. The
// handlers are installed on first use unless a signal is ignored (SIG_IGN
// stays) or another handler is set. Up to 16 files at once, paths up to
// 4095 bytes; past that a file is not registered (and a stop may leave it).
class RemovedOnStop {
 public:
  explicit RemovedOnStop(const std::string& path);
  ~RemovedOnStop() { Release(); }
  RemovedOnStop(const RemovedOnStop&) = delete;
  RemovedOnStop& operator=(const RemovedOnStop&) = delete;

  // The file was renamed or removed: a stop no longer touches it.
  void Release();

 private:
  int slot_ = -1;
};

}  // namespace gcpilot

#endif  // GCPILOT_BASE_INTERRUPT_NOTE_H_
