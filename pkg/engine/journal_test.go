package engine_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eipctl/eipctl/pkg/eip"
	"github.com/eipctl/eipctl/pkg/eip/eiptest"
	"github.com/eipctl/eipctl/pkg/journal"
)

func openJournal(t *testing.T) (*journal.Journal, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	j, err := journal.Open(path, journal.Options{Run: "run-now"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j, path
}

func readJournal(t *testing.T, path string) []journal.Entry {
	t.Helper()
	es, err := journal.Read(path, journal.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// A move's intent (the EIP, its holder, the new target) is on disk before
// its unbind is sent, and its outcome follows.
func TestMoveIntentIsWrittenBeforeTheUnbind(t *testing.T) {
	f := newFixture(t, time.Second)
	j, path := openJournal(t)
	f.cloud.Bound("eip-0001", "i-a", eip.Instance, "", "")
	var atUnbind []journal.Entry
	f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
		if s.Action == "Disassociate" {
			atUnbind = readJournal(t, path)
		}
		return eip.CallResult{}, nil
	}
	f.engine().Journal = j
	wantStatus(t, f.associate(fenced("eip-0001", "i-b")), eip.StatusMoved)
	if len(atUnbind) != 1 || atUnbind[0].Outcome != journal.OutcomeIntent || atUnbind[0].Previous == nil ||
		atUnbind[0].Previous.TargetID != "i-a" || atUnbind[0].New.TargetID != "i-b" {
		t.Fatalf("journal when the unbind went out: %+v", atUnbind)
	}
	es := readJournal(t, path)
	if last := es[len(es)-1]; last.Outcome != journal.OutcomeMoved || last.Run != "run-now" {
		t.Fatalf("the move's outcome is not recorded: %+v", es)
	}
	if len(journal.Unfinished(es)) != 0 {
		t.Fatalf("a finished move is left unfinished: %+v", journal.Unfinished(es))
	}
}

// strandedBy is the journal of a run killed after its unbind of eip-0001
// (from i-a, to i-b) was sent: an intent and nothing more.
func strandedBy(run string, at time.Time) []journal.Entry {
	return []journal.Entry{{Time: at, Run: run, Provider: "fake", Region: region, EIP: "eip-0001",
		Action: journal.ActionMove, Outcome: journal.OutcomeIntent,
		Previous: &journal.Holder{TargetID: "i-a", TargetType: eip.Instance, Mode: eip.ModeNAT},
		New:      &journal.Holder{TargetID: "i-b", TargetType: eip.Instance, Mode: eip.ModeNAT}}}
}

// A rerun of a move that an earlier run left cut short, with the EIP free:
// bound to its new target and said so; if the new target refuses it, put
// back on the holder the journal names, never left unbound.
func TestRerunFinishesAStrandedMove(t *testing.T) {
	t.Run("bound to the new target", func(t *testing.T) {
		f := newFixture(t, time.Second)
		f.engine().History = strandedBy("run-killed", f.clk.Now().Add(-time.Minute))
		r := f.associate(fenced("eip-0001", "i-b")).Results[0]
		// It was free when this run started: associated, with a note.
		if r.Status != eip.StatusAssociated || !strings.Contains(r.Note, "run-killed") {
			t.Fatalf("status %s note %q (%+v)", r.Status, r.Note, r.Error)
		}
	})
	t.Run("refused: put back", func(t *testing.T) {
		f := newFixture(t, time.Second)
		f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
			if s.Target == "i-b" {
				return eip.CallResult{}, eip.Errorf(eip.ClassInvalid, "QuotaExceeded", "the target holds as many EIPs as it may")
			}
			return eip.CallResult{}, nil
		}
		f.engine().History = strandedBy("run-killed", f.clk.Now().Add(-time.Minute))
		r := f.associate(fenced("eip-0001", "i-b")).Results[0]
		if a := f.cloud.Addr("eip-0001"); !a.BoundTo("i-a") {
			t.Fatalf("the EIP ended %s %s, not back on i-a; row %s %+v", a.State, a.TargetID, r.Status, r.Error)
		}
		if r.Status != eip.StatusFailed || !strings.Contains(r.Error.Message, "put it back on instance i-a") {
			t.Fatalf("row %s %+v", r.Status, r.Error)
		}
	})
}

// --min-interval refuses to move an EIP the journal shows moved less than
// that long ago (TooSoon, nothing sent); --min-interval 0 moves it.
func TestMinInterval(t *testing.T) {
	moved := func(at time.Time) []journal.Entry {
		es := strandedBy("run-before", at)
		done := es[0]
		done.Outcome = journal.OutcomeMoved
		return append(es, done)
	}
	f := newFixture(t, time.Second)
	f.cloud.Bound("eip-0001", "i-a", eip.Instance, "", "")
	e := f.engine()
	e.History, e.MinInterval = moved(f.clk.Now().Add(-time.Minute)), 5*time.Minute
	r := f.associate(fenced("eip-0001", "i-b")).Results[0]
	wantFailed(t, r, eip.ClassInvalid, "TooSoon")
	if len(f.cloud.Sent()) != 0 {
		t.Fatalf("%d calls sent for a refused move", len(f.cloud.Sent()))
	}
	e.MinInterval = 0
	wantStatus(t, f.associate(fenced("eip-0001", "i-b")), eip.StatusMoved)
}

// A put-back the cloud accepts and then drops (a transient BindingFailed) is
// sent again: the EIP ends back where it was.
func TestPutBackIsRetried(t *testing.T) {
	f := newFixture(t, time.Second)
	f.cloud.Bound("eip-0001", "i-a", eip.Instance, "", "")
	backs := 0
	f.cloud.OnRun = func(n int, s eiptest.Sent) (eip.CallResult, error) {
		switch {
		case s.Target == "i-b":
			return eip.CallResult{}, eip.Errorf(eip.ClassInvalid, "QuotaExceeded", "full")
		case s.Target == "i-a":
			if backs++; backs == 1 {
				f.cloud.FailBinding("eip-0001")
			}
		}
		return eip.CallResult{}, nil
	}
	r := f.associate(fenced("eip-0001", "i-b")).Results[0]
	if a := f.cloud.Addr("eip-0001"); !a.BoundTo("i-a") || backs != 2 {
		t.Fatalf("after %d put-backs the EIP is %s %s; row %s %+v", backs, a.State, a.TargetID, r.Status, r.Error)
	}
}

// A move whose unbind outlasts --timeout says in words that the EIP is or
// will be unbound, and gives a command eipctl accepts: no --private-ip for
// an instance holder on a cloud whose instances take none.
func TestTimeoutDuringTheUnbindSaysSo(t *testing.T) {
	f := newFixture(t, 10*time.Second)
	f.caps.Syntax = &eip.Syntax{PrivateIP: []eip.TargetType{eip.ENI}}
	f.cloud.Bound("eip-0001", "i-a", eip.Instance, "10.0.0.9", eip.ModeNAT)
	j, _ := openJournal(t)
	e := f.engine()
	e.Timeout, e.Journal = 3*time.Second, j
	r := f.associate(fenced("eip-0001", "i-b")).Results[0]
	if r.Status != eip.StatusTimeout || r.Error == nil {
		t.Fatalf("row %s %+v", r.Status, r.Error)
	}
	msg := r.Error.Message
	for _, want := range []string{"is or will be UNBOUND", "run the same command again", "--target i-a", "--force --from i-a,none"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
	if strings.Contains(msg, "--private-ip") {
		t.Errorf("the restore command passes --private-ip for an instance: %s", msg)
	}
}
