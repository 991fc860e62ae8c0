#include "loadgen/schedule.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace gcpilot {
namespace {

bool ParseNumber(std::string_view s, double* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(*out);
}

constexpr double kMaxRatePerSec = 10'000'000;
// What a rate may be, for the messages: 0 asks for nothing, so it is only
// a step of a schedule with others or a ramp's end.
constexpr const char* kRateRange =
    "a number of requests/s up to 10000000 (10000k): above 0, or 0 as one step of a multi-step schedule or one "
    "end of a ramp";

bool ParseRate(std::string_view s, double* out) {
  double scale = 1;
  if (!s.empty() && (s.back() == 'k' || s.back() == 'K')) {
    scale = 1000;
    s.remove_suffix(1);
  }
  // The limit is on the rate asked for, with its k applied (10001k is over).
  if (!ParseNumber(s, out)) return false;
  *out *= scale;
  return *out >= 0 && *out <= kMaxRatePerSec;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const size_t i = s.find(sep);
    out.push_back(s.substr(0, i));
    if (i == std::string_view::npos) return out;
    s.remove_prefix(i + 1);
  }
}

std::string FormatRate(double r) { return fmt::format("{:g}", r); }

}  // namespace

StatusOr<int64_t> ParseDurationNs(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument(fmt::format("duration \"{}\" is not a positive number with ms, s, m or h", text));
  };
  std::string_view num = text;
  double unit = 0;
  if (num.ends_with("ms")) {
    unit = 1e6;
    num.remove_suffix(2);
  } else if (num.ends_with("s")) {
    unit = 1e9;
    num.remove_suffix(1);
  } else if (num.ends_with("m")) {
    unit = 60e9;
    num.remove_suffix(1);
  } else if (num.ends_with("h")) {
    unit = 3600e9;
    num.remove_suffix(1);
  } else {
    return bad();
  }
  double v = 0;
  if (!ParseNumber(num, &v) || v <= 0 || v * unit > 1e9 * 86400 * 7) return bad();
  const int64_t ns = std::llround(v * unit);
  if (ns <= 0) return bad();
  return ns;
}

StatusOr<int64_t> ParseOptionalDurationNs(std::string_view text) {
  if (text == "0" || text == "0s" || text == "0ms") return int64_t{0};
  auto d = ParseDurationNs(text);
  if (!d.ok()) {
    return Status::InvalidArgument(
        fmt::format("duration \"{}\" is not 0 or a positive number with ms, s, m or h", text));
  }
  return d;
}

std::string FormatDurationNs(int64_t ns) {
  if (ns % 3'600'000'000'000 == 0) return fmt::format("{}h", ns / 3'600'000'000'000);
  if (ns % 60'000'000'000 == 0) return fmt::format("{}m", ns / 60'000'000'000);
  if (ns % 1'000'000 == 0 && ns < 1'000'000'000) return fmt::format("{}ms", ns / 1'000'000);
  return fmt::format("{:g}s", ns / 1e9);
}

RateSchedule RateSchedule::Constant(double rps, int64_t duration_ns) {
  RateSchedule s;
  s.duration_ns_ = duration_ns;
  s.segments_.push_back({rps, rps, duration_ns});
  return s;
}

StatusOr<RateSchedule> RateSchedule::Parse(std::string_view text, int64_t default_duration_ns) {
  auto bad = [&](std::string why) { return Status::InvalidArgument(fmt::format("--rate \"{}\": {}", text, why)); };
  RateSchedule s;
  if (text == "max") {
    s.closed_loop_ = true;
    s.duration_ns_ = default_duration_ns;
    return s;
  }
  if (text.empty()) return bad("empty");
  const std::vector<std::string_view> parts = Split(text, ',');
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    const std::string where =
        parts.size() > 1 ? fmt::format("segment {} (\"{}\")", i + 1, part) : fmt::format("\"{}\"", part);
    Segment seg;
    if (part.starts_with("burst:")) {
      // burst:BASE/PEAK@ON/PERIOD
      const std::string_view body = part.substr(6);
      const size_t at = body.find('@');
      if (at == std::string_view::npos) return bad(where + ": want burst:BASE/PEAK@ON/PERIOD");
      const auto rates = Split(body.substr(0, at), '/');
      const auto times = Split(body.substr(at + 1), '/');
      if (rates.size() != 2 || times.size() != 2) {
        return bad(where + ": want burst:BASE/PEAK@ON/PERIOD, e.g. burst:1000/8000@2s/10s");
      }
      if (!ParseRate(rates[0], &seg.from_rps) || !ParseRate(rates[1], &seg.to_rps)) {
        return bad(where + ": rates must each be " + kRateRange);
      }
      auto on = ParseDurationNs(times[0]);
      auto period = ParseDurationNs(times[1]);
      if (!on.ok()) return bad(where + ": " + on.status().message());
      if (!period.ok()) return bad(where + ": " + period.status().message());
      if (*on >= *period) return bad(where + ": the burst must be shorter than its period");
      seg.burst = true;
      seg.burst_on_ns = *on;
      seg.burst_period_ns = *period;
      if (parts.size() > 1) return bad("a burst schedule cannot be combined with other segments");
    } else {
      const size_t at = part.find('@');
      if (at != std::string_view::npos) {
        auto d = ParseDurationNs(part.substr(at + 1));
        if (!d.ok()) return bad(where + ": " + d.status().message());
        seg.duration_ns = *d;
        part = part.substr(0, at);
      } else if (parts.size() > 1) {
        return bad(where + " needs \"@duration\" (every segment of a multi-step schedule does)");
      }
      const size_t dots = part.find("..");
      const bool ok = dots == std::string_view::npos ? ParseRate(part, &seg.from_rps)
                                                     : ParseRate(part.substr(0, dots), &seg.from_rps) &&
                                                           ParseRate(part.substr(dots + 2), &seg.to_rps);
      if (!ok) return bad(where + ": rate must be " + kRateRange + ", or RATE..RATE");
      if (dots == std::string_view::npos) seg.to_rps = seg.from_rps;
    }
    if (seg.duration_ns == 0) seg.duration_ns = default_duration_ns;
    s.segments_.push_back(seg);
    s.duration_ns_ += seg.duration_ns;
  }
  if (s.ExpectedRequests() < 1) return bad("asks for no requests at all");
  return s;
}

