package evidence

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
)

// unitIDs stores unit IDs back to back in one byte slice: a million IDs
// are a few allocations holding no pointers, rather than a million strings
// the collector has to scan.
type unitIDs struct {
	bytes []byte
	ends  []uint32 // ends[u] is where ID u ends in bytes
}

func (s *unitIDs) len() int { return len(s.ends) }

func (s *unitIDs) id(u int) []byte {
	start := uint32(0)
	if u > 0 {
		start = s.ends[u-1]
	}
	return s.bytes[start:s.ends[u]:s.ends[u]]
}

func (s *unitIDs) add(b []byte) {
	s.bytes = append(s.bytes, b...)
	s.ends = append(s.ends, uint32(len(s.bytes)))
}

// unitIndex numbers unit IDs: an open-addressing hash table with linear
// probing over the IDs kept in a unitIDs. Looking a unit up in a table of
// a million is a cache miss, the largest cost of reading a shuffled file,
// so a slot keeps all a probe needs in 32 bytes: the top 32 bits of the
// ID's hash, the unit's number, and the ID itself when it is short (most
// are), so that a hit costs one miss rather than three. The slot an ID
// starts probing at is the top bits of the same hash, so growing the table
// rehashes no ID. Go's map would also copy every ID into a string of its
// own.
type unitIndex struct {
	ids   *unitIDs
	seed  maphash.Seed
	slots []slot
	bits  uint // len(slots) is 1<<bits; at most 32
	used  int
	// touched keeps internBatch's touching loads from being optimised
	// away.
	touched uint64
}

// slot is one entry of a unitIndex: tag is the hash's top 32 bits above
// the unit's number plus one (0: empty); key is the ID, packed by
// packKey.
type slot struct {
	tag uint64
	key packed
}

// packed is an ID of at most inlineID bytes, zero-padded, with its length
// in the last byte; a longer ID packs to its first bytes and a length
// byte of 0xff, and is compared in full against the stored IDs.
type packed [4]uint64

const inlineID = 31

func packKey(b []byte) (k packed, inline bool) {
	var buf [32]byte
	n := copy(buf[:inlineID], b)
	buf[inlineID] = byte(n)
	if len(b) > inlineID {
		buf[inlineID] = 0xff
	}
	for i := range k {
		k[i] = binary.LittleEndian.Uint64(buf[8*i:])
	}
	return k, len(b) <= inlineID
}

func newUnitIndex(ids *unitIDs) *unitIndex {
	const bits = 10
	return &unitIndex{ids: ids, seed: maphash.MakeSeed(), slots: make([]slot, 1<<bits), bits: bits}
}

// hash returns the tag bits of b's hash and the slot its probe starts at.
func (x *unitIndex) hash(b []byte) (fp, at uint32) {
	fp = uint32(maphash.Bytes(x.seed, b) >> 32)
	return fp, fp >> (32 - x.bits)
}

// intern returns b's unit number, adding b as a new unit if it has none.
// The caller keeps the number of units below 1<<31.
func (x *unitIndex) intern(b []byte) (u uint32, added bool) {
	fp, i := x.hash(b)
	return x.internAt(b, fp, i)
}

// internAt is intern with b's hash already taken.
func (x *unitIndex) internAt(b []byte, fp, i uint32) (u uint32, added bool) {
	k, inline := packKey(b)
	mask := uint32(len(x.slots) - 1)
	for {
		s := &x.slots[i]
		if s.tag == 0 {
			break
		}
		if uint32(s.tag>>32) == fp && s.key == k {
			u := uint32(s.tag) - 1
			if inline || bytes.Equal(x.ids.id(int(u)), b) {
				return u, false
			}
		}
		i = (i + 1) & mask
	}
	u = uint32(x.ids.len())
	x.ids.add(b)
	x.place(i, fp, u, k)
	return u, true
}

// insertKnown indexes unit u, whose ID is known to be new.
func (x *unitIndex) insertKnown(u uint32) {
	b := x.ids.id(int(u))
	fp, i := x.hash(b)
	mask := uint32(len(x.slots) - 1)
	for x.slots[i].tag != 0 {
		i = (i + 1) & mask
	}
	k, _ := packKey(b)
	x.place(i, fp, u, k)
}

func (x *unitIndex) place(i, fp, u uint32, k packed) {
	x.slots[i] = slot{tag: uint64(fp)<<32 | uint64(u+1), key: k}
	x.used++
	if x.used*4 > len(x.slots)*3 && x.bits < 32 {
		x.grow()
	}
}

// grow doubles the table, placing each slot by the hash bits it keeps.
func (x *unitIndex) grow() {
	old := x.slots
	x.bits++
	x.slots = make([]slot, 1<<x.bits)
	mask := uint32(len(x.slots) - 1)
	for _, s := range old {
		if s.tag == 0 {
			continue
		}
		i := uint32(s.tag>>32) >> (32 - x.bits)
		for x.slots[i].tag != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = s
	}
}

// internBatch interns each ID of b in turn, appending its unit to units.
// The slots the IDs probe are touched first, all together: the loads do
// not depend on each other, so the processor overlaps their cache misses
// instead of waiting out each in turn as the probing loop would.
func (x *unitIndex) internBatch(b *idBatch, units []uint32, hashes []uint32) ([]uint32, []uint32) {
	hashes = hashes[:0]
	start := uint32(0)
	for _, end := range b.ends {
		fp, _ := x.hash(b.bytes[start:end])
		hashes = append(hashes, fp)
		start = end
	}
	var touch uint64
	for _, fp := range hashes {
		touch += x.slots[fp>>(32-x.bits)].tag
	}
	x.touched = touch
	start = 0
	for i, end := range b.ends {
		fp := hashes[i]
		u, _ := x.internAt(b.bytes[start:end], fp, fp>>(32-x.bits))
		units = append(units, u)
		start = end
	}
	return units, hashes
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
	var hashes []uint32
	for b := range h.full {
		ids := h.units.ids
		if h.overflow || ids.len()+len(b.ends) >= maxUnits || len(ids.bytes)+len(b.bytes) > maxIDBytes {
			h.overflow = true
		} else {
			h.runUnit, hashes = h.units.internBatch(b, h.runUnit, hashes)
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
