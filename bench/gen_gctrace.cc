// Writes a large, realistic GODEBUG=gctrace=1 log for benchmarks: Go 1.19
// shape lines with varied values, one in eight with a container log prefix,
// interleaved with application lines and scavenger lines, as a busy
// service's stderr looks. Deterministic (fixed seed).
// Usage: gen_gctrace BYTES > file
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

// Formats microseconds the way the runtime prints gctrace durations: under
// 10 ms two significant digits with at most three decimals, from 10 ms on
// whole milliseconds.
std::string Ms(uint64_t us) {
  char b[32];
  if (us >= 10000) {
    std::snprintf(b, sizeof b, "%llu", static_cast<unsigned long long>(us / 1000));
  } else if (us >= 1000) {
    std::snprintf(b, sizeof b, "%llu.%llu", static_cast<unsigned long long>(us / 1000),
                  static_cast<unsigned long long>(us % 1000 / 100));
  } else if (us >= 100) {
    std::snprintf(b, sizeof b, "0.%02llu", static_cast<unsigned long long>(us / 10));
  } else {
    std::snprintf(b, sizeof b, "0.%03llu", static_cast<unsigned long long>(us));
  }
  return b;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: gen_gctrace BYTES\n");
    return 2;
  }
  const long long target = std::atoll(argv[1]);
  if (target <= 0) {
    std::fprintf(stderr, "gen_gctrace: BYTES must be a positive number\n");
    return 2;
  }
  uint64_t x = 0x9E3779B97F4A7C15ull;
  auto rnd = [&x](uint64_t n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x % n;
  };
  std::string buf;
  buf.reserve(1 << 22);
  long long written = 0;
  long long gc = 0;
  long long at_ms = 100;
  char line[512];
  while (written < target) {
    ++gc;
    at_ms += 50 + rnd(900);
    const int live = 200 + static_cast<int>(rnd(300));
    const int goal = live * 2;
    const int start = goal - 20 - static_cast<int>(rnd(40));
    const int end = goal - 5 + static_cast<int>(rnd(15));
    const char* prefix = rnd(8) == 0 ? "2026-11-24T10:00:00.123456789Z stderr F " : "";
    int n =
        std::snprintf(line, sizeof line,
                      "%sgc %lld @%lld.%03llds %d%%: %s+%s+%s ms clock, "
                      "%s+%s/%s/%s+%s ms cpu, %d->%d->%d MB, %d MB goal, "
                      "0 MB stacks, 0 MB globals, 2 P%s\n",
                      prefix, gc, at_ms / 1000, at_ms % 1000, 1 + static_cast<int>(rnd(9)), Ms(10 + rnd(900)).c_str(),
                      Ms(1000 + rnd(400000)).c_str(), Ms(10 + rnd(300)).c_str(), Ms(20 + rnd(1800)).c_str(),
                      Ms(rnd(50000)).c_str(), Ms(1000 + rnd(400000)).c_str(), Ms(rnd(90000)).c_str(),
                      Ms(20 + rnd(600)).c_str(), start, end, live, goal, rnd(50) == 0 ? " (forced)" : "");
    buf.append(line, static_cast<size_t>(n));
    if (rnd(4) == 0) {
      n = std::snprintf(line, sizeof line,
                        "{\"level\":\"info\",\"msg\":\"payment settled\","
                        "\"order\":\"ord_%llu\",\"latency_ms\":%llu}\n",
                        static_cast<unsigned long long>(rnd(1000000)), static_cast<unsigned long long>(rnd(40)));
      buf.append(line, static_cast<size_t>(n));
    }
    if (rnd(16) == 0) {
      buf += "scav 0 KiB work (bg), 0 KiB work (eager), 12 KiB now, 99% util\n";
    }
    if (buf.size() >= (1 << 22)) {
      std::fwrite(buf.data(), 1, buf.size(), stdout);
      written += static_cast<long long>(buf.size());
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), stdout);
  return 0;
}
