#include "base/interrupt_note.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>

namespace gcpilot {
namespace {

char g_note[512];  // written before the handlers are installed

void OnStop(int sig) {
  (void)!write(STDERR_FILENO, g_note, std::strlen(g_note));
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

void SayOnInterrupt(const std::string& note) {
  std::strncpy(g_note, note.c_str(), sizeof g_note - 1);
  g_note[sizeof g_note - 1] = '\0';
  struct sigaction on_stop {};
  on_stop.sa_handler = OnStop;
  sigemptyset(&on_stop.sa_mask);
  sigaction(SIGINT, &on_stop, nullptr);
  sigaction(SIGTERM, &on_stop, nullptr);
}

}  // namespace gcpilot
