package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"time"
)

// Filter picks entries; zero fields match everything.
type Filter struct {
	EIP   string    // an EIP ID or its public address
	Since time.Time // entries at or after this time
	Run   string    // one run's entries
}

func (f Filter) keep(e Entry) bool {
	return (f.EIP == "" || e.EIP == f.EIP || e.IP == f.EIP) &&
		(f.Since.IsZero() || !e.Time.Before(f.Since)) &&
		(f.Run == "" || e.Run == f.Run)
}

// Read returns the entries of the journal at path that pass f, oldest
// first: the rotated FILE.1, then FILE. Missing files hold no entries.
// Lines that are not a whole entry (the torn last line of a writer killed
// mid-write) are skipped, never fatal.
func Read(path string, f Filter) ([]Entry, error) {
	entries, _, err := ReadSkipped(path, f)
	return entries, err
}

// ReadSkipped is Read that also counts the lines it skipped.
func ReadSkipped(path string, f Filter) ([]Entry, int, error) {
	var out []Entry
	skipped := 0
	// Rotation copies unfinished moves from FILE.1 into FILE; an entry of
	// FILE that FILE.1 already holds is such a copy, read once.
	old := map[entryID]bool{}
	for i, p := range []string{path + OldSuffix, path} {
		fh, err := os.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		n, err := scan(fh, func(e Entry) {
			id := entryID{e.Run, e.Key(), e.Time.UnixNano(), e.Outcome}
			if i == 0 {
				old[id] = true
			} else if old[id] {
				return
			}
			if f.keep(e) {
				out = append(out, e)
			}
		})
		fh.Close()
		skipped += n
		if err != nil {
			return nil, 0, err
		}
	}
	return out, skipped, nil
}

type entryID struct {
	run     string
	key     Key
	nano    int64
	outcome Outcome
}

// scan calls each for every whole entry in r and returns how many lines it
// skipped. A line of any length is read (no bufio.Scanner token limit).
func scan(r io.Reader, each func(Entry)) (int, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	skipped := 0
	for {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var e Entry
			if json.Unmarshal(line, &e) == nil && e.EIP != "" && e.Action != "" {
				each(e)
			} else {
				skipped++
			}
		}
		if errors.Is(err, io.EOF) {
			return skipped, nil
		}
		if err != nil {
			return skipped, err
		}
	}
}

// Move is a move whose intent was written and that nothing has settled since:
// what a rerun must finish (bind the EIP to Intent.New, or put it back on
// Intent.Previous) before anything else touches that EIP.
type Move struct {
	// Intent is the write-ahead entry: its run, time, provider, region,
	// EIP, the old holder (Previous, with its private IP and mode) and the
	// new target (New).
	Intent Entry
	// Last is the latest word on the move: intent (nothing more was
	// written: killed before or during the unbind), accepted, pending or
	// unbound.
	Last Outcome
	// Code is the error code of that latest word, if any.
	Code string
	last *Entry // the entry behind Last, when it is not the intent
}

// Unfinished returns the moves of entries (oldest first, as Read returns
// them) whose intent has no settling entry after it for the same EIP: none
// of moved, putback, associated, disassociated, or a failed move or unbind
// (which leave the EIP on its holder). Any run's settling entry counts, so
// a later run that bound the EIP somewhere closes an older run's move. A
// newer intent for the same EIP replaces an older one. In the order the
// intents were written.
func Unfinished(entries []Entry) []Move {
	open := map[Key]int{} // key -> index in moves
	var moves []Move
	dead := map[int]bool{}
	for _, e := range entries {
		k := e.Key()
		i, ok := open[k]
		switch {
		case e.Action == ActionMove && e.Outcome == OutcomeIntent:
			if ok {
				dead[i] = true
			}
			open[k] = len(moves)
			moves = append(moves, Move{Intent: e, Last: OutcomeIntent})
		case !ok:
		case e.settles():
			dead[i] = true
			delete(open, k)
		case e.Action == ActionMove:
			moves[i].Last, moves[i].Code, moves[i].last = e.Outcome, e.Code, &e
		}
	}
	out := []Move{}
	for i, m := range moves {
		if !dead[i] {
			out = append(out, m)
		}
	}
	return out
}

// Change is what one run did to one EIP, for --undo.
type Change struct {
	Key
	IP     string
	Action Action
	// From is where the run found the EIP (nil: free): where an undo puts
	// it back. To is where the run left it by its last word (nil: free);
	// for a move the run did not settle (Outcome intent, accepted, pending)
	// it is the target the run was moving it to, and only a read of the
	// cloud says where it is.
	From, To *Holder
	Outcome  Outcome // the run's last word on this EIP
}

// Run returns what the run runID changed, one Change per EIP in the order
// the run first touched them. EIPs the run left where they were (outcome
// putback, or failed) are left out: there is nothing to undo. An undo binds
// each Change back to From (or unbinds it when From is nil), fenced against
// To: only if the EIP is still where the run left it.
func Run(entries []Entry, runID string) []Change {
	at := map[Key]int{}
	var all []Change
	for _, e := range entries {
		if e.Run != runID {
			continue
		}
		i, ok := at[e.Key()]
		if !ok {
			i = len(all)
			at[e.Key()] = i
			all = append(all, Change{Key: e.Key(), IP: e.IP, Action: e.Action, From: e.Previous})
		}
		c := &all[i]
		c.Outcome = e.Outcome
		switch e.Outcome {
		case OutcomeDisassociated, OutcomeUnbound:
			c.To = nil
		default:
			c.To = e.New
		}
	}
	out := []Change{}
	for _, c := range all {
		if c.Outcome != OutcomePutBack && c.Outcome != OutcomeFailed {
			out = append(out, c)
		}
	}
	return out
}

// LastMove is when the entries last show k moved or bound to a new holder
// (outcome moved or associated), for --min-interval; ok is false when they
// never do.
func LastMove(entries []Entry, k Key) (at time.Time, ok bool) {
	for _, e := range entries {
		if e.Key() == k && (e.Outcome == OutcomeMoved || e.Outcome == OutcomeAssociated) && e.Time.After(at) {
			at, ok = e.Time, true
		}
	}
	return at, ok
}
