#include "exectrace/trace_text.h"

#include <fmt/format.h>

#include "exectrace/trace_reader.h"

namespace gcpilot {

Status DumpTraceText(std::string_view bytes, std::ostream& out) {
  StatusOr<int> minor = ParseTraceHeader(bytes.substr(0, kTraceHeaderBytes));
  if (bytes.size() < kTraceHeaderBytes) {
    return Status::Corruption(fmt::format("the input ends after {} bytes, inside the 16-byte trace header",
                                          bytes.size()));
  }
  if (!minor.ok()) return minor.status();
  out << "Trace Go1." << *minor << '\n';
  const std::string_view body = bytes.substr(kTraceHeaderBytes);
  return IsV2TraceVersion(*minor) ? DumpV2Text(*minor, body, out) : DumpV1Text(*minor, body, out);
}

StatusOr<std::string> EncodeTraceText(std::string_view text) {
  const size_t eol = text.find('\n');
  const std::string_view first = text.substr(0, eol);
  constexpr std::string_view kPrefix = "Trace Go1.";
  int minor = 0;
  bool digits = first.size() > kPrefix.size() && first.starts_with(kPrefix);
  for (size_t i = kPrefix.size(); digits && i < first.size(); ++i) {
    digits = first[i] >= '0' && first[i] <= '9';
    minor = minor * 10 + (first[i] - '0');
  }
  if (!digits) return Status::InvalidArgument("line 1: expected \"Trace Go1.N\"");
  std::string header = fmt::format("go 1.{} trace", minor);
  header.resize(kTraceHeaderBytes, '\0');
  if (!ParseTraceHeader(header).ok()) {
    return Status::InvalidArgument(fmt::format("line 1: unsupported trace version go 1.{}", minor));
  }
  const std::string_view body = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
  StatusOr<std::string> encoded = IsV2TraceVersion(minor) ? EncodeV2Text(minor, body) : EncodeV1Text(minor, body);
  if (!encoded.ok()) return encoded.status();
  return header + *encoded;
}

}  // namespace gcpilot
