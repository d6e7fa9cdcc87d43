package metrics

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// inflate returns the bytes of an encoding before compression, and its
// outer header's cookie and length.
func inflate(t testing.TB, s string) (inner []byte, cookie, length uint32) {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(raw) < 8 {
		t.Fatalf("not an encoding: %v", err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw[8:]))
	if err != nil {
		t.Fatal(err)
	}
	inner, err = io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	cookie = uint32(raw[0])<<24 | uint32(raw[1])<<16 | uint32(raw[2])<<8 | uint32(raw[3])
	length = uint32(raw[4])<<24 | uint32(raw[5])<<16 | uint32(raw[6])<<8 | uint32(raw[7])
	if int(length) != len(raw)-8 {
		t.Fatalf("outer length %d, %d bytes follow", length, len(raw)-8)
	}
	return inner, cookie, length
}

// histogramsToCompare are Surge-geometry histograms of several shapes:
// empty, one value, the range's ends, dense low values, a long tail, and
// counts that need multi-byte integers.
func histogramsToCompare(t testing.TB) map[string]*hdr.PackedHistogram {
	rng := rand.New(rand.NewPCG(1, 2))
	shapes := map[string]func(h *hdr.PackedHistogram){
		"empty":      func(*hdr.PackedHistogram) {},
		"one value":  func(h *hdr.PackedHistogram) { _ = h.RecordValue(1500) },
		"range ends": func(h *hdr.PackedHistogram) { _ = h.RecordValue(histLowest); _ = h.RecordValue(histHighest) },
		"every value below 3000": func(h *hdr.PackedHistogram) {
			for v := int64(1); v < 3000; v++ {
				_ = h.RecordValues(v, v%7)
			}
		},
		"exponential tail": func(h *hdr.PackedHistogram) {
			for range 20000 {
				_ = h.RecordValue(int64(100 + rng.ExpFloat64()*5000))
			}
		},
		"large counts": func(h *hdr.PackedHistogram) {
			_ = h.RecordValues(20_000, 1<<40)
			_ = h.RecordValues(20_001, 3)
			_ = h.RecordValues(2_000_000, 1<<20)
		},
	}
	out := map[string]*hdr.PackedHistogram{}
	for name, fill := range shapes {
		h := NewHistogram()
		fill(h)
		out[name] = h
	}
	return out
}

// Differential: Surge's encoder writes, before compression, exactly the
// bytes of the library's Encode, and the library decodes it to the same
// counts.
func TestEncodeV2MatchesTheLibraryBeforeCompression(t *testing.T) {
	for name, h := range histogramsToCompare(t) {
		ours, ok := encodeV2(h)
		if !ok {
			t.Fatalf("%s: not encoded", name)
		}
		theirs, err := h.Encode()
		if err != nil {
			t.Fatal(err)
		}
		oursInner, oursCookie, _ := inflate(t, ours)
		theirsInner, theirsCookie, _ := inflate(t, string(theirs))
		if oursCookie != theirsCookie || !bytes.Equal(oursInner, theirsInner) {
			t.Fatalf("%s: cookie %#x, %d bytes; the library's %#x, %d bytes", name, oursCookie, len(oursInner),
				theirsCookie, len(theirsInner))
		}
		back, err := hdr.DecodePacked([]byte(ours))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if back.TotalCount() != h.TotalCount() || back.Max() != h.Max() || back.Min() != h.Min() ||
			back.ValueAtPercentile(99) != h.ValueAtPercentile(99) {
			t.Fatalf("%s: decoded %d samples, max %d; want %d, max %d", name, back.TotalCount(), back.Max(),
				h.TotalCount(), h.Max())
		}
	}
}

// Encoding allocates its output and little else: a few small
// allocations a call once the stateless compressor's pooled tables exist.
func TestEncodeV2AllocatesLittle(t *testing.T) {
	if raceEnabled {
		t.Skip("pooled tables are dropped at random (see raceEnabled)")
	}
	h := histogramsToCompare(t)["exponential tail"]
	_, _ = encodeV2(h)
	if allocs := testing.AllocsPerRun(20, func() { _, _ = encodeV2(h) }); allocs > 4 {
		t.Fatalf("%v allocations per encoding, want at most 4", allocs)
	}
}

// firstEncodingEnv makes the test binary measure its first encoding
// and print the bytes it allocated.
const firstEncodingEnv = "SURGE_TEST_FIRST_ENCODING"

// The first encoding of a process allocates the stateless compressor's
// tables, about 330 KB; compress/zlib's fastest writer was 1.2 MB. It is
// measured in a process of its own, where nothing has encoded before.
func TestEncodeV2FirstCallAllocatesLittle(t *testing.T) {
	if os.Getenv(firstEncodingEnv) == "1" {
		h := histogramsToCompare(t)["exponential tail"]
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, _ = encodeV2(h)
		runtime.ReadMemStats(&after)
		fmt.Printf("first encoding: %d bytes\n", after.TotalAlloc-before.TotalAlloc)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestEncodeV2FirstCallAllocatesLittle$", "-test.count=1")
	cmd.Env = append(os.Environ(), firstEncodingEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	var bytes int64
	if i := strings.Index(string(out), "first encoding: "); i < 0 {
		t.Fatalf("no figure in %q", out)
	} else if _, err := fmt.Sscanf(string(out[i:]), "first encoding: %d bytes", &bytes); err != nil {
		t.Fatal(err)
	}
	if bytes > 512<<10 {
		t.Fatalf("the first encoding allocated %d bytes, want under 512 KB", bytes)
	}
	t.Logf("the first encoding allocated %d bytes", bytes)
}

// A count of 2^55 or more is left to the library, whose nine-byte
// integers differ from a varint there.
func TestEncodeV2LeavesHugeCountsToTheLibrary(t *testing.T) {
	h := NewHistogram()
	_ = h.RecordValues(100, 1<<55)
	if _, ok := encodeV2(h); ok {
		t.Fatal("encoded a count of 2^55 itself")
	}
	s, err := EncodeHistogram(h)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeHistogram(s)
	if err != nil || back.TotalCount() != 1<<55 {
		t.Fatalf("decoded %d samples, err %v", back.TotalCount(), err)
	}
}

func FuzzEncodeV2(f *testing.F) {
	f.Add(int64(1), int64(1), int64(1000), int64(5))
	f.Add(int64(3600000000), int64(2), int64(3), int64(70000))
	f.Fuzz(func(t *testing.T, a, na, b, nb int64) {
		h := NewHistogram()
		for _, vn := range [][2]int64{{a, na}, {b, nb}} {
			if vn[0] >= histLowest && vn[0] <= histHighest && vn[1] > 0 && vn[1] < 1<<40 {
				_ = h.RecordValues(vn[0], vn[1])
			}
		}
		ours, ok := encodeV2(h)
		if !ok {
			t.Fatal("not encoded")
		}
		theirs, _ := h.Encode()
		oi, _, _ := inflate(t, ours)
		ti, _, _ := inflate(t, string(theirs))
		if !bytes.Equal(oi, ti) {
			t.Fatalf("payloads differ for %d×%d, %d×%d", na, a, nb, b)
		}
	})
}
