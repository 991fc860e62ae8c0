// Command paygate is the payment gateway gcpilot tunes by default: a
// stdlib-only HTTP service that keeps a pointer-rich live heap (order store
// and idempotency cache) and allocates per request the way gateways do
// (JSON decode/validate/encode, HMAC check, audit log line).
//
//	paygate -addr 127.0.0.1:0 -port-file /tmp/port -live-mb 256
package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// bytesPerOrder is the heap one prefilled order takes, measured with
// Go 1.19 on amd64 (order, customer, card, three items, metadata map, map
// slot and strings); -live-mb is turned into an order count with it.
const bytesPerOrder = 1024

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func envBool(name string) bool {
	v, err := strconv.ParseBool(os.Getenv(name))
	return err == nil && v
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("paygate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "loopback `host:port` to listen on (port 0 picks a free one)")
	portFile := fs.String("port-file", "", "write the port listened on to this `file` once ready to accept")
	liveMB := fs.Int("live-mb", 256, "`MiB` of prefilled order history kept live (0 for none)")
	orderTTL := fs.Duration("order-ttl", 30*time.Second, "how long request-created orders are kept")
	maxRecent := fs.Int("max-recent", 200000, "most request-created orders kept (oldest evicted first)")
	idemTTL := fs.Duration("idem-ttl", 30*time.Second, "how long an Idempotency-Key is remembered")
	maxIdem := fs.Int("max-idem", 200000, "most idempotency keys kept (oldest evicted first)")
	key := fs.String("hmac-key", "paygate-demo-key", "HMAC-SHA256 `key` that signs request bodies (X-Signature)")
	pool := fs.Bool("pool", envBool("PAYGATE_POOL"), "reuse request buffers and response encoders via sync.Pool (or PAYGATE_POOL=1)")
	presize := fs.Bool("presize", envBool("PAYGATE_PRESIZE"), "pre-size maps and slices (or PAYGATE_PRESIZE=1)")
	auditPath := fs.String("audit-log", "", "append the audit trail to this `file` (default: formatted, then discarded)")
	sample := fs.String("print-sample", "", "print a sample signed request body for `pay|refund` (line 1: body, line 2: X-Signature) and exit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "paygate: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *sample != "" {
		body, ok := sampleBodies[*sample]
		if !ok {
			fmt.Fprintf(stderr, "paygate: -print-sample: want pay or refund, got %q\n", *sample)
			return 2
		}
		fmt.Fprintf(stdout, "%s\n%s\n", body, Sign([]byte(*key), []byte(body)))
		return 0
	}
	if err := checkLoopback(*addr); err != nil {
		fmt.Fprintf(stderr, "paygate: -addr: %v\n", err)
		return 2
	}
	if *liveMB < 0 || *liveMB > 1<<20 {
		fmt.Fprintf(stderr, "paygate: -live-mb: %d is out of range 0..1048576\n", *liveMB)
		return 2
	}

	var audit io.Writer = io.Discard
	if *auditPath != "" {
		f, err := os.OpenFile(*auditPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "paygate: -audit-log: %v\n", err)
			return 1
		}
		defer f.Close()
		audit = f
	}

	cfg := Config{HMACKey: []byte(*key), Pool: *pool, Presize: *presize,
		OrderTTL: *orderTTL, MaxRecent: *maxRecent, IdemTTL: *idemTTL, MaxIdem: *maxIdem}
	history := *liveMB * (1 << 20) / bytesPerOrder
	g := NewGateway(cfg, history, audit)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "paygate: listen %s: %v\n", *addr, err)
		return 1
	}
	port := ln.Addr().(*net.TCPAddr).Port

	mux := g.Handler()
	mux.HandleFunc("/metrics", g.handleMetrics)
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	// Readiness: /healthz answers 503 while the history is built.
	if *portFile != "" {
		if err := writeFileAtomic(*portFile, strconv.Itoa(port)+"\n"); err != nil {
			fmt.Fprintf(stderr, "paygate: -port-file: %v\n", err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "paygate: listening on 127.0.0.1:%d (pool=%v presize=%v), prefilling %d orders\n",
		port, *pool, *presize, history)
	start := time.Now()
	g.Prefill(history)
	fmt.Fprintf(stderr, "paygate: ready after %.1fs\n", time.Since(start).Seconds())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	flushEvery := 0
	for {
		select {
		case now := <-tick.C:
			g.Expire(now)
			if flushEvery++; flushEvery%4 == 0 {
				g.audit.Flush()
			}
		case sig := <-stop:
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			err := srv.Shutdown(ctx)
			cancel()
			g.audit.Flush()
			fmt.Fprintf(stderr, "paygate: %v: stopped after %d audited requests\n", sig, g.audit.lines)
			if err != nil {
				fmt.Fprintf(stderr, "paygate: shutdown: %v\n", err)
				return 1
			}
			return 0
		case err := <-serveErr:
			fmt.Fprintf(stderr, "paygate: serve: %v\n", err)
			return 1
		}
	}
}

// checkLoopback accepts only loopback listen addresses: the gateway is a
// test target and must never be reachable from outside the machine.
func checkLoopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("port %q is not a number 0..65535", port)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return errors.New("host " + strconv.Quote(host) + " is not a loopback address (use 127.0.0.1)")
	}
	return nil
}

func writeFileAtomic(path, content string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Sign returns the X-Signature value for body: hex HMAC-SHA256 under key.
func Sign(key, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

var sampleBodies = map[string]string{
	"pay": `{"merchant_id":"m_42","amount":7497,"currency":"EUR",` +
		`"customer":{"id":"cus_1001","email":"ada@example.com","name":"Ada Lovelace"},` +
		`"card":{"token":"tok_4f9a2c","brand":"visa","last4":"4242"},` +
		`"items":[{"sku":"sku-17","name":"Espresso beans 1kg","quantity":2,"price":2499},` +
		`{"sku":"sku-3","name":"Travel mug","quantity":1,"price":2499}],` +
		`"metadata":{"channel":"web","cart_id":"cart_77"}}`,
	"refund": `{"order_id":"ord_0","amount":1,"reason":"requested_by_customer"}`,
}
