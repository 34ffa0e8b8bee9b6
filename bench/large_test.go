package main

import (
	"testing"
	"time"

	"github.com/eipctl/eipctl/providers/all"
)

// TestBurstFitCutsOnlyLongWindows: a cloud whose calls of an action would
// take twice the action's window is cut to half its EIPs when the window is
// longer than the bind delay (it cannot refill while they bind), and left
// alone when it is shorter (it paces them along, and the floor counts it).
func TestBurstFitCutsOnlyLongWindows(t *testing.T) {
	const bindDelay = 2 * time.Second
	long := 0
	for _, c := range all.Clouds() {
		caps, err := capsOf(c.Spec.Name)
		if err != nil {
			t.Fatal(err)
		}
		for action, l := range caps.Limits {
			// Split over two regions: a cloud counting per account adds them up.
			calls := map[[3]string]int{{c.Spec.Name, "r1", action}: l.Count, {c.Spec.Name, "r2", action}: l.Count}
			if !caps.AccountWide {
				calls = map[[3]string]int{{c.Spec.Name, "r1", action}: 2 * l.Count}
			}
			fit, err := burstFit(calls, bindDelay)
			if err != nil {
				t.Fatal(err)
			}
			f, cut := fit[c.Spec.Name]
			switch {
			case l.Per > bindDelay:
				long++
				if !cut || f != 0.5 {
					t.Errorf("%s %s (%s): fit %v, %v; want half of its EIPs", c.Spec.Name, action, l, f, cut)
				}
			case cut:
				t.Errorf("%s %s (%s): cut to %v; a window within the bind delay paces, it does not cut", c.Spec.Name, action, l, f)
			}
		}
	}
	if long == 0 {
		t.Fatal("no registered cloud has a window longer than the bind delay: the large scenario's cut is untested")
	}
}
