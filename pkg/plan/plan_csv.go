package plan

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// readCSV reads a CSV plan: a header row naming the columns (plan keys, in
// any order), then one binding per row. A column named twice, a column no
// plan knows, and a row with more or fewer values than the header are
// refused: each would otherwise drop or misplace a value without a word.
func readCSV(data []byte) (PlanItem, []planRow, error) {
	cr := csv.NewReader(bytes.NewReader(withoutBOM(data)))
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1 // rows of the wrong width are reported per row below
	header, err := readRecord(cr)
	if header == nil {
		return PlanItem{}, nil, err // an empty file, or a broken first line
	}
	hline, _ := cr.FieldPos(0)
	seen := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		header[i] = h
		if (&PlanItem{}).field(h) == nil {
			return PlanItem{}, nil, fmt.Errorf("line %d: unknown column %q: use %s", hline, h, strings.Join(planKeys, ", "))
		}
		if j, dup := seen[h]; dup {
			return PlanItem{}, nil, fmt.Errorf("line %d: column %q appears twice (columns %d and %d): keep one", hline, h, j+1, i+1)
		}
		seen[h] = i
	}
	var rows []planRow
	for {
		rec, err := readRecord(cr)
		if err != nil {
			// A broken quote spoils the rest of the file: stop here.
			return PlanItem{}, nil, err
		}
		if rec == nil {
			return PlanItem{}, rows, nil
		}
		line, _ := cr.FieldPos(0)
		r := planRow{line: line}
		if len(rec) != len(header) {
			r.err = fmt.Errorf("%d values where the header names %d columns (%s): one value per column, empty ones as ,,",
				len(rec), len(header), strings.Join(header, ","))
		} else {
			for i, h := range header {
				*r.item.field(h) = rec[i]
			}
		}
		rows = append(rows, r)
	}
}

// readRecord reads the next record: nil and no error at the end of the file, nil
// and the error when a line cannot be read.
func readRecord(cr *csv.Reader) ([]string, error) {
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return rec, nil
}
