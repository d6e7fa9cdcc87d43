package taskset

import (
	"strings"
	"testing"
)

// Users take kinds in a fixed weighted order, so every kind with a weight
// gets its share of users, exactly, from the first cycle on.
func TestUsersAreSpreadOverKindsByWeight(t *testing.T) {
	kinds := func(weights ...int) []*kind {
		var out []*kind
		for i, w := range weights {
			out = append(out, &kind{user: User{Name: string(rune('a' + i))}, weight: w})
		}
		return out
	}
	names := func(order []*kind, n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(kindOf(order, int64(i)).user.Name)
		}
		return b.String()
	}
	for _, tc := range []struct {
		weights []int
		users   int
		want    string
	}{
		{[]int{3, 1}, 8, "aabaaaba"},
		{[]int{1, 1, 1}, 6, "abcabc"},
		{[]int{1, 3}, 4, "babb"},
		{[]int{5}, 3, "aaa"},
		{[]int{2, 1, 1}, 4, "abca"},
	} {
		if got := names(userOrder(kinds(tc.weights...)), tc.users); got != tc.want {
			t.Errorf("weights %v, %d users: kinds %q, want %q", tc.weights, tc.users, got, tc.want)
		}
	}
}
