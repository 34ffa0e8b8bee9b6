// Package flock locks a file against other processes: flock(2) on Unix,
// LockFileEx on Windows. The run lock and the emulator's state lock use it,
// so eipctl builds and behaves the same on every platform it is released for.
package flock

import (
	"errors"
	"os"
)

// ErrLocked is returned by a non-blocking Lock when another process holds
// the lock.
var ErrLocked = errors.New("the file is locked by another process")

// Lock takes a shared or exclusive lock on f. With wait false it returns
// ErrLocked at once instead of waiting for another holder.
func Lock(f *os.File, exclusive, wait bool) error { return lock(f, exclusive, wait) }

// Unlock releases the lock taken on f.
func Unlock(f *os.File) error { return unlock(f) }
