package output

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Counts is what the progress line of a run shows.
type Counts struct {
	Done, Total int // rows settled, rows in the run
	Moved       int // rows that left another target for the requested one
	Failed      int // rows failed or timed out
	InFlight    int // EIPs whose requests the cloud accepted, not confirmed yet
	Retries     int // calls sent again (throttled, transient)
}

// Progress is one line on a terminal, redrawn in place while a run goes on:
// done/total, moved, failed, in flight, retries, elapsed and the estimated
// time left. Create it only when its writer is a terminal; scripts and cron
// mail never see it. The drawing (carriage returns, clearing, the elapsed
// time) is the progressbar library's; this type decides what the line says,
// the time left included: the library's estimate read 0s whenever no row had
// settled yet or the rows settled at once ("[2s:0s]" while a bind waited).
type Progress struct {
	mu     sync.Mutex
	w      io.Writer
	verb   string
	bar    *progressbar.ProgressBar
	c      Counts
	start  time.Time
	stop   chan struct{}
	closed bool
}

// progressTick redraws the line while nothing settles, so elapsed time and
// the lines printed above the bar do not stall during a long wait.
const progressTick = 200 * time.Millisecond

// NewProgress draws the line on w for a run of total rows; verb names what
// the run does ("associate", "disassociate").
func NewProgress(w io.Writer, verb string, total int) *Progress {
	p := &Progress{w: w, verb: verb, c: Counts{Total: total}, start: time.Now(), stop: make(chan struct{})}
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(20),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(false), // timeLeft says it instead
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionThrottle(65*time.Millisecond),
		progressbar.OptionSetRenderBlankState(true),
	)
	p.bar.Describe(p.describe())
	go p.tick()
	return p
}

func (p *Progress) tick() {
	t := time.NewTicker(progressTick)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			if !p.closed {
				p.bar.Describe(p.describe())
			}
			p.mu.Unlock()
		}
	}
}

// describe is the part of the line after the bar and the elapsed time.
func (p *Progress) describe() string {
	return fmt.Sprintf("%s: moved %d, failed %d, in flight %d, retries %d%s", p.verb, p.c.Moved, p.c.Failed, p.c.InFlight, p.c.Retries,
		timeLeft(time.Since(p.start), p.c))
}

// timeLeft estimates the rest of the run from the pace so far: elapsed per
// settled row times the rows left. It says nothing until a row has settled,
// nothing once all have, and nothing under a second: a run whose first rows
// settled at once (already bound) and whose last wait on the cloud would
// otherwise read "0s left" for as long as they wait. While nothing settles
// the estimate grows with the elapsed time, so it never falls to zero.
func timeLeft(elapsed time.Duration, c Counts) string {
	left := c.Total - c.Done
	if c.Done <= 0 || left <= 0 {
		return ""
	}
	est := (elapsed / time.Duration(c.Done) * time.Duration(left)).Round(time.Second)
	if est < time.Second {
		return ""
	}
	return fmt.Sprintf(", about %s left", est)
}

// Update redraws the line with c (its Total is ignored).
func (p *Progress) Update(c Counts) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	c.Total = p.c.Total
	p.c = c
	p.bar.Describe(p.describe())
	_ = p.bar.Set(c.Done)
}

// Println prints a line above the progress line (per-EIP status with --verbose).
func (p *Progress) Println(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	// Clear, print, redraw: the library's own Bprintln holds lines until
	// the next unthrottled redraw and drops them when the bar completes.
	_ = p.bar.Clear()
	fmt.Fprintln(p.w, line)
	p.bar.Describe(p.describe())
}

// Clear erases the line until the next redraw, so another line (a log
// record) can be written where it was.
func (p *Progress) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		_ = p.bar.Clear()
	}
}

// Close erases the line, leaving the terminal clean for the report.
func (p *Progress) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	close(p.stop)
	_ = p.bar.Clear()
	_ = p.bar.Exit()
}
