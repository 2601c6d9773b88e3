// Package nomtrack holds the domain of the tool: courses, offerings, people,
// nominations, requests and capacity, the nomination lifecycle and its rules,
// eligibility, and the counting definitions of the yearly report.
//
// It imports only the standard library; every other package speaks in these
// words.
package nomtrack
