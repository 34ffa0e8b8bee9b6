package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/eipctl/eipctl/pkg/flock"
)

// FileName is the journal's name in the state directory.
const FileName = "journal.jsonl"

// DefaultMaxSize is the size past which Open rotates the journal: the file
// becomes FILE.1 (replacing the one before) and a new FILE starts. Reading
// a file of this size (about 19,000 entries) at the start of a run, for
// Unfinished and --min-interval, costs about 0.6 s wall on the 2-core CI
// machine under load (BenchmarkReadRotated); an entry is about 450 bytes,
// so a 10,000-EIP force run writes about 9 MB (intent and outcome each).
const DefaultMaxSize = 8 << 20

// DefaultPath is the journal in a state directory (config.Config.StateDir).
func DefaultPath(stateDir string) string { return filepath.Join(stateDir, FileName) }

// Options tune a journal; the zero value is what eipctl uses.
type Options struct {
	Run     string           // run ID stamped on every entry (default NewRunID)
	Host    string           // host name stamped on every entry (default os.Hostname)
	MaxSize int64            // rotate at Open past this size (default DefaultMaxSize)
	Now     func() time.Time // clock for entries without a time (default time.Now)
}

// Journal appends entries to one journal file. It is safe for concurrent
// use, and other processes may append to the same file at once: every
// Append takes an exclusive flock on FILE.lock and writes its whole batch
// with one write(2) on an O_APPEND descriptor, then fsyncs, so lines never
// interleave and an Append that returned is on disk.
type Journal struct {
	path string
	opt  Options

	mu   sync.Mutex
	lock *os.File // FILE.lock: the flock every writer and the rotation take
	f    *os.File // FILE, O_APPEND; reopened when another process rotated it
}

// Open opens (creating it and its directory when missing) the journal at
// path, rotating it first when it has grown past MaxSize. An empty path is
// the journal switched off (--journal ”): Open returns nil, which records
// nothing.
func Open(path string, o Options) (*Journal, error) {
	if path == "" {
		return nil, nil
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Run == "" {
		o.Run = NewRunID(o.Now())
	}
	if o.Host == "" {
		o.Host, _ = os.Hostname()
	}
	if o.MaxSize <= 0 {
		o.MaxSize = DefaultMaxSize
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	lock, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	j := &Journal{path: path, opt: o, lock: lock}
	err = j.locked(func() error {
		// A rotation that fails (a full disk, Windows refusing to rename a
		// file another run holds open) leaves the journal growing: better
		// than refusing a failover for it. It is tried again at the next Open.
		_ = j.rotate()
		return j.reopen()
	})
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	return j, nil
}

// Path is the journal's file ("" when switched off).
func (j *Journal) Path() string {
	if j == nil {
		return ""
	}
	return j.path
}

// RunID is the run ID stamped on this journal's entries ("" when off).
func (j *Journal) RunID() string {
	if j == nil {
		return ""
	}
	return j.opt.Run
}

// Append writes entries as one batch: one write and one fsync however many
// there are, which is what lets the engine record the intent of a 100-EIP
// chunk before its unbind call without 100 disk flushes. Run, Host and a
// zero Time are filled in. When Append returns nil every entry is on disk;
// when it returns an error the caller must not send the call it records.
func (j *Journal) Append(entries ...Entry) error {
	if j == nil || len(entries) == 0 {
		return nil
	}
	var buf bytes.Buffer
	now := j.opt.Now().UTC()
	enc := json.NewEncoder(&buf) // Encode ends each entry with "\n"
	for _, e := range entries {
		if e.Time.IsZero() {
			e.Time = now
		}
		if e.Run == "" {
			e.Run = j.opt.Run
		}
		if e.Host == "" {
			e.Host = j.opt.Host
		}
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("journal %s: %w", j.path, err)
		}
	}
	err := j.locked(func() error {
		if err := j.follow(); err != nil {
			return err
		}
		if err := j.mendTail(); err != nil {
			return err
		}
		if _, err := j.f.Write(buf.Bytes()); err != nil {
			return err
		}
		return j.f.Sync()
	})
	if err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	return nil
}

// Close releases the journal's files.
func (j *Journal) Close() error {
	if j == nil {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	err := j.f.Close()
	if e := j.lock.Close(); err == nil {
		err = e
	}
	return err
}

// locked runs fn holding the in-process mutex (goroutines sharing this
// Journal share its descriptors, which flock does not tell apart) and the
// exclusive flock on FILE.lock (other processes, and other Journals on the
// same file in this one).
func (j *Journal) locked(fn func() error) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := flock.Lock(j.lock, true, true); err != nil {
		return err
	}
	defer flock.Unlock(j.lock)
	return fn()
}

// reopen opens FILE for appending, creating it (and fsyncing the directory,
// so the new name survives a crash) when it is missing.
func (j *Journal) reopen() error {
	if j.f != nil {
		j.f.Close()
		j.f = nil
	}
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND, 0)
	if errors.Is(err, fs.ErrNotExist) {
		f, err = os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err == nil {
			err = syncDir(filepath.Dir(j.path))
		}
	}
	if err != nil {
		if f != nil {
			f.Close()
		}
		return err
	}
	j.f = f
	return nil
}

// follow reopens FILE when another process rotated it away since we opened
// it, so entries land in the file readers look at.
func (j *Journal) follow() error {
	have, err := j.f.Stat()
	if err != nil {
		return err
	}
	now, err := os.Stat(j.path)
	if err == nil && os.SameFile(have, now) {
		return nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return j.reopen()
}

// mendTail ends a torn last line (a writer killed in the middle of its
// write) with a newline, so the torn line stays one bad line that readers
// skip instead of swallowing the first entry of this batch.
func (j *Journal) mendTail() error {
	st, err := j.f.Stat()
	if err != nil || st.Size() == 0 {
		return err
	}
	r, err := os.Open(j.path)
	if err != nil {
		return err
	}
	defer r.Close()
	last := make([]byte, 1)
	if _, err := r.ReadAt(last, st.Size()-1); err != nil {
		return err
	}
	if last[0] != '\n' {
		_, err = j.f.Write([]byte("\n"))
	}
	return err
}

// syncDir fsyncs a directory so a file created or renamed in it is durable.
// Windows cannot open a directory for syncing; NTFS journals the metadata.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
