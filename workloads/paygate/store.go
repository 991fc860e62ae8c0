package main

import (
	"hash/maphash"
	"strconv"
	"sync"
	"time"
)

// LineItem is one priced line of an order.
type LineItem struct {
	SKU      string
	Name     string
	Quantity int
	Price    int64 // minor units
}

// Customer identifies who pays.
type Customer struct {
	ID    string
	Email string
	Name  string
}

// Card is the tokenized payment instrument; no card number is ever kept.
type Card struct {
	Token       string
	Brand       string
	Last4       string
	Fingerprint string
}

// Refund records one refund against an order.
type Refund struct {
	ID        string
	Amount    int64
	Reason    string
	CreatedAt time.Time
}

// Order is what a gateway keeps per payment: pointer-rich on purpose,
// because that is what real order stores look like to the GC (strings,
// slices of pointers, maps), and what makes marking expensive.
type Order struct {
	ID         string
	MerchantID string
	Customer   *Customer
	Card       *Card
	Amount     int64
	Currency   string
	Status     string
	Items      []*LineItem
	Metadata   map[string]string
	Refunds    []*Refund
	CreatedAt  time.Time
	mu         sync.Mutex // guards Status and Refunds
}

// Refunded is the sum of refunds so far. The caller holds o.mu.
func (o *Order) refundedLocked() int64 {
	var sum int64
	for _, r := range o.Refunds {
		sum += r.Amount
	}
	return sum
}

const numShards = 64

// orderStore keeps two populations, like a gateway's hot tier:
//   - history: the orders present at start (prefilled, never evicted); the
//     long-lived part of the live heap that every GC cycle must mark;
//   - recent: orders created by requests, evicted after ttl or when the
//     shard holds more than its share of maxRecent (oldest first), so the
//     heap reaches a steady state at any request rate.
type orderStore struct {
	seed      maphash.Seed
	shards    [numShards]orderShard
	ttl       time.Duration
	maxRecent int // per shard
}

type orderShard struct {
	mu      sync.RWMutex
	orders  map[string]*Order
	recent  []recentEntry // FIFO of request-created orders, oldest first
	head    int           // index of the oldest live entry in recent
	evicted int64
}

type recentEntry struct {
	id      string
	created time.Time
}

func newOrderStore(historyHint, maxRecent int, ttl time.Duration, presize bool) *orderStore {
	s := &orderStore{seed: maphash.MakeSeed(), ttl: ttl, maxRecent: maxRecent / numShards}
	if s.maxRecent < 1 {
		s.maxRecent = 1
	}
	for i := range s.shards {
		if presize {
			s.shards[i].orders = make(map[string]*Order, historyHint/numShards+s.maxRecent+16)
			s.shards[i].recent = make([]recentEntry, 0, s.maxRecent+16)
		} else {
			s.shards[i].orders = make(map[string]*Order)
		}
	}
	return s
}

func (s *orderStore) shard(id string) *orderShard {
	return &s.shards[maphash.String(s.seed, id)%numShards]
}

// addHistory stores a prefilled order that is never evicted.
func (s *orderStore) addHistory(o *Order) {
	sh := s.shard(o.ID)
	sh.mu.Lock()
	sh.orders[o.ID] = o
	sh.mu.Unlock()
}

// addRecent stores a request-created order, evicting the shard's oldest
// recent orders beyond its capacity.
func (s *orderStore) addRecent(o *Order) {
	sh := s.shard(o.ID)
	sh.mu.Lock()
	sh.orders[o.ID] = o
	sh.recent = append(sh.recent, recentEntry{id: o.ID, created: o.CreatedAt})
	for len(sh.recent)-sh.head > s.maxRecent {
		sh.evictOldestLocked()
	}
	sh.compactLocked()
	sh.mu.Unlock()
}

func (sh *orderShard) evictOldestLocked() {
	delete(sh.orders, sh.recent[sh.head].id)
	sh.recent[sh.head] = recentEntry{}
	sh.head++
	sh.evicted++
}

// compactLocked drops the evicted prefix once it is half the slice, so the
// FIFO's memory stays proportional to what it holds.
func (sh *orderShard) compactLocked() {
	if sh.head > 1024 && sh.head*2 >= len(sh.recent) {
		n := copy(sh.recent, sh.recent[sh.head:])
		for i := n; i < len(sh.recent); i++ {
			sh.recent[i] = recentEntry{}
		}
		sh.recent = sh.recent[:n]
		sh.head = 0
	}
}

func (s *orderStore) get(id string) *Order {
	sh := s.shard(id)
	sh.mu.RLock()
	o := sh.orders[id]
	sh.mu.RUnlock()
	return o
}

// expire evicts recent orders created before now-ttl.
func (s *orderStore) expire(now time.Time) {
	cutoff := now.Add(-s.ttl)
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		for sh.head < len(sh.recent) && sh.recent[sh.head].created.Before(cutoff) {
			sh.evictOldestLocked()
		}
		sh.compactLocked()
		sh.mu.Unlock()
	}
}

// counts returns the number of orders held and evicted so far.
func (s *orderStore) counts() (held, evicted int64) {
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		held += int64(len(sh.orders))
		evicted += sh.evicted
		sh.mu.RUnlock()
	}
	return held, evicted
}

// idemEntry is what the idempotency cache remembers about a key: the hash
// of the body it came with and the response to replay.
type idemEntry struct {
	bodySum  [32]byte
	status   int
	response []byte
	expires  time.Time
}

// idemCache maps Idempotency-Key values to their first response, with TTL
// and a per-shard capacity (oldest evicted first).
type idemCache struct {
	seed   maphash.Seed
	shards [numShards]idemShard
	ttl    time.Duration
	max    int // per shard
}

