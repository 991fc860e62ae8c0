#include "base/interrupt_note.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>

namespace gcpilot {
namespace {

char g_note[512];  // written before the handlers are installed

// A temporary file's absolute path, read by the handler only while
// state is kReady (set after the path is complete).
struct TempSlot {
  enum State { kFree, kFilling, kReady };
  std::atomic<int> state{kFree};
  char path[4096];
};
TempSlot g_temps[16];
static_assert(std::atomic<int>::is_always_lock_free, "read from a signal handler");

void OnStop(int sig) {
  for (TempSlot& t : g_temps) {
    if (t.state.load(std::memory_order_acquire) == TempSlot::kReady) unlink(t.path);
  }
  (void)!write(STDERR_FILENO, g_note, std::strlen(g_note));
  signal(sig, SIG_DFL);
  raise(sig);
}

void Install(int sig) {
  struct sigaction on_stop {};
  on_stop.sa_handler = OnStop;
  sigemptyset(&on_stop.sa_mask);
  sigaction(sig, &on_stop, nullptr);
}

// Our handler for each stop signal still at its default action.
bool InstallWhereDefault() {
  for (int sig : {SIGINT, SIGTERM}) {
    struct sigaction now {};
    if (sigaction(sig, nullptr, &now) == 0 && now.sa_handler == SIG_DFL) Install(sig);
  }
  return true;
}

}  // namespace

void SayOnInterrupt(const std::string& note) {
  std::strncpy(g_note, note.c_str(), sizeof g_note - 1);
  g_note[sizeof g_note - 1] = '\0';
  Install(SIGINT);
  Install(SIGTERM);
}

RemovedOnStop::RemovedOnStop(const std::string& path) {
  [[maybe_unused]] static const bool installed = InstallWhereDefault();
  std::error_code ec;
  const std::string full = std::filesystem::absolute(path, ec).string();
  if (ec || full.size() >= sizeof g_temps[0].path) return;
  for (int i = 0; i < static_cast<int>(std::size(g_temps)); ++i) {
    int expected = TempSlot::kFree;
    if (!g_temps[i].state.compare_exchange_strong(expected, TempSlot::kFilling)) continue;
    std::memcpy(g_temps[i].path, full.c_str(), full.size() + 1);
    g_temps[i].state.store(TempSlot::kReady, std::memory_order_release);
    slot_ = i;
    return;
  }
}

void RemovedOnStop::Release() {
  if (slot_ >= 0) g_temps[slot_].state.store(TempSlot::kFree, std::memory_order_release);
  slot_ = -1;
}

}  // namespace gcpilot
