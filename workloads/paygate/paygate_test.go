package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var testKey = []byte("test-key")

func newTestGateway(t *testing.T, pool, presize bool, history int) *Gateway {
	t.Helper()
	g := NewGateway(Config{HMACKey: testKey, Pool: pool, Presize: presize,
		OrderTTL: time.Minute, MaxRecent: 6400, IdemTTL: time.Minute, MaxIdem: 6400}, history, io.Discard)
	g.Prefill(history)
	return g
}

func do(t *testing.T, g *Gateway, method, path, key, body string, sign bool) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	if sign {
		req.Header.Set("X-Signature", Sign(testKey, []byte(body)))
	}
	rec := httptest.NewRecorder()
	g.Handler().ServeHTTP(rec, req)
	return rec
}

func decode(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("response is not JSON: %v: %q", err, rec.Body.String())
	}
	return m
}

// Every behaviour is checked with and without the remedies switched on:
// the switches must change allocation, never answers.
func forEachMode(t *testing.T, f func(t *testing.T, pool, presize bool)) {
	for _, m := range []struct{ pool, presize bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		m := m
		t.Run(map[bool]string{false: "nopool", true: "pool"}[m.pool]+"_"+map[bool]string{false: "nopresize", true: "presize"}[m.presize],
			func(t *testing.T) { f(t, m.pool, m.presize) })
	}
}

func TestPayCreatesOrderAndReplays(t *testing.T) {
	forEachMode(t, func(t *testing.T, pool, presize bool) {
		g := newTestGateway(t, pool, presize, 10)
		body := sampleBodies["pay"]
		rec := do(t, g, "POST", "/v1/pay", "k1", body, true)
		if rec.Code != http.StatusCreated {
			t.Fatalf("pay: status %d, body %s", rec.Code, rec.Body)
		}
		m := decode(t, rec)
		if m["id"] != "ord_10" || m["amount"] != 7497.0 || m["currency"] != "EUR" || m["status"] != "captured" {
			t.Fatalf("pay: unexpected order %v", m)
		}
		if items := m["items"].([]any); len(items) != 2 {
			t.Fatalf("pay: want 2 items, got %v", items)
		}
		first := rec.Body.String()

		rec = do(t, g, "POST", "/v1/pay", "k1", body, true)
		if rec.Code != http.StatusOK || rec.Header().Get("Idempotent-Replayed") != "true" || rec.Body.String() != first {
			t.Fatalf("replay: status %d replayed=%q body %s", rec.Code, rec.Header().Get("Idempotent-Replayed"), rec.Body)
		}
		other := strings.Replace(body, `"cart_77"`, `"cart_78"`, 1)
		if rec = do(t, g, "POST", "/v1/pay", "k1", other, true); rec.Code != http.StatusConflict {
			t.Fatalf("same key, other body: status %d, want 409", rec.Code)
		}
		if rec = do(t, g, "POST", "/v1/pay", "k2", body, true); rec.Code != http.StatusCreated || decode(t, rec)["id"] != "ord_11" {
			t.Fatalf("second key: status %d body %s", rec.Code, rec.Body)
		}
		if rec = do(t, g, "GET", "/v1/orders/ord_10", "", "", false); rec.Code != http.StatusOK || decode(t, rec)["merchant_id"] != "m_42" {
			t.Fatalf("get new order: status %d body %s", rec.Code, rec.Body)
		}
	})
}

