#!/usr/bin/env bash
# Installs what gcpilot needs from Debian packages (only what is missing),
# then builds gcpilot (build/) and the bundled gateway. Safe to run again:
# a second run installs nothing and rebuilds only what changed.
# Usage: scripts/setup.sh            (sourced or run by run.sh / test.sh)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(
  g++ cmake ninja-build pkg-config git ca-certificates
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libfmt-dev nlohmann-json3-dev libtomlplusplus-dev
  libsqlite3-dev sqlite3 zlib1g-dev libssl-dev
  golang-1.19-go
  wrk procps util-linux time hyperfine python3 chromium curl
  clang-format
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

export GCPILOT_GO=/usr/lib/go-1.19/bin/go
[ -x "$GCPILOT_GO" ] || { echo "setup: $GCPILOT_GO missing after install" >&2; exit 1; }

# A newer Go for the second gateway build (build/paygate-go1.NN): the `go`
# on PATH when newer than 1.19, or GCPILOT_GO_NEW=/path/to/go. Configure
# runs every time (a few seconds) so a Go installed since is picked up;
# its one-line paygate note is shown.
build="$root/build"
mkdir -p "$build"
if ! cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1; then
  cat "$build/configure.log" >&2
  exit 1
fi
sed -n 's/^-- paygate: /setup: paygate: /p' "$build/configure.log" >&2
ninja -C "$build" >/dev/null || ninja -C "$build"  # show errors on failure
# (the build includes the bundled Go gateway, build/paygate; see workloads/)

# The independent trace reader the tests compare gcpilot with
# (tests/tracecheck, on golang.org/x/exp/trace), built into build/tracecheck
# with the newer Go when it is at least the go line of its go.mod. The
# module comes from the Go module proxy (go.sum is committed) once and stays
# in Go's module cache. Never fatal: without such a Go or a reachable proxy
# the comparison test (cli.trace_xexp) skips and says why.
build_tracecheck() {
  local src="$root/tests/tracecheck" go="${GCPILOT_GO_NEW:-$(command -v go || true)}"
  local want have=
  want=$(sed -n 's/^go 1\.\([0-9]*\).*/\1/p' "$src/go.mod")
  if [ -n "$go" ]; then
    have=$(GOTOOLCHAIN=local "$go" env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p' || true)
  fi
  if [ -z "$have" ] || [ "$have" -lt "$want" ]; then
    echo "setup: tracecheck not built: needs Go >= 1.$want (found ${go:-no go}${have:+, Go 1.$have};" \
      "GCPILOT_GO_NEW=/path/to/go); cli.trace_xexp will skip" >&2
    rm -f "$build/tracecheck"
    return 0
  fi
  if ! (cd "$src" && GOTOOLCHAIN=local GOFLAGS="-mod=mod -buildvcs=false" GOCACHE="$build/go-cache" \
        timeout 600 "$go" build -o "$build/tracecheck" .) >"$build/tracecheck.log" 2>&1; then
    echo "setup: tracecheck not built (no module proxy?): $(tail -n 1 "$build/tracecheck.log")" >&2
    rm -f "$build/tracecheck"
  fi
}
build_tracecheck

newer=$(sed -n 's/^GCPILOT_PAYGATE_NEW:INTERNAL=/, /p' "$build/CMakeCache.txt")
checker=$([ -x "$build/tracecheck" ] && echo ", $build/tracecheck")
echo "setup: ready: $build/src/cli/gcpilot, $build/paygate${newer}${checker}" >&2
