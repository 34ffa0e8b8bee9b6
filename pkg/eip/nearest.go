package eip

import (
	"fmt"
	"strings"
)

// NearestWord is the word closest to typed (at most two edits and fewer
// edits than typed has letters, or typed is a prefix of it of three letters
// or more), the first of equals, or "": the one guess behind every "did you
// mean" of a flag, a flag's value or a plan's word (a target type, a mode).
// Two edits to a two-letter word would make any two-letter word a guess.
func NearestWord[T ~string](typed string, words []T) T {
	var best T
	bestD := 3
	for _, w := range words {
		d := Distance(strings.ToLower(typed), string(w))
		if strings.HasPrefix(string(w), typed) && len(typed) >= 3 {
			d = min(d, 1)
		}
		if d < bestD && d < len(typed) {
			best, bestD = w, d
		}
	}
	return best
}

// DidYouMean is `did you mean "WORD"? ` for the nearest of words to typed,
// or "" when none is near, to stand before a message's list of words.
func DidYouMean[T ~string](typed string, words []T) string {
	if near := NearestWord(typed, words); near != "" {
		return fmt.Sprintf("did you mean %q? ", near)
	}
	return ""
}
