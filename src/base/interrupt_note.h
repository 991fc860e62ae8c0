// What a long job says when Ctrl-C or SIGTERM stops it: a note written to
// stderr from the signal handler (async-signal-safe: one write(2)), then
// the default action, so the exit status still says which signal it was.
#ifndef GCPILOT_BASE_INTERRUPT_NOTE_H_
#define GCPILOT_BASE_INTERRUPT_NOTE_H_

#include <string>

namespace gcpilot {

// Installs handlers for SIGINT and SIGTERM that write `note` (cut to 511
// bytes) and re-raise. Replaces any earlier note.
void SayOnInterrupt(const std::string& note);

}  // namespace gcpilot

#endif  // GCPILOT_BASE_INTERRUPT_NOTE_H_
