#!/usr/bin/env bash
# Bad inputs to every verb, one row each: the real gcpilot binary, the exit
# status it must give (1 input error, 2 usage error) and a piece of the
# message it must print. No row may print a made-up ":0:0:" position.
# Runs in the source directory (paths in messages are relative).
# Usage: bad_inputs_test.sh GCPILOT
set -uo pipefail
gcpilot=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/dir" "$tmp/out.html" "$tmp/h.uncorrected.hgrm"
printf '[[request]]\nbody_file = "no-body.json"\n' >"$tmp/mix.toml"
failures=0

# row RC 'message piece' ARGS...
row() {
  local want_rc=$1 want=$2
  shift 2
  local out rc
  out=$("$gcpilot" "$@" 2>&1 </dev/null)
  rc=$?
  local bad=""
  [ "$rc" = "$want_rc" ] || bad="exit status $rc, expected $want_rc"
  [[ "$out" == *"$want"* ]] || bad="${bad:+$bad; }no \"$want\" in the output"
  [[ "$out" != *":0:0:"* ]] || bad="${bad:+$bad; }a :0:0: position"
  if [ -n "$bad" ]; then
    echo "FAIL: gcpilot $*: $bad"
    echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
  fi
}

spec=testdata/tune
db="--db $tmp/never.db"
cmd=(--ready 'http://127.0.0.1:{port}/' -- /bin/true '{port}')

# An unknown verb is a usage error, with or without --help.
row 2 'unknown command "NOSUCHVERB" (commands: gctrace, load, tune, report, trace)' NOSUCHVERB --help
row 2 'unknown command "NOSUCHVERB"' NOSUCHVERB
row 2 'unknown command "NOSUCHVERB"' NOSUCHVERB --version

# A missing or unreadable input file is exit 1 and says why.
row 1 'testdata/gctrace/no-such.log: cannot open: No such file or directory' gctrace testdata/gctrace/no-such.log
row 1 "$tmp/dir: is a directory, not a log file" gctrace "$tmp/dir"
row 1 "$tmp/no.trace: cannot open: No such file or directory" trace "$tmp/no.trace"
row 1 "$tmp/dir: is a directory, not an execution trace" trace "$tmp/dir"
row 1 "$tmp/dir: is a directory, not an execution trace" trace dump "$tmp/dir"
row 1 "testdata/exectrace/go124-header.trace: unsupported trace version go 1.24" trace testdata/exectrace/go124-header.trace
row 1 "testdata/gctrace/mixed.log: not a Go execution trace" trace testdata/gctrace/mixed.log
row 1 "--perfetto $tmp/dir: is a directory" trace --perfetto "$tmp/dir" testdata/exectrace/go124-header.trace
row 1 "--mmu-svg /nonexistent/dir/mmu.svg: " trace --mmu-svg /nonexistent/dir/mmu.svg testdata/exectrace/go124-header.trace
row 2 "--perfetto testdata/exectrace/go124-header.trace: is the input trace" \
  trace --perfetto testdata/exectrace/go124-header.trace testdata/exectrace/go124-header.trace
row 1 "$tmp/no.toml: cannot open: No such file or directory" load http://127.0.0.1:9/ --requests "$tmp/no.toml"
row 1 "$tmp/dir: is a directory, not a TOML file" load http://127.0.0.1:9/ --requests "$tmp/dir"
row 1 "--body-file $tmp/pay.json: cannot open: No such file or directory" load http://127.0.0.1:9/ --body-file "$tmp/pay.json"
row 1 "--body-file $tmp/dir: is a directory, not a request body" load http://127.0.0.1:9/ --body-file "$tmp/dir"
row 1 "--gctrace $tmp/gc.log: cannot open: No such file or directory" load http://127.0.0.1:9/ --gctrace "$tmp/gc.log"
row 1 "--gctrace $tmp/dir: is a directory, not a gctrace log" load http://127.0.0.1:9/ --gctrace "$tmp/dir"
mkfifo "$tmp/gc.fifo"
row 1 "--gctrace $tmp/gc.fifo: is not a regular file (a pipe or FIFO?)" load http://127.0.0.1:9/ --gctrace "$tmp/gc.fifo"
row 1 "$tmp/mix.toml:2:13: body_file $tmp/no-body.json: cannot open: No such file or directory" \
  load http://127.0.0.1:9/ --requests "$tmp/mix.toml"