func TestPayRejectsBadRequests(t *testing.T) {
	body := sampleBodies["pay"]
	cases := []struct {
		name, method, key, body string
		sign                    bool
		status                  int
		errCode                 string
	}{
		{"wrong method", "GET", "k", body, true, 405, "method_not_allowed"},
		{"no signature", "POST", "k", body, false, 401, "bad_request"},
		{"no key", "POST", "", body, true, 400, "idempotency_key"},
		{"not json", "POST", "k", `{"amount":`, true, 400, "invalid_json"},
		{"amount mismatch", "POST", "k", strings.Replace(body, `"amount":7497`, `"amount":7498`, 1), true, 422, "invalid_request"},
		{"bad currency", "POST", "k", strings.Replace(body, `"EUR"`, `"XXX"`, 1), true, 422, "invalid_request"},
		{"bad token", "POST", "k", strings.Replace(body, `tok_4f9a2c`, `4111111111111111`, 1), true, 422, "invalid_request"},
		{"too big", "POST", "k", strings.Repeat(" ", maxBodyBytes+1), true, 413, "bad_request"},
	}
	forEachMode(t, func(t *testing.T, pool, presize bool) {
		g := newTestGateway(t, pool, presize, 0)
		for _, c := range cases {
			rec := do(t, g, c.method, "/v1/pay", c.key, c.body, c.sign)
			if rec.Code != c.status || decode(t, rec)["error"] != c.errCode {
				t.Errorf("%s: status %d body %s, want %d %s", c.name, rec.Code, rec.Body, c.status, c.errCode)
			}
		}
		// A rejected request must not burn its key: the valid retry succeeds.
		if rec := do(t, g, "POST", "/v1/pay", "k", body, true); rec.Code != http.StatusCreated {
			t.Errorf("retry after rejects: status %d body %s", rec.Code, rec.Body)
		}
	})
}

func TestRefund(t *testing.T) {
	forEachMode(t, func(t *testing.T, pool, presize bool) {
		g := newTestGateway(t, pool, presize, 5)
		total := int64(syntheticOrder(3, time.Now(), false).Amount)
		refund := func(key string, amount int64, id string) *httptest.ResponseRecorder {
			b, _ := json.Marshal(RefundRequest{OrderID: id, Amount: amount, Reason: "test"})
			return do(t, g, "POST", "/v1/refund", key, string(b), true)
		}
		rec := refund("r1", 100, "ord_3")
		if m := decode(t, rec); rec.Code != 200 || m["status"] != "partially_refunded" || m["refunded"] != 100.0 {
			t.Fatalf("partial refund: %d %s", rec.Code, rec.Body)
		}
		if rec = refund("r2", total, "ord_3"); rec.Code != 422 || decode(t, rec)["error"] != "exceeds_refundable" {
			t.Fatalf("over-refund: %d %s", rec.Code, rec.Body)
		}
		if rec = refund("r3", total-100, "ord_3"); rec.Code != 200 || decode(t, rec)["status"] != "refunded" {
			t.Fatalf("rest refund: %d %s", rec.Code, rec.Body)
		}
		if rec = refund("r4", 1, "ord_999"); rec.Code != 404 {
			t.Fatalf("unknown order: %d %s", rec.Code, rec.Body)
		}
	})
}

func TestGetOrder(t *testing.T) {
	g := newTestGateway(t, false, false, 3)
	rec := do(t, g, "GET", "/v1/orders/ord_2", "", "", false)
	m := decode(t, rec)
	want := syntheticOrder(2, time.Now(), false)
	if rec.Code != 200 || m["id"] != "ord_2" || m["amount"] != float64(want.Amount) || m["metadata"].(map[string]any)["cart_id"] != "cart_2" {
		t.Fatalf("get: %d %s", rec.Code, rec.Body)
	}
	for _, path := range []string{"/v1/orders/ord_3", "/v1/orders/", "/v1/orders/a/b"} {
		if rec := do(t, g, "GET", path, "", "", false); rec.Code != 404 {
			t.Errorf("%s: status %d, want 404", path, rec.Code)
		}
	}
}

func TestHealthzWaitsForPrefill(t *testing.T) {
	g := NewGateway(Config{HMACKey: testKey, MaxRecent: 64, MaxIdem: 64, OrderTTL: time.Second, IdemTTL: time.Second}, 100, io.Discard)
	if rec := do(t, g, "GET", "/healthz", "", "", false); rec.Code != 503 {
		t.Fatalf("before prefill: status %d", rec.Code)
	}
	g.Prefill(100)
	if rec := do(t, g, "GET", "/healthz", "", "", false); rec.Code != 200 || rec.Body.String() != "ok orders=100\n" {
		t.Fatalf("after prefill: %d %q", rec.Code, rec.Body.String())
	}
}

