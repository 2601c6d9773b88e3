package store

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// AuditEntry is one change in the audit trail: a merge, a removal, a
// cancellation or reopening, a change of role, capacity, request or of a
// person's field.
type AuditEntry struct {
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`  // noun.verb, e.g. offering.cancel
	Subject string    `json:"subject"` // noun:key, e.g. offering:M5-106@2026-03-02
	// Detail is what the change held, as the JSON object the store wrote
	// (the removed record, the values before and after, the reason).
	Detail json.RawMessage `json:"detail"`
	Source string          `json:"source"`
}

// ActionPersonChange is the action of a change of a person's field, kept in
// person_change (0008) and listed with the audit table's entries.
const ActionPersonChange = "person.change"

// AuditActions are the actions nomtrack writes, for `audit --action` and
// its suggestions.
var AuditActions = []string{
	"capacity.set",
	"course.edit", "course.remove",
	"nomination.move", "nomination.promote", "nomination.remove",
	"offering.cancel", "offering.close", "offering.edit", "offering.remove", "offering.reopen",
	ActionPersonChange, "person.merge", "person.remove",
	"request.edit", "request.remove", "request.replace",
}

// AuditFilter selects audit entries; zero fields select all.
type AuditFilter struct {
	Since string // YYYY-MM-DD: entries on or after that day (UTC)
	Actor string // exactly (on PostgreSQL, also with the role beside it: "alice (role r)")
	// Action is an action (offering.cancel) or its noun (offering: every
	// action on offerings).
	Action string
	Limit  int
}

// ListAudit returns the audit entries matching f, newest first: the audit
// table, and each change of a person's field (person_change) as action
// person.change with detail {field, from, to}. An action that nomtrack
// never writes (a typo) is EINVALID with a suggestion.
func (db *DB) ListAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, error) {
	list := []*AuditEntry{}
	err := db.View(ctx, func(q Querier) error {
		var where []string
		var args []any
		if f.Since != "" {
			// Stamps are RFC 3339 UTC text, so a day compares as a prefix.
			where, args = append(where, "at >= ?"), append(args, f.Since)
		}
		if f.Actor != "" {
			// A PostgreSQL database records the role beside the actor
			// (actorWithRole); --actor alice finds alice's entries
			// whatever role she used.
			withRole := f.Actor + " (role "
			where = append(where, "(actor = ? OR substr(actor, 1, ?) = ?)")
			args = append(args, f.Actor, utf8.RuneCountInString(withRole), withRole)
		}
		auditWhere, auditArgs := append([]string{"1 = 1"}, where...), append([]any{}, args...)
		changeWhere, changeArgs := append([]string{"1 = 1"}, where...), append([]any{}, args...)
		if a := strings.ToLower(strings.TrimSpace(f.Action)); a != "" {
			if err := checkAuditAction(ctx, q, a); err != nil {
				return err
			}
			auditWhere, auditArgs = append(auditWhere, "(action = ? OR action LIKE ? ESCAPE '\\')"), append(auditArgs, a, escapeLike(a)+".%")
			if a != ActionPersonChange && a != "person" {
				changeWhere = append(changeWhere, "1 = 0")
			}
		}
		rows, err := q.QueryContext(ctx, `SELECT at, actor, action, subject, detail, source, '', '', '', 0 AS part, id FROM audit WHERE `+
			strings.Join(auditWhere, " AND ")+`
			UNION ALL
			SELECT at, actor, ?, 'person:' || person_id, '', source, field, from_value, to_value, 1 AS part, id FROM person_change WHERE `+
			strings.Join(changeWhere, " AND ")+`
			ORDER BY 1 DESC, 10 DESC, 11 DESC`+sqlLimit(f.Limit), append(append(auditArgs, ActionPersonChange), changeArgs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e := &AuditEntry{}
			var at, detail string
			var change struct {
				Field string `json:"field"`
				From  string `json:"from"`
				To    string `json:"to"`
			}
			var part, id int64
			if err := rows.Scan(&at, &e.Actor, &e.Action, &e.Subject, &detail, &e.Source, &change.Field, &change.From, &change.To, &part, &id); err != nil {
				return err
			}
			e.At, e.Detail = readStamp(at), auditDetail(detail)
			if part == 1 {
				e.Detail, _ = json.Marshal(change)
			}
			list = append(list, e)
		}
		return rows.Err()
	})
	return list, err
}

// auditDetail is a stored detail as JSON: the object itself, null when
// empty, a JSON string when it is not JSON (written outside nomtrack).
func auditDetail(s string) json.RawMessage {
	switch {
	case s == "":
		return json.RawMessage("null")
	case json.Valid([]byte(s)):
		return json.RawMessage(s)
	}
	b, _ := json.Marshal(s)
	return b
}

// checkAuditAction refuses an action that is neither one nomtrack writes,
// nor one in the table, nor the noun of either.
func checkAuditAction(ctx context.Context, q Querier, action string) error {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT action FROM audit`)
	if err != nil {
		return err
	}
	stored, err := scanColumn(rows)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, a := range append(append([]string{}, AuditActions...), stored...) {
		known[a] = true
		noun, _, _ := strings.Cut(a, ".")
		known[noun] = true
	}
	if known[action] {
		return nil
	}
	names := make([]string, 0, len(known))
	var nouns []string
	for a := range known {
		names = append(names, a)
		if !strings.Contains(a, ".") {
			nouns = append(nouns, a)
		}
	}
	sort.Strings(names)
	sort.Strings(nouns)
	// A filter's value is a usage error (exit 2), as every flag's is.
	if sug := nomtrack.DidYouMean(action, names); sug != "" {
		return nomtrack.Errorf(nomtrack.EUSAGE, "unknown audit action %q%s", action, sug)
	}
	return nomtrack.Errorf(nomtrack.EUSAGE, "unknown audit action %q; give a noun (%s) or one of its actions, e.g. offering.cancel", action, strings.Join(nouns, ", "))
}
