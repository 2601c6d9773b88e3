package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// sample is one measured run of one command.
type sample struct {
	wall      time.Duration // from just before exec to just after wait, by our clock
	user, sys time.Duration // CPU time of the command, from GNU time
	rssKiB    int64         // peak resident set size of the command, from GNU time
}

// samples are the runs of one measurement.
type samples []sample

// median is the median wall time (the mean of the middle two for an even
// count), the figure every comparison uses.
func (s samples) median() time.Duration {
	return medianOf(s, func(x sample) time.Duration { return x.wall })
}

// cpu is the median user+sys time, which shows whether a command used more
// than one core.
func (s samples) cpu() time.Duration {
	return medianOf(s, func(x sample) time.Duration { return x.user + x.sys })
}

// peakKiB is the largest peak RSS over the runs: memory goals are ceilings,
// so the worst run counts.
func (s samples) peakKiB() int64 {
	var m int64
	for _, x := range s {
		m = max(m, x.rssKiB)
	}
	return m
}

func medianOf(s samples, f func(sample) time.Duration) time.Duration {
	if len(s) == 0 {
		return 0
	}
	d := make([]time.Duration, len(s))
	for i, x := range s {
		d[i] = f(x)
	}
	slices.Sort(d)
	if len(d)%2 == 1 {
		return d[len(d)/2]
	}
	return (d[len(d)/2-1] + d[len(d)/2]) / 2
}

// command is one process to run: its argv, environment, standard input (a
// file path or nothing) and where its standard output goes (a file path, or
// discarded).
type command struct {
	args   []string
	env    []string
	stdin  string
	stdout string
}

// String shows the command as a user would type it, for error messages.
func (c command) String() string {
	s := strings.Join(c.args, " ")
	if c.stdin != "" {
		s += " < " + c.stdin
	}
	return s
}

// exitError is a measured command that failed: its exit code and the tail of
// its stderr, so the report can say what went wrong.
type exitError struct {
	cmd    command
	code   int
	stderr string
}

func (e *exitError) Error() string {
	msg := strings.TrimSpace(e.stderr)
	if msg == "" {
		msg = "no message"
	}
	return fmt.Sprintf("%s exited with status %d: %s", e.cmd, e.code, msg)
}

// runner executes commands, under GNU time -v when measuring memory.
type runner struct {
	ctx     context.Context
	timeBin string
	scratch string // directory for GNU time's reports
}

// measure runs c under `time -v` and returns its wall time (our clock, which
// includes GNU time's own fork, about a millisecond) and what time reports.
// A non-zero exit is an *exitError.
func (r *runner) measure(c command) (sample, error) {
	report, err := os.CreateTemp(r.scratch, "time-*.txt")
	if err != nil {
		return sample{}, err
	}
	report.Close()
	defer os.Remove(report.Name())
	wrapped := c
	wrapped.args = append([]string{r.timeBin, "-v", "-o", report.Name()}, c.args...)
	wall, err := r.exec(wrapped)
	if err != nil {
		if ee, ok := err.(*exitError); ok {
			ee.cmd = c
		}
		return sample{}, err
	}
	text, err := os.ReadFile(report.Name())
	if err != nil {
		return sample{}, err
	}
	s, err := parseTimeReport(text)
	if err != nil {
		return sample{}, fmt.Errorf("%s: %w", c, err)
	}
	s.wall = wall
	return s, nil
}

// newCmd makes c's process the leader of its own process group, so that
// cancelling (Ctrl-C) kills what GNU time or sqlite-utils started as well,
// not only the direct child.
func (r *runner) newCmd(c command) *exec.Cmd {
	cmd := exec.CommandContext(r.ctx, c.args[0], c.args[1:]...)
	cmd.Env = c.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	return cmd
}

// exec runs c and returns its wall time, or an *exitError with its stderr.
func (r *runner) exec(c command) (time.Duration, error) {
	cmd := r.newCmd(c)
	var stderr tailBuffer
	cmd.Stderr = &stderr
	if c.stdin != "" {
		f, err := os.Open(c.stdin)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		cmd.Stdin = f
	}
	if c.stdout != "" {
		f, err := os.Create(c.stdout)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		cmd.Stdout = f
	}
	began := time.Now()
	err := cmd.Run()
	wall := time.Since(began)
	if err != nil {
		if r.ctx.Err() != nil {
			return 0, r.ctx.Err()
		}
		code := -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else {
			return 0, fmt.Errorf("cannot run %s: %w", c, err)
		}
		return 0, &exitError{cmd: c, code: code, stderr: stderr.String()}
	}
	return wall, nil
}

// output runs c (unmeasured) and returns its standard output.
func (r *runner) output(c command) (string, error) {
	cmd := r.newCmd(c)
	var stdout bytes.Buffer
	var stderr tailBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if c.stdin != "" {
		f, err := os.Open(c.stdin)
		if err != nil {
			return "", err
		}
		defer f.Close()
		cmd.Stdin = f
	}
	if err := cmd.Run(); err != nil {
		if r.ctx.Err() != nil {
			return "", r.ctx.Err()
		}
		if ee, ok := err.(*exec.ExitError); ok {
			return stdout.String(), &exitError{cmd: c, code: ee.ExitCode(), stderr: stderr.String()}
		}
		return "", fmt.Errorf("cannot run %s: %w", c, err)
	}
	return stdout.String(), nil
}

// tailBuffer keeps the last 4 KiB written to it: enough for an error
// message, bounded however much a failing command prints.
type tailBuffer struct{ b []byte }

const tailMax = 4096

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > tailMax {
		t.b = append(t.b[:0], t.b[len(t.b)-tailMax:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.b) }

// parseTimeReport reads GNU time -v's report: peak RSS and CPU times.
func parseTimeReport(text []byte) (sample, error) {
	var s sample
	seen := 0
	sc := bufio.NewScanner(bytes.NewReader(text))
	for sc.Scan() {
		key, val, ok := strings.Cut(strings.TrimSpace(sc.Text()), ": ")
		if !ok {
			continue
		}
		switch key {
		case "Maximum resident set size (kbytes)":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				return s, fmt.Errorf("GNU time reported an unreadable peak RSS %q", val)
			}
			s.rssKiB = n
			seen++
		case "User time (seconds)", "System time (seconds)":
			f, err := strconv.ParseFloat(val, 64)
			if err != nil {
				return s, fmt.Errorf("GNU time reported an unreadable %s %q", strings.ToLower(key), val)
			}
			d := time.Duration(f * float64(time.Second))
			if key[0] == 'U' {
				s.user = d
			} else {
				s.sys = d
			}
			seen++
		}
	}
	if seen != 3 {
		return s, fmt.Errorf("GNU time's report lacks peak RSS or CPU times (is %s GNU time?)", "the -time command")
	}
	return s, nil
}

// writeFile writes a small text file the harness feeds to a command.
func writeFile(path, text string) error {
	return os.WriteFile(path, []byte(text), 0o600)
}
