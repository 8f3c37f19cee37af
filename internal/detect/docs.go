package detect

import (
	"fmt"
	"strings"
)

// Markdown renders docs/detectors.md from Detectors: every detector's name
// (the framework ftgate reports), what it matches, its signatures, where it
// finds the base model and datasets, and when a match is pretraining. A
// test keeps the committed file equal to it, so the docs cannot drift from
// the code.
func Markdown() string {
	var b strings.Builder
	b.WriteString(`# Detectors

<!-- Generated from internal/detect's Detectors list; do not edit. UPDATE_GOLDEN=1 go test ./internal/detect rewrites it. -->

A file is a training config when one of these detectors matches its content (SPEC §2).
Detectors are tried in this order and the first match names the framework; in Python
files and notebooks the earliest call in the file wins. Configs, code and notebook
sources are read whole up to 1 MiB (JSON and JSONL data on their first 64 KiB); a
detector never looks at a file's directory. A file that does not parse is
matched by the detectors' text signatures (reported as ` + "`<framework>:text`" + `);
launcher scripts by their launcher signature (` + "`<framework>:launcher`" + `), which
holds only when the script names the base model or the training data itself.
Python is read as tokens and shell scripts as words (see SPEC §2). A fine-tuning
signal anywhere in a file (RL or preference keys, reward functions, a chat template)
makes it ` + "`finetune`" + `, whatever a pretrain rule says. Each section cites the framework's
own definitions (argument classes, schemas, shipped configs) the signatures follow, at
the commit they were read.

A config a launcher runs (` + "`axolotl train training/x/cfg.txt`" + `) is judged whatever its
name. When a change edits such a file and not its launcher, ` + "`check --base`" + ` and GitHub
mode find the launcher in the tree: only when some changed file is no candidate by
name, the tree is listed and its shell scripts are read, and only those whose text
holds a changed file's base name are parsed (one read of each shell script, linear in
their size; past 256 such names every shell script is parsed). A file that a decision record's ` + "`covers`" + ` glob matches is opened even when
its name makes it no candidate, far enough to tell a Git LFS pointer or a submodule,
which are FT004.

Limits of ` + "`check --staged`" + `: its no-op path (SPEC §6, under 10 ms) looks only at the
staged names and the records directory's text. A staged file that is no candidate by
name passes there without being judged when only a launcher names it, or when only a
` + "`covers`" + ` glob matches it (an LFS pointer or submodule of another name); ` + "`check --base`" + `
in CI judges both.

| framework | formats | signatures |
|---|---|---|
`)
	for _, d := range Detectors {
		formats := make([]string, len(d.Formats))
		for i, f := range d.Formats {
			formats[i] = f.String()
		}
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s |\n", d.Name, d.Name, strings.Join(formats, ", "), strings.Join(sigNames(d), ", "))
	}
	for _, d := range Detectors {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n", d.Name, strings.Join(strings.Fields(d.Doc), " "))
		if len(d.Sources) > 0 {
			b.WriteString("\nSchema sources:\n\n")
			for _, src := range d.Sources {
				fmt.Fprintf(&b, "- [%s `%s`](https://github.com/%s/blob/%s/%s) at %s\n", src.Repo, src.Path, src.Repo, src.Commit, src.Path, src.Commit[:min(12, len(src.Commit))])
			}
		}
		if len(d.Signatures) > 0 {
			b.WriteString("\nSignatures (`" + d.Name + ":<name>`), tried in order on each document")
			b.WriteString(":\n\n")
			for _, s := range d.Signatures {
				root := ""
				if s.Root == "*" {
					root = " (on each top-level block)"
				}
				fmt.Fprintf(&b, "- `%s`%s: `%s`\n", s.Name, root, s.When)
			}
		}
		if len(d.Reject) > 0 {
			b.WriteString("\nNot a config when any holds:\n\n")
			for _, c := range d.Reject {
				fmt.Fprintf(&b, "- `%s`\n", c)
			}
		}
		if len(d.BaseModel) > 0 {
			fmt.Fprintf(&b, "\nBase model: the first of %s.\n", codeList(d.BaseModel))
		}
		if len(d.Datasets) > 0 {
			var ps []string
			for _, p := range d.Datasets {
				s := "`" + p.Path + "`"
				switch {
				case p.MapKeys:
					s += " (its keys)"
				case len(p.Keys) > 0:
					s += " (" + codeList(p.Keys) + " of each entry)"
				}
				if p.Split != "" {
					s += fmt.Sprintf(" split on `%s`", p.Split)
				}
				ps = append(ps, s)
			}
			fmt.Fprintf(&b, "\nDatasets: %s.\n", strings.Join(ps, "; "))
		}
		if len(d.Refs) > 0 {
			fmt.Fprintf(&b, "\nBackend files (DeepSpeed, accelerate, FSDP) named by %s are reported with the config.\n", codeList(d.Refs))
		}
		if len(d.Pretrain) > 0 {
			b.WriteString("\nKind `pretrain` when any holds:\n\n")
			for _, c := range d.Pretrain {
				fmt.Fprintf(&b, "- `%s`\n", c)
			}
		}
		writeText(&b, "Text signature (files that do not parse, and TOML)", d.Text)
		writeText(&b, "Launcher signature (shell scripts)", d.Shell)
		if len(d.Launches) > 0 {
			fmt.Fprintf(&b, "\nLaunchers that run a config file put it on trial, whatever its extension: %s.\n", reList(d.Launches))
		}
		if len(d.Code) > 0 {
			b.WriteString("\nCode signatures (Python files and notebook code cells; the call's line is reported):\n\n")
			for _, c := range d.Code {
				fmt.Fprintf(&b, "- `%s`: `%s`", c.Name, c.Call)
				if len(c.Also) > 0 {
					fmt.Fprintf(&b, ", with %s in the file", reList(c.Also))
				}
				if len(c.Words) > 0 {
					fmt.Fprintf(&b, " (prefilter words %s)", codeList(c.Words))
				}
				if len(c.Pretrain) > 0 {
					fmt.Fprintf(&b, "; pretrain when %s", reList(c.Pretrain))
				}
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}

func sigNames(d Detector) []string {
	var out []string
	for _, s := range d.Signatures {
		out = append(out, "`"+s.Name+"`")
	}
	if d.Text != nil {
		out = append(out, "`text`")
	}
	if d.Shell != nil {
		out = append(out, "`launcher`")
	}
	for _, c := range d.Code {
		out = append(out, "`"+c.Name+"`")
	}
	return out
}

func writeText(b *strings.Builder, title string, t *TextSignature) {
	if t == nil {
		return
	}
	fmt.Fprintf(b, "\n%s: all of %s", title, reList(t.All))
	if len(t.None) > 0 {
		fmt.Fprintf(b, ", none of %s", reList(t.None))
	}
	b.WriteString(".")
	if len(t.Pretrain) > 0 {
		fmt.Fprintf(b, " Kind `pretrain` when %s matches", reList(t.Pretrain))
		if len(t.NotPretrain) > 0 {
			fmt.Fprintf(b, " and none of %s does", reList(t.NotPretrain))
		}
		b.WriteString(".")
	}
	b.WriteString("\n")
}

func codeList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "`" + s + "`"
	}
	return strings.Join(q, ", ")
}

// reList renders expressions as Markdown code spans; a backquote inside
// one would end the span, and none of the detectors' expressions holds one.
func reList(res []*Pattern) string {
	q := make([]string, len(res))
	for i, re := range res {
		q[i] = "`" + re.String() + "`"
	}
	return strings.Join(q, ", ")
}
