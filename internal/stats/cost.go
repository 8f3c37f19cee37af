package stats

import "github.com/ftgate/ftgate/internal/result"

// CostInput is the record's cost figures for FT202.
type CostInput struct {
	CallsPerDay       float64
	PromptTokens      float64  // tokens per call with the prompted model
	TunedPromptTokens float64  // tokens per call with the tuned model
	USDPerMTok        float64  // price per million tokens of the prompted model
	TunedUSDPerMTok   *float64 // price of the tuned model; nil means USDPerMTok
	DataUSD           float64  // one-off cost of the training data
	TrainingUSD       float64  // one-off cost of training

	MaintenanceUSDPerMonth float64
}

// ComputeCost computes FT202's figures (SPEC 1.1): the monthly saving
// calls_per_day × 30 × (prompt_tokens × usd_per_mtok − tuned_prompt_tokens ×
// tuned_usd_per_mtok) / 1e6, and the months to pay back data and training,
// (data_usd + training_usd) / (saving − maintenance), nil ("never") when the
// saving does not exceed maintenance. Holds is left false: whether FT202
// holds also depends on call volume and latency, which the policy judges.
func ComputeCost(in CostInput) result.Cost {
	tunedPrice := in.USDPerMTok
	if in.TunedUSDPerMTok != nil {
		tunedPrice = *in.TunedUSDPerMTok
	}
	saving := in.CallsPerDay * 30 * (in.PromptTokens*in.USDPerMTok - in.TunedPromptTokens*tunedPrice) / 1e6
	c := result.Cost{MonthlySavingUSD: &saving}
	if net := saving - in.MaintenanceUSDPerMonth; net > 0 {
		payback := (in.DataUSD + in.TrainingUSD) / net
		c.PaybackMonths = &payback
	}
	return c
}
