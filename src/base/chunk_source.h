// Reads a file or stdin in fixed-size chunks, inflating gzip transparently
// (detected by its magic bytes; concatenated members are read through).
// Parsers never see paths: the CLI opens the input here and feeds bytes.
#ifndef GCPILOT_BASE_CHUNK_SOURCE_H_
#define GCPILOT_BASE_CHUNK_SOURCE_H_

#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace gcpilot {

// Called with each chunk; the view is valid only during the call. A non-ok
// return stops reading and is returned from ReadChunks.
using ChunkSink = std::function<Status(std::string_view)>;

// Reads `path` ("-" for stdin) to the end. Errors name the path: a missing
// file (kNotFound), a read error (kIoError), corrupt or cut-off gzip data
// (kCorruption, with the compressed byte offset). Memory is bounded by the
// chunk size whatever the input size.
Status ReadChunks(const std::string& path, const ChunkSink& sink, size_t chunk_bytes = 1 << 20);

}  // namespace gcpilot

#endif  // GCPILOT_BASE_CHUNK_SOURCE_H_
