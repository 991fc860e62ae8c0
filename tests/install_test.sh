#!/usr/bin/env bash
# `cmake --install` gives a gcpilot that runs on its own: the installed tree
# is moved to another folder (so neither the path it was installed to nor
# the checkout or build tree is what it finds), and its built-in study must
# plan from there (`tune --dry-run` checks the gateway binary and loads the
# request mix). Then the files it needs are taken away one at a time, and
# each time it must say where it looked and how to name one, and take one
# named by --paygate or GCPILOT_PAYGATE.
# Usage: install_test.sh CMAKE BUILD_DIR
set -euo pipefail
cmake=$1
build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {  # NAME EXPECTED ACTUAL
  if [ "$2" != "$3" ]; then
    printf 'install_test: %s:\n--- expected\n%s\n--- actual\n%s\n' "$1" "$2" "$3" >&2
    fail=1
  fi
}

"$cmake" --install "$build" --prefix "$tmp/staged" >"$tmp/install.log"
mv "$tmp/staged" "$tmp/p"
p=$tmp/p
for f in bin/gcpilot libexec/gcpilot/paygate share/gcpilot/workloads/paygate/load.toml \
  share/gcpilot/workloads/paygate/pay.json share/doc/gcpilot/README.md share/doc/gcpilot/docs/glossary.md \
  share/doc/gcpilot/docs/study-spec.md share/doc/gcpilot/docs/gctrace-format.md; do
  [ -f "$p/$f" ] || { echo "install_test: $f was not installed" >&2; fail=1; }
done
for newer in "$build"/paygate-go1.*; do  # every other gateway build too
  [ -e "$newer" ] || continue
  [ -x "$p/libexec/gcpilot/$(basename "$newer")" ] || { echo "install_test: $newer was not installed" >&2; fail=1; }
done

# From /, with no GCPILOT_PAYGATE: only what is beside the binary can count.
# Its output and exit status, $tmp shown as TMP.
tune() { (cd / && env -u GCPILOT_PAYGATE "$@" 2>&1; echo "exit $?") | sed "s|$tmp|TMP|g"; }
first() { head -n 1 <<<"$1" | cut -c 1-48; }  # what a plan starts with
out=$(tune "$p/bin/gcpilot" tune --dry-run)
check "installed tune --dry-run" "study of built-in (workloads/paygate): L9 design
exit 0" "$(first "$out")
$(tail -n 1 <<<"$out")"

# The build tree's own gcpilot, from /, finds the build's gateway and mix.
out=$(tune "$build/src/cli/gcpilot" tune --dry-run)
check "build tree tune --dry-run" "study of built-in (workloads/paygate): L9 design
exit 0" "$(first "$out")
$(tail -n 1 <<<"$out")"

mv "$p/share/gcpilot/workloads/paygate/load.toml" "$tmp/load.toml"
out=$(tune "$p/bin/gcpilot" tune --dry-run)
check "no request mix" "gcpilot tune: the built-in study's request mix (workloads/paygate/load.toml) is not where gcpilot looks:
  TMP/workloads/paygate/load.toml (a build tree)
  TMP/p/share/gcpilot/workloads/paygate/load.toml (an installed copy)
install gcpilot (cmake --install BUILD) or name one: --requests FILE
exit 1" "$out"
cp "$tmp/load.toml" "$tmp/mix.toml"
cp "$p/share/gcpilot/workloads/paygate/pay.json" "$tmp/pay.json"
out=$(tune "$p/bin/gcpilot" tune --dry-run --requests "$tmp/mix.toml")
check "no request mix, --requests" "study of built-in (workloads/paygate): L9 design" "$(first "$out")"
mv "$tmp/load.toml" "$p/share/gcpilot/workloads/paygate/load.toml"

mkdir "$tmp/named"
mv "$p/libexec/gcpilot/paygate" "$tmp/named/paygate"  # not TMP/paygate: a build tree's place
out=$(tune "$p/bin/gcpilot" tune --dry-run)
check "no gateway" "gcpilot tune: the built-in study's gateway (workloads/paygate) is not where gcpilot looks:
  TMP/paygate (a build tree)
  TMP/p/libexec/gcpilot/paygate (an installed copy)
build it (ninja -C BUILD), install it (cmake --install BUILD), or name one: --paygate FILE or GCPILOT_PAYGATE=FILE
exit 1" "$out"
for how in flag env; do
  if [ $how = flag ]; then
    out=$(tune "$p/bin/gcpilot" tune --dry-run --paygate "$tmp/named/paygate")
  else
    out=$(tune GCPILOT_PAYGATE="$tmp/named/paygate" "$p/bin/gcpilot" tune --dry-run)
  fi
  check "gateway named by $how" "study of built-in (workloads/paygate): L9 design" "$(first "$out")"
done
out=$(tune "$p/bin/gcpilot" tune --dry-run --paygate "$tmp/no-such-paygate")
check "--paygate missing" "gcpilot tune: --paygate TMP/no-such-paygate: does not exist or is not an executable file
exit 1" "$out"
out=$(tune GCPILOT_PAYGATE="$tmp" "$p/bin/gcpilot" tune --dry-run)
check "GCPILOT_PAYGATE a folder" "gcpilot tune: GCPILOT_PAYGATE=TMP: does not exist or is not an executable file
exit 1" "$out"

[ $fail = 0 ] && echo "install_test: the installed gcpilot plans the built-in study from $p"
exit $fail
