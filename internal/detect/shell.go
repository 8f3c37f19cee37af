package detect

import (
	"bytes"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// shellScript is a launcher split into words as a POSIX shell splits them:
// one line of text a simple command, its words unquoted and joined by one
// blank, long flags spelt with underscores (--model-name-or-path reads as
// --model_name_or_path, as the frameworks' argument parsers accept both).
// The launcher signatures' expressions run over text; lines gives the file
// line each command starts on. Comments are gone.
type shellScript struct {
	text  []byte
	lines []int
}

// shellWords parses a shell script. ok is false when it does not parse (a
// template, a syntax error): then the text is matched with its comments
// blanked, line by line.
func shellWords(src []byte) (shellScript, bool) { return shellWordsIn(src, 0) }

// maxHeredocDepth bounds here-documents read inside here-documents.
const maxHeredocDepth = 4

func shellWordsIn(src []byte, depth int) (shellScript, bool) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(bytes.NewReader(src), "")
	if err != nil {
		return shellScript{}, false
	}
	var (
		out  shellScript
		line strings.Builder
	)
	syntax.Walk(f, func(n syntax.Node) bool {
		if r, ok := n.(*syntax.Redirect); ok && r.Hdoc != nil && depth < maxHeredocDepth {
			// A here-document is often the command itself, run later from a
			// variable (read -d '' cmd <<EOF ... EOF; deepspeed $cmd), as
			// OpenRLHF's launchers do: its body is read as commands too.
			body := []byte(wordText(r.Hdoc))
			first := int(r.Hdoc.Pos().Line())
			if sub, ok := shellWordsIn(body, depth+1); ok {
				out.text = append(out.text, sub.text...)
				for _, l := range sub.lines {
					out.lines = append(out.lines, first+l-1)
				}
			}
			return true
		}
		call, ok := n.(*syntax.CallExpr)
		if !ok {
			return true
		}
		line.Reset()
		for _, a := range call.Assigns {
			if a.Name == nil {
				continue
			}
			line.WriteString(a.Name.Value)
			line.WriteByte('=')
			if a.Value != nil {
				line.WriteString(wordText(a.Value))
			}
			line.WriteByte(' ')
		}
		for _, w := range call.Args {
			line.WriteString(flagSpelling(wordText(w)))
			line.WriteByte(' ')
		}
		// Words may hold newlines (a quoted multi-line argument): a command
		// stays on one line of text.
		s := strings.ReplaceAll(strings.TrimSuffix(line.String(), " "), "\n", " ")
		out.text = append(out.text, s...)
		out.text = append(out.text, '\n')
		out.lines = append(out.lines, int(call.Pos().Line()))
		// A command substitution inside the words is visited as its own
		// command.
		return true
	})
	return out, true
}

// launchTargets returns the config files a launcher's commands run, as
// written: the first groups of every detector's Launches. Names built from
// variables are no file ftgate can read and are left out.
func launchTargets(script shellScript) []string {
	var out []string
	for i := range Detectors {
		for _, re := range Detectors[i].Launches {
			if !re.Match(script.text) {
				continue
			}
			for _, m := range re.FindAllSubmatch(script.text, -1) {
				if len(m) > 1 && !bytes.Contains(m[1], []byte("$")) && !templated(m[1]) {
					out = appendNames(out, string(m[1]), "")
				}
			}
		}
	}
	return out
}

// launch matches a command line whose words are cmd (a pattern holding
// the literal word) followed, after any flags, by the config file as its
// first other word.
func launch(word, cmd string) *Pattern {
	return needing([]string{word}, `(?m)(?:^|[ /])`+cmd+`(?:[ \t]+-\S+)*[ \t]+([^-\s]\S*)`)
}

// launchFlag matches a command line whose words are cmd (a pattern holding
// the literal word) with the config file given to one of flags.
func launchFlag(word, cmd, flags string) *Pattern {
	return needing([]string{word}, `(?m)(?:^|[ /])`+cmd+`\b[^\n]*?[ \t](?:`+flags+`)(?:[ \t]+|=)([^-\s]\S*)`)
}

// line returns the file line of offset off of s.text.
func (s shellScript) line(off int) int {
	i := bytes.Count(s.text[:off], []byte("\n"))
	if i < len(s.lines) {
		return s.lines[i]
	}
	return 0
}

// wordText is the value of a word after quote removal. Expansions stay
// written as expansions ($VAR, ${VAR}, $(...)): a launcher naming its model
// through a variable names nothing ftgate can read.
func wordText(w *syntax.Word) string {
	var b strings.Builder
	for _, p := range w.Parts {
		partText(&b, p, false)
	}
	return b.String()
}

func partText(b *strings.Builder, p syntax.WordPart, quoted bool) {
	switch p := p.(type) {
	case *syntax.Lit:
		b.WriteString(unescape(p.Value, quoted))
	case *syntax.SglQuoted:
		b.WriteString(p.Value)
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			partText(b, q, true)
		}
	case *syntax.ParamExp:
		if p.Param != nil {
			b.WriteString("${" + p.Param.Value + "}")
		} else {
			b.WriteString("${}")
		}
	default:
		b.WriteString("$(...)")
	}
}

// unescape removes the backslashes a shell removes: before any character
// outside quotes, before $ ` " \ inside double quotes.
func unescape(s string, quoted bool) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (!quoted || strings.IndexByte("$`\"\\", s[i+1]) >= 0) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// flagSpelling writes a long flag's name with underscores: --a-b=c is
// --a_b=c. Values are left alone.
func flagSpelling(w string) string {
	if !strings.HasPrefix(w, "--") || len(w) == 2 {
		return w
	}
	name, value, hasValue := strings.Cut(w[2:], "=")
	name = strings.ReplaceAll(name, "-", "_")
	if hasValue {
		return "--" + name + "=" + value
	}
	return "--" + name
}

// shellUncomment blanks the comments of a shell script, keeping every byte's
// line, so a commented-out command is not a launch.
func shellUncomment(text []byte) []byte {
	out := bytes.Clone(text)
	for start := 0; start < len(out); {
		end := bytes.IndexByte(out[start:], '\n')
		if end < 0 {
			end = len(out)
		} else {
			end += start
		}
		line := out[start:end]
		if i := bytes.IndexFunc(line, func(r rune) bool { return r != ' ' && r != '\t' }); i >= 0 && line[i] == '#' {
			for j := i; j < len(line); j++ {
				line[j] = ' '
			}
		}
		start = end + 1
	}
	return out
}
