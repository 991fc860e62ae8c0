package main

import (
	"bufio"
	"fmt"
	"math"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// promName maps a runtime/metrics name to the name Prometheus client_golang
// gives it: "go_" + path with '/' and '-' turned into '_', then the unit,
// and "_total" for cumulative scalars.
// "/gc/cycles/total:gc-cycles" -> "go_gc_cycles_total_gc_cycles_total".
func promName(d metrics.Description) string {
	path, unit, _ := strings.Cut(d.Name, ":")
	clean := func(s string) string {
		return strings.NewReplacer("/", "_", "-", "_", "*", "_").Replace(s)
	}
	name := "go" + clean(path)
	if unit != "" {
		name += "_" + clean(unit)
	}
	if d.Cumulative && d.Kind != metrics.KindFloat64Histogram && !strings.HasSuffix(name, "_total") {
		name += "_total"
	}
	return name
}

var (
	metricDescs   = metrics.All()
	metricSamples []metrics.Sample
	metricNames   []string
	metricsMu     sync.Mutex
	processStart  = time.Now()
)

func init() {
	for _, d := range metricDescs {
		if d.Kind == metrics.KindBad {
			continue
		}
		metricSamples = append(metricSamples, metrics.Sample{Name: d.Name})
		metricNames = append(metricNames, promName(d))
	}
}

// writeMetrics writes the Prometheus text exposition: every runtime/metrics
// value, the classic go_gc_duration_seconds summary and go_memstats gauges
// client_golang exports, process_* values from /proc, and the gateway's own.
func (g *Gateway) writeMetrics(w *bufio.Writer) {
	metricsMu.Lock()
	metrics.Read(metricSamples)
	descByName := map[string]metrics.Description{}
	for _, d := range metricDescs {
		descByName[d.Name] = d
	}
	for i, s := range metricSamples {
		d := descByName[s.Name]
		name := metricNames[i]
		help := strings.ReplaceAll(d.Description, "\n", " ")
		switch s.Value.Kind() {
		case metrics.KindUint64:
			writeHeader(w, name, help, counterOrGauge(d))
			fmt.Fprintf(w, "%s %d\n", name, s.Value.Uint64())
		case metrics.KindFloat64:
			writeHeader(w, name, help, counterOrGauge(d))
			fmt.Fprintf(w, "%s %s\n", name, formatFloat(s.Value.Float64()))
		case metrics.KindFloat64Histogram:
			writeHeader(w, name, help, "histogram")
			writeHistogram(w, name, s.Value.Float64Histogram())
		}
	}
	metricsMu.Unlock()

	// The summary client_golang's Go collector exports: per-cycle total STW
	// pause quantiles over the recent pauses the runtime keeps.
	var st debug.GCStats
	st.PauseQuantiles = make([]time.Duration, 5)
	debug.ReadGCStats(&st)
	writeHeader(w, "go_gc_duration_seconds", "A summary of the pause duration of garbage collection cycles.", "summary")
	for i, q := range []string{"0", "0.25", "0.5", "0.75", "1"} {
		fmt.Fprintf(w, "go_gc_duration_seconds{quantile=%q} %s\n", q, formatFloat(st.PauseQuantiles[i].Seconds()))
	}
	fmt.Fprintf(w, "go_gc_duration_seconds_sum %s\n", formatFloat(st.PauseTotal.Seconds()))
	fmt.Fprintf(w, "go_gc_duration_seconds_count %d\n", st.NumGC)

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gauges := []struct {
		name, help string
		v          float64
	}{
		{"go_goroutines", "Number of goroutines that currently exist.", float64(runtime.NumGoroutine())},
		{"go_memstats_heap_alloc_bytes", "Number of heap bytes allocated and still in use.", float64(ms.HeapAlloc)},
		{"go_memstats_heap_inuse_bytes", "Number of heap bytes that are in use.", float64(ms.HeapInuse)},
		{"go_memstats_heap_idle_bytes", "Number of heap bytes waiting to be used.", float64(ms.HeapIdle)},
		{"go_memstats_heap_released_bytes", "Number of heap bytes released to OS.", float64(ms.HeapReleased)},
		{"go_memstats_heap_objects", "Number of allocated objects.", float64(ms.HeapObjects)},
		{"go_memstats_sys_bytes", "Number of bytes obtained from system.", float64(ms.Sys)},
		{"go_memstats_next_gc_bytes", "Number of heap bytes when next garbage collection will take place.", float64(ms.NextGC)},
		{"go_memstats_last_gc_time_seconds", "Number of seconds since 1970 of last garbage collection.", float64(ms.LastGC) / 1e9},
		{"go_memstats_gc_sys_bytes", "Number of bytes used for garbage collection system metadata.", float64(ms.GCSys)},
		{"go_memstats_stack_inuse_bytes", "Number of bytes in use by the stack allocator.", float64(ms.StackInuse)},
	}
	for _, m := range gauges {
		writeHeader(w, m.name, m.help, "gauge")
		fmt.Fprintf(w, "%s %s\n", m.name, formatFloat(m.v))
	}
	writeHeader(w, "go_memstats_alloc_bytes_total", "Total number of bytes allocated, even if freed.", "counter")
	fmt.Fprintf(w, "go_memstats_alloc_bytes_total %d\n", ms.TotalAlloc)
	writeHeader(w, "go_memstats_mallocs_total", "Total number of mallocs.", "counter")
	fmt.Fprintf(w, "go_memstats_mallocs_total %d\n", ms.Mallocs)
	writeHeader(w, "go_info", "Information about the Go environment.", "gauge")
	fmt.Fprintf(w, "go_info{version=%q} 1\n", runtime.Version())

	if rss, ok := residentBytes(); ok {
		writeHeader(w, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge")
		fmt.Fprintf(w, "process_resident_memory_bytes %d\n", rss)
	}
	if cpu, ok := cpuSeconds(); ok {
		writeHeader(w, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter")
		fmt.Fprintf(w, "process_cpu_seconds_total %s\n", formatFloat(cpu))
	}
	writeHeader(w, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge")
	fmt.Fprintf(w, "process_start_time_seconds %s\n", formatFloat(float64(processStart.UnixNano())/1e9))

	held, evicted := g.orders.counts()
	writeHeader(w, "paygate_orders", "Orders held in the order store (history plus recent).", "gauge")
	fmt.Fprintf(w, "paygate_orders %d\n", held)
	writeHeader(w, "paygate_orders_evicted_total", "Recent orders evicted by TTL or capacity.", "counter")
	fmt.Fprintf(w, "paygate_orders_evicted_total %d\n", evicted)
	writeHeader(w, "paygate_idempotency_keys", "Keys held in the idempotency cache.", "gauge")
	fmt.Fprintf(w, "paygate_idempotency_keys %d\n", g.idem.size())
	writeHeader(w, "paygate_requests_total", "Requests answered, by route and status code.", "counter")
	var keys []string
	g.requests.Range(func(k, _ any) bool { keys = append(keys, k.(string)); return true })
	sort.Strings(keys)
	for _, k := range keys {
		c, _ := g.requests.Load(k)
		route, code, _ := strings.Cut(k, " ")
		fmt.Fprintf(w, "paygate_requests_total{route=%q,code=%q} %d\n", route, code, c.(*atomic.Int64).Load())
	}
}

func counterOrGauge(d metrics.Description) string {
	if d.Cumulative {
		return "counter"
	}
	return "gauge"
}

func writeHeader(w *bufio.Writer, name, help, typ string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

// writeHistogram turns runtime/metrics bucket counts into cumulative
// Prometheus buckets keyed by upper bound. Only bounds where the count
// changes are written (empty buckets carry no information), plus +Inf.
// runtime/metrics keeps no sum; like client_golang we estimate it from the
// bucket midpoints (lower bound for the open-ended last bucket).
func writeHistogram(w *bufio.Writer, name string, h *metrics.Float64Histogram) {
	var cum uint64
	sum := 0.0
	for i, c := range h.Counts {
		if c == 0 {
			continue
		}
		lo, hi := h.Buckets[i], h.Buckets[i+1]
		cum += c
		mid := lo
		if !math.IsInf(hi, 1) && !math.IsInf(lo, -1) {
			mid = (lo + hi) / 2
		} else if math.IsInf(lo, -1) {
			mid = hi
		}
		sum += mid * float64(c)
		if !math.IsInf(hi, 1) {
			fmt.Fprintf(w, "%s_bucket{le=%q} %d\n", name, formatFloat(hi), cum)
		}
	}
	fmt.Fprintf(w, "%s_bucket{le=\"+Inf\"} %d\n", name, cum)
	fmt.Fprintf(w, "%s_sum %s\n", name, formatFloat(sum))
	fmt.Fprintf(w, "%s_count %d\n", name, cum)
}

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// residentBytes reads the resident set from /proc/self/statm.
func residentBytes() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}

// cpuSeconds reads utime+stime from /proc/self/stat (clock ticks of 1/100 s,
// the USER_HZ every Linux exports).
func cpuSeconds() (float64, bool) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command name may hold spaces
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, false
	}
	ut, err1 := strconv.ParseFloat(f[11], 64)
	st, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return (ut + st) / 100, true
}

func (g *Gateway) handleMetrics(w http.ResponseWriter, req *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	bw := bufio.NewWriterSize(w, 32<<10)
	g.writeMetrics(bw)
	bw.Flush()
}
