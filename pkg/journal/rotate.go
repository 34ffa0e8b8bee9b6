package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// OldSuffix names the rotated journal: FILE.1.
const OldSuffix = ".1"

// rotate, called with the lock held at Open, moves FILE to FILE.1 once it is
// past MaxSize, so the journal takes at most about twice MaxSize on disk.
// Rotation happens only when a run opens the journal, never in the middle
// of a batch, so the entries of a run stay in at most two files.
//
// A move still unfinished (intent without a settling entry, in either
// file) is carried into the new FILE before FILE.1 is replaced: rotation
// never forgets an EIP a rerun must finish, however many rotations pass.
// Readers of both files see a carried entry twice and keep one.
func (j *Journal) rotate() error {
	st, err := os.Stat(j.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil || st.Size() < j.opt.MaxSize {
		return err
	}
	entries, err := Read(j.path, Filter{})
	if err != nil {
		return err
	}
	var carry bytes.Buffer
	enc := json.NewEncoder(&carry)
	for _, m := range Unfinished(entries) {
		if err := enc.Encode(m.Intent); err != nil {
			return err
		}
		if m.last != nil {
			if err := enc.Encode(m.last); err != nil {
				return err
			}
		}
	}
	old := j.path + OldSuffix
	if err := os.Rename(j.path, old); err != nil {
		return err
	}
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(carry.Bytes())
	if err == nil {
		err = f.Sync()
	}
	if e := f.Close(); err == nil {
		err = e
	}
	if err != nil {
		return err
	}
	return syncDir(filepath.Dir(j.path))
}
