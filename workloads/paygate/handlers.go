package main

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/trace"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxBodyBytes bounds a request body; a bigger one gets 413.
const maxBodyBytes = 64 << 10

// Config holds what the flags set; see main.go for their meaning.
type Config struct {
	HMACKey   []byte
	Pool      bool // sync.Pool for request buffers and response encoders
	Presize   bool // capacity hints for maps and slices
	OrderTTL  time.Duration
	MaxRecent int
	IdemTTL   time.Duration
	MaxIdem   int
}

// Gateway is the service: its stores, its audit log and its counters.
type Gateway struct {
	cfg     Config
	orders  *orderStore
	idem    *idemCache
	audit   *auditLog
	nextID  atomic.Int64
	ready   atomic.Bool
	history int64

	requests sync.Map // "route code" -> *atomic.Int64

	bufPool sync.Pool // *bytes.Buffer, used when cfg.Pool
	encPool sync.Pool // *responseEncoder, used when cfg.Pool
}

// responseEncoder is a buffer with a JSON encoder bound to it, pooled as a
// pair so that neither is reallocated per response.
type responseEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// NewGateway makes an empty gateway; Prefill then fills its history.
func NewGateway(cfg Config, historyOrders int, audit io.Writer) *Gateway {
	g := &Gateway{
		cfg:    cfg,
		orders: newOrderStore(historyOrders, cfg.MaxRecent, cfg.OrderTTL, cfg.Presize),
		idem:   newIdemCache(cfg.MaxIdem, cfg.IdemTTL, cfg.Presize),
		audit:  newAuditLog(audit),
	}
	g.bufPool.New = func() any { return new(bytes.Buffer) }
	g.encPool.New = func() any {
		e := &responseEncoder{}
		e.enc = json.NewEncoder(&e.buf)
		return e
	}
	return g
}

// Prefill stores orders ord_0 .. ord_{n-1} and then marks the gateway ready.
func (g *Gateway) Prefill(n int) {
	now := time.Now()
	for i := 0; i < n; i++ {
		g.orders.addHistory(syntheticOrder(i, now, g.cfg.Presize))
	}
	g.history = int64(n)
	g.nextID.Store(int64(n))
	g.ready.Store(true)
}

// Expire runs one eviction pass over both stores.
func (g *Gateway) Expire(now time.Time) {
	g.orders.expire(now)
	g.idem.expire(now)
}

// Handler routes the gateway's endpoints (pprof and /metrics are added by main).
func (g *Gateway) Handler() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/pay", traced("pay", g.audited("pay", g.pay)))
	mux.HandleFunc("/v1/refund", traced("refund", g.audited("refund", g.refund)))
	mux.HandleFunc("/v1/orders/", traced("order", g.handleOrder))
	mux.HandleFunc("/healthz", traced("healthz", g.handleHealthz))
	return mux
}

// traced makes each request a runtime/trace task named after its route, so
// an execution trace (/debug/pprof/trace) says where each request's time
// went. Without a trace running a task costs a few nanoseconds.
func traced(name string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		ctx, task := trace.NewTask(req.Context(), name)
		defer task.End()
		h(w, req.WithContext(ctx))
	}
}

// audited wraps a money-moving handler: it counts the answer and appends
// the request's audit line.
func (g *Gateway) audited(route string, h func(http.ResponseWriter, *http.Request) int) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		start := time.Now()
		status := h(w, req)
		g.count(route, status)
		g.audit.line(route, req.Header.Get("Idempotency-Key"), status, time.Since(start))
	}
}

// PayRequest is the body of POST /v1/pay.
type PayRequest struct {
	MerchantID string            `json:"merchant_id"`
	Amount     int64             `json:"amount"`
	Currency   string            `json:"currency"`
	Customer   CustomerJSON      `json:"customer"`
	Card       CardJSON          `json:"card"`
	Items      []ItemJSON        `json:"items"`
	Metadata   map[string]string `json:"metadata,omitempty"`
}

type CustomerJSON struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

type CardJSON struct {
	Token string `json:"token"`
	Brand string `json:"brand"`
	Last4 string `json:"last4"`
}

type ItemJSON struct {
	SKU      string `json:"sku"`
	Name     string `json:"name"`
	Quantity int    `json:"quantity"`
	Price    int64  `json:"price"`
}

// RefundRequest is the body of POST /v1/refund.
type RefundRequest struct {
	OrderID string `json:"order_id"`
	Amount  int64  `json:"amount"`
	Reason  string `json:"reason"`
}

