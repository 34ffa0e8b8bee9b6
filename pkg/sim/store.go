package sim

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/eipctl/eipctl/pkg/flock"
)

// store keeps the World in memory and, when it has a directory, on disk as a
// snapshot (state.json) plus an append-only journal of changes since it
// (journal.<gen>). Every access takes an flock on state.lock and first reads
// whatever other processes appended since this one last looked; a mutation
// appends one line per changed EIP or client token. Only when the journal
// outgrows the snapshot is the world rewritten (to a temporary file renamed
// into place, under a new generation), so a request costs a few hundred
// bytes of I/O instead of a re-encoding of the whole world.
//
// Crash safety: a killed process leaves at worst a torn last journal line
// (ignored, and cut off by the next writer) or a temporary snapshot (removed
// at the next start); the world on disk is always snapshot + whole lines.
type store struct {
	mu    sync.Mutex
	dir   string
	fill  func(*World) bool
	world *World
	// offset is how much of journal.<world.Gen> is in world.
	offset int64
	// snapBytes is the size of the last snapshot, to decide compaction.
	snapBytes int64
	// reseal asks the next exclusive access to write a new snapshot (a
	// cloud was added to an old state).
	reseal bool
}

const stateFile, lockFile, journalPrefix = "state.json", "state.lock", "journal."

// minCompact is the journal size below which the world is never rewritten.
var minCompact int64 = 4 << 20

func openStore(dir string, fill func(*World) bool) (*store, error) {
	s := &store{dir: dir, fill: fill}
	if dir == "" {
		s.world = &World{}
		fill(s.world)
		return s, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("emulator state directory %s: %w", dir, err)
	}
	// Seed (or top up) the state once, and clear what a killed process left.
	return s, s.do(true, func(*World) error { return s.tidy() })
}

func (s *store) view(fn func(*World) error) error { return s.do(false, fn) }

func (s *store) update(fn func(*World) error) error { return s.do(true, fn) }

func (s *store) do(write bool, fn func(*World) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" {
		err := fn(s.world)
		s.world.clean()
		return err
	}
	exclusive := write || s.world == nil || s.reseal
	unlock, err := s.lock(exclusive)
	if err != nil {
		return err
	}
	defer unlock()
	if err := s.catchUp(exclusive); err != nil {
		return err
	}
	if exclusive && s.reseal {
		if err := s.compact(); err != nil {
			return err
		}
	}
	err = fn(s.world)
	if write {
		if werr := s.append(); werr != nil && err == nil {
			err = werr
		}
	}
	s.world.clean()
	return err
}

func (s *store) lock(exclusive bool) (func(), error) {
	f, err := os.OpenFile(filepath.Join(s.dir, lockFile), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("emulator state lock: %w", err)
	}
	if err := flock.Lock(f, exclusive, true); err != nil {
		f.Close()
		return nil, fmt.Errorf("emulator state lock: %w", err)
	}
	return func() { flock.Unlock(f); f.Close() }, nil
}

func (s *store) journalPath(gen int64) string {
	return filepath.Join(s.dir, journalPrefix+strconv.FormatInt(gen, 10))
}

