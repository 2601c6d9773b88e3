package nomtrack

import (
	"errors"
	"fmt"
)

// Error codes. The CLI maps each to one exit code (SPEC §7).
const (
	ECONFLICT = "conflict" // a rule or constraint refuses the change (exit 3)
	EINVALID  = "invalid"  // the input is malformed (exit 3)
	ENOTFOUND = "not_found"
	EINTERNAL = "internal" // I/O, database (exit 1)
	EUSAGE    = "usage"    // wrong arguments or flags (exit 2)
)

// Error is an error written for the coordinator: Message is one clear sentence
// that names the thing, Code says how the CLI should exit.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic sentence for internal errors so raw driver text never reaches users
// unless wrapped deliberately.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
