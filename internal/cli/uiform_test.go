package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/surge-dev/surge/dashboard"
	"github.com/surge-dev/surge/internal/freeaddr"
)

// surge ui -u 40 --spawn-rate 4 -d 2m pre-fills the start form, as
// locust -u 40 -r 4 -t 2m does: the dashboard's state names the form,
// and the target hears nothing until Start is pressed.
func TestUIFlagsPrefillTheStartForm(t *testing.T) {
	srv, n := countingServer(t)
	addr := freeaddr.Loopback(t)
	startUI(t, addr, "-t", strings.TrimPrefix(srv.URL, "http://"), "-u", "40", "--spawn-rate", "4", "-d", "2m")
	resp, err := http.Get("http://" + addr + "/api/state")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var st dashboard.State
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatal(err)
	}
	want := dashboard.StartRequest{Users: 40, SpawnRate: 4, Duration: "2m0s"}
	if st.Form == nil || *st.Form != want || st.Running {
		t.Errorf("state %s: want the form %+v and no test running", body, want)
	}
	if n.Load() != 0 {
		t.Errorf("%d requests sent before Start", n.Load())
	}
}

// Form values that could not start a test are refused at once, with what
// to write instead.
func TestUIFormFlagsRefuseBadValues(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-u", "100", "-r", "10"}, "Locust's -r, users started a second, is --spawn-rate"},
		{[]string{"-u", "0"}, "expected 1 to"},
		{[]string{"--spawn-rate", "5"}, "needs --users"},
		{[]string{"-r", "-3"}, "must be positive"},
		{[]string{"-d", "0s", "-u", "3"}, "must be positive"},
	} {
		res := surge(t, t.Context(), append([]string{"ui", "--addr", "127.0.0.1:0", "-t", "http://127.0.0.1:1"}, c.args...)...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, c.want) {
			t.Errorf("ui %v: exit %d, stderr %q; want %d and %q", c.args, res.code, res.stderr, ExitUsage, c.want)
		}
	}
}
