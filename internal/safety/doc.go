// Package safety proves, with tests that CI runs, that nomtrack keeps a
// coordinator's database whole: the nomtrack binary is built once and driven
// as a subprocess, so that it can be killed with SIGKILL mid-import, run eight
// at a time, starved of disk, denied write permission and fed hostile
// spreadsheets. The package has no code of its own; see docs/safety.md.
package safety