// Recent orders and keys leave by TTL and by capacity; history stays.
func TestEviction(t *testing.T) {
	g := NewGateway(Config{HMACKey: testKey, MaxRecent: 64 * 2, MaxIdem: 64 * 2,
		OrderTTL: time.Minute, IdemTTL: time.Minute}, 10, io.Discard)
	g.Prefill(10)
	for i := 0; i < 1000; i++ {
		if rec := do(t, g, "POST", "/v1/pay", "key-"+string(rune('a'+i%26))+strings.Repeat("x", i/26), sampleBodies["pay"], true); rec.Code != 201 {
			t.Fatalf("pay %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	held, evicted := g.orders.counts()
	// Capacity is 2 per shard; shards fill unevenly, so bound rather than equal.
	if held-10 > 128 || evicted != 1000-(held-10) {
		t.Fatalf("capacity eviction: held %d evicted %d", held, evicted)
	}
	if n := g.idem.size(); n > 128 {
		t.Fatalf("idempotency cache holds %d > capacity 128", n)
	}
	g.Expire(time.Now().Add(2 * time.Minute))
	held, _ = g.orders.counts()
	if held != 10 || g.idem.size() != 0 {
		t.Fatalf("after TTL: held %d orders (want the 10 history), %d keys (want 0)", held, g.idem.size())
	}
	if rec := do(t, g, "GET", "/v1/orders/ord_9", "", "", false); rec.Code != 200 {
		t.Fatalf("history order evicted: %d", rec.Code)
	}
}

func TestMetricsUseClientGolangNames(t *testing.T) {
	g := newTestGateway(t, false, false, 1)
	do(t, g, "POST", "/v1/pay", "m1", sampleBodies["pay"], true)
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	g.writeMetrics(w)
	w.Flush()
	text := buf.String()
	for _, want := range []string{
		"# TYPE go_gc_cycles_total_gc_cycles_total counter\n",
		"# TYPE go_gc_heap_goal_bytes gauge\n",
		"# TYPE go_gc_pauses_seconds histogram\n",
		"go_gc_pauses_seconds_bucket{le=\"+Inf\"} ",
		"# TYPE go_sched_gomaxprocs_threads gauge\n",
		"# TYPE go_memory_classes_heap_objects_bytes gauge\n",
		"go_gc_duration_seconds{quantile=\"0.5\"} ",
		"go_memstats_next_gc_bytes ",
		"paygate_orders 2\n",
		"paygate_requests_total{route=\"pay\",code=\"201\"} 1\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// Every sample line is "name[{labels}] value" and every name is legal.
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		name := line
		if i := strings.IndexAny(line, "{ "); i >= 0 {
			name = line[:i]
		}
		for _, r := range name {
			if !(r == '_' || r == ':' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				t.Fatalf("illegal metric name in %q", line)
			}
		}
	}
}

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:0": true, "localhost:8080": true, "[::1]:9": true,
		"0.0.0.0:8080": false, ":8080": false, "10.0.0.1:80": false, "127.0.0.1:x": false, "127.0.0.1": false,
	} {
		if err := checkLoopback(addr); (err == nil) != ok {
			t.Errorf("checkLoopback(%q) = %v, want ok=%v", addr, err, ok)
		}
	}
}

func TestRunFlags(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := run([]string{"-print-sample", "pay", "-hmac-key", "k"}, &out, &errb); rc != 0 {
		t.Fatalf("print-sample: rc %d: %s", rc, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || lines[0] != sampleBodies["pay"] || lines[1] != Sign([]byte("k"), []byte(lines[0])) {
		t.Fatalf("print-sample output %q", out.String())
	}
	for _, args := range [][]string{{"-addr", "0.0.0.0:1"}, {"-print-sample", "nope"}, {"-live-mb", "-1"}, {"-frob"}, {"extra"}} {
		errb.Reset()
		if rc := run(args, &out, &errb); rc != 2 || errb.Len() == 0 {
			t.Errorf("%v: rc %d stderr %q, want usage error", args, rc, errb.String())
		}
	}
}
