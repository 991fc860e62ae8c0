// The two format decoders behind TraceReader (trace_reader.h). Each takes
// the bytes after the 16-byte header (its first Feed has base 16).
#ifndef GCPILOT_EXECTRACE_FORMAT_DECODERS_H_
#define GCPILOT_EXECTRACE_FORMAT_DECODERS_H_

#include <memory>

#include "exectrace/trace_event.h"
#include "exectrace/trace_reader.h"

namespace gcpilot {

// Go 1.11, 1.19, 1.21 ("go 1.N trace"): v1_decoder.cc.
std::unique_ptr<FormatDecoder> MakeV1Decoder(int go_minor, const TraceReadOptions& options, TraceSink* sink);
// Go 1.22, 1.23, 1.25, 1.26: v2_decoder.cc.
std::unique_ptr<FormatDecoder> MakeV2Decoder(int go_minor, const TraceReadOptions& options, TraceSink* sink);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_FORMAT_DECODERS_H_
