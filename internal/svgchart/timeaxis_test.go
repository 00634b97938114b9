package svgchart

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin for the daylight saving test, wherever it runs
)

func labels(ticks []timeTick) string {
	var out []string
	for _, t := range ticks {
		out = append(out, t.label)
	}
	return strings.Join(out, " ")
}

func TestTimeTicks(t *testing.T) {
	at13 := day0.Add(13 * time.Hour)
	for _, tc := range []struct {
		name       string
		start, end time.Time
		width      float64
		want       string
	}{
		{"hour", at13, at13.Add(time.Hour), 740,
			"13:00 13:05 13:10 13:15 13:20 13:25 13:30 13:35 13:40 13:45 13:50 13:55 14:00"},
		{"hour, narrow", at13.Add(time.Minute), at13.Add(61 * time.Minute), 300, "13:15 13:30 13:45 14:00"},
		{"day", at13, at13.Add(day), 740,
			"14:00 16:00 18:00 20:00 22:00 Tue 11 02:00 04:00 06:00 08:00 10:00 12:00"},
		{"day, narrow", at13, at13.Add(day), 300, "18:00 Tue 11 06:00 12:00"},
		{"week", at13, at13.Add(7 * day), 740, "Tue 11 Wed 12 Thu 13 Fri 14 Sat 15 Sun 16 Mon 17"},
		{"week, narrow", at13, at13.Add(7 * day), 300, "Tue 11 Thu 13 Sat 15 Mon 17"},
		{"month", day0, day0.Add(31 * day), 740, "Mar 10 Mar 17 Mar 24 Mar 31 Apr 07"},
		{"quarter", day0, day0.Add(92 * day), 740,
			"Mar 17 Mar 31 Apr 14 Apr 28 May 12 May 26 Jun 09"},
		{"year", day0, day0.Add(365 * day), 740, "May 2025 Jul 2025 Sep 2025 Nov 2025 Jan 2026 Mar 2026"},
		{"year, narrow", day0, day0.Add(365 * day), 400, "Apr 2025 Jul 2025 Oct 2025 Jan 2026"},
		{"decade", day0, day0.Add(3653 * day), 740, "Jan 2026 Jan 2028 Jan 2030 Jan 2032 Jan 2034"},
		{"labels in the zone of start", at13.In(time.UTC), at13.Add(6 * time.Hour), 740,
			"12:00 12:30 13:00 13:30 14:00 14:30 15:00 15:30 16:00 16:30 17:00 17:30 18:00"},
	} {
		if got := labels(timeTicks(tc.start, tc.end, tc.width)); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

// TestTimeTicksDaylightSaving: on the day clocks go forward 02:00 does not
// exist; the day they go back has 25 hours, so the step grows to 3 hours,
// still on local hours.
func TestTimeTicksDaylightSaving(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		date time.Time
		want string
	}{
		{time.Date(2025, 3, 30, 0, 0, 0, 0, berlin), "Sun 30 04:00 06:00 08:00 10:00 12:00 14:00 16:00 18:00 20:00 22:00 Mon 31"},
		{time.Date(2025, 10, 26, 0, 0, 0, 0, berlin), "Sun 26 03:00 06:00 09:00 12:00 15:00 18:00 21:00 Mon 27"},
	} {
		end := time.Date(tc.date.Year(), tc.date.Month(), tc.date.Day()+1, 0, 0, 0, 0, berlin)
		ticks := timeTicks(tc.date, end, 740)
		if got := labels(ticks); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.date.Format(time.DateOnly), got, tc.want)
		}
		for i := 1; i < len(ticks); i++ {
			if !ticks[i].t.After(ticks[i-1].t) {
				t.Errorf("%s: ticks out of order at %s", tc.date.Format(time.DateOnly), ticks[i].label)
			}
		}
	}
}

func TestTimeTicksExtremes(t *testing.T) {
	for _, tc := range []struct{ start, end time.Time }{
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)},
		{time.Unix(-1<<40, 0), time.Unix(1<<40, 0)},
		{day0, day0.Add(time.Second)},
		{time.Date(1969, 12, 28, 0, 0, 0, 0, cet), time.Date(1970, 1, 20, 0, 0, 0, 0, cet)},
	} {
		ticks := timeTicks(tc.start, tc.end, 740)
		if len(ticks) > maxTimeTicks {
			t.Errorf("%v..%v: %d ticks", tc.start, tc.end, len(ticks))
		}
		for _, tk := range ticks {
			if tk.t.Before(tc.start) || tk.t.After(tc.end) {
				t.Errorf("%v..%v: tick %v outside", tc.start, tc.end, tk.t)
			}
		}
	}
}
