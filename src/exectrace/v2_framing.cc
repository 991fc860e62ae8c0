#include "exectrace/v2_framing.h"

#include <fmt/format.h>

#include "exectrace/v2_events.h"

namespace gcpilot {
namespace {

// A uvarint never needs more than 10 bytes: fewer left may mean "more to
// come", 10 or more that fail to parse are corrupt.
V2Frame ReadField(const uint8_t** p, const uint8_t* end, uint64_t* v) {
  if (V2ReadUvarint(p, end, v)) return V2Frame::kComplete;
  return end - *p >= 10 ? V2Frame::kCorrupt : V2Frame::kNeedMore;
}

}  // namespace

V2Frame V2ParseBatchHeader(int go_minor, std::string_view bytes, V2BatchHeader* header, std::string* error) {
  if (bytes.empty()) return V2Frame::kNeedMore;
  const auto* begin = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* end = begin + bytes.size();
  const uint8_t type = begin[0];
  *header = V2BatchHeader{};
  if (type == kV2EndOfGeneration && go_minor >= 26) {
    header->kind = V2BatchHeader::kEndOfGeneration;
    header->header_bytes = 1;
    return V2Frame::kComplete;
  }
  const bool experimental = type == kV2ExperimentalBatch && go_minor >= 23;
  if (type != kV2EventBatch && !experimental) {
    *error = fmt::format("expected a batch, found event type {}", type);
    return V2Frame::kCorrupt;
  }
  const uint8_t* p = begin + 1;
  if (experimental) {
    if (p == end) return V2Frame::kNeedMore;
    header->kind = V2BatchHeader::kExperimental;
    header->experiment = *p++;
  }
  uint64_t* fields[4] = {&header->gen, &header->m, &header->time, &header->size};
  for (uint64_t* field : fields) {
    const V2Frame f = ReadField(&p, end, field);
    if (f == V2Frame::kCorrupt) *error = "bad uvarint in the batch header";
    if (f != V2Frame::kComplete) return f;
  }
  if (header->size > kV2MaxBatchBytes) {
    *error = fmt::format("batch size {} is past the format's limit of {} bytes", header->size, kV2MaxBatchBytes);
    return V2Frame::kCorrupt;
  }
  if (header->gen == 0) {
    *error = "batch of generation 0 (generations count from 1)";
    return V2Frame::kCorrupt;
  }
  header->header_bytes = static_cast<size_t>(p - begin);
  return V2Frame::kComplete;
}

}  // namespace gcpilot
