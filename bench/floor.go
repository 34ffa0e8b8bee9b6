package main

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"time"
)

// calls counts the native mutating requests a dry run says it would send, by
// provider, region and action: the pacing part of the floor comes from them.
func calls(dryRunStderr []byte) map[[3]string]int {
	out := map[[3]string]int{}
	sc := bufio.NewScanner(bytes.NewReader(dryRunStderr))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "dry-run: would send ")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) >= 3 {
			out[[3]string{f[0], f[1], f[2]}]++
		}
	}
	return out
}

// floor is the least time any client could take: the transitional delays
// the cloud imposes, one round trip per dependent step, and the longest time a
// documented limit forces on one native action's calls. A window of Count per
// Per lets Count calls go at once and Count more each Per after.
func floor(o options, phases, roundTrips int, perAction map[[3]string]int) (time.Duration, string, error) {
	d := time.Duration(phases)*o.bindDelay + time.Duration(roundTrips)*o.latency
	merged, err := byPacer(perAction)
	if err != nil {
		return 0, "", err
	}
	var worst time.Duration
	why := "none"
	for k, n := range merged {
		l, err := limitFor(k[0], k[2])
		if err != nil {
			return 0, "", err
		}
		if l.Count <= 0 || n == 0 {
			continue
		}
		if t := time.Duration((n-1)/l.Count) * l.Per; t > worst {
			worst, why = t, fmt.Sprintf("%s %s %s: %d calls at %d/%s", k[0], k[1], k[2], n, l.Count, l.Per)
		}
	}
	return d + worst, why, nil
}

// byPacer counts the calls of perAction by the pacer that spaces them: a
// cloud that counts its limits per account paces every region's calls of an
// action together, so they are counted under "all regions".
func byPacer(perAction map[[3]string]int) (map[[3]string]int, error) {
	merged := map[[3]string]int{}
	for k, n := range perAction {
		caps, err := capsOf(k[0])
		if err != nil {
			return nil, err
		}
		if caps.AccountWide {
			k[1] = "all regions"
		}
		merged[k] += n
	}
	return merged, nil
}
