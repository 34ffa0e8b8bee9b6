package output_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/output"
)

// The line is redrawn in place (carriage returns, never a newline of its
// own), says done/total and each counter, and is erased by Close.
func TestProgressRedrawsOneLine(t *testing.T) {
	var w eiptest.SyncBuffer
	p := output.NewProgress(&w, "associate", 10)
	p.Update(output.Counts{Done: 3, Moved: 2, Failed: 1, InFlight: 5, Retries: 4})
	// Redraws are throttled; the ticker draws the latest counts within a
	// few hundred milliseconds.
	got := eventually(&w, "retries 4")
	for _, want := range []string{"\r", "3/10", "associate: moved 2", "failed 1", "in flight 5", "retries 4"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress output lacks %q:\n%q", want, got)
		}
	}
	if strings.Contains(got, "\n") {
		t.Errorf("progress line wrote a newline; it must redraw in place:\n%q", got)
	}
	p.Println("alibaba cn-hangzhou eip-1: InUse")
	p.Close()
	got = w.String()
	if strings.Count(got, "\n") != 1 || !strings.Contains(got, "eip-1: InUse\n") {
		t.Errorf("a status line must print once, whole, above the bar:\n%q", got)
	}
	// Erased: the output ends with a carriage return after blanks, so what
	// comes next (the table) starts on a clean line.
	if !strings.HasSuffix(got, "\r") || !strings.Contains(got[strings.LastIndex(got, "eip-1"):], "        \r") {
		t.Errorf("Close did not erase the line:\n%q", got)
	}
	n := len(w.String())
	p.Update(output.Counts{Done: 4})
	p.Println("late")
	if len(w.String()) != n {
		t.Errorf("progress wrote after Close: %q", w.String()[n:])
	}
}

// Every row settled at once still ends with a clean line.
func TestProgressComplete(t *testing.T) {
	var w eiptest.SyncBuffer
	p := output.NewProgress(&w, "disassociate", 2)
	p.Update(output.Counts{Done: 2})
	if !strings.Contains(eventually(&w, "2/2"), "2/2") {
		t.Errorf("complete run not drawn: %q", w.String())
	}
	p.Close()
	if !strings.HasSuffix(w.String(), "\r") {
		t.Errorf("not erased: %q", w.String())
	}
}

// eventually waits up to two seconds for w to hold s, and returns w's text.
func eventually(w *eiptest.SyncBuffer, s string) string {
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(w.String(), s) {
			break
		}
	}
	return w.String()
}

type flushCounter struct {
	bytes.Buffer
	flushes int
}

func (f *flushCounter) Flush() error { f.flushes++; return nil }

// Each value is one line, written whole and flushed before Write returns.
func TestLinesOnePerWriteFlushed(t *testing.T) {
	var w flushCounter
	l := output.NewLines(&w)
	if err := l.Write(map[string]any{"eipId": "eip-1", "error": nil}); err != nil {
		t.Fatal(err)
	}
	if w.String() != `{"eipId":"eip-1","error":null}`+"\n" || w.flushes != 1 {
		t.Fatalf("first line %q after %d flushes", w.String(), w.flushes)
	}
	_ = l.Write(map[string]any{"summary": map[string]int{"total": 1}})
	lines := strings.Split(strings.TrimSuffix(w.String(), "\n"), "\n")
	if len(lines) != 2 || lines[1] != `{"summary":{"total":1}}` || w.flushes != 2 {
		t.Errorf("lines %q after %d flushes", lines, w.flushes)
	}
}

// While no row has settled, the line shows the elapsed time only: the
// library's own estimate drew "[0s:0s]" (and "[2s:0s]" during a wait).
func TestProgressShowsNoZeroTimeLeftWhileWaiting(t *testing.T) {
	var w eiptest.SyncBuffer
	p := output.NewProgress(&w, "associate", 4)
	p.Update(output.Counts{InFlight: 4, Retries: 1})
	got := eventually(&w, "retries 1")
	p.Close()
	if strings.Contains(got, ":0s]") || strings.Contains(got, " 0s left") || strings.Contains(got, "-") {
		t.Errorf("the progress line shows a zero or negative time left:\n%q", got)
	}
	if !strings.Contains(got, "[0s]") {
		t.Errorf("the progress line lacks the elapsed time [0s]:\n%q", got)
	}
}
