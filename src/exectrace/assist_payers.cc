#include "exectrace/assist_payers.h"

#include <algorithm>
#include <map>

namespace gcpilot {

int32_t AssistPayers::Intern(std::string_view function) {
  if (function.empty()) return 0;
  if (auto it = ids_.find(function); it != ids_.end()) return it->second;
  const auto it = ids_.emplace(std::string(function), static_cast<int32_t>(names_.size())).first;
  names_.push_back(it->first);
  return it->second;
}

void AssistPayers::OnEvent(const TraceEvent& e) {
  if (e.kind == TraceEventKind::kGoCreate) creator_[e.a] = Intern(e.function);
  if (e.kind == TraceEventKind::kGoEnd) creator_.erase(e.g);
}

void AssistPayers::OnGoroutineSpan(const GoroutineGcSpan& span) {
  if (span.kind != GoroutineGcSpan::Kind::kMarkAssist) return;
  auto [it, added] = assisted_.try_emplace(span.goroutine);
  if (added) {
    auto c = creator_.find(span.goroutine);
    it->second.function = c == creator_.end() ? 0 : c->second;
  }
  ++it->second.assists;
  it->second.assist_ns = SaturatingAdd(it->second.assist_ns, span.span.duration_ns());
}

std::vector<AssistGoroutine> AssistPayers::TopGoroutines(size_t limit) const {
  std::vector<AssistGoroutine> out;
  for (const auto& [g, a] : assisted_) out.push_back({g, names_[a.function], a.assists, a.assist_ns});
  std::sort(out.begin(), out.end(), [](const AssistGoroutine& x, const AssistGoroutine& y) {
    if (x.assist_ns != y.assist_ns) return x.assist_ns > y.assist_ns;
    if (x.assists != y.assists) return x.assists > y.assists;
    return x.goroutine < y.goroutine;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::vector<AssistPayer> AssistPayers::Payers(size_t limit) const {
  std::map<int32_t, AssistPayer> by_function;
  for (const auto& [g, a] : assisted_) {
    AssistPayer& p = by_function[a.function];
    p.function = names_[a.function];
    ++p.goroutines;
    p.assists += a.assists;
    p.assist_ns = SaturatingAdd(p.assist_ns, a.assist_ns);
  }
  std::vector<AssistPayer> out;
  for (auto& [id, p] : by_function) out.push_back(std::move(p));
  std::sort(out.begin(), out.end(), [](const AssistPayer& x, const AssistPayer& y) {
    if (x.assist_ns != y.assist_ns) return x.assist_ns > y.assist_ns;
    if (x.assists != y.assists) return x.assists > y.assists;
    return x.function < y.function;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace gcpilot