row 1 "$tmp/no.toml: cannot open: No such file or directory" tune --spec "$tmp/no.toml" $db
row 1 "$tmp/dir: is a directory, not a TOML file" tune --spec "$tmp/dir" $db
row 1 "$tmp/no.toml: cannot open: No such file or directory" tune --requests "$tmp/no.toml" $db "${cmd[@]}"
row 1 "$tmp/no.db: no such study database" tune --resume --db "$tmp/no.db"
row 1 "$tmp/dir: is a directory, not a study database" tune --resume --db "$tmp/dir"
row 1 "$tmp/dir: is a directory, not a study database" tune --db "$tmp/dir" --report "$tmp/r.html" "${cmd[@]}"
row 1 "$tmp/no.db: no such study database" report "$tmp/no.db" -o "$tmp/r.html"
row 1 "$tmp/dir: is a directory, not a study database" report "$tmp/dir" -o "$tmp/r.html"

# An output that is a directory is refused, not replaced (and no DIR.tmp):
# exit 1 in every verb, the flag itself being well formed.
row 1 "$tmp/out.html: is a directory" report "$tmp/no.db" -o "$tmp/out.html"
row 1 "--report $tmp/out.html: is a directory" tune --report "$tmp/out.html" $db "${cmd[@]}"
row 1 "--timeline $tmp/out.html: is a directory" load http://127.0.0.1:9/ --timeline "$tmp/out.html"
row 1 "--hgrm $tmp/h.uncorrected.hgrm: is a directory" load http://127.0.0.1:9/ --hgrm "$tmp/h"
row 2 "--hgrm $tmp/dir: is a directory; give a prefix of file names such as $tmp/dir/run" \
  load http://127.0.0.1:9/ --hgrm "$tmp/dir"
row 2 "--timeline $tmp/o.corrected.hgrm: is also the file of --hgrm" \
  load http://127.0.0.1:9/ --hgrm "$tmp/o" --timeline "$tmp/o.corrected.hgrm"
row 2 "--requests-csv $tmp/./t.csv: is also the file of --timeline" \
  load http://127.0.0.1:9/ --timeline "$tmp/t.csv" --requests-csv "$tmp/./t.csv"
# A request body is a small file: a device that never ends is refused unread.
row 1 "--body-file /dev/zero: larger than 64 MiB, too large for a request body" \
  load http://127.0.0.1:9/ --body-file /dev/zero

# Outputs that are written: a new file, one replaced (its mode kept); none
# leaves a temporary behind (a write that fails once its temporary exists
# is in output_files_test.sh, which has a gateway to load).
cp testdata/store/study-v1.db "$tmp/study.db"
row 0 "gcpilot report: wrote $tmp/new.html" report "$tmp/study.db" -o "$tmp/new.html"
grep -q '</html>' "$tmp/new.html" || { echo "FAIL: report -o $tmp/new.html wrote no page"; failures=$((failures + 1)); }
echo "old page" >"$tmp/old.html"
chmod 600 "$tmp/old.html"
row 0 "gcpilot report: wrote $tmp/old.html" report "$tmp/study.db" -o "$tmp/old.html"
grep -q '</html>' "$tmp/old.html" || { echo "FAIL: report -o $tmp/old.html did not replace it"; failures=$((failures + 1)); }
[ "$(stat -c %a "$tmp/old.html")" = 600 ] || { echo "FAIL: report -o changed the mode of $tmp/old.html"; failures=$((failures + 1)); }
# An output that is the study database itself is refused, the study kept.
row 2 "-o $tmp/study.db: is the study database" report "$tmp/study.db" -o "$tmp/study.db"
row 2 "-o $tmp/./study.db: is the study database" report "$tmp/study.db" -o "$tmp/./study.db"
row 2 "--report $tmp/study.db: is the study database (--db)" tune --resume --db "$tmp/study.db" --report "$tmp/study.db"
row 2 "--report $tmp/fresh.db: is the study database (--db)" tune --db "$tmp/fresh.db" --report "$tmp/fresh.db" "${cmd[@]}"
row 0 "gcpilot report: wrote $tmp/again.html" report "$tmp/study.db" -o "$tmp/again.html"

