package importer

import "testing"

func TestPersonTableAcrossBlocks(t *testing.T) {
	var tab personTable
	const n = 3*personBlock + 7
	for i := 0; i < n; i++ {
		if idx := tab.add(personEntry{id: int64(10 + 2*i)}); idx != int32(i) {
			t.Fatalf("add #%d returned index %d", i, idx)
		}
	}
	for _, i := range []int32{0, personBlock - 1, personBlock, 2*personBlock + 1, n - 1} {
		if got := tab.at(i).id; got != int64(10+2*i) {
			t.Errorf("at(%d).id = %d, want %d", i, got, 10+2*i)
		}
		if idx, ok := tab.find(int64(10 + 2*i)); !ok || idx != i {
			t.Errorf("find(%d) = %d, %v; want %d, true", 10+2*i, idx, ok, i)
		}
	}
	if _, ok := tab.find(11); ok {
		t.Error("find of an id between two others found it")
	}
	if _, ok := tab.find(10 + 2*n); ok {
		t.Error("find of an id past the last found it")
	}
	tab.at(personBlock).seen = 42
	if tab.at(personBlock).seen != 42 {
		t.Error("at does not point into the table")
	}
}
