// The text form of an execution trace: one wire event per line, as
// golang.org/x/exp/trace's test data writes v2 traces (`Trace Go1.22`, then
// `EventBatch gen=.. m=.. time=.. size=..` and events as `Name arg=value
// ...`, a String's `data="..."`, a Stack's frames indented below it). v1
// traces get the same shape with their own batches (`EventBatch p=..
// time=..`) and argument names. Dump turns the binary form into text
// (`gcpilot trace dump`); Encode turns text back into the exact bytes (test
// support: the shared fixtures are text, and tests parse them as binary).
#ifndef GCPILOT_EXECTRACE_TRACE_TEXT_H_
#define GCPILOT_EXECTRACE_TRACE_TEXT_H_

#include <ostream>
#include <string>
#include <string_view>

#include "base/status.h"

namespace gcpilot {

// Writes the text form of `bytes` (a whole trace, header first) to `out`,
// event by event as they lie in the file (not time-ordered). A truncated
// or corrupt trace is dumped up to the fault and the error names its
// offset.
[[nodiscard]] Status DumpTraceText(std::string_view bytes, std::ostream& out);

// The bytes of the trace `text` describes. Errors name the text's line.
[[nodiscard]] StatusOr<std::string> EncodeTraceText(std::string_view text);

// The halves by format (v1_text.cc, v2_text.cc); `bytes`/`text` start
// after the header line / 16-byte header.
[[nodiscard]] Status DumpV1Text(int go_minor, std::string_view body, std::ostream& out);
[[nodiscard]] Status DumpV2Text(int go_minor, std::string_view body, std::ostream& out);
[[nodiscard]] StatusOr<std::string> EncodeV1Text(int go_minor, std::string_view body_text);
[[nodiscard]] StatusOr<std::string> EncodeV2Text(int go_minor, std::string_view body_text);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_TRACE_TEXT_H_
