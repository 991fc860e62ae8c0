// Hashing for unordered containers keyed by std::string that are looked up
// by std::string_view (C++20 heterogeneous lookup): a lookup then builds
// no std::string, which for a name longer than the small-string buffer
// would be an allocation per lookup.
//   std::unordered_map<std::string, int, StringHash, std::equal_to<>> m;
//   m.find(std::string_view("runtime.gcBgMarkWorker"));
#ifndef GCPILOT_BASE_STRING_HASH_H_
#define GCPILOT_BASE_STRING_HASH_H_

#include <cstddef>
#include <functional>
#include <string_view>

namespace gcpilot {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace gcpilot

#endif  // GCPILOT_BASE_STRING_HASH_H_
