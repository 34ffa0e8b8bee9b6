package journal_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/eipctl/eipctl/pkg/journal"
)

// FuzzTornTail: whatever bytes end the journal when a run starts (a writer
// killed mid-line, a disk that lost a block, a file someone edited), the
// next run's intent is read back whole and is the move a rerun finishes, and
// reading the file fails for none of it. A torn tail that swallowed the
// intent would let a rerun skip an EIP left held by nobody.
func FuzzTornTail(f *testing.F) {
	whole := `{"time":"2026-12-07T10:00:00Z","run":"r0","host":"h","provider":"alibaba","region":"cn-hangzhou","eipId":"eip-hz0001","ip":"47.96.0.2","action":"move","outcome":"intent","previous":null,"new":null,"requestId":"","code":"","finishes":""}`
	for _, s := range []string{
		"",
		"\n\n",
		whole + "\n",
		whole,                // a whole entry whose newline was never written
		whole[:len(whole)/2], // killed mid-write
		whole + "\n" + whole[:40],
		`{"eipId":"eip-fuzz","action":"move","outcome":"moved"`, // a settling entry, torn
		"\x00\xff\xfe{\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, tail []byte) {
		path := filepath.Join(t.TempDir(), journal.FileName)
		if err := os.WriteFile(path, tail, 0o600); err != nil {
			t.Fatal(err)
		}
		j := open(t, path, journal.Options{Run: "fuzz"})
		if err := j.Append(move("eip-fuzz", journal.OutcomeIntent)); err != nil {
			t.Fatalf("Append after a torn tail: %v", err)
		}
		got := read(t, path, journal.Filter{})
		if len(got) == 0 {
			t.Fatalf("the appended intent was not read back after tail %q", tail)
		}
		if last := got[len(got)-1]; last.EIP != "eip-fuzz" || last.Run != "fuzz" || last.Outcome != journal.OutcomeIntent {
			t.Fatalf("last entry read %+v, want the appended intent (tail %q)", last, tail)
		}
		um := journal.Unfinished(got)
		if len(um) == 0 || um[len(um)-1].Intent.EIP != "eip-fuzz" || um[len(um)-1].Last != journal.OutcomeIntent {
			t.Fatalf("unfinished %+v: the appended intent is not the last unfinished move (tail %q)", um, tail)
		}
		journal.Run(got, "fuzz")
	})
}
