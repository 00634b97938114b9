package svgchart

import (
	"time"
)

// timeTick is one labelled tick of the time axis.
type timeTick struct {
	t     time.Time
	label string
}

// timeUnit is what a tick step counts; ticks fall on whole units of local
// time (midnight, the first of a month), not on multiples of a duration, so a
// day chart shows 00:00, 06:00, ... whatever the time zone.
type timeUnit int

const (
	minutes timeUnit = iota
	days
	months
	years
)

type timeStep struct {
	unit timeUnit
	n    int
}

func (s timeStep) seconds() float64 {
	per := [...]float64{minutes: 60, days: 86400, months: 30.44 * 86400, years: 365.25 * 86400}
	return per[s.unit] * float64(s.n)
}

// timeFormats chooses the label layout by span, from an hour to years, and
// lists the steps that suit it, finest first.
var timeFormats = []struct {
	maxSpan time.Duration
	layout  string
	steps   []timeStep
}{
	{36 * time.Hour, "15:04", []timeStep{{minutes, 1}, {minutes, 2}, {minutes, 5}, {minutes, 10},
		{minutes, 15}, {minutes, 30}, {minutes, 60}, {minutes, 120}, {minutes, 180}, {minutes, 360},
		{minutes, 720}}},
	{8 * 24 * time.Hour, "Mon 02", []timeStep{{days, 1}, {days, 2}}},
	{100 * 24 * time.Hour, "Jan 02", []timeStep{{days, 1}, {days, 2}, {days, 7}, {days, 14},
		{months, 1}, {months, 2}, {months, 3}}},
	{1<<63 - 1, "Jan 2006", []timeStep{{months, 1}, {months, 2}, {months, 3}, {months, 6},
		{years, 1}, {years, 2}, {years, 5}, {years, 10}, {years, 20}, {years, 50}, {years, 100},
		{years, 200}, {years, 500}, {years, 1000}, {years, 2000}, {years, 5000}}},
}

// maxTimeTicks bounds every loop of the axis, whatever the range.
const maxTimeTicks = 400

// timeTicks returns the ticks between start and end (start < end), in the
// location of start, no closer than a label's width on a plot plotW wide.
func timeTicks(start, end time.Time, plotW float64) []timeTick {
	span := secs(end) - secs(start)
	f := timeFormats[len(timeFormats)-1]
	for _, tf := range timeFormats {
		if span <= tf.maxSpan.Seconds() {
			f = tf
			break
		}
	}
	maxTicks := max(2, int(plotW/(textWidth(f.layout, fontSize)+24)))
	step := f.steps[len(f.steps)-1]
	for _, s := range f.steps {
		if span/s.seconds() <= float64(maxTicks) {
			step = s
			break
		}
	}
	var ticks []timeTick
	for _, t := range stepTimes(start, end, step) {
		label := t.Format(f.layout)
		if f.layout == "15:04" && t.Hour() == 0 && t.Minute() == 0 {
			label = t.Format("Mon 02") // midnight says which day it starts
		}
		ticks = append(ticks, timeTick{t, label})
	}
	return ticks
}

// stepTimes lists the local times in [start, end] that begin a step.
func stepTimes(start, end time.Time, step timeStep) []time.Time {
	loc := start.Location()
	start, end = start.In(loc), end.In(loc)
	y, m, d := start.Date()
	var out []time.Time
	add := func(t time.Time) bool {
		if t.After(end) || len(out) >= maxTimeTicks {
			return false
		}
		// Daylight saving time can fold two local times onto one instant.
		if !t.Before(start) && (len(out) == 0 || t.After(out[len(out)-1])) {
			out = append(out, t)
		}
		return true
	}
	switch step.unit {
	case minutes:
	loop:
		for day := 0; day < maxTimeTicks; day++ {
			for mm := 0; mm < 24*60; mm += step.n {
				t := time.Date(y, m, d+day, 0, mm, 0, 0, loc)
				if t.Hour()*60+t.Minute() != mm {
					continue // skipped by a change to summer time: 02:00 does not exist
				}
				if !add(t) {
					break loop
				}
			}
		}
	case days:
		for i := 0; i < 4*maxTimeTicks; i++ {
			t := time.Date(y, m, d+i, 0, 0, 0, 0, loc)
			if dayAligned(t, step.n) && !add(t) {
				break
			}
		}
	case months:
		first := int(m) - 1
		first -= first % step.n
		for i := 0; i < maxTimeTicks; i++ {
			if !add(time.Date(y, time.Month(first+1+i*step.n), 1, 0, 0, 0, 0, loc)) {
				break
			}
		}
	case years:
		first := y - mod(y, step.n)
		for i := 0; i < maxTimeTicks; i++ {
			if !add(time.Date(first+i*step.n, 1, 1, 0, 0, 0, 0, loc)) {
				break
			}
		}
	}
	return out
}

// dayAligned reports whether local midnight t starts a step of n days: every
// day, every other day, Mondays (7) or every other Monday (14), counted from
// the Unix epoch so the choice does not move with the chart's start.
func dayAligned(t time.Time, n int) bool {
	day := int(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400)
	switch n {
	case 7:
		return t.Weekday() == time.Monday
	case 14:
		return t.Weekday() == time.Monday && mod((day-4)/7, 2) == 0 // 1970-01-05 was a Monday
	}
	return mod(day, n) == 0
}

// mod is the remainder that is never negative, for dates before 1970 and
// years before 0.
func mod(a, n int) int {
	return ((a % n) + n) % n
}

// secs is t in Unix seconds as a float: valid for every year, unlike a
// time.Duration, which saturates after 292 years.
func secs(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())*1e-9
}
