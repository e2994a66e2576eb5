package words

import (
	"testing"
	"time"
)

func TestHumanDuration(t *testing.T) {
	const day = 24 * time.Hour
	for d, want := range map[time.Duration]string{
		30 * time.Second:                      "less than a minute",
		52*time.Minute + 20*time.Second:       "52 min",
		119 * time.Minute:                     "119 min",
		3*time.Hour + 10*time.Minute:          "3 h",
		2*day + 23*time.Hour:                  "2 days 23 h",
		2*day + 23*time.Hour + 40*time.Minute: "3 days",
		6*day + 1*time.Hour:                   "6 days 1 h",
		89*day + 13*time.Hour:                 "90 days",
	} {
		if got := HumanDuration(d); got != want {
			t.Errorf("HumanDuration(%s) = %q, want %q", d, got, want)
		}
	}
}
