package stats

import "testing"

// TestCost is computed by hand: 10,000 calls a day, 2,000 prompt tokens
// prompted and 500 tuned, at $3 per million tokens for both:
// saving = 10,000 × 30 × (2,000 × 3 − 500 × 3) / 1e6 = 300,000 × 4,500 / 1e6
// = $1,350 a month. Maintenance $350 leaves $1,000 a month, so data $2,000
// plus training $3,000 pay back in 5 months.
func TestCost(t *testing.T) {
	in := CostInput{CallsPerDay: 10000, PromptTokens: 2000, TunedPromptTokens: 500, USDPerMTok: 3,
		DataUSD: 2000, TrainingUSD: 3000, MaintenanceUSDPerMonth: 350}
	c := ComputeCost(in)
	if c.MonthlySavingUSD == nil || *c.MonthlySavingUSD != 1350 {
		t.Errorf("saving %s, want 1350", fmtPtr(c.MonthlySavingUSD))
	}
	if c.PaybackMonths == nil || *c.PaybackMonths != 5 {
		t.Errorf("payback %s, want 5", fmtPtr(c.PaybackMonths))
	}
	if c.Holds {
		t.Error("Holds set; the policy decides it")
	}

	// A tuned model at $12 per million tokens: 2,000 × 3 − 500 × 12 = 0, no
	// saving, so the cost is never paid back.
	tuned := 12.0
	in.TunedUSDPerMTok = &tuned
	c = ComputeCost(in)
	if c.MonthlySavingUSD == nil || *c.MonthlySavingUSD != 0 || c.PaybackMonths != nil {
		t.Errorf("saving %s, payback %s; want 0, nil", fmtPtr(c.MonthlySavingUSD), fmtPtr(c.PaybackMonths))
	}

	// A saving equal to maintenance does not exceed it: never.
	in.TunedUSDPerMTok = nil
	in.MaintenanceUSDPerMonth = 1350
	if c = ComputeCost(in); c.PaybackMonths != nil {
		t.Errorf("payback %v with saving = maintenance, want nil", *c.PaybackMonths)
	}
}
