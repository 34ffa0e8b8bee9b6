package eip

import "errors"

// Classify is the frame of every adapter's Classify: an error that already
// is an *Error (eipctl's own, or one the adapter classified as it made it)
// stays as it is, any other is read by the adapter's own classification
// table (read), and either way the adapter's access key ID is masked
// wherever a message echoes it.
func Classify(err error, keyID string, read func(error) *Error) *Error {
	var e *Error
	if !errors.As(err, &e) {
		e = read(err)
	}
	return e.Redacted(keyID)
}