// catchUp brings the world up to what is on disk: the snapshot if another
// process wrote a new one (its journal generation is gone), then the
// journal's new lines.
func (s *store) catchUp(exclusive bool) error {
	if s.world == nil {
		if err := s.loadSnapshot(); err != nil {
			return err
		}
	}
	f, err := os.Open(s.journalPath(s.world.Gen))
	if os.IsNotExist(err) {
		// Compacted by another process, or never written since the snapshot.
		if snapGen, ok := s.snapshotGen(); ok && snapGen != s.world.Gen {
			if err := s.loadSnapshot(); err != nil {
				return err
			}
			return s.catchUp(exclusive)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("emulator journal: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("emulator journal: %w", err)
	}
	if fi.Size() <= s.offset {
		return nil
	}
	buf := make([]byte, fi.Size()-s.offset)
	if _, err := f.ReadAt(buf, s.offset); err != nil {
		return fmt.Errorf("emulator journal: %w", err)
	}
	whole := strings.LastIndexByte(string(buf), '\n') + 1
	if err := s.world.apply(buf[:whole]); err != nil {
		return fmt.Errorf("emulator journal %s is damaged (%v): remove %s to start afresh", f.Name(), err, s.dir)
	}
	s.offset += int64(whole)
	if whole < len(buf) && exclusive {
		// A writer died mid-line: cut the torn tail so the next line starts clean.
		if err := os.Truncate(f.Name(), s.offset); err != nil {
			return fmt.Errorf("emulator journal: %w", err)
		}
	}
	return nil
}

// snapshotGen reads just the generation of state.json, cheaply enough to ask
// on every access that finds no journal.
func (s *store) snapshotGen() (int64, bool) {
	f, err := os.Open(filepath.Join(s.dir, stateFile))
	if err != nil {
		return 0, false
	}
	defer f.Close()
	var head [64]byte
	n, _ := f.Read(head[:])
	rest, ok := strings.CutPrefix(string(head[:n]), `{"gen":`)
	if !ok {
		return 0, false
	}
	end := strings.IndexAny(rest, ",}")
	if end < 0 {
		return 0, false
	}
	g, err := strconv.ParseInt(rest[:end], 10, 64)
	return g, err == nil
}

func (s *store) loadSnapshot() error {
	path := filepath.Join(s.dir, stateFile)
	b, err := os.ReadFile(path)
	switch {
	case os.IsNotExist(err):
		s.world, s.offset = &World{}, 0
		s.fill(s.world)
		s.reseal = true
		return nil
	case err != nil:
		return fmt.Errorf("emulator state: %w", err)
	}
	w := &World{}
	if err := json.Unmarshal(b, w); err != nil {
		return fmt.Errorf("emulator state %s is damaged (%v): remove it to start afresh", path, err)
	}
	s.world, s.offset, s.snapBytes = w, 0, int64(len(b))
	if s.fill(w) {
		s.reseal = true
	}
	return nil
}

// append writes what the last transaction changed as journal lines, in one
// write, and compacts when the journal has grown past the snapshot.
func (s *store) append() error {
	lines, err := s.world.changes()
	if err != nil || len(lines) == 0 {
		return err
	}
	path := s.journalPath(s.world.Gen)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("emulator journal: %w", err)
	}
	_, werr := f.Write(lines)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		return fmt.Errorf("emulator journal %s: %v", path, firstErr(werr, cerr))
	}
	s.offset += int64(len(lines))
	if s.offset > max(minCompact, s.snapBytes) {
		return s.compact()
	}
	return nil
}

// compact writes the world as a new snapshot generation and removes the old
// journal. Readers notice by the old journal's absence.
func (s *store) compact() error {
	old := s.world.Gen
	s.world.Gen++
	b, err := json.Marshal(s.world)
	if err != nil {
		s.world.Gen = old
		return err
	}
	if err := writeAtomic(filepath.Join(s.dir, stateFile), b); err != nil {
		s.world.Gen = old
		return fmt.Errorf("emulator state: %w", err)
	}
	s.offset, s.snapBytes, s.reseal = 0, int64(len(b)), false
	_ = os.Remove(s.journalPath(old))
	return nil
}

// tidy removes temporary snapshots and journals of other generations that a
// killed process may have left; it runs under the exclusive lock at start.
func (s *store) tidy() error {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("emulator state directory: %w", err)
	}
	current := journalPrefix + strconv.FormatInt(s.world.Gen, 10)
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, stateFile+".") || (strings.HasPrefix(n, journalPrefix) && n != current) {
			_ = os.Remove(filepath.Join(s.dir, n))
		}
	}
	return nil
}

func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if err := firstErr(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