# A wrong spec names file:line:column and the spec's key, not a flag.
row 1 "$spec/bad-baseline.toml:10:12: factor GOMEMLIMIT: baseline \"1.5GiB\": want \"off\" or a whole number" \
  tune --spec $spec/bad-baseline.toml $db
row 1 "$spec/bad-rate.toml:7:8: load.rate \"1000@30s,5000\": segment 2" tune --spec $spec/bad-rate.toml $db
row 1 "$spec/not-loopback.toml:6:7: load.url: " tune --spec $spec/not-loopback.toml $db
row 1 "$spec/factor-twice.toml:11:8: factor GOGC is given twice (first at $spec/factor-twice.toml:8:8)" \
  tune --spec $spec/factor-twice.toml $db
row 1 "$spec/unknown-design.toml:8:8: design.type \"L12\" is unknown (known: auto, full, L4, L8, L9, L16, L18, L27)" \
  tune --spec $spec/unknown-design.toml $db
row 1 "$spec/same-setting-levels.toml:9:10: factor GOGC: levels \"100\" and \"\" are the same setting to Go" \
  tune --spec $spec/same-setting-levels.toml $db
row 1 "$spec/bad-constraints.toml:11:18: constraints.max_error_rate must be a number 0..1" \
  tune --spec $spec/bad-constraints.toml $db
row 1 "$spec/unknown-key.toml:4:1: unknown key \"reddy\" in target" tune --spec $spec/unknown-key.toml $db
row 1 "$spec/empty-method.toml:7:10: load.method gives a request no service can answer: method \"\" is not" \
  tune --spec $spec/empty-method.toml $db
row 1 "$spec/empty-path.toml:7:8: load.path gives a request no service can answer: path \"\" must start with /" \
  tune --spec $spec/empty-path.toml $db
row 1 "$spec/factor-in-env.toml:9:8: factor GOGC is also set in [target] env" tune --spec $spec/factor-in-env.toml $db
row 2 "factor GOGC is also set in [target] env" tune --spec $spec/env-gogc.toml --factor GOGC=50,400 $db
row 0 "2 settings" tune --dry-run --spec $spec/env-gogc.toml $db
row 1 "testdata/load/bad-key.toml:" tune --spec $spec/bad-mix-spec.toml $db

# The flags: the same checks as a spec file, said of the flag.
row 2 '--factor GOGC=50,,100: factor GOGC: levels "" and "100" are the same setting to Go' \
  tune --factor GOGC=50,,100 $db "${cmd[@]}"
row 2 '--factor GOGC=50,050: factor GOGC: levels "50" and "050" are the same setting to Go' \
  tune --factor GOGC=50,050 $db "${cmd[@]}"
row 2 '--factor GOMEMLIMIT=off,1GiB,1024MiB: factor GOMEMLIMIT: levels "1GiB" and "1024MiB"' \
  tune --factor GOMEMLIMIT=off,1GiB,1024MiB $db "${cmd[@]}"
row 2 '--factor GOGC=50,50: factor GOGC: level "50" is given twice' tune --factor GOGC=50,50 $db "${cmd[@]}"
row 2 'factor GOMAXPROCS: level "0": want a whole number in 1..2147483647 (2^31-1)' \
  tune --factor GOMAXPROCS=0,2 $db "${cmd[@]}"
row 2 '--rate "1000@30s,5000": segment 2' tune --rate 1000@30s,5000 $db "${cmd[@]}"
row 2 '--url: ' tune --url http://10.1.2.3:80/ $db "${cmd[@]}"
row 2 '--design "L12" is unknown (known: auto, full' tune --design L12 $db "${cmd[@]}"

