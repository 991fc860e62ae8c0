// Where `gcpilot tune`'s built-in study finds the bundled gateway
// (workloads/paygate): its binary and the request mix it is driven with.
// Both are looked up beside the running gcpilot, never in the checkout it
// was built from, so a build tree and an installed copy work wherever they
// are moved, and a copy that has neither says where it looked:
//
//   build tree   BUILD/src/cli/gcpilot  BUILD/paygate
//                                       BUILD/workloads/paygate/load.toml
//   installed    PREFIX/bin/gcpilot     PREFIX/libexec/gcpilot/paygate
//                                       PREFIX/share/gcpilot/workloads/paygate/load.toml
//
// (The install folders are the GNU ones CMake was configured with,
// relative to the bin folder: GCPILOT_BIN_TO_LIBEXEC, GCPILOT_BIN_TO_DATA.)
#ifndef GCPILOT_CLI_BUNDLED_GATEWAY_H_
#define GCPILOT_CLI_BUNDLED_GATEWAY_H_

#include <string>

#include "base/status.h"

namespace gcpilot::cli {

struct BundledGateway {
  std::string binary;    // the gateway executable
  std::string data_dir;  // holds workloads/paygate/load.toml; "" = not found
};

// The folder of the running executable (/proc/self/exe), "" if unknown.
std::string SelfDir();

// The gateway of the built-in study. One the user named wins: `flag`
// (--paygate FILE; "" = not given), else `env` ($GCPILOT_PAYGATE; null or
// "" = not set); it must be an executable file. Otherwise the first layout above
// (from `self_dir`) whose gateway is an executable file. The request mix
// is that layout's when it has one (a gateway and a mix from one copy),
// else the first other layout's that exists; with `need_mix` false (the user gave
// --requests) a missing one is no error.
// Errors (kNotFound) list every path looked at and how to name one.
StatusOr<BundledGateway> FindBundledGateway(const std::string& self_dir, const std::string& flag, const char* env,
                                            bool need_mix);

}  // namespace gcpilot::cli

#endif  // GCPILOT_CLI_BUNDLED_GATEWAY_H_
