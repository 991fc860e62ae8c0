// PLACEHOLDER until the v2 decoder lands (issue 11): refuses every input.
#include <fmt/format.h>

#include "exectrace/format_decoders.h"
#include "exectrace/trace_text.h"

namespace gcpilot {
namespace {

class NotYet final : public FormatDecoder {
 public:
  explicit NotYet(int minor) : minor_(minor) {}
  Status Feed(std::string_view, int64_t, bool) override {
    return Status::Internal(fmt::format("go 1.{} traces cannot be read yet", minor_));
  }
  Status Finish(TraceReadResult*) override { return Status::Ok(); }

 private:
  int minor_;
};

}  // namespace

std::unique_ptr<FormatDecoder> MakeV2Decoder(int go_minor, const TraceReadOptions&, TraceSink*) {
  return std::make_unique<NotYet>(go_minor);
}

}  // namespace gcpilot

