package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// store keeps the World in memory and, when it has a directory, in
// state.json there. Every access takes an flock on state.lock, reloads the file
// if another process changed it, and writes changes to a temporary file that
// is renamed into place, so concurrent eipctl processes never see or leave a
// torn state.
type store struct {
	mu    sync.Mutex
	dir   string
	fill  func(*World) bool
	world *World
	// raw is state.json as last read or written. A change is detected by
	// content, not by modification time and size: two writes within one
	// tick of the file system's coarse clock can leave both the same, and a
	// stale world written back would undo the other process's change.
	raw []byte
}

const stateFile, lockFile = "state.json", "state.lock"

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
	// Seed (or top up) the file once, under the lock.
	return s, s.update(func(*World) error { return nil })
}

func (s *store) view(fn func(*World) error) error { return s.do(false, fn) }

func (s *store) update(fn func(*World) error) error { return s.do(true, fn) }

func (s *store) do(write bool, fn func(*World) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" {
		return fn(s.world)
	}
	unlock, err := s.lock(write)
	if err != nil {
		return err
	}
	defer unlock()
	dirty, err := s.load()
	if err != nil {
		return err
	}
	err = fn(s.world)
	if write || dirty {
		if werr := s.save(); werr != nil && err == nil {
			err = werr
		}
	}
	return err
}

func (s *store) lock(exclusive bool) (func(), error) {
	f, err := os.OpenFile(filepath.Join(s.dir, lockFile), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("emulator state lock: %w", err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	// A reader that may need to seed takes the exclusive lock too; seeding is rare.
	if s.world == nil {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		return nil, fmt.Errorf("emulator state lock: %w", err)
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}

// load rereads state.json when it changed since we last saw it. It reports
// whether the world had to be seeded or topped up (and so must be saved).
func (s *store) load() (bool, error) {
	path := filepath.Join(s.dir, stateFile)
	b, err := os.ReadFile(path)
	switch {
	case os.IsNotExist(err):
		s.world, s.raw = &World{}, nil
		return s.fill(s.world), nil
	case err != nil:
		return false, fmt.Errorf("emulator state: %w", err)
	}
	if s.world != nil && bytes.Equal(b, s.raw) {
		return false, nil
	}
	w := &World{}
	if err := json.Unmarshal(b, w); err != nil {
		return false, fmt.Errorf("emulator state %s is damaged (%v): remove it to start afresh", path, err)
	}
	s.world, s.raw = w, b
	return s.fill(w), nil
}

func (s *store) save() error {
	b, err := json.Marshal(s.world)
	if err != nil {
		return err
	}
	path := filepath.Join(s.dir, stateFile)
	tmp, err := os.CreateTemp(s.dir, stateFile+".*")
	if err != nil {
		return fmt.Errorf("emulator state: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("emulator state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("emulator state: %w", err)
	}
	s.raw = b
	return nil
}
