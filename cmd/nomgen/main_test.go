package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunWritesFilesAndListsThem(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	var out, errb bytes.Buffer
	if code := run([]string{"-n", "100", "-out", dir, "-years", "2020-2022"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if !strings.HasPrefix(out.String(), "300 courses, ") || !strings.Contains(out.String(), "25 people, 100 nominations") {
		t.Errorf("summary %q", out.String())
	}
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o700 {
		t.Errorf("%s has mode %v, want 0700", dir, info.Mode().Perm())
	}
	if _, err := os.Stat(filepath.Join(dir, "nominations.csv")); err != nil {
		t.Error(err)
	}
}

func TestRunRejectsBadFlagsWithExit2(t *testing.T) {
	for name, args := range map[string][]string{
		"ErrNoOut":       {"-n", "10"},
		"ErrYears":       {"-n", "10", "-out", "x", "-years", "last-decade"},
		"ErrUnknownFlag": {"-rows", "10", "-out", "x"},
		"ErrExtraArg":    {"-out", "x", "more"},
		"ErrFormat":      {"-out", "x", "-format", "ods"},
		"ErrNegativeN":   {"-out", "x", "-n", "-5"},
	} {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(args, &out, &errb); code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if errb.Len() == 0 {
				t.Error("no message on stderr")
			}
		})
	}
}

func TestRunReportsUnwritableDirectoryWithExit1(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-n", "10", "-out", file}, &out, &errb); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(errb.String(), "cannot create the output directory") {
		t.Errorf("stderr %q", errb.String())
	}
}