type idemShard struct {
	mu      sync.Mutex
	entries map[string]*idemEntry
	order   []string // keys, oldest first
	head    int
}

func newIdemCache(max int, ttl time.Duration, presize bool) *idemCache {
	c := &idemCache{seed: maphash.MakeSeed(), ttl: ttl, max: max / numShards}
	if c.max < 1 {
		c.max = 1
	}
	for i := range c.shards {
		if presize {
			c.shards[i].entries = make(map[string]*idemEntry, c.max+16)
			c.shards[i].order = make([]string, 0, c.max+16)
		} else {
			c.shards[i].entries = make(map[string]*idemEntry)
		}
	}
	return c
}

func (c *idemCache) shard(key string) *idemShard {
	return &c.shards[maphash.String(c.seed, key)%numShards]
}

// reserve returns the entry already stored under key, or stores e and
// returns nil. Holding the shard lock across check-and-insert makes two
// concurrent requests with one key create one order, not two.
func (c *idemCache) reserve(key string, e *idemEntry) *idemEntry {
	sh := c.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if old, ok := sh.entries[key]; ok {
		return old
	}
	sh.entries[key] = e
	sh.order = append(sh.order, key)
	for len(sh.order)-sh.head > c.max {
		sh.dropOldestLocked()
	}
	sh.compactLocked()
	return nil
}

// complete records the response for a reserved key.
func (c *idemCache) complete(key string, e *idemEntry, status int, response []byte) {
	sh := c.shard(key)
	sh.mu.Lock()
	e.status = status
	e.response = response
	sh.mu.Unlock()
}

// release forgets a reserved key whose request failed, so a retry may succeed.
func (c *idemCache) release(key string, e *idemEntry) {
	sh := c.shard(key)
	sh.mu.Lock()
	if sh.entries[key] == e {
		delete(sh.entries, key)
	}
	sh.mu.Unlock()
}

// lookup returns a copy of the entry's replay data under the shard lock.
func (c *idemCache) lookup(key string, e *idemEntry) (bodySum [32]byte, status int, response []byte) {
	sh := c.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return e.bodySum, e.status, e.response
}

func (sh *idemShard) dropOldestLocked() {
	delete(sh.entries, sh.order[sh.head])
	sh.order[sh.head] = ""
	sh.head++
}

func (sh *idemShard) compactLocked() {
	if sh.head > 1024 && sh.head*2 >= len(sh.order) {
		n := copy(sh.order, sh.order[sh.head:])
		for i := n; i < len(sh.order); i++ {
			sh.order[i] = ""
		}
		sh.order = sh.order[:n]
		sh.head = 0
	}
}

func (c *idemCache) expire(now time.Time) {
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		for sh.head < len(sh.order) {
			e, ok := sh.entries[sh.order[sh.head]]
			if ok && !now.After(e.expires) {
				break
			}
			sh.dropOldestLocked()
		}
		sh.compactLocked()
		sh.mu.Unlock()
	}
}

func (c *idemCache) size() int64 {
	var n int64
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		n += int64(len(sh.entries))
		sh.mu.Unlock()
	}
	return n
}

// syntheticOrder builds the i-th prefilled order: deterministic content of
// a realistic shape (three line items, metadata, tokenized card).
func syntheticOrder(i int, now time.Time, presize bool) *Order {
	n := strconv.Itoa(i)
	var items []*LineItem
	if presize {
		items = make([]*LineItem, 0, 3)
	}
	var total int64
	for j := 0; j < 3; j++ {
		price := int64(199 + (i*7+j*13)%5000)
		items = append(items, &LineItem{
			SKU:      "sku-" + strconv.Itoa((i+j)%9973),
			Name:     catalog[(i+j)%len(catalog)],
			Quantity: 1 + (i+j)%3,
			Price:    price,
		})
		total += price * int64(1+(i+j)%3)
	}
	var meta map[string]string
	if presize {
		meta = make(map[string]string, 3)
	} else {
		meta = make(map[string]string)
	}
	meta["channel"] = channels[i%len(channels)]
	meta["cart_id"] = "cart_" + n
	meta["session"] = "sess_" + strconv.FormatInt(int64(i)*2654435761%1000000007, 36)
	return &Order{
		ID:         "ord_" + n,
		MerchantID: "m_" + strconv.Itoa(i%512),
		Customer: &Customer{
			ID:    "cus_" + strconv.Itoa(i%100003),
			Email: "customer" + strconv.Itoa(i%100003) + "@example.com",
			Name:  names[i%len(names)],
		},
		Card: &Card{
			Token:       "tok_" + strconv.FormatInt(int64(i)*40503+7, 36),
			Brand:       brands[i%len(brands)],
			Last4:       last4(i),
			Fingerprint: "fp_" + strconv.FormatInt(int64(i)*97+13, 16),
		},
		Amount:    total,
		Currency:  currencies[i%len(currencies)],
		Status:    "captured",
		Items:     items,
		Metadata:  meta,
		CreatedAt: now,
	}
}

func last4(i int) string {
	s := strconv.Itoa(1000 + i%9000)
	return s[len(s)-4:]
}

var (
	catalog    = []string{"Espresso beans 1kg", "Travel mug", "Grinder burr set", "Filter papers x100", "Milk jug 600ml", "Descaler", "Gift card"}
	channels   = []string{"web", "ios", "android", "pos"}
	names      = []string{"Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov", "Ken Thompson"}
	brands     = []string{"visa", "mastercard", "amex"}
	currencies = []string{"EUR", "USD", "GBP"}
)
