// trace_encode: the binary trace a text-form trace describes, on stdout
// (test support, built on EncodeTraceText). Reads either the text form
// itself (first line "Trace Go1.N") or a Go test fixture (the txtar files
// of ../shared/testdata/gotrace-v2: an "-- expect --" section, then
// "-- trace --" and the text form), whose text form starts at the first
// line that begins "Trace Go1.".
//
// Usage: trace_encode FILE > OUT.trace
// Exit status: 0 written, 1 unreadable or not encodable (the message names
// the line of the text form), 2 usage.
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>

#include "exectrace/trace_text.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: trace_encode FILE > OUT.trace\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::string file(std::istreambuf_iterator<char>(in), {});
  if (!in && !in.eof()) {
    std::cerr << "trace_encode: " << argv[1] << ": cannot read\n";
    return 1;
  }
  std::string_view text = file;
  if (!text.starts_with("Trace Go1.")) {
    const size_t at = text.find("\nTrace Go1.");
    text = at == std::string_view::npos ? std::string_view() : text.substr(at + 1);
  }
  gcpilot::StatusOr<std::string> bytes = gcpilot::EncodeTraceText(text);
  if (!bytes.ok()) {
    std::cerr << "trace_encode: " << argv[1] << ": " << bytes.status().message() << '\n';
    return 1;
  }
  std::cout.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  return std::cout.good() ? 0 : 1;
}
