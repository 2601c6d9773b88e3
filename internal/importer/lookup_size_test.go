package importer

import (
	"fmt"
	"runtime"
	"testing"
	"unsafe"
)

// TestLookupEntrySizes guards the sizes the import's memory budget rests
// on (issue 6: peak RSS ≤ 100 MB at 1M rows and 250,000 people): a
// person's entry, and an entry of the ref and name maps, whose key of
// three uint32 and int32 value make 16 bytes (two uint64 made 24).
func TestLookupEntrySizes(t *testing.T) {
	if n := unsafe.Sizeof(personEntry{}); n > 40 {
		t.Errorf("personEntry is %d bytes, more than 40", n)
	}
	if n := unsafe.Sizeof(struct {
		k key96
		v int32
	}{}); n != 16 {
		t.Errorf("a byRef/byName entry is %d bytes, not 16", n)
	}
}

// peoplePerPerson is what the lookups may hold per person: the entry, a
// ref and a name in the maps, and nominations beyond the four kept inline
// (moreNoms). Measured at 113 bytes here (five nominations each); with
// the map entries of 24 bytes that 128-bit keys made, 135, and the 1M-row
// import peaked over 100 MB.
const lookupBytesPerPerson = 125

// TestLookupMemoryPerPerson fills the lookups as a 250,000-person import
// does (a ref, a name and five nominations each, at a fifth of the size)
// and measures the live heap they hold. The figure is what decides the
// import's peak memory: a change that adds bytes per person fails here
// before it shows in a 1M-row benchmark.
func TestLookupMemoryPerPerson(t *testing.T) {
	const people = 50_000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	im := emptyImporter(nil, Options{}, "")
	for i := range people {
		idx := im.addPerson(int64(i+1), fmt.Sprintf("MOD-%06d", i), fmt.Sprintf("name%dsurname", i), "MoD")
		for j := range 5 {
			im.addNomination(idx, int64(1+(i*7+j*13)%9571))
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / people
	t.Logf("%.1f bytes of lookups per person", per)
	if per > lookupBytesPerPerson {
		t.Errorf("the import's lookups hold %.1f bytes per person, more than %d (issue 6's memory budget)", per, lookupBytesPerPerson)
	}
	runtime.KeepAlive(im)
}