// OrderJSON is how an order is shown in responses.
type OrderJSON struct {
	ID         string            `json:"id"`
	MerchantID string            `json:"merchant_id"`
	Status     string            `json:"status"`
	Amount     int64             `json:"amount"`
	Refunded   int64             `json:"refunded"`
	Currency   string            `json:"currency"`
	Customer   CustomerJSON      `json:"customer"`
	Card       CardJSON          `json:"card"`
	Items      []ItemJSON        `json:"items"`
	Metadata   map[string]string `json:"metadata,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
}

type errorJSON struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

var validCurrencies = map[string]bool{"EUR": true, "USD": true, "GBP": true, "JPY": true, "CHF": true}

func (r *PayRequest) validate() error {
	switch {
	case r.MerchantID == "":
		return errors.New("merchant_id is required")
	case r.Amount <= 0:
		return errors.New("amount must be positive (minor units)")
	case !validCurrencies[r.Currency]:
		return fmt.Errorf("currency %q is not supported", r.Currency)
	case r.Card.Token == "" || !strings.HasPrefix(r.Card.Token, "tok_"):
		return errors.New("card.token must be a tok_ token")
	case len(r.Items) == 0:
		return errors.New("items must not be empty")
	}
	var sum int64
	for i, it := range r.Items {
		if it.SKU == "" || it.Quantity <= 0 || it.Price < 0 {
			return fmt.Errorf("items[%d] needs sku, quantity > 0 and price >= 0", i)
		}
		sum += int64(it.Quantity) * it.Price
	}
	if sum != r.Amount {
		return fmt.Errorf("amount %d does not equal the items' total %d", r.Amount, sum)
	}
	return nil
}

func (g *Gateway) pay(w http.ResponseWriter, req *http.Request) int {
	body, key, entry, release, status := g.begin(w, req)
	defer release()
	if entry == nil {
		return status
	}

	var pr PayRequest
	if g.cfg.Presize {
		pr.Items = make([]ItemJSON, 0, 4)
	}
	if err := json.Unmarshal(body, &pr); err != nil {
		g.idem.release(key, entry)
		return g.fail(w, http.StatusBadRequest, "invalid_json", err.Error())
	}
	if err := pr.validate(); err != nil {
		g.idem.release(key, entry)
		return g.fail(w, http.StatusUnprocessableEntity, "invalid_request", err.Error())
	}
	o := g.newOrder(&pr)
	g.orders.addRecent(o)
	resp := g.encode(orderView(o))
	g.idem.complete(key, entry, http.StatusCreated, resp)
	writeJSON(w, http.StatusCreated, resp)
	return http.StatusCreated
}

// begin does what pay and refund share: POST only, the signed body, the
// Idempotency-Key, and reserving the key. entry is nil when the request was
// already answered (an error or a replay) with the returned status. release
// must be called once body is no longer used.
func (g *Gateway) begin(w http.ResponseWriter, req *http.Request) (body []byte, key string, entry *idemEntry, release func(), status int) {
	release = func() {}
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		return nil, "", nil, release, g.fail(w, http.StatusMethodNotAllowed, "method_not_allowed", "use POST")
	}
	body, release, status, err := g.readSignedBody(req)
	if err != nil {
		return nil, "", nil, release, g.fail(w, status, "bad_request", err.Error())
	}
	key = req.Header.Get("Idempotency-Key")
	if key == "" || len(key) > 255 {
		return nil, "", nil, release, g.fail(w, http.StatusBadRequest, "idempotency_key", "Idempotency-Key header of 1..255 bytes is required")
	}
	e := &idemEntry{bodySum: sha256.Sum256(body), expires: time.Now().Add(g.cfg.IdemTTL)}
	if old := g.idem.reserve(key, e); old != nil {
		return nil, "", nil, release, g.replay(w, key, old, e.bodySum)
	}
	return body, key, e, release, 0
}

// replay answers a repeated Idempotency-Key: the stored response when the
// body matches, 409 when it differs or the first request is still running.
func (g *Gateway) replay(w http.ResponseWriter, key string, old *idemEntry, sum [32]byte) int {
	oldSum, status, resp := g.idem.lookup(key, old)
	if oldSum != sum {
		return g.fail(w, http.StatusConflict, "idempotency_conflict", "Idempotency-Key was used with a different body")
	}
	if status == 0 {
		return g.fail(w, http.StatusConflict, "in_progress", "a request with this Idempotency-Key is in progress")
	}
	w.Header().Set("Idempotent-Replayed", "true")
	writeJSON(w, http.StatusOK, resp)
	return http.StatusOK
}

func (g *Gateway) newOrder(pr *PayRequest) *Order {
	id := "ord_" + strconv.FormatInt(g.nextID.Add(1)-1, 10)
	var items []*LineItem
	if g.cfg.Presize {
		items = make([]*LineItem, 0, len(pr.Items))
	}
	for _, it := range pr.Items {
		items = append(items, &LineItem{SKU: it.SKU, Name: it.Name, Quantity: it.Quantity, Price: it.Price})
	}
	var meta map[string]string
	if g.cfg.Presize {
		meta = make(map[string]string, len(pr.Metadata))
	} else {
		meta = map[string]string{}
	}
	for k, v := range pr.Metadata {
		meta[k] = v
	}
	return &Order{
		ID:         id,
		MerchantID: pr.MerchantID,
		Customer:   &Customer{ID: pr.Customer.ID, Email: pr.Customer.Email, Name: pr.Customer.Name},
		Card: &Card{Token: pr.Card.Token, Brand: pr.Card.Brand, Last4: pr.Card.Last4,
			Fingerprint: "fp_" + hex.EncodeToString(sha256Prefix(pr.Card.Token))},
		Amount:    pr.Amount,
		Currency:  pr.Currency,
		Status:    "captured",
		Items:     items,
		Metadata:  meta,
		CreatedAt: time.Now().UTC(),
	}
}

func sha256Prefix(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:8]
}

func orderView(o *Order) *OrderJSON {
	o.mu.Lock()
	defer o.mu.Unlock()
	v := &OrderJSON{
		ID: o.ID, MerchantID: o.MerchantID, Status: o.Status, Amount: o.Amount,
		Refunded: o.refundedLocked(), Currency: o.Currency,
		Customer:  CustomerJSON{ID: o.Customer.ID, Email: o.Customer.Email, Name: o.Customer.Name},
		Card:      CardJSON{Token: o.Card.Token, Brand: o.Card.Brand, Last4: o.Card.Last4},
		Items:     make([]ItemJSON, 0, len(o.Items)),
		Metadata:  o.Metadata,
		CreatedAt: o.CreatedAt,
	}
	for _, it := range o.Items {
		v.Items = append(v.Items, ItemJSON{SKU: it.SKU, Name: it.Name, Quantity: it.Quantity, Price: it.Price})
	}
	return v
}

func (g *Gateway) refund(w http.ResponseWriter, req *http.Request) int {
	body, key, entry, release, status := g.begin(w, req)
	defer release()
	if entry == nil {
		return status
	}
	var rr RefundRequest
	if err := json.Unmarshal(body, &rr); err != nil {
		g.idem.release(key, entry)
		return g.fail(w, http.StatusBadRequest, "invalid_json", err.Error())
	}
	if rr.OrderID == "" || rr.Amount <= 0 {
		g.idem.release(key, entry)
		return g.fail(w, http.StatusUnprocessableEntity, "invalid_request", "order_id and a positive amount are required")
	}
	o := g.orders.get(rr.OrderID)
	if o == nil {
		g.idem.release(key, entry)
		return g.fail(w, http.StatusNotFound, "no_such_order", "order "+rr.OrderID+" is unknown or expired")
	}
	o.mu.Lock()
	left := o.Amount - o.refundedLocked()
	if rr.Amount > left {
		o.mu.Unlock()
		g.idem.release(key, entry)
		return g.fail(w, http.StatusUnprocessableEntity, "exceeds_refundable",
			fmt.Sprintf("refund %d exceeds the refundable %d", rr.Amount, left))
	}
	o.Refunds = append(o.Refunds, &Refund{ID: "re_" + strconv.FormatInt(g.nextID.Add(1)-1, 10),
		Amount: rr.Amount, Reason: rr.Reason, CreatedAt: time.Now().UTC()})
	if rr.Amount == left {
		o.Status = "refunded"
	} else {
		o.Status = "partially_refunded"
	}
	o.mu.Unlock()
	resp := g.encode(orderView(o))
	g.idem.complete(key, entry, http.StatusOK, resp)
	writeJSON(w, http.StatusOK, resp)
	return http.StatusOK
}

func (g *Gateway) handleOrder(w http.ResponseWriter, req *http.Request) {
	status := g.order(w, req)
	g.count("order", status)
}

func (g *Gateway) order(w http.ResponseWriter, req *http.Request) int {
	if req.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		return g.fail(w, http.StatusMethodNotAllowed, "method_not_allowed", "use GET")
	}
	id := strings.TrimPrefix(req.URL.Path, "/v1/orders/")
	if id == "" || strings.Contains(id, "/") {
		return g.fail(w, http.StatusNotFound, "not_found", "use /v1/orders/{id}")
	}
	o := g.orders.get(id)
	if o == nil {
		return g.fail(w, http.StatusNotFound, "no_such_order", "order "+id+" is unknown or expired")
	}
	writeJSON(w, http.StatusOK, g.encode(orderView(o)))
	return http.StatusOK
}

func (g *Gateway) handleHealthz(w http.ResponseWriter, req *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if !g.ready.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "prefilling\n")
		return
	}
	held, _ := g.orders.counts()
	fmt.Fprintf(w, "ok orders=%d\n", held)
}

// readSignedBody reads the body (bounded) and checks X-Signature, the hex
// HMAC-SHA256 of the body under the gateway's key. release returns a pooled
// buffer and must be called once the body is no longer used.
func (g *Gateway) readSignedBody(req *http.Request) (body []byte, release func(), status int, err error) {
	release = func() {}
	r := http.MaxBytesReader(nil, req.Body, maxBodyBytes)
	if g.cfg.Pool {
		buf := g.bufPool.Get().(*bytes.Buffer)
		buf.Reset()
		release = func() {
			if buf.Cap() <= maxBodyBytes*2 {
				g.bufPool.Put(buf)
			}
		}
		_, err = buf.ReadFrom(r)
		body = buf.Bytes()
	} else {
		body, err = io.ReadAll(r)
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, release, http.StatusRequestEntityTooLarge, fmt.Errorf("body over %d bytes", maxBodyBytes)
		}
		return nil, release, http.StatusBadRequest, fmt.Errorf("reading body: %v", err)
	}
	sig, err := hex.DecodeString(req.Header.Get("X-Signature"))
	if err != nil || len(sig) != sha256.Size {
		return nil, release, http.StatusUnauthorized, errors.New("X-Signature must be the hex HMAC-SHA256 of the body")
	}
	mac := hmac.New(sha256.New, g.cfg.HMACKey)
	mac.Write(body)
	if !hmac.Equal(mac.Sum(nil), sig) {
		return nil, release, http.StatusUnauthorized, errors.New("X-Signature does not match the body")
	}
	return body, release, 0, nil
}

// encode marshals v to JSON; with the pool switch it reuses a pooled
// buffer and encoder and copies out only the final bytes.
func (g *Gateway) encode(v any) []byte {
	if !g.cfg.Pool {
		out, err := json.Marshal(v)
		if err != nil {
			panic(err) // our own types always marshal
		}
		return out
	}
	e := g.encPool.Get().(*responseEncoder)
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		panic(err)
	}
	b := e.buf.Bytes()
	out := make([]byte, len(b)-1) // Encode appends '\n'
	copy(out, b)
	g.encPool.Put(e)
	return out
}

func (g *Gateway) fail(w http.ResponseWriter, status int, code, msg string) int {
	writeJSON(w, status, g.encode(errorJSON{Error: code, Message: msg}))
	return status
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

func (g *Gateway) count(route string, status int) {
	key := route + " " + strconv.Itoa(status)
	c, ok := g.requests.Load(key)
	if !ok {
		c, _ = g.requests.LoadOrStore(key, new(atomic.Int64))
	}
	c.(*atomic.Int64).Add(1)
}

// auditLog appends one line per payment request to a buffered writer, the
// way gateways keep an audit trail; Flush is called by a ticker and at exit.
type auditLog struct {
	mu    sync.Mutex
	w     *bufio.Writer
	lines int64
}

func newAuditLog(w io.Writer) *auditLog {
	return &auditLog{w: bufio.NewWriterSize(w, 64<<10)}
}

func (a *auditLog) line(route, key string, status int, d time.Duration) {
	line := fmt.Sprintf("%s route=%s key=%q status=%d dur_us=%d\n",
		time.Now().UTC().Format(time.RFC3339Nano), route, key, status, d.Microseconds())
	a.mu.Lock()
	a.w.WriteString(line)
	a.lines++
	a.mu.Unlock()
}

// Flush writes buffered lines out.
func (a *auditLog) Flush() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.w.Flush()
}
