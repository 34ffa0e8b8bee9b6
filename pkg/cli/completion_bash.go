package cli

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

const bashLong = `Generate the bash completion script for eipctl: cobra's version 2 script, which
works with or without the bash-completion package.

To load completions in this shell:

  source <(eipctl completion bash)

To load them in every new shell, write the script where bash looks:

  eipctl completion bash > /etc/bash_completion.d/eipctl                       # Linux
  eipctl completion bash > $(brew --prefix)/etc/bash_completion.d/eipctl       # macOS

or add the source line to ~/.bashrc.`

// bashWordsCall is where cobra's V2 script asks bash-completion to split
// the command line. Without that package every TAB printed
// "_get_comp_words_by_ref: command not found".
const bashWordsCall = `    _get_comp_words_by_ref "$@" cur prev words cword`

// bashWordsFallback keeps the package's function where it is loaded, and
// otherwise splits the line itself (eipctl's addition to cobra's script).
const bashWordsFallback = `    if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
        _get_comp_words_by_ref "$@" cur prev words cword
        return
    fi
    # No bash-completion package: take the words up to the cursor, joining
    # what bash split at = and : (COMP_WORDBREAKS) so that --output=js stays
    # one word, as _get_comp_words_by_ref -n =: would.
    local i w line=${COMP_LINE:0:COMP_POINT}
    words=()
    for ((i = 0; i <= COMP_CWORD && i < ${#COMP_WORDS[@]}; i++)); do
        w=${COMP_WORDS[i]}
        if ((i > 0)) && [[ $line != [[:blank:]]* ]] && [[ $w == [=:]* || ${words[${#words[@]}-1]} == *[=:] ]]; then
            words[${#words[@]}-1]+=$w
        else
            words+=("$w")
        fi
        line=${line#"${line%%[![:blank:]]*}"}
        line=${line#"$w"}
    done
    cword=$((${#words[@]} - 1))
    cur=${words[cword]}
    prev=${words[cword-1]}`

// writeBashCompletion writes cobra's V2 bash script (GenBashCompletionV2)
// with the fallback above in place of its call to bash-completion.
func writeBashCompletion(root *cobra.Command, w io.Writer, descriptions bool) error {
	var buf bytes.Buffer
	if err := root.GenBashCompletionV2(&buf, descriptions); err != nil {
		return err
	}
	script := buf.String()
	if !strings.Contains(script, bashWordsCall) {
		// A new cobra wrote another script: better an error here than a
		// script that breaks on TAB (TestBashCompletionWithoutThePackage).
		return fmt.Errorf("completion bash: cobra's script no longer calls _get_comp_words_by_ref as eipctl expects")
	}
	_, err := io.WriteString(w, strings.Replace(script, bashWordsCall, bashWordsFallback, 1))
	return err
}
