package cli

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ftgate/ftgate/internal/evaluate"
	"github.com/ftgate/ftgate/internal/record"
	"github.com/ftgate/ftgate/internal/rules"
)

// settingsFor are the settings of the policy that rule id compares against.
func settingsFor(id string, all []evaluate.Setting) []evaluate.Setting {
	var out []evaluate.Setting
	for _, s := range all {
		p := s.Path
		if strings.HasPrefix(p, "tasks.") {
			// tasks."<task>".thresholds.x.y → thresholds.x.y
			if i := strings.Index(p, ".thresholds."); i >= 0 {
				p = p[i+1:]
			}
		}
		for _, prefix := range rules.ID(id).Doc().Settings {
			if strings.HasPrefix(p, prefix) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

func newExplain(e *env) *cobra.Command {
	var f policyFlags
	var format string
	cmd := &cobra.Command{
		Use:   "explain [RULE]",
		Short: "Explain what a rule checks, why, the threshold in force, and how to satisfy it",
		Long: `explain prints a rule's documentation: what it checks, why the decision
framework asks for it, the threshold in force in the repository's policy (-C DIR)
and how to satisfy it. RULE is an FT rule or a repository rule (deny.<ID>) of
the policy. Without RULE it lists every rule; with --format markdown and no
RULE it prints the rules reference (docs/rules.md) for the baseline policy.`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var ids []string
			for _, r := range rules.All {
				if strings.HasPrefix(r.ID, strings.ToUpper(toComplete)) {
					ids = append(ids, r.ID+"\t"+r.Name)
				}
			}
			return ids, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "markdown" {
				return &usageError{msg: fmt.Sprintf("--format %q: want text or markdown", format)}
			}
			if format == "markdown" && len(args) == 0 {
				// The reference documents the baseline, wherever it is run.
				md, err := rulesMarkdown()
				if err != nil {
					return err
				}
				_, err = e.stdout.Write(md)
				return err
			}
			_, pol, err := f.load()
			if err != nil {
				return policyFailed(e, err)
			}
			settings, denies := pol.Show(), pol.Denies()
			if len(args) == 0 {
				return listRules(e.stdout, denies)
			}
			id := strings.ToUpper(args[0])
			if r, ok := rules.Lookup(id); ok {
				if format == "markdown" {
					writeRuleMarkdown(e.stdout, r, settingsFor(r.ID, settings), "Threshold in force")
					return nil
				}
				writeRuleText(e.stdout, r, settingsFor(r.ID, settings))
				return nil
			}
			for _, d := range denies {
				if d.ID == args[0] || strings.EqualFold(d.ID, args[0]) {
					writeDeny(e.stdout, d)
					return nil
				}
			}
			known := "FT001-FT012, FT101-FT105, FT201-FT203"
			if len(denies) > 0 {
				ids := make([]string, len(denies))
				for i, d := range denies {
					ids[i] = d.ID
				}
				known += "; repository rules: " + strings.Join(ids, ", ")
			}
			return &usageError{msg: fmt.Sprintf("unknown rule %q (rules: %s)", args[0], known)}
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or markdown")
	return cmd
}

func listRules(w io.Writer, denies []evaluate.Deny) error {
	for _, r := range rules.All {
		fmt.Fprintf(w, "%s  %-8s %s\n", r.ID, r.Severity, r.Summary)
	}
	for _, d := range denies {
		fmt.Fprintf(w, "%s  %-8s %s (repository rule, %s)\n", d.ID, d.Severity, d.Message, d.Pos)
	}
	_, err := fmt.Fprintln(w, "\nRun 'ftgate explain RULE' for what a rule checks, why, and how to satisfy it.")
	return err
}

func writeRuleText(w io.Writer, r rules.Rule, settings []evaluate.Setting) {
	fmt.Fprintf(w, "%s %s (default severity: %s)\n\n", r.ID, r.Name, r.Severity)
	fmt.Fprintln(w, wrap(r.Summary, "", 80))
	section := func(title, body string) {
		fmt.Fprintf(w, "\n%s:\n%s\n", title, wrap(body, "  ", 80))
	}
	section("Checks", r.Checks)
	section("Why", r.Why)
	if len(settings) > 0 {
		fmt.Fprintf(w, "\nThreshold in force:\n")
		for _, s := range settings {
			fmt.Fprintln(w, hang(settingLine(s), "  ", "      ", 80))
		}
	}
	section("How to satisfy it", r.Satisfy)
}

// settingLine is one setting in words: value, floor and where it was set.
func settingLine(s evaluate.Setting) string {
	line := s.Path + " = " + showValue(s.Value)
	if s.Tighter != "" {
		line += fmt.Sprintf(" (floor %s, tighter is %s)", showValue(s.Floor), s.Tighter)
	}
	if len(s.Covers) > 0 {
		line += ", also for configs matching " + strings.Join(s.Covers, ", ")
	}
	if s.Origin == evaluate.BaselineOrigin {
		return line + ", baseline"
	}
	return line + ", set at " + s.Origin
}

func writeDeny(w io.Writer, d evaluate.Deny) {
	fmt.Fprintf(w, "%s (repository rule, severity: %s, declared at %s)\n\n", d.ID, d.Severity, d.Pos)
	fmt.Fprintf(w, "Message:\n%s\n", wrap(d.Message, "  ", 80))
	if d.Condition != "" {
		fmt.Fprintf(w, "\nFires when:\n%s\n", wrap(d.Condition, "  ", 80))
	}
	if d.Hint != "" {
		fmt.Fprintf(w, "\nHow to satisfy it:\n%s\n", wrap(d.Hint, "  ", 80))
	}
}

// wrap fills text to width columns, each line starting with indent. The rule
// documentation has no hard line breaks; each medium wraps it.
func wrap(text, indent string, width int) string { return hang(text, indent, indent, width) }

// hang is wrap with a different indent after the first line.
func hang(text, first, rest string, width int) string {
	var b strings.Builder
	indent := first
	line := indent
	for _, word := range strings.Fields(text) {
		if line != indent && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			indent = rest
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += word
	}
	b.WriteString(line)
	return b.String()
}

// rulesMarkdown renders docs/rules.md: every rule's documentation with the
// baseline's thresholds. A test keeps the committed file equal to it.
func rulesMarkdown() ([]byte, error) {
	loader, err := record.NewLoader()
	if err != nil {
		return nil, err
	}
	pol, err := evaluate.Load(loader.Context(), nil)
	if err != nil {
		return nil, fmt.Errorf("load the baseline policy: %w", err)
	}
	settings := pol.Show()
	var b bytes.Buffer
	b.WriteString("# Rules\n\n")
	b.WriteString("<!-- Generated by `ftgate explain --format markdown` from internal/rules; do not edit. -->\n\n")
	b.WriteString("Every finding names one of these rules. `ftgate explain RULE` prints the same text with\n")
	b.WriteString("the thresholds in force in your repository's policy; the values below are the baseline's.\n\n")
	b.WriteString("| rule | name | default severity | fails when |\n|---|---|---|---|\n")
	for _, r := range rules.All {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s |\n", r.ID, strings.ToLower(r.ID+"-"+r.Name), r.Name, r.Severity, strings.ReplaceAll(r.Summary, "|", `\|`))
	}
	for _, r := range rules.All {
		b.WriteString("\n")
		writeRuleMarkdown(&b, r, settingsFor(r.ID, settings), "Baseline threshold")
	}
	return b.Bytes(), nil
}

func writeRuleMarkdown(w io.Writer, r rules.Rule, settings []evaluate.Setting, thresholdTitle string) {
	fmt.Fprintf(w, "## %s %s\n\n", r.ID, r.Name)
	fmt.Fprintf(w, "Default severity: %s. %s\n\n", r.Severity, r.Summary)
	fmt.Fprintf(w, "**What it checks.** %s\n\n", r.Checks)
	fmt.Fprintf(w, "**Why.** %s\n\n", r.Why)
	if len(settings) > 0 {
		fmt.Fprintf(w, "**%s.**\n\n", thresholdTitle)
		for _, s := range settings {
			line := fmt.Sprintf("`%s` = `%s`", s.Path, showValue(s.Value))
			if s.Tighter != "" {
				line += fmt.Sprintf(" (floor `%s`, tighter is %s)", showValue(s.Floor), s.Tighter)
			}
			if len(s.Covers) > 0 {
				line += ", also for configs matching `" + strings.Join(s.Covers, "`, `") + "`"
			}
			if s.Origin != evaluate.BaselineOrigin {
				line += ", set at `" + s.Origin + "`"
			}
			fmt.Fprintf(w, "- %s\n", line)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "**How to satisfy it.** %s\n", r.Satisfy)
}
