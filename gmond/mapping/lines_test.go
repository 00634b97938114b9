package mapping

import "testing"

func TestKeyLines(t *testing.T) {
	src := `# comment [[not a header]]
a = "x # not a comment"  # comment
"quoted.key" = 1
b = """
c = 2
"""
arr = [
  1,  # one
  { k = "v" },
]
[t]
x.y = 'z'
[[s]]
n = 1
[[s]]
n = 2
[s.sub]
m = 3
[[s.list]]
p = 4
inl = { q = 5, r = [6, 7] }
`
	want := map[string]int{
		"a": 2, `"quoted.key"`: 3, "b": 4, "arr": 7, "arr[0]": 8, "arr[1]": 9, "arr[1].k": 9,
		"t": 11, "t.x.y": 12, "s": 13, "s[0]": 13, "s[0].n": 14, "s[1]": 15, "s[1].n": 16,
		"s[1].sub": 17, "s[1].sub.m": 18, "s[1].list[0]": 19, "s[1].list[0].p": 20,
		"s[1].list[0].inl": 21, "s[1].list[0].inl.q": 21, "s[1].list[0].inl.r[1]": 21,
	}
	got := keyLines([]byte(src))
	for k, line := range want {
		if got[k] != line {
			t.Errorf("line of %s = %d, want %d", k, got[k], line)
		}
	}
	for _, k := range []string{"c", "arr[2]"} {
		if _, ok := got[k]; ok {
			t.Errorf("%s recorded, but it is inside a string or past the last element", k)
		}
	}
	if n := lineOf(got, "s[1].n.deeper[3]"); n != 16 {
		t.Errorf("lineOf falls back to parent: got %d, want 16", n)
	}
	if n := lineOf(got, "nothing"); n != 0 {
		t.Errorf("lineOf(unknown) = %d, want 0", n)
	}
}
