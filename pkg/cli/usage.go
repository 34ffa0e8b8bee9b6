package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/eipctl/eipctl/pkg/eip"
)

// A mistyped word must never look like success: cobra prints a group's help
// and exits 0 for `eipctl eip asociate`, and blames a flag when the verb
// before it is the typo. These hooks make every unknown command, subcommand
// or flag a one-line usage error (exit 2) naming it and the nearest word.

// group is a command that only groups others (eip, config, sim): its help
// words and its subcommands. strictGroups gives it what it does when run.
func group(use, short, long, example string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{Use: use, Short: short, Long: long, Example: example}
	cmd.AddCommand(subs...)
	return cmd
}

// strictGroups walks the tree: a command that only groups others shows its
// help when given nothing else, and refuses any other word or flag.
func strictGroups(c *cobra.Command) {
	if c.HasSubCommands() && c.Run == nil && c.RunE == nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownCommand(cmd, args[0])
			}
			return nil
		}
		c.RunE = func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().NFlag() > 0 {
				return &usageError{fmt.Errorf("%q needs a command: one of %s (see `%s --help`)",
					cmd.CommandPath(), strings.Join(subcommands(cmd), ", "), cmd.CommandPath())}
			}
			return cmd.Help()
		}
	}
	for _, sub := range c.Commands() {
		strictGroups(sub)
	}
}

// unknownCommand is cobra's own wording, on one line, with its suggestions.
func unknownCommand(c *cobra.Command, word string) error {
	msg := fmt.Sprintf("unknown command %q for %q", word, c.CommandPath())
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2 // cobra's own default, set only where it prints its suggestions
	}
	if s := c.SuggestionsFor(word); len(s) > 0 {
		return &usageError{fmt.Errorf("%s; did you mean %s?", msg, quoteOr(s))}
	}
	if subs := subcommands(c); len(subs) > 0 {
		return &usageError{fmt.Errorf("%s: use one of %s (see `%s --help`)", msg, strings.Join(subs, ", "), c.CommandPath())}
	}
	return &usageError{fmt.Errorf("%s: it takes no arguments (see `%s --help`)", msg, c.CommandPath())}
}

// subcommands are the words a user may type after c.
func subcommands(c *cobra.Command) []string {
	var out []string
	for _, s := range c.Commands() {
		if s.IsAvailableCommand() {
			out = append(out, s.Name())
		}
	}
	return out
}

func quoteOr(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = fmt.Sprintf("%q", w)
	}
	return strings.Join(q, " or ")
}

// flagError turns a flag parse error into one line. On a group, a word that
// is no subcommand is the real mistake (`eip asociate --eip x` is a typo of
// the verb, not a misplaced --eip), so it is named instead of the flag.
func flagError(c *cobra.Command, argv []string, err error) error {
	if c.HasSubCommands() {
		if word := firstWord(c, argv); word != "" {
			return unknownCommand(c, word)
		}
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		msg = fmt.Sprintf("unknown flag --%s for %q", name, c.CommandPath())
		if near := nearestFlag(c, name); near != "" {
			return &usageError{fmt.Errorf("%s; did you mean --%s?", msg, near)}
		}
	}
	return &usageError{fmt.Errorf("%s: see `%s --help`", msg, c.CommandPath())}
}

// firstWord is the first argument after c's own path that is not a flag or
// a flag's value, as a parse that skips unknown flags sees it.
func firstWord(c *cobra.Command, argv []string) string {
	if argv == nil {
		return ""
	}
	_, rest, err := c.Root().Find(argv)
	if err != nil {
		return ""
	}
	fs := pflag.NewFlagSet(c.Name(), pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.ParseErrorsAllowlist.UnknownFlags = true
	// Copies, so this second parse leaves the real flags alone.
	c.Flags().VisitAll(func(fl *pflag.Flag) {
		cp := *fl
		cp.Value = &discard{fl.Value.Type()}
		fs.AddFlag(&cp)
	})
	if fs.Parse(rest) != nil || fs.NArg() == 0 {
		return ""
	}
	return fs.Arg(0)
}

// discard is a flag value that accepts anything (bool flags take no value).
type discard struct{ typ string }

func (d *discard) String() string     { return "" }
func (d *discard) Set(string) error   { return nil }
func (d *discard) Type() string       { return d.typ }
func (d *discard) IsBoolFlag() bool   { return d.typ == "bool" }
func (d *discard) IsCumulative() bool { return false }

// notOneOf is the usage error for a flag value outside words: one line,
// with the nearest word when one is close.
func notOneOf(flag, value string, words []string) error {
	if slices.Contains(words, value) {
		return nil
	}
	return eip.Usagef("%s %q is not known: %suse one of %s", flag, value, eip.DidYouMean(value, words), strings.Join(words, ", "))
}

// nearestFlag is the flag of c closest to name, as eip.NearestWord finds it.
func nearestFlag(c *cobra.Command, name string) string {
	var names []string
	c.Flags().VisitAll(func(fl *pflag.Flag) {
		if !fl.Hidden {
			names = append(names, fl.Name)
		}
	})
	return eip.NearestWord(name, names)
}

// newHelpCmd replaces cobra's help command, which prints "Unknown help
// topic" and exits 0 for a word it does not know.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Long:  "Help shows the help of any command: eipctl help eip associate.",
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil {
				return &usageError{err}
			}
			if len(rest) > 0 {
				return unknownCommand(cmd, rest[0])
			}
			return cmd.Help()
		},
	}
}
