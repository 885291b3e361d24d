package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// benchReport is everything one `make bench` run measured, written as
// bench/results/latest.json and rendered as the Markdown table.
type benchReport struct {
	Commit  string        `json:"commit"`
	Time    time.Time     `json:"time"`
	Machine benchMachine  `json:"machine"`
	Scale   float64       `json:"scale"`
	Runs    int           `json:"runs"`
	Figures []benchFigure `json:"figures"`
	Goals   []benchGoal   `json:"goals"`
	Notes   []string      `json:"notes"`

	mu sync.Mutex
	// diskLimit is the median disk-limit insert rate by clients, and
	// isolatedCreate the median CreateTicket rate at 16 clients, both from
	// the create section, for the ratios of later sections.
	diskLimit      map[int]float64
	isolatedCreate float64
}

func (r *benchReport) setDiskLimit(clients int, v float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.diskLimit == nil {
		r.diskLimit = map[int]float64{}
	}
	r.diskLimit[clients] = v
}

func (r *benchReport) diskLimitAt(clients int) float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.diskLimit[clients]
}

// benchMachine is what the figures were measured on.
type benchMachine struct {
	Cores           int     `json:"cores"`
	GoVersion       string  `json:"go_version"`
	Postgres        string  `json:"postgres"`
	FdatasyncPerSec float64 `json:"fdatasync_ops_per_sec"`
}

// benchFigure is one measured quantity.
type benchFigure struct {
	Section string `json:"section"`
	Name    string `json:"name"`
	Unit    string `json:"unit"`
	spread
}

// benchGoal is a ratio the issue asks for and whether this run met it.
type benchGoal struct {
	Name     string  `json:"name"`
	Measured float64 `json:"measured"`
	// AtLeast is true for ">= Target" goals, false for "<= Target".
	AtLeast bool    `json:"at_least"`
	Target  float64 `json:"target"`
	Met     bool    `json:"met"`
}

func (r *benchReport) add(section, name, unit string, s spread) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Figures = append(r.Figures, benchFigure{Section: section, Name: name, Unit: unit, spread: s})
}

func (r *benchReport) goal(name string, measured float64, atLeast bool, target float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	met := measured >= target
	if !atLeast {
		met = measured <= target
	}
	r.Goals = append(r.Goals, benchGoal{Name: name, Measured: measured, AtLeast: atLeast, Target: target, Met: met})
}

func (r *benchReport) note(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// markdown renders the report as the table the README shows.
func (r *benchReport) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Commit `%s`, %s; %d cores, %s, PostgreSQL %s, fdatasync %.0f ops/s; scale %g, %d runs per figure.\n\n",
		r.Commit, r.Time.UTC().Format("2006-01-02 15:04 UTC"), r.Machine.Cores, r.Machine.GoVersion,
		r.Machine.Postgres, r.Machine.FdatasyncPerSec, r.Scale, r.Runs)
	b.WriteString("| section | figure | median | min | max | unit |\n|---|---|---:|---:|---:|---|\n")
	for _, f := range r.Figures {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", f.Section, f.Name, figureText(f.Median), figureText(f.Min), figureText(f.Max), f.Unit)
	}
	b.WriteString("\n| goal | measured | target | met |\n|---|---:|---:|---|\n")
	for _, g := range r.Goals {
		op, met := ">=", "yes"
		if !g.AtLeast {
			op = "<="
		}
		if !g.Met {
			met = "**no**"
		}
		fmt.Fprintf(&b, "| %s | %.2f | %s %.2f | %s |\n", g.Name, g.Measured, op, g.Target, met)
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	return b.String()
}

// figureText prints a figure with precision that suits its size.
func figureText(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// write stores latest.md and latest.json in dir (created if missing).
func (r *benchReport) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report.write: %w", err)
	}
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("report.write: json.MarshalIndent: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "latest.json"), append(js, '\n'), 0o644); err != nil {
		return fmt.Errorf("report.write: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "latest.md"), []byte(r.markdown()), 0o644); err != nil {
		return fmt.Errorf("report.write: %w", err)
	}
	return nil
}

// benchRepoRoot is the repository's top folder (the parent of e2e/).
func benchRepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}