row 1 'testdata/load/bad-key.toml:' load http://127.0.0.1:9/ --requests testdata/load/bad-key.toml
row 1 'testdata/load/bad-key.toml:' tune --requests testdata/load/bad-key.toml $db "${cmd[@]}"

# "" (unset) is a level in both ways in, and the default's cell: the same plan.
row 0 'full factorial design, 2 settings x 2 repeats + the default setting = 6 runs' \
  tune --dry-run --factor GOGC=50, $db "${cmd[@]}"
row 0 'full factorial design, 2 settings x 2 repeats + the default setting = 6 runs' \
  tune --dry-run --spec $spec/unset-level.toml $db
plan_flags=$("$gcpilot" tune --dry-run --factor GOGC=50, $db "${cmd[@]}" | tail -n +2)
plan_spec=$("$gcpilot" tune --dry-run --spec $spec/unset-level.toml $db | tail -n +2)
if [ "$plan_flags" != "$plan_spec" ] || [[ "$plan_spec" != *"baseline GOGC=(unset)"* ]]; then
  echo "FAIL: --factor GOGC=50, and levels = [\"50\", \"\"] plan differently:"
  diff <(echo "$plan_flags") <(echo "$plan_spec")
  failures=$((failures + 1))
fi

# Counts read right at one.
row 0 'full factorial design, 2 settings x 1 repeat + the default setting = 3 runs' \
  tune --dry-run --repeats 1 --factor GOGC=50,200 $db "${cmd[@]}"

# A design that would waste runs is shrunk, and the plan says so.
row 0 'note: L27 has more rows than the 2 settings of the full factorial' \
  tune --dry-run --spec $spec/oversized-design.toml $db
row 0 'full factorial design, 2 settings x 2 repeats + the default setting = 6 runs' \
  tune --dry-run --spec $spec/oversized-design.toml $db

# tune: flags and specs a new user's trial found silently wrong (issue 9).
# A stepped rate measures its steps; a different duration beside it is refused.
row 2 '--duration 6s conflicts with the 2s the --rate segments add up to; give one of them' \
  tune --dry-run --rate 200@1s,300@1s --duration 6s $db "${cmd[@]}"
row 1 "$spec/stepped-rate-duration.toml:9:12: load.duration 6s conflicts with the 2s the load.rate segments add up" \
  tune --dry-run --spec $spec/stepped-rate-duration.toml $db
# Nothing to compare: every factor's one level is its baseline.
for f in GOGC=100 GOGC= GOMEMLIMIT=off; do
  row 2 'nothing to compare: every factor has one level and it is the default setting' \
    tune --dry-run --factor $f $db "${cmd[@]}"
done
row 1 "$spec/nothing-to-compare.toml: nothing to compare: every factor has one level and it is the default setting (GOGC=(unset))" \
  tune --dry-run --spec $spec/nothing-to-compare.toml $db
row 0 "note: the default setting is design cell 2 too: its 2 design runs and 2 baseline runs are pooled, 4 runs that every setting is compared against" \
  tune --dry-run --factor GOGC=50,100 $db "${cmd[@]}"
# Flags the chosen study would ignore.
row 2 '--live-mb is for the built-in study; --spec has its own' tune --dry-run --live-mb 64 --spec $spec/two-knobs.toml $db
row 2 '--live-mb is for the built-in study; a command after -- has its own' tune --dry-run --live-mb 64 $db "${cmd[@]}"
row 2 '--paygate is for the built-in study; --spec names its own target' \
  tune --dry-run --paygate /bin/true --spec $spec/two-knobs.toml $db
row 2 '--ready is for a command after --' tune --dry-run --ready 'http://127.0.0.1:{port}/' $db
row 2 '--url is for a command after -- or --spec' tune --dry-run --url 'http://127.0.0.1:{port}/' $db
row 2 '--resume runs the stored study as it was planned; --factor cannot change it' \
  tune --resume --db "$tmp/no.db" --factor GOGC=50,200
