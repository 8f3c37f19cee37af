package evidence

import (
	"encoding/binary"
	"hash/maphash"
	"slices"
	"sync/atomic"
)

// unitIDs stores unit IDs back to back in one byte slice, each as a record
// of its unit number, its length and its bytes: a million IDs are a few
// allocations holding no pointers, rather than a million strings the
// collector has to scan, and an index slot that holds a record's offset
// reaches the number and the bytes in one cache line.
type unitIDs struct {
	bytes []byte
	at    []uint32 // at[u] is where unit u's record starts in bytes
}

// idHeader is the size of a record's header: the unit's number and the
// ID's length, 4 bytes each, little-endian.
const idHeader = 8

func (s *unitIDs) len() int { return len(s.at) }

func (s *unitIDs) id(u int) []byte { return s.record(s.at[u]) }

// record returns the ID of the record at off.
func (s *unitIDs) record(off uint32) []byte {
	n := binary.LittleEndian.Uint32(s.bytes[off+4:])
	start := off + idHeader
	return s.bytes[start : start+n : start+n]
}

// add appends b as the next unit's ID and returns its record's offset.
func (s *unitIDs) add(b []byte) uint32 {
	off := uint32(len(s.bytes))
	s.bytes = binary.LittleEndian.AppendUint32(s.bytes, uint32(len(s.at)))
	s.bytes = binary.LittleEndian.AppendUint32(s.bytes, uint32(len(b)))
	s.bytes = append(s.bytes, b...)
	s.at = append(s.at, off)
	return off
}

// unitIndex numbers unit IDs: an open-addressing hash table with linear
// probing over the ID records of a unitIDs. A slot holds the top 32 bits of
// the ID's hash above its record's offset plus one (0 is an empty slot):
// 8 bytes, so that a million units take 16 MB of table, much of it in
// cache, and a probe reads the record (number and bytes together) only on
// a matching hash. The slot an ID starts probing at is the top bits of the
// same hash, so growing the table rehashes no ID. Go's map would copy
// every ID into a string of its own.
type unitIndex struct {
	ids   *unitIDs
	seed  maphash.Seed
	slots []uint64
	bits  uint // len(slots) is 1<<bits; at most 32
	used  int
}

func newUnitIndex(ids *unitIDs) *unitIndex {
	const bits = 10
	return &unitIndex{ids: ids, seed: maphash.MakeSeed(), slots: make([]uint64, 1<<bits), bits: bits}
}

// hash returns the top 32 bits of b's hash.
func (x *unitIndex) hash(b []byte) uint32 {
	return uint32(maphash.Bytes(x.seed, b) >> 32)
}

// intern returns b's unit number, adding b as a new unit if it has none.
// The caller keeps the number of units below 1<<31 and the records within
// 4 GiB.
func (x *unitIndex) intern(b []byte) (u uint32, added bool) {
	fp := x.hash(b)
	mask := uint32(len(x.slots) - 1)
	i := fp >> (32 - x.bits)
	for {
		s := x.slots[i]
		if s == 0 {
			break
		}
		if uint32(s>>32) == fp {
			off := uint32(s) - 1
			if string(x.ids.record(off)) == string(b) {
				return binary.LittleEndian.Uint32(x.ids.bytes[off:]), false
			}
		}
		i = (i + 1) & mask
	}
	u = uint32(x.ids.len())
	x.place(i, fp, x.ids.add(b))
	return u, true
}

// insertKnown indexes unit u, whose ID is known to be new.
func (x *unitIndex) insertKnown(u uint32) {
	off := x.ids.at[u]
	fp := x.hash(x.ids.record(off))
	mask := uint32(len(x.slots) - 1)
	i := fp >> (32 - x.bits)
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.place(i, fp, off)
}

func (x *unitIndex) place(i, fp, off uint32) {
	x.slots[i] = uint64(fp)<<32 | uint64(off+1)
	x.used++
	if x.used*2 > len(x.slots) && x.bits < 32 {
		x.grow()
	}
}

// grow doubles the table, placing each slot by the hash bits it keeps.
func (x *unitIndex) grow() {
	old := x.slots
	x.bits++
	x.slots = make([]uint64, 1<<x.bits)
	mask := uint32(len(x.slots) - 1)
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := uint32(s>>32) >> (32 - x.bits)
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = s
	}
}

