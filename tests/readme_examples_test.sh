#!/usr/bin/env bash
# Runs every command of README.md's ```sh blocks, in README order, the way
# a user would from the repository root, and fails when one fails (exit
# status not 0) or when the README no longer has a command listed below.
#
# How a user's setting is made here:
# - The repository root is a scratch folder holding a symlink to each
#   top-level entry of the checkout, with build/ a symlink to BUILD_DIR, so
#   what the examples write (gc.log, out/, study.db) lands there and the
#   checkout stays clean.
# - `gcpilot` is BUILD_DIR's, first on the PATH (README: export PATH=...).
# - The load examples talk to the bundled gateway on 127.0.0.1:8080, which
#   the README has the user start. This test starts the same build/paygate
#   on a free port (-addr 127.0.0.1:0 -port-file) and writes that port
#   where a command says 8080: the edit the README tells a user to make
#   when 8080 is taken.
# - A command continued with a trailing backslash is one command; a line's
#   `# comment` is part of it (bash drops it).
#
# Commands not run as written (below, with why); each must still be in
# the README, so this list cannot silently outlive the examples.
# Usage: readme_examples_test.sh SOURCE_DIR BUILD_DIR GCPILOT
set -euo pipefail
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
gcpilot=$3

declare -A skip change why
# not_run 'COMMAND' 'why'
not_run() { skip[$1]=1 why[$1]=$2; }
# run_as 'COMMAND' 'COMMAND AS RUN' 'why'
run_as() { change[$1]=$2 why[$1]=$3; }

not_run './run.sh     # installs what is missing, builds, runs the main job' \
  'installs Debian packages as root, then the 7-minute built-in study (its plan is run below)'
not_run './test.sh    # installs what is missing, builds, runs the whole test suite' \
  'the whole test suite, of which this test is one part'
not_run 'cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo' \
  'this test runs inside that build; configuring it again from under ctest would rewrite it'
not_run 'ninja -C build' 'the same: this test is run after that build, by it'
run_as 'cmake --install build --prefix ~/.local' 'cmake --install build --prefix "$work/prefix"' \
  'not into the home folder of whoever runs the tests (tests/install_test.sh checks the installed copy)'
run_as 'gcpilot tune                              # the bundled gateway, built-in study' \
  'gcpilot tune --dry-run' 'the built-in study takes about 7 minutes: its plan only'
run_as 'gcpilot tune --spec workloads/paygate/study.toml --db study.db --json' \
  'interrupt_after_first_run gcpilot tune --spec workloads/paygate/study.toml --db study.db --json --duration 1s --warmup 0s --repeats 1 --min-gc-periods 0' \
  'runs of a fixed 1 s window instead of whole GC periods, and Ctrl-C (SIGINT) once a run is stored, so the --resume example after it has a study to resume'
# shellcheck disable=SC2016  # the README's {port} is gcpilot's, not the shell's
run_as "gcpilot tune --db mysvc.db --ready 'http://127.0.0.1:{port}/healthz' --url 'http://127.0.0.1:{port}/v1/orders/ord_1' --factor GOGC=50,100,400 --factor GOMEMLIMIT=off,1GiB --rate 2000 --duration 15s --repeats 3 -- ./build/paygate -addr '127.0.0.1:{port}' -live-mb 128" \
  "gcpilot tune --dry-run --db mysvc.db --ready 'http://127.0.0.1:{port}/healthz' --url 'http://127.0.0.1:{port}/v1/orders/ord_1' --factor GOGC=50,100,400 --factor GOMEMLIMIT=off,1GiB --rate 2000 --duration 15s --repeats 3 -- ./build/paygate -addr '127.0.0.1:{port}' -live-mb 128" \
  '21 runs of 15 s: its plan only'

work=$(mktemp -d)
gateway=
cleanup() {
  if [ -n "$gateway" ]; then
    kill -KILL "$gateway" 2>/dev/null
    wait "$gateway" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
root=$work/root
mkdir "$root"
for entry in "$src"/* "$src"/.[!.]*; do
  [ -e "$entry" ] && [ "$(basename "$entry")" != build ] && ln -s "$entry" "$root/"
done
ln -s "$build" "$root/build"
export PATH="$(dirname "$gcpilot"):$PATH"
export work

# The gateway the load examples drive, as `build/paygate -addr ...` would.
"$build/paygate" -addr 127.0.0.1:0 -port-file "$work/port" >"$work/gateway.log" 2>&1 &
gateway=$!
for _ in $(seq 600); do
  [ -s "$work/port" ] && curl -fsS -o /dev/null "http://127.0.0.1:$(cat "$work/port")/healthz" 2>/dev/null && break
  kill -0 "$gateway" 2>/dev/null || { echo "readme_examples: the gateway exited: $(cat "$work/gateway.log")" >&2; exit 1; }
  sleep 0.1
done
port=$(cat "$work/port")

# Runs `gcpilot tune ...` (its arguments) and sends it SIGINT once its
# first run is stored; passes when tune ends by that signal (130).
interrupt_after_first_run() {
  "$@" >"$work/interrupted.out" 2>"$work/interrupted.err" &
  local pid=$! rc=0
  for _ in $(seq 3000); do
    grep -q '^tune: run ' "$work/interrupted.err" && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
  done
  kill -INT $pid 2>/dev/null || true
  wait $pid || rc=$?
  cat "$work/interrupted.err" >&2
  [ $rc -eq 130 ] || { echo "expected exit 130 after SIGINT, got $rc" >&2; return 1; }
}
export -f interrupt_after_first_run

# The commands of the ```sh blocks, one a line, continuations joined.
commands() {
  awk '
    /^```sh$/ { in_sh = 1; next }
    /^```/ { in_sh = 0; next }
    !in_sh { next }
    { line = $0 }
    cont != "" { sub(/^ +/, "", line); line = cont " " line }
    /\\$/ { sub(/ *\\$/, "", line); cont = line; next }
    { cont = ""; if (line !~ /^ *(#.*)?$/) print line }
  ' "$src/README.md"
}

fail=0 ran=0
declare -A seen
while IFS= read -r cmd; do
  seen[$cmd]=1
  if [ -n "${skip[$cmd]:-}" ]; then
    echo "readme_examples: not run: $cmd  (${why[$cmd]})"
    continue
  fi
  run=${change[$cmd]:-$cmd}
  [ "$run" != "$cmd" ] && echo "readme_examples: changed: $cmd  (${why[$cmd]})"
  run=${run//127.0.0.1:8080/127.0.0.1:$port}
  echo "readme_examples: \$ $run"
  ran=$((ran + 1))
  if ! (cd "$root" && timeout 600 bash -c "$run" </dev/null >"$work/out" 2>&1); then
    echo "readme_examples: FAILED: $run" >&2
    tail -n 30 "$work/out" >&2
    fail=1
  fi
done < <(commands)

for cmd in "${!skip[@]}" "${!change[@]}"; do
  if [ -z "${seen[$cmd]:-}" ]; then
    echo "readme_examples: the README no longer has this command; update the lists here: $cmd" >&2
    fail=1
  fi
done
[ $ran -gt 0 ] || { echo "readme_examples: no commands found in README.md's sh blocks" >&2; fail=1; }
[ $fail = 0 ] && echo "readme_examples: all $ran commands ran"
exit $fail
