package output

import (
	"testing"
	"time"
)

func TestTimeLeftIsNeverZeroOrNegative(t *testing.T) {
	for _, c := range []struct {
		elapsed time.Duration
		c       Counts
		want    string
	}{
		{2 * time.Second, Counts{Done: 0, Total: 10}, ""},               // nothing settled: no estimate
		{2 * time.Second, Counts{Done: 10, Total: 10}, ""},              // all settled
		{300 * time.Millisecond, Counts{Done: 9, Total: 10}, ""},        // under a second: not "0s"
		{2 * time.Second, Counts{Done: 1, Total: 3}, ", about 4s left"}, // 2 s a row, 2 rows left
		{10 * time.Second, Counts{Done: 1, Total: 3}, ", about 20s left"},
	} {
		if got := timeLeft(c.elapsed, c.c); got != c.want {
			t.Errorf("timeLeft(%s, %d/%d) = %q, want %q", c.elapsed, c.c.Done, c.c.Total, got, c.want)
		}
	}
}
