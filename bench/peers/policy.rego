# The peer for `conftest test`: the same schema and threshold comparisons as
# record.cue, in Rego, over the record's declared figures.
#
#   conftest test --policy bench/peers testdata/example/decisions/ftd-0007-contract-risk.yaml
package main

import rego.v1

thresholds := {
	"agreement_min": 0.82,
	"min_calls_per_day": 100000,
}

date_re := `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`

snake_re := `^[a-z][a-z0-9]*(_[a-z0-9]+)*$`

required := ["apiVersion", "kind", "id", "title", "status", "decided", "review_by", "covers", "base_model"]

known := {
	"apiVersion", "kind", "id", "title", "status", "decided", "review_by", "deciders", "covers",
	"base_model", "task", "urgency", "necessary", "sufficient", "costs", "alternatives", "waivers", "digests",
}

non_empty(s) if {
	is_string(s)
	regex.match(`[^ \t]`, s)
}

deny contains sprintf("required field %s is missing", [f]) if {
	some f in required
	not input[f]
}

deny contains sprintf("unknown field %s", [f]) if {
	some f, _ in input
	not f in known
}

deny contains "apiVersion must be ftgate/v1" if input.apiVersion != "ftgate/v1"

deny contains "kind must be FineTuneDecision" if input.kind != "FineTuneDecision"

deny contains "id must be FTD- and digits" if not regex.match(`^FTD-[0-9]+$`, input.id)

deny contains "title is empty" if not non_empty(input.title)

deny contains "status must be accepted" if input.status != "accepted"

deny contains sprintf("%s is not YYYY-MM-DD", [f]) if {
	some f in ["decided", "review_by"]
	not regex.match(date_re, sprintf("%v", [input[f]]))
}

deny contains "covers is empty" if count(input.covers) == 0

deny contains "covers holds an empty glob" if {
	some c in input.covers
	not non_empty(c)
}

deny contains "base_model is empty" if not non_empty(input.base_model)

deny contains "urgency is not low, normal or high" if {
	input.urgency
	not input.urgency in {"low", "normal", "high"}
}

deny contains sprintf("necessary.%s is missing", [p]) if {
	some p in ["prompt_ceiling", "data", "coverage", "maintenance"]
	not input.necessary[p]
}

deny contains "necessary.prompt_ceiling.history is missing" if not non_empty(input.necessary.prompt_ceiling.history)

deny contains sprintf("necessary.data.%s is missing", [f]) if {
	some f in ["training_set", "annotations"]
	not non_empty(input.necessary.data[f])
}

deny contains "necessary.data.level is not a level of measurement" if {
	input.necessary.data.level
	not input.necessary.data.level in {"nominal", "ordinal", "interval", "ratio"}
}

deny contains "necessary.data.agreement.metric is unknown" if {
	input.necessary.data.agreement.metric
	not input.necessary.data.agreement.metric in {"krippendorff_alpha", "cohen_kappa", "fleiss_kappa"}
}

deny contains sprintf("declared agreement %v < %v", [d, thresholds.agreement_min]) if {
	d := input.necessary.data.agreement.declared
	d < thresholds.agreement_min
}

deny contains "declared agreement is missing" if not is_number(input.necessary.data.agreement.declared)

deny contains sprintf("necessary.coverage.%s is missing", [f]) if {
	some f in ["production", "training"]
	not non_empty(input.necessary.coverage[f])
}

deny contains sprintf("necessary.maintenance.%s is missing", [f]) if {
	some f in ["owner", "backup", "eval_pipeline", "regression_suite"]
	not non_empty(input.necessary.maintenance[f])
}

deny contains sprintf("retrain trigger %v is not snake_case", [t]) if {
	some t in input.necessary.maintenance.retrain_triggers
	not regex.match(snake_re, t)
}

deny contains "quality_gap.target is outside [0, 1]" if {
	t := input.sufficient.quality_gap.target
	not t >= 0
}

deny contains "quality_gap.target is outside [0, 1]" if input.sufficient.quality_gap.target > 1

deny contains sprintf("calls_per_day %v < %v", [c, thresholds.min_calls_per_day]) if {
	c := input.sufficient.latency_cost.calls_per_day
	c < thresholds.min_calls_per_day
}

deny contains sprintf("latency_cost.%s is not a non-negative number", [f]) if {
	lc := input.sufficient.latency_cost
	some f in ["calls_per_day", "prompt_tokens", "tuned_prompt_tokens", "usd_per_mtok"]
	not lc[f] >= 0
}

deny contains "tuned_prompt_tokens is not below prompt_tokens" if {
	lc := input.sufficient.latency_cost
	lc.tuned_prompt_tokens >= lc.prompt_tokens
}

deny contains "costs.maintenance_usd_per_month is missing" if {
	input.sufficient.latency_cost
	not is_number(input.costs.maintenance_usd_per_month)
}

deny contains sprintf("alternative %v is not snake_case", [a]) if {
	some a in input.alternatives
	not regex.match(snake_re, a)
}

deny contains sprintf("digest of %s is not sha256:<64 hex>", [p]) if {
	some p, d in input.digests
	not regex.match(`^sha256:[0-9a-f]{64}$`, d)
}
