package importer

import (
	"fmt"
	"sync"

	"github.com/nomtrack/nomtrack/internal/sheet"
)

// dateOrderNotes watches the numeric dates of one sheet for a sign that the
// configured order is the wrong one: a date valid only in the swapped order
// (03/25/2013 read day first) while others, valid both ways (04/08/2013),
// were read in the configured order. Such a sheet gets a warning naming an
// ambiguous date and --date-order; a sheet whose dates are ambiguous
// throughout is read by the configured order without a word, as before.
// The parsing and the writing goroutine both read dates, hence the lock.
type dateOrderNotes struct {
	mu        sync.Mutex
	ambiguous string // a date read in the configured order that the swapped order reads otherwise
	swapped   string // a date that only the swapped order reads
}

// note records what the text of one date cell says about the order.
func (n *dateOrderNotes) note(text string, order sheet.DateOrder) {
	inOrder, inSwapped, numeric := sheet.DateOrders(text, order)
	if !numeric || inOrder == inSwapped && !inOrder {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	switch {
	case inOrder && inSwapped && n.ambiguous == "":
		a, _ := sheet.ParseDate(text, order)
		b, _ := sheet.ParseDate(text, order.Swapped())
		if a != b {
			n.ambiguous = text
		}
	case !inOrder && inSwapped && n.swapped == "":
		n.swapped = text
	}
}

// warning is the sheet's warning, "" when there is nothing to say; it
// resets the notes for the next sheet.
func (n *dateOrderNotes) warning(where string, order sheet.DateOrder) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	defer func() { n.ambiguous, n.swapped = "", "" }()
	if n.ambiguous == "" || n.swapped == "" {
		return ""
	}
	read, _ := sheet.ParseDate(n.ambiguous, order)
	other := order.Swapped()
	return fmt.Sprintf("%s: dates such as %q were read %s (as %s), but others such as %q only make sense %s; if the file writes dates %s, import it again with --date-order %s",
		where, n.ambiguous, order.Describe(), read, n.swapped, other.Describe(), other.Describe(), other)
}
