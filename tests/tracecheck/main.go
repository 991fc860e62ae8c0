// Command tracecheck reads a Go execution trace with golang.org/x/exp/trace
// and prints what that reader saw as JSON, in the shape of the "counts"
// object of `gcpilot trace FILE --json`, so a test can hold gcpilot's own
// decoders against a reader it shares no code with.
//
// Usage:
//
//	tracecheck FILE        counts as JSON on stdout
//	tracecheck -read FILE  read every event, print only how many (a benchmark anchor)
//
// Exit codes: 0 ok, 1 the trace could not be read (the reader's error on
// stderr), 2 usage error.
//
// The counts use x/exp's own notions, with gcpilot's counting rule on top:
// an interval (a range named "GC concurrent mark phase", "stop-the-world
// (REASON)", "GC mark assist" or "GC incremental sweep") is counted once on
// its scope (global, goroutine or P), whether the trace shows its
// RangeBegin or it was already active (RangeActive) where the trace or a
// v2 generation began; a RangeActive for a range already open on that
// scope (it crossed a generation boundary) is not counted again.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/exp/trace"
)

// Counts is the "counts" object; its keys are the ones `gcpilot trace
// --json` writes.
type Counts struct {
	GcCycles    int64 `json:"gc_cycles"`
	StwPauses   int64 `json:"stw_pauses"`
	MarkAssists int64 `json:"mark_assists"`
	Sweeps      int64 `json:"sweeps"`
	Goroutines  int64 `json:"goroutines"`
	Tasks       int64 `json:"tasks"`
	Regions     int64 `json:"regions"`
}

// TraceFacts is the "trace" object: the header's version, every event the
// reader returned (its Sync events included), its Sync events (one where
// each generation begins, one more at the end), and the first and last
// event's time in x/exp's clock (ns).
type TraceFacts struct {
	Version    string `json:"version"`
	Events     int64  `json:"events"`
	Syncs      int64  `json:"syncs"`
	FirstNs    int64  `json:"first_ns"`
	LastNs     int64  `json:"last_ns"`
	DurationNs int64  `json:"duration_ns"`
}

type Report struct {
	Trace  TraceFacts `json:"trace"`
	Counts Counts     `json:"counts"`
}

// rangeKey names one open interval: its kind of range on its scope.
type rangeKey struct {
	class string
	scope trace.ResourceID
}

// counter folds events into a Report.
type counter struct {
	report     Report
	open       map[rangeKey]bool
	goroutines map[trace.GoID]bool
}

func newCounter(version string) *counter {
	return &counter{
		report:     Report{Trace: TraceFacts{Version: version}},
		open:       make(map[rangeKey]bool),
		goroutines: make(map[trace.GoID]bool),
	}
}

// rangeClass maps a range name to the count it feeds ("" for none). STW
// ranges carry their reason in the name; all of them are one class.
func rangeClass(name string) string {
	switch {
	case name == "GC concurrent mark phase":
		return "gc"
	case strings.HasPrefix(name, "stop-the-world ("):
		return "stw"
	case name == "GC mark assist":
		return "assist"
	case name == "GC incremental sweep":
		return "sweep"
	}
	return ""
}

func (c *counter) countRange(class string) {
	switch class {
	case "gc":
		c.report.Counts.GcCycles++
	case "stw":
		c.report.Counts.StwPauses++
	case "assist":
		c.report.Counts.MarkAssists++
	case "sweep":
		c.report.Counts.Sweeps++
	}
}

func (c *counter) onRange(ev *trace.Event) {
	r := ev.Range()
	class := rangeClass(r.Name)
	if class == "" {
		return
	}
	key := rangeKey{class, r.Scope}
	switch ev.Kind() {
	case trace.EventRangeBegin:
		c.countRange(class)
		c.open[key] = true
	case trace.EventRangeActive:
		if !c.open[key] {
			c.countRange(class)
			c.open[key] = true
		}
	case trace.EventRangeEnd:
		delete(c.open, key)
	}
}

func (c *counter) seeGoroutine(id trace.GoID) {
	if id != trace.NoGoroutine {
		c.goroutines[id] = true
	}
}

func (c *counter) onEvent(ev *trace.Event) {
	facts := &c.report.Trace
	if facts.Events == 0 {
		facts.FirstNs = int64(ev.Time())
	}
	facts.Events++
	facts.LastNs = int64(ev.Time())
	c.seeGoroutine(ev.Goroutine())
	switch ev.Kind() {
	case trace.EventRangeBegin, trace.EventRangeActive, trace.EventRangeEnd:
		c.onRange(ev)
	case trace.EventSync:
		facts.Syncs++
	case trace.EventTaskBegin:
		c.report.Counts.Tasks++
	case trace.EventRegionBegin:
		c.report.Counts.Regions++
	case trace.EventStateTransition:
		if st := ev.StateTransition(); st.Resource.Kind == trace.ResourceGoroutine {
			c.seeGoroutine(st.Resource.Goroutine())
		}
	}
}

func (c *counter) finish() Report {
	c.report.Counts.Goroutines = int64(len(c.goroutines))
	c.report.Trace.DurationNs = c.report.Trace.LastNs - c.report.Trace.FirstNs
	return c.report
}

// readVersion returns "go 1.N" from the 16-byte header "go 1.N trace\0..."
// and leaves r where it was (it peeks).
func readVersion(r *bufio.Reader) (string, error) {
	head, err := r.Peek(16)
	if err != nil {
		return "", fmt.Errorf("header: %w", err)
	}
	version, _, ok := strings.Cut(string(head), " trace")
	if !ok {
		return "", errors.New(`header: not "go 1.N trace"`)
	}
	return version, nil
}

// run reads path and writes the report (or, with readOnly, the event
// count) to out.
func run(path string, readOnly bool, out io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	in := bufio.NewReaderSize(f, 1<<20)
	version, err := readVersion(in)
	if err != nil {
		return err
	}
	r, err := trace.NewReader(in)
	if err != nil {
		return err
	}
	c := newCounter(version)
	var events int64
	for {
		ev, err := r.ReadEvent()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("after %d events: %w", events, err)
		}
		events++
		if !readOnly {
			c.onEvent(&ev)
		}
	}
	if readOnly {
		_, err = fmt.Fprintf(out, "%d events\n", events)
		return err
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(c.finish())
}

func main() {
	fs := flag.NewFlagSet("tracecheck", flag.ContinueOnError)
	readOnly := fs.Bool("read", false, "only read every event and print how many (no counting)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: tracecheck [-read] FILE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		os.Exit(2)
	}
	if err := run(fs.Arg(0), *readOnly, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "tracecheck: %s: %v\n", fs.Arg(0), err)
		os.Exit(1)
	}
}
