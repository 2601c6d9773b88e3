package store

import (
	"context"
	"database/sql"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// engine is everything that differs between the database engines the store
// runs on; the store's queries, written once with `?` placeholders, run on
// either. engine_sqlite.go and engine_postgres.go are its two
// implementations, and the only files that know an engine by name
// (docs/postgres.md tells where each difference lives).
type engine interface {
	// name is "sqlite" or "postgres", as Engine reports it.
	name() string
	// open connects db's writer and reader pools (db.w, db.r), refuses a
	// database that is not nomtrack's or is newer than this build, and
	// applies pending migrations.
	open(ctx context.Context, db *DB, opt Options) error
	// rebind rewrites a query's `?` placeholders into the engine's own.
	rebind(query string) string
	// beginWrite starts a write transaction on conn holding the engine's
	// writer lock, so the checks a store method makes before it writes stay
	// true until it commits.
	beginWrite(ctx context.Context, conn *sql.Conn) (*sql.Tx, error)
	// readTxOptions start a read transaction: one consistent snapshot that
	// never waits for a writer.
	readTxOptions() *sql.TxOptions
	// retryable reports whether err aborted a transaction that may simply
	// be run again (a serialization failure or a deadlock).
	retryable(err error) bool
	// bulk returns how an import writes (loader_sqlite.go,
	// loader_postgres.go).
	bulk(db *DB) bulkEngine
	// tuneReport prepares a read transaction for a report, which reads far
	// more rows than a daily command; scattered when it looks rows up by
	// id all over a table rather than reading ranges of an index.
	tuneReport(ctx context.Context, q Querier, scattered bool) error
	// unindexed is expr written so that the engine's planner does not
	// reach for an index on it (a hint only SQLite needs).
	unindexed(expr string) string
	// info fills in what `db info` shows that only the engine knows.
	info(ctx context.Context, db *DB, q Querier, info *Info) error
	// settle runs after a write of many rows into tables (an import, a
	// copy) has committed: the upkeep the engine would otherwise do in
	// the background a while later, done before the command returns so
	// that the next reader finds the tables ready. It is best effort: the
	// rows are committed, whatever it does.
	settle(ctx context.Context, db *DB, tables []string)
	// bulkWrite readies the transaction of such a write (an import, a
	// copy) for settle.
	bulkWrite(ctx context.Context, tx *Tx) error
}

// engineOf is the engine a transaction runs on, for the few fragments of
// SQL the engines spell differently.
func engineOf(q Querier) engine {
	switch t := q.(type) {
	case *Tx:
		return t.eng
	case readTx:
		return t.eng
	}
	return sqliteEngine{}
}

// Engine names the database engine db runs on: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.eng.name() }

// IsPostgresURL reports whether a --db value names a PostgreSQL database
// (a postgres:// or postgresql:// URL) rather than an SQLite file.
func IsPostgresURL(dsn string) bool {
	lower := strings.ToLower(dsn)
	return strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://")
}

// MaskDSN is a --db value as nomtrack shows it anywhere: a PostgreSQL URL
// with its password (in the user part or a password= or sslpassword= parameter) replaced
// by ****, a file path unchanged. Every message naming the database goes
// through it, so a password never reaches the screen or a log.
func MaskDSN(dsn string) string {
	if !IsPostgresURL(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		// Unparseable: show only the scheme, which cannot hold a secret.
		if i := strings.Index(dsn, "://"); i >= 0 {
			return dsn[:i+3] + "****"
		}
		return "****"
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "****")
		}
	}
	// sslpassword unlocks the client's key: as secret as the password.
	if q := u.Query(); q.Has("password") || q.Has("sslpassword") {
		for _, k := range []string{"password", "sslpassword"} {
			if q.Has(k) {
				q.Set(k, "****")
			}
		}
		u.RawQuery = q.Encode()
	}
	// url.String escapes the stars; they are meant literally.
	return strings.ReplaceAll(u.String(), "%2A%2A%2A%2A", "****")
}

// identity is the SQLite rebind: SQLite reads `?` itself.
func identity(query string) string { return query }

// dollarCache holds rewritten queries: the store's queries are a fixed set
// of strings, so each is rewritten once. Queries built with a varying
// number of placeholders are cached too, up to maxCachedQueries.
var (
	dollarCache   sync.Map
	dollarEntries atomic.Int64
)

const maxCachedQueries = 4096

// rebindDollar rewrites each `?` placeholder of query into $1, $2, … in
// order, leaving alone a `?` inside a string literal, a quoted identifier,
// a dollar-quoted string or a comment, and respells the few SQLite words
// PostgreSQL spells otherwise (postgresWord).
func rebindDollar(query string) string {
	if v, ok := dollarCache.Load(query); ok {
		return v.(string)
	}
	out := dollarRewrite(query)
	if dollarEntries.Load() < maxCachedQueries {
		if _, loaded := dollarCache.LoadOrStore(query, out); !loaded {
			dollarEntries.Add(1)
		}
	}
	return out
}

