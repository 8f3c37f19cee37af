package rules

// ID is a built-in rule's identity. Findings of built-in rules are made
// from it (finding.New takes the ID), so a misspelt rule is a compile error
// instead of a finding nobody can look up. Repository rules (deny entries
// of the policy) have IDs only the policy knows, and stay strings.
type ID string

// The built-in rules, in the order of All.
const (
	FT001 ID = "FT001"
	FT002 ID = "FT002"
	FT003 ID = "FT003"
	FT004 ID = "FT004"
	FT005 ID = "FT005"
	FT006 ID = "FT006"
	FT007 ID = "FT007"
	FT008 ID = "FT008"
	FT009 ID = "FT009"
	FT010 ID = "FT010"
	FT011 ID = "FT011"
	FT101 ID = "FT101"
	FT102 ID = "FT102"
	FT103 ID = "FT103"
	FT104 ID = "FT104"
	FT105 ID = "FT105"
	FT201 ID = "FT201"
	FT202 ID = "FT202"
	FT203 ID = "FT203"
)

// RuleID is the ID as findings carry it; it makes an ID a finding.Rule.
func (id ID) RuleID() string { return string(id) }

func (id ID) String() string { return string(id) }

// Doc is the rule's documentation in All.
func (id ID) Doc() Rule {
	r, _ := Lookup(string(id))
	return r
}
