package e2e

import (
	"math"
	"os"
	"slices"
	"strconv"
	"time"
)

// spread is a figure measured several times: the median is the figure, min
// and max show how noisy the machine was.
type spread struct {
	Median float64   `json:"median"`
	Min    float64   `json:"min"`
	Max    float64   `json:"max"`
	Runs   []float64 `json:"runs"`
}

// spreadOf summarises repeated measurements of one figure.
func spreadOf(runs []float64) spread {
	if len(runs) == 0 {
		return spread{}
	}
	s := slices.Clone(runs)
	slices.Sort(s)
	mid := len(s) / 2
	med := s[mid]
	if len(s)%2 == 0 {
		med = (s[mid-1] + s[mid]) / 2
	}
	return spread{Median: med, Min: s[0], Max: s[len(s)-1], Runs: runs}
}

// percentile returns the p-th percentile (0..100, nearest rank) of ds in
// milliseconds.
func percentile(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(math.Ceil(p/100*float64(len(s)))) - 1
	rank = max(0, min(rank, len(s)-1))
	return float64(s[rank].Microseconds()) / 1000
}

// ratio divides two medians, 0 when the baseline is missing.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// perSecond is a rate from a count and the time it took.
func perSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// benchScale multiplies every workload size (BENCH_SCALE, default 1), so a
// developer can run the whole harness quickly at, say, 0.05.
func benchScale() float64 {
	if v, err := strconv.ParseFloat(os.Getenv("BENCH_SCALE"), 64); err == nil && v > 0 {
		return v
	}
	return 1
}

// scaled is n times the bench scale, at least lo.
func scaled(n, lo int) int {
	return max(lo, int(float64(n)*benchScale()))
}

// benchRuns is how many times each figure is measured (BENCH_RUNS, default
// 3: enough for a median with min and max within the run's 90-minute
// bound).
func benchRuns() int {
	if v, err := strconv.Atoi(os.Getenv("BENCH_RUNS")); err == nil && v > 0 {
		return v
	}
	return 3
}

// groupDigits prints a count with thousands separators, as the table shows them.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