func dollarRewrite(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			// A literal or quoted identifier; a doubled quote stays inside.
			j := i + 1
			for j < len(query) {
				if query[j] == c {
					if j+1 < len(query) && query[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			j = min(j+1, len(query))
			b.WriteString(query[i:j])
			i = j
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				j = len(query) - i
			}
			b.WriteString(query[i : i+j])
			i += j
		case c == '/' && i+1 < len(query) && query[i+1] == '*':
			j := strings.Index(query[i+2:], "*/")
			end := len(query)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			b.WriteString(query[i:end])
			i = end
		case c == '$' && dollarTag(query[i:]) != "":
			tag := dollarTag(query[i:])
			end := len(query)
			if j := strings.Index(query[i+len(tag):], tag); j >= 0 {
				end = i + len(tag) + j + len(tag)
			}
			b.WriteString(query[i:end])
			i = end
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i++
		case isWordStart(c) && (i == 0 || !isWordByte(query[i-1]) && query[i-1] != '.'):
			j := i
			for j < len(query) && isWordByte(query[j]) {
				j++
			}
			i = j + postgresWord(&b, query[i:j], query[j:])
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// dollarTag returns the opening tag ($$ or $name$) of a dollar-quoted string
// at the start of s, or "" when s does not start one ($1 is a parameter).
func dollarTag(s string) string {
	for j := 1; j < len(s); j++ {
		c := s[j]
		switch {
		case c == '$':
			return s[:j+1]
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || j > 1 && '0' <= c && c <= '9':
		default:
			return ""
		}
	}
	return ""
}

func isWordStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isWordByte(c byte) bool  { return isWordStart(c) || '0' <= c && c <= '9' }

// postgresWord writes word, the SQL word that rest follows, as PostgreSQL
// spells it, and returns how many bytes of rest it consumed too. Existing
// queries keep two SQLite spellings that are the fastest there, and only
// these are respelled:
//
//   - instr(a, b) is strpos(a, b): the same position from 1, 0 when absent
//     (the person search, where instr is four times faster than LIKE on
//     SQLite).
//   - INDEXED BY name, which pins SQLite's choice of index for the
//     reports, is dropped: PostgreSQL's planner needs no such hint.
//   - CROSS JOIN … ON, with which SQLite's reports pin the order of their
//     joins, is a plain JOIN … ON (PostgreSQL has CROSS JOIN only without
//     ON or USING). A CROSS JOIN without a condition stays as written.
//   - LIKE is ILIKE: SQLite's LIKE ignores the case of ASCII letters, and
//     the searches (a ref, an action) rely on it.
func postgresWord(b *strings.Builder, word, rest string) int {
	switch {
	case strings.EqualFold(word, "like"):
		b.WriteString("ILIKE")
		return 0
	case strings.EqualFold(word, "cross"):
		if crossJoinWithCondition(rest) {
			// CROSS and the space after it go; the JOIN stays.
			return len(rest) - len(strings.TrimLeft(rest, " \t\r\n"))
		}
	case strings.EqualFold(word, "instr") && strings.HasPrefix(strings.TrimLeft(rest, " "), "("):
		b.WriteString("strpos")
		return 0
	case strings.EqualFold(word, "indexed"):
		// INDEXED BY name: skip "BY" and the index's name.
		r := strings.TrimLeft(rest, " \t\n")
		if len(r) > 2 && strings.EqualFold(r[:2], "by") && !isWordByte(r[2]) {
			r = strings.TrimLeft(r[2:], " \t\n")
			k := 0
			for k < len(r) && isWordByte(r[k]) {
				k++
			}
			if k > 0 {
				return len(rest) - len(r) + k
			}
		}
	}
	b.WriteString(word)
	return 0
}

// crossJoinWithCondition reports whether rest, the SQL after the word
// CROSS, is JOIN, one table or parenthesised subquery, its alias (with or
// without AS) and SQLite's INDEXED BY hint, and then ON or USING: a join
// that PostgreSQL takes only as a plain JOIN. Anything else (a true cross
// join, or SQL this does not follow) is left as written.
func crossJoinWithCondition(rest string) bool {
	word, r := nextSQLWord(rest)
	if !strings.EqualFold(word, "join") {
		return false
	}
	r = strings.TrimLeft(r, " \t\r\n")
	if strings.HasPrefix(r, "(") {
		end := closingParen(r)
		if end < 0 {
			return false
		}
		r = r[end+1:]
	} else {
		// A table name, perhaps schema.table or "quoted".
		for {
			r = strings.TrimLeft(r, " \t\r\n")
			if strings.HasPrefix(r, `"`) {
				end := strings.IndexByte(r[1:], '"')
				if end < 0 {
					return false
				}
				r = r[end+2:]
			} else if word, next := nextSQLWord(r); word != "" {
				r = next
			} else {
				return false
			}
			if !strings.HasPrefix(r, ".") {
				break
			}
			r = r[1:]
		}
	}
	word, r = nextSQLWord(r)
	if strings.EqualFold(word, "as") {
		_, r = nextSQLWord(r)
		word, r = nextSQLWord(r)
	} else if word != "" && !isJoinCondition(word) && !strings.EqualFold(word, "indexed") {
		word, r = nextSQLWord(r) // the alias
	}
	if strings.EqualFold(word, "indexed") {
		if by, next := nextSQLWord(r); strings.EqualFold(by, "by") {
			_, r = nextSQLWord(next)
			word, _ = nextSQLWord(r)
		}
	}
	return isJoinCondition(word)
}

func isJoinCondition(word string) bool {
	return strings.EqualFold(word, "on") || strings.EqualFold(word, "using")
}

// nextSQLWord returns the word (letters, digits, _) at the start of s after
// white space, and what follows it; "" when s does not start with one.
func nextSQLWord(s string) (word, rest string) {
	s = strings.TrimLeft(s, " \t\r\n")
	j := 0
	for j < len(s) && isWordByte(s[j]) {
		j++
	}
	return s[:j], s[j:]
}

// closingParen is the index of the parenthesis closing the one s starts
// with, skipping quoted text; -1 when it is not closed.
func closingParen(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i
			}
		case '\'', '"':
			end := strings.IndexByte(s[i+1:], s[i])
			if end < 0 {
				return -1
			}
			i += end + 1
		}
	}
	return -1
}