// hasherMinBytes is the file size from which the optimistic pass numbers
// units on a goroutine of their own: below it the hand-over costs more
// than it saves. Tests lower it to run the hasher on small files.
var hasherMinBytes int64 = 4 << 20

// hashBatch is how many run IDs the reader hands the hasher at a time.
var hashBatch = 8192

// idBatch carries run IDs from the reader to the hasher.
type idBatch struct {
	bytes []byte
	ends  []uint32
}

// unitHasher numbers the units of a file's runs on its own goroutine, in
// run order, while the reader goes on: on a file of a million units,
// finding each in the index is the largest cost after reading, and with
// two cores it overlaps the reading. The index (and the IDs it keeps) is
// the hasher's alone until wait returns.
type unitHasher struct {
	units    *unitIndex
	full     chan *idBatch // to the hasher
	free     chan *idBatch // back to the reader
	cur      *idBatch
	done     chan struct{}
	runUnit  []uint32
	overflow bool
	stopped  bool
	// The reader's estimate of the runs and ID bytes to come, taken up
	// at the next batch: see reserve.
	hintRuns, hintBytes atomic.Int64
}

// reserve asks the hasher to make room for runs runs and bytes of ID
// records, so its lists do not regrow and copy on a large file. Room no
// unit uses costs address space, not memory: the pages are never touched.
func (h *unitHasher) reserve(runs, bytes int) {
	h.hintRuns.Store(int64(runs))
	h.hintBytes.Store(int64(bytes))
}

// newUnitHasher starts a hasher whose index already holds units 0 to
// known−1 as the IDs of the first known runs; it indexes them first.
func newUnitHasher(units *unitIndex, known int) *unitHasher {
	const buffers = 4
	h := &unitHasher{
		units: units,
		full:  make(chan *idBatch, buffers),
		free:  make(chan *idBatch, buffers),
		done:  make(chan struct{}),
	}
	for range buffers - 1 {
		h.free <- &idBatch{}
	}
	h.cur = &idBatch{}
	go h.run(known)
	return h
}

// add queues the ID of a new run.
func (h *unitHasher) add(id []byte) {
	b := h.cur
	b.bytes = append(b.bytes, id...)
	b.ends = append(b.ends, uint32(len(b.bytes)))
	if len(b.ends) == hashBatch {
		h.full <- b
		h.cur = <-h.free
	}
}

func (h *unitHasher) run(known int) {
	defer close(h.done)
	h.runUnit = make([]uint32, known)
	for u := range known {
		h.runUnit[u] = uint32(u)
		h.units.insertKnown(uint32(u))
	}
	for b := range h.full {
		ids := h.units.ids
		if runs := int(h.hintRuns.Swap(0)); runs > 0 {
			h.runUnit = slices.Grow(h.runUnit, runs-len(h.runUnit))
			ids.at = slices.Grow(ids.at, runs-len(ids.at))
			// The estimate comes from one ID's length: never below what
			// the IDs so far take.
			ids.bytes = slices.Grow(ids.bytes, max(int(min(h.hintBytes.Load(), maxIDBytes))-len(ids.bytes), 0))
		}
		if h.overflow || ids.len()+len(b.ends) >= maxUnits || len(ids.bytes)+len(b.bytes)+idHeader*len(b.ends) > maxIDBytes {
			h.overflow = true
		} else {
			start := uint32(0)
			for _, end := range b.ends {
				u, _ := h.units.intern(b.bytes[start:end])
				h.runUnit = append(h.runUnit, u)
				start = end
			}
		}
		b.bytes, b.ends = b.bytes[:0], b.ends[:0]
		h.free <- b
	}
}

// wait hands over the last IDs and returns each run's unit, and whether
// the units overflowed the format's limits.
func (h *unitHasher) wait() ([]uint32, bool) {
	if len(h.cur.ends) > 0 {
		h.full <- h.cur
		h.cur = &idBatch{}
	}
	h.stop()
	return h.runUnit, h.overflow
}

// stop ends the hasher's goroutine and waits for it; it is safe to call
// more than once.
func (h *unitHasher) stop() {
	if h.stopped {
		return
	}
	h.stopped = true
	close(h.full)
	<-h.done
}
