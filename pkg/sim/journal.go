package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// World is everything the emulator persists. Gen comes first: the store
// reads it from the start of state.json without decoding the rest.
type World struct {
	Gen    int64             `json:"gen"`
	Clouds map[string]*Cloud `json:"clouds"`
}

// change is one journal line: an EIP's whole new state, or a client token.
type change struct {
	Cloud  string `json:"c"`
	Region string `json:"r,omitempty"`
	EIP    *EIP   `json:"e,omitempty"`
	Token  string `json:"t,omitempty"`
	FP     string `json:"f,omitempty"`
}

// changes encodes what the last transaction changed, one JSON line each, in
// a stable order.
func (w *World) changes() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	names := make([]string, 0, len(w.Clouds))
	for n := range w.Clouds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := w.Clouds[n]
		for _, d := range c.dirty {
			if err := enc.Encode(change{Cloud: n, Region: d.region, EIP: d.eip}); err != nil {
				return nil, err
			}
		}
		for _, t := range c.dirtyTokens {
			if err := enc.Encode(change{Cloud: n, Token: t, FP: c.Tokens[t]}); err != nil {
				return nil, err
			}
		}
	}
	return buf.Bytes(), nil
}

// apply replays journal lines written by this or another process.
func (w *World) apply(lines []byte) error {
	for len(lines) > 0 {
		i := bytes.IndexByte(lines, '\n')
		line := lines[:i]
		lines = lines[i+1:]
		var ch change
		if err := json.Unmarshal(line, &ch); err != nil {
			return err
		}
		c, ok := w.Clouds[ch.Cloud]
		if !ok {
			continue // a cloud this build does not serve
		}
		if ch.Token != "" {
			if c.Tokens == nil {
				c.Tokens = map[string]string{}
			}
			c.Tokens[ch.Token] = ch.FP
			continue
		}
		if ch.EIP == nil {
			return fmt.Errorf("a line names neither an EIP nor a token")
		}
		r, ok := c.Region(ch.Region)
		if !ok {
			return fmt.Errorf("unknown region %q", ch.Region)
		}
		e, ok := r.EIP(ch.EIP.ID)
		if !ok {
			return fmt.Errorf("unknown EIP %q", ch.EIP.ID)
		}
		*e = *ch.EIP
		c.watch(e)
	}
	return nil
}

// clean forgets what the last transaction changed.
func (w *World) clean() {
	for _, c := range w.Clouds {
		c.dirty, c.dirtyTokens = nil, nil
	}
}

type dirtyEIP struct {
	region string
	eip    *EIP
}

// touch notes that an EIP changed in this transaction.
func (c *Cloud) touch(region string, e *EIP) {
	for _, d := range c.dirty {
		if d.eip == e {
			return
		}
	}
	c.dirty = append(c.dirty, dirtyEIP{region, e})
}
