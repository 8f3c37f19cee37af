package register

import (
	"slices"
	"testing"
	"time"
)

func TestDaysUntil(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		date, today string
		want        int
	}{
		{"2028-03-01", "2028-02-28", 2}, // 2028 is a leap year
		{"2027-03-01", "2027-02-28", 1},
		{"2027-01-01", "2026-12-31", 1},
		{"2026-11-20", "2026-11-27", -7},
		{"2026-03-30", "2026-03-28", 2}, // across Europe's DST change: dates are UTC
		{"2027-11-27", "2026-11-27", 365},
	} {
		got := daysUntil(tc.date, day(tc.today))
		if got == nil || *got != tc.want {
			t.Errorf("daysUntil(%s) from %s = %v, want %d", tc.date, tc.today, got, tc.want)
		}
	}
	if got := daysUntil("2026-02-30", day("2026-01-01")); got != nil {
		t.Errorf("a date that does not exist gave %d", *got)
	}
}

func TestExpiring(t *testing.T) {
	n := func(i int) *int { return &i }
	entries := []Entry{
		{Path: "a.yaml", ID: "FTD-1", Status: "accepted", ReviewBy: "r", DaysLeft: n(31),
			Waivers: []Waiver{{Rule: "FT104", Expires: "w", DaysLeft: n(30)}, {Rule: "FT105", Expires: "x", DaysLeft: nil}}},
		{Path: "b.yaml", ID: "FTD-2", Status: "accepted", ReviewBy: "r", DaysLeft: n(-3)},
		{Path: "c.yaml", ID: "FTD-3", Status: "superseded", ReviewBy: "r", DaysLeft: n(-100),
			Waivers: []Waiver{{Rule: "FT101", Expires: "w", DaysLeft: n(1)}}},
		{Path: "d.yaml", ID: "FTD-4", Status: "accepted", DaysLeft: nil},
	}
	var got []string
	for _, d := range Expiring(entries, 30) {
		got = append(got, d.ID+" "+d.What)
	}
	// Soonest first; the boundary day is in; records not accepted and
	// dates that are not dates are never due.
	want := []string{"FTD-2 review_by", "FTD-1 waiver FT104"}
	if !slices.Equal(got, want) {
		t.Errorf("Expiring(30) = %q, want %q", got, want)
	}
	if d := Expiring(entries, 0); len(d) != 1 || d[0].ID != "FTD-2" {
		t.Errorf("Expiring(0) = %+v, want only the overdue FTD-2", d)
	}
}