row 2 '--resume runs the stored study as it was planned; --spec cannot change it' \
  tune --resume --db "$tmp/no.db" --spec $spec/two-knobs.toml
row 2 '--resume runs the stored study as it was planned; --rate cannot change it' tune --resume --db "$tmp/no.db" --rate 10
row 2 '--dry-run plans a new study and --resume continues a stored one: give one of them' \
  tune --resume --dry-run --db "$tmp/no.db"
# --dry-run refuses the outputs the run would refuse; --db is named as --db.
echo 'not a database' >"$tmp/s.toml"
: >"$tmp/afile"
row 1 "$tmp/dir: is a directory, not a study database" tune --dry-run --db "$tmp/dir" "${cmd[@]}"
row 1 "$tmp/s.toml: " tune --dry-run --db "$tmp/s.toml" "${cmd[@]}"
row 1 "--report $tmp/out.html: is a directory" tune --dry-run --report "$tmp/out.html" $db "${cmd[@]}"
row 1 "--work-dir $tmp/afile: is not a directory" tune --dry-run --work-dir "$tmp/afile" $db "${cmd[@]}"
row 1 "--work-dir $tmp/afile: is not a directory" tune --work-dir "$tmp/afile" $db "${cmd[@]}"
row 1 '--db /nonexistent/dir/x.db: directory /nonexistent/dir does not exist' tune --db /nonexistent/dir/x.db "${cmd[@]}"
[ "$(head -c 14 "$tmp/s.toml")" = "not a database" ] || { echo "FAIL: --db $tmp/s.toml was written"; failures=$((failures + 1)); }
# The plan line: seconds for a short study, and only the rounds that can happen.
row 0 'full factorial design, 2 settings x 2 repeats + the default setting = 6 runs (~24 s to ~18 min)' \
  tune --dry-run --factor GOGC=50,200 --duration 1s --warmup 0s $db "${cmd[@]}"
row 0 '= 10 runs (~5 min to ~31 min, plus up to 2 confirmation runs)' \
  tune --dry-run --factor GOGC=50,200 --factor GOMEMLIMIT=off,1GiB --factor GOMAXPROCS=1,2 --design L4 $db "${cmd[@]}"
# A {port} the service is never told.
row 2 'the readiness URL uses {port}, a free port chosen for each run, but neither the command nor its env passes' \
  tune --dry-run --ready 'http://127.0.0.1:{port}/' $db -- /bin/true
row 1 "$spec/port-not-passed.toml: the readiness URL uses {port}" tune --dry-run --spec $spec/port-not-passed.toml $db
# A Go knob inherited from this shell reaches every run: the plan says so.
inherited=$(GOMEMLIMIT=1GiB "$gcpilot" tune --dry-run --factor GOGC=50,200 $db "${cmd[@]}" 2>&1)
want='note: GOMEMLIMIT=1GiB is inherited from this shell and applies to every run, the default setting'"'"'s too'
if [[ "$inherited" != *"$want"* ]]; then
  echo "FAIL: an inherited GOMEMLIMIT=1GiB is not named in the plan:"
  echo "$inherited" | sed 's/^/    /'
  failures=$((failures + 1))
fi
# (end of issue 9's tune rows)

leftovers=$(find "$tmp" -name '*.tmp' -o -name '.*gcpilot-*' | head -5)
written=$(find "$tmp" -maxdepth 1 -name '*.html' -type f | wc -l)
[ "$written" = 3 ] || { echo "FAIL: the leftover check saw $written written pages, not 3"; failures=$((failures + 1)); }
if [ -n "$leftovers" ]; then
  echo "FAIL: temporary files left behind: $leftovers"
  failures=$((failures + 1))
fi
[ -z "$(ls -A "$tmp/out.html")" ] || { echo "FAIL: $tmp/out.html was written into"; failures=$((failures + 1)); }
[ "$failures" = 0 ] && echo "all bad inputs refused as expected"
exit $((failures > 0))