double RateSchedule::RateAt(int64_t t) const {
  if (closed_loop_ || t < 0) return 0;
  for (const Segment& seg : segments_) {
    if (t < seg.duration_ns) {
      if (seg.burst) {
        return t % seg.burst_period_ns < seg.burst_on_ns ? seg.to_rps : seg.from_rps;
      }
      return seg.from_rps + (seg.to_rps - seg.from_rps) * (static_cast<double>(t) / seg.duration_ns);
    }
    t -= seg.duration_ns;
  }
  return 0;
}

double RateSchedule::InitialRate() const { return RateAt(0); }

double RateSchedule::ExpectedRequests() const {
  double n = 0;
  for (const Segment& seg : segments_) {
    const double secs = seg.duration_ns / 1e9;
    if (seg.burst) {
      const int64_t full = seg.duration_ns / seg.burst_period_ns;
      const int64_t rest = seg.duration_ns % seg.burst_period_ns;
      const double on = (full * seg.burst_on_ns + std::min(rest, seg.burst_on_ns)) / 1e9;
      n += on * seg.to_rps + (secs - on) * seg.from_rps;
    } else {
      n += secs * (seg.from_rps + seg.to_rps) / 2;
    }
  }
  return n;
}

int64_t RateSchedule::NextDue(int64_t t) const {
restart:
  int64_t start = 0;
  for (const Segment& seg : segments_) {
    const int64_t end = start + seg.duration_ns;
    if (t >= end) {
      start = end;
      continue;
    }
    int64_t next;
    if (!seg.burst && seg.from_rps == seg.to_rps) {
      if (seg.from_rps <= 0) {  // a pause: resume where the next segment starts
        start = end;
        t = end;
        if (RateAt(t) > 0) return t;
        continue;
      }
      // Constant rate: due times on the exact grid start + k/rate, so a
      // segment of d seconds at r/s holds exactly ceil(d x r) requests
      // (no drift from rounding each gap).
      const double period = 1e9 / seg.from_rps;
      int64_t k = std::llround((t - start) / period) + 1;
      next = start + std::llround(k * period);
      while (next <= t) next = start + std::llround(++k * period);
    } else {
      const double r = RateAt(t);
      if (r <= 0) {
        t = (t / 1'000'000 + 1) * 1'000'000;  // walk a zero-rate stretch by 1 ms
        if (t >= end) {
          start = end;
          continue;
        }
        if (RateAt(t) > 0) return t;
        goto restart;
      }
      next = t + std::max<int64_t>(1, std::llround(1e9 / r));
    }
    if (next < end) return next;
    // The next due time falls into the following segment: it starts there.
    t = end;
    start = end;
    if (t < duration_ns_ && RateAt(t) > 0) return t;
  }
  return duration_ns_;
}

std::string RateSchedule::Describe() const {
  if (closed_loop_) {
    return fmt::format("closed loop (max rate) for {}", FormatDurationNs(duration_ns_));
  }
  std::string out;
  for (const Segment& seg : segments_) {
    if (!out.empty()) out += ", then ";
    if (seg.burst) {
      out += fmt::format("{}/s with bursts of {}/s for {} every {}", FormatRate(seg.from_rps), FormatRate(seg.to_rps),
                         FormatDurationNs(seg.burst_on_ns), FormatDurationNs(seg.burst_period_ns));
    } else if (seg.from_rps != seg.to_rps) {
      out += fmt::format("ramp {}/s to {}/s", FormatRate(seg.from_rps), FormatRate(seg.to_rps));
    } else {
      out += fmt::format("{}/s", FormatRate(seg.from_rps));
    }
    out += fmt::format(" for {}", FormatDurationNs(seg.duration_ns));
  }
  return out;
}

}  // namespace gcpilot
