package output

import (
	"io"
	"strings"

	"github.com/mattn/go-runewidth"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// minColumn is the narrowest a column is squeezed to when a table must fit
// a width: a column narrower than this by nature keeps its width.
const minColumn = 10

// fitTable renders r as an aligned table at most width columns wide (0: no
// limit). The widest columns give way first, their cells wrapped at spaces,
// so a long error message becomes a few lines in its cell instead of a
// 600-column row. Columns are first narrowed only down to their longest
// word (IDs and addresses stay whole), and cut inside words only if that is
// not enough. A table whose columns are all down to minColumn is printed
// as narrow as it goes, wider than width.
func fitTable(w io.Writer, r Rows, width int) error {
	widths := naturalWidths(r)
	if width > 0 {
		avail := width - (3*len(widths) + 1) // "│ a │ b │": 3 per column and 1
		squeeze(widths, longestWords(r), avail)
		squeeze(widths, nil, avail)
	}
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		// The cells arrive wrapped to their widths; the library must not
		// wrap them again by its own rules.
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
	)
	t.Header(toAny(wrapRow(r.Header, widths))...)
	for _, row := range r.Rows {
		if err := t.Append(toAny(wrapRow(row, widths))...); err != nil {
			return err
		}
	}
	return t.Render()
}

func naturalWidths(r Rows) []int {
	widths := make([]int, len(r.Header))
	for _, row := range append([][]string{r.Header}, r.Rows...) {
		for i, c := range row {
			if i < len(widths) {
				widths[i] = max(widths[i], runewidth.StringWidth(c))
			}
		}
	}
	return widths
}

// longestWords is each column's longest word: the narrowest it can be
// without cutting one.
func longestWords(r Rows) []int {
	out := make([]int, len(r.Header))
	for _, row := range append([][]string{r.Header}, r.Rows...) {
		for i, c := range row {
			for _, word := range strings.Fields(c) {
				if i < len(out) {
					out[i] = max(out[i], runewidth.StringWidth(word))
				}
			}
		}
	}
	return out
}

// squeeze narrows the widest column that may still give way, one column
// at a time, until the columns add up to at most avail. A column gives way
// down to max(floor[i], minColumn) (floor nil: minColumn).
func squeeze(widths, floor []int, avail int) {
	total := 0
	for _, w := range widths {
		total += w
	}
	least := func(i int) int {
		if floor == nil {
			return minColumn
		}
		return max(floor[i], minColumn)
	}
	for total > avail {
		widest := -1
		for i, w := range widths {
			if w > least(i) && (widest < 0 || w > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			return
		}
		widths[widest]--
		total--
	}
}

func wrapRow(row []string, widths []int) []string {
	out := make([]string, len(row))
	for i, c := range row {
		if i < len(widths) && runewidth.StringWidth(c) > widths[i] {
			c = strings.Join(wrap(c, widths[i]), "\n")
		}
		out[i] = c
	}
	return out
}

// wrap breaks s into lines of at most width columns, at spaces where it can.
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		for runewidth.StringWidth(word) > width { // cut a word too long for any line
			if line != "" {
				lines, line = append(lines, line), ""
			}
			head := runewidth.Truncate(word, width, "")
			lines, word = append(lines, head), word[len(head):]
		}
		switch {
		case line == "":
			line = word
		case runewidth.StringWidth(line)+1+runewidth.StringWidth(word) <= width:
			line += " " + word
		default:
			lines, line = append(lines, line), word
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
