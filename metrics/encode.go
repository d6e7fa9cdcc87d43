package metrics

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"hash/adler32"
	"math"
	"math/bits"
	"sync"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/klauspost/compress/flate"
)

// Surge writes HdrHistogram's V2 compressed encoding itself for the
// histograms of its own geometry. The library's Encode builds a zlib
// compressor of about 800 KB on every call and writes its payload a few
// bytes per allocation: on a generator pinned to one core, the two
// encodings of each second's interval held the core for 5–15 ms, and
// every arrival due meanwhile went out late (a lag p99 of 4 ms at 10,000
// requests/s). The bytes before compression are the library's, byte for
// byte (a test compares them); the compression differs, which any zlib
// reader accepts. It is klauspost/compress's stateless deflate, whose
// tables live on the stack: compress/zlib's fastest level allocates
// 1.2 MB for its first writer, which in a one-request run was a fifth of
// the process's heap, the cause of its only garbage collection and about
// a tenth of its time from exec to exit.

// The V2 format's cookies ("| 0x10": eight-byte words in the counts).
const (
	v2Cookie           = 0x1c849303 | 0x10
	v2CompressedCookie = 0x1c849304 | 0x10
	v2HeaderSize       = 40
)

// Index arithmetic of Surge's geometry (lowest 1, so the unit magnitude
// is 0; three significant figures give 2,048 sub-buckets).
const (
	subBucketHalfCountMagnitude = 10
	subBucketHalfCount          = 1 << subBucketHalfCountMagnitude
	subBucketMask               = 2*subBucketHalfCount - 1
)

// countsIndex is the position of value's bucket in HdrHistogram's flat
// counts array for Surge's geometry.
func countsIndex(value int64) int64 {
	bucket := int64(64-bits.LeadingZeros64(uint64(value)|subBucketMask)) - (subBucketHalfCountMagnitude + 1)
	sub := value >> uint(bucket)
	return (bucket+1)<<subBucketHalfCountMagnitude + sub - subBucketHalfCount
}

// encoder is the buffers every encoding reuses: kept for the life of the
// process, so they are never allocated (nor their pages faulted in) again.
type encoder struct {
	mu         sync.Mutex
	payload    []byte
	compressed bytes.Buffer
}

var sharedEncoder encoder

var outerHeader [8]byte

// encodeV2 encodes h, which has Surge's geometry. ok is false for a
// count the format's nine-byte integers would write differently from a
// varint (2^55 and above): the library encodes those.
func encodeV2(h *hdr.PackedHistogram) (s string, ok bool) {
	e := &sharedEncoder
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.fillPayload(h) {
		return "", false
	}
	e.putHeader()
	e.compressed.Reset()
	e.compressed.Write(outerHeader[:]) // the outer cookie and length, filled in below
	e.compressed.Write(zlibHeader[:])
	// A bytes.Buffer's writes cannot fail. The zlib trailer is the
	// Adler-32 of the bytes before compression.
	_ = flate.StatelessDeflate(&e.compressed, e.payload, true, nil)
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], adler32.Checksum(e.payload))
	e.compressed.Write(sum[:])
	out := e.compressed.Bytes()
	binary.BigEndian.PutUint32(out[0:], v2CompressedCookie)
	binary.BigEndian.PutUint32(out[4:], uint32(len(out)-8))
	return base64.StdEncoding.EncodeToString(out), true
}

// zlibHeader is RFC 1950's stream header: deflate with a 32 KB window,
// no preset dictionary, "fastest" as the level hint (FCHECK makes the
// 16-bit value a multiple of 31).
var zlibHeader = [2]byte{0x78, 0x01}

// putHeader fills in the V2 header the payload begins with, now that the
// counts' length is known.
func (e *encoder) putHeader() {
	header := e.payload[:v2HeaderSize]
	binary.BigEndian.PutUint32(header[0:], v2Cookie)
	binary.BigEndian.PutUint32(header[4:], uint32(len(e.payload)-v2HeaderSize))
	binary.BigEndian.PutUint32(header[8:], 0) // normalizing index offset
	binary.BigEndian.PutUint32(header[12:], histSigFigs)
	binary.BigEndian.PutUint64(header[16:], histLowest)
	binary.BigEndian.PutUint64(header[24:], uint64(histHighest))
	binary.BigEndian.PutUint64(header[32:], math.Float64bits(1))
}

// fillPayload writes, after room for the header, the counts from index 0 to the last populated
// bucket: each count as a ZigZag LEB128 integer, and a run of n > 1 empty
// buckets as -n.
func (e *encoder) fillPayload(h *hdr.PackedHistogram) bool {
	e.payload = append(e.payload[:0], make([]byte, v2HeaderSize)...) // the header, filled in by putHeader
	var next int64                                                   // the index the payload has reached
	ok := true
	h.ForEachBucket(func(value, count int64) bool {
		if count == 0 {
			return true
		}
		if count >= 1<<55 {
			ok = false
			return false
		}
		idx := countsIndex(value)
		switch gap := idx - next; {
		case gap == 1:
			e.payload = appendZigZag(e.payload, 0)
		case gap > 1:
			e.payload = appendZigZag(e.payload, -gap)
		}
		e.payload = appendZigZag(e.payload, count)
		next = idx + 1
		return true
	})
	if next == 0 && ok { // empty: the single bucket at index 0
		e.payload = appendZigZag(e.payload, 0)
	}
	return ok
}

// appendZigZag appends v ZigZag-encoded as a LEB128 varint, which is the
// format's integer for magnitudes below 2^55.
func appendZigZag(b []byte, v int64) []byte {
	return binary.AppendUvarint(b, uint64(v<<1)^uint64(v>>63))
}
