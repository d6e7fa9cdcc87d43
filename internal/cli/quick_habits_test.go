package cli

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/surge-dev/surge/results"
)

// -n ends the test after exactly that many requests, counted by the
// server, in the closed model, the open model and at --rate max.
func TestQuickRequestCountIsExact(t *testing.T) {
	cases := [][]string{
		{"-n", "1000", "--users", "10"},
		{"-n", "1000", "--rate", "500"},
		{"--requests", "300", "--rate", "max", "--connections", "4"},
	}
	for _, flags := range cases {
		t.Run(strings.Join(flags, " "), func(t *testing.T) {
			srv, n := countingServer(t)
			out := filepath.Join(t.TempDir(), "r.json")
			args := append([]string{"quick", srv.URL + "/x", "--output", out, "--quiet"}, flags...)
			res := surge(t, context.Background(), args...)
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			want := int64(1000)
			if flags[1] == "300" {
				want = 300
			}
			if got := n.Load(); got != want {
				t.Fatalf("server counted %d requests, want exactly %d", got, want)
			}
			r, err := results.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if r.Aggregate.Requests != want || r.Test.Interrupted {
				t.Fatalf("results: %d requests, interrupted %v", r.Aggregate.Requests, r.Test.Interrupted)
			}
		})
	}
}

// With --duration too, whichever comes first ends the test.
func TestQuickRequestCountOrDurationWhicheverFirst(t *testing.T) {
	srv, n := countingServer(t)
	res := surge(t, context.Background(), "quick", srv.URL, "-n", "100000", "--rate", "100", "--duration", "500ms", "--quiet")
	if res.code != ExitOK || n.Load() != 50 {
		t.Fatalf("exit %d, server counted %d; want the duration's 50: %s", res.code, n.Load(), res.stderr)
	}
}

// seenRequest is what a recording server saw of a request.
type seenRequest struct{ method, path, id, body string }

// recordingServer counts requests by method, path, X-Id header and body.
func recordingServer(t *testing.T) (*httptest.Server, func() map[seenRequest]int) {
	var mu sync.Mutex
	seen := map[seenRequest]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen[seenRequest{r.Method, r.URL.Path, r.Header.Get("X-Id"), string(body)}]++
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return srv, func() map[seenRequest]int {
		mu.Lock()
		defer mu.Unlock()
		out := map[seenRequest]int{}
		for k, v := range seen {
			out[k] = v
		}
		return out
	}
}

// targetsFiles writes three targets, with headers and bodies, in both of
// Vegeta's formats.
func targetsFiles(t *testing.T, base string) (httpFile, jsonFile string) {
	dir := t.TempDir()
	body := filepath.Join(dir, "two.json")
	if err := os.WriteFile(body, []byte(`{"two":2}`), 0o600); err != nil {
		t.Fatal(err)
	}
	httpText := fmt.Sprintf("# three targets\nGET %[1]s/one\nX-Id: 1\n\nPOST %[1]s/two\nX-Id: 2\nContent-Type: application/json\n@%[2]s\n\n"+
		"PUT %[1]s/three\nX-Id: 3\n", base, body)
	b64 := base64.StdEncoding.EncodeToString
	jsonText := fmt.Sprintf(`{"method":"GET","url":"%[1]s/one","header":{"X-Id":["1"]}}`+"\n"+
		`{"method":"POST","url":"%[1]s/two","header":{"X-Id":["2"]},"body":"%[2]s"}`+"\n"+
		`{"method":"PUT","url":"%[1]s/three","header":{"X-Id":["3"]},"body":"%[3]s"}`+"\n", base, b64([]byte(`{"two":2}`)), b64([]byte("three")))
	httpFile, jsonFile = filepath.Join(dir, "targets.txt"), filepath.Join(dir, "targets.jsonl")
	for path, text := range map[string]string{httpFile: httpText, jsonFile: jsonText} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return httpFile, jsonFile
}

// A targets file in either format is sent in turn: each target a third
// of -n, with its method, path, header and body, and an endpoint of its
// own in the results.
func TestQuickTargetsFileIsSentInTurn(t *testing.T) {
	for _, format := range []string{"http", "json"} {
		t.Run(format, func(t *testing.T) {
			srv, seen := recordingServer(t)
			httpFile, jsonFile := targetsFiles(t, srv.URL)
			file := httpFile
			if format == "json" {
				file = jsonFile
			}
			out := filepath.Join(t.TempDir(), "r.json")
			// The GET has no body in either file, nor the PUT in the HTTP
			// one: --body gives them one, as Vegeta's -body does.
			res := surge(t, context.Background(), "quick", "--targets", file, "-n", "300", "--users", "1",
				"--body", "three", "--output", out, "--quiet")
			if res.code != ExitOK {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			want := map[seenRequest]int{
				{"GET", "/one", "1", "three"}:      100,
				{"POST", "/two", "2", `{"two":2}`}: 100,
				{"PUT", "/three", "3", "three"}:    100,
			}
			got := seen()
			for k, v := range want {
				if got[k] != v {
					t.Fatalf("server saw %v, want %v", got, want)
				}
			}
			r, err := results.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Endpoints) != 3 || r.Endpoints[0].Name != "GET /one" || r.Endpoints[0].Requests != 100 {
				t.Fatalf("endpoints %+v", r.Endpoints)
			}
		})
	}
}

// Several URLs are sent in turn, each its own endpoint.
func TestQuickSeveralURLsInTurn(t *testing.T) {
	srv, seen := recordingServer(t)
	res := surge(t, context.Background(), "quick", srv.URL+"/a", srv.URL+"/b", "-n", "100", "--users", "1", "-m", "post", "-H", "X-Id: 7", "--quiet")
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	got := seen()
	if got[seenRequest{"POST", "/a", "7", ""}] != 50 || got[seenRequest{"POST", "/b", "7", ""}] != 50 {
		t.Fatalf("server saw %v, want 50 POSTs to each URL", got)
	}
}

// A body file that is missing is refused with the usage exit code before
// any request is sent, whichever way it is named; one that exists is sent.
func TestQuickBodyFile(t *testing.T) {
	srv, seen := recordingServer(t)
	missing := filepath.Join(t.TempDir(), "missing.json")
	for _, flags := range [][]string{{"--body", "@" + missing}, {"--body-file", missing}} {
		res := surge(t, context.Background(), append([]string{"quick", srv.URL, "-n", "5"}, flags...)...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, "missing.json") {
			t.Fatalf("%v: exit %d, stderr %q; want %d naming the file", flags, res.code, res.stderr, ExitUsage)
		}
	}
	if n := len(seen()); n != 0 {
		t.Fatalf("a request was sent despite the missing body file: %v", seen())
	}
	body := filepath.Join(t.TempDir(), "b.txt")
	if err := os.WriteFile(body, []byte("from a file"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := surge(t, context.Background(), "quick", srv.URL+"/p", "-n", "3", "--users", "1", "-m", "PUT", "--body-file", body, "--quiet")
	if got := seen()[seenRequest{"PUT", "/p", "", "from a file"}]; res.code != ExitOK || got != 3 {
		t.Fatalf("exit %d, server saw %v: %s", res.code, seen(), res.stderr)
	}
}

// Flags that cannot go together are refused before any request.
func TestQuickHabitsRefusals(t *testing.T) {
	srv, seen := recordingServer(t)
	httpFile, _ := targetsFiles(t, srv.URL)
	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(bad, []byte("GET "+srv.URL+"/\nnot a header\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{srv.URL, "-n", "0"}, "-n 0"},
		{[]string{srv.URL, "--rate", "maximum"}, "or max"},
		{[]string{srv.URL, "--rate", "max", "--users", "3"}, "--rate max runs one user per connection"},
		{[]string{srv.URL, "--targets", httpFile}, "give no URL"},
		{[]string{"--targets", httpFile, "-m", "POST"}, "drop --method"},
		{[]string{srv.URL, "--body", "x", "--body-file", httpFile}, "exclude each other"},
		{[]string{"--targets", filepath.Join(t.TempDir(), "none.txt")}, "none.txt"},
		{[]string{"--targets", bad}, "bad.txt:2: "},
		{[]string{}, "give a URL"},
		{[]string{srv.URL, "ftp://x/"}, "not an http(s) URL"},
	}
	for _, c := range cases {
		res := surge(t, context.Background(), append([]string{"quick"}, c.args...)...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, res.code, res.stderr, ExitUsage, c.want)
		}
	}
	if len(seen()) != 0 {
		t.Fatalf("requests sent: %v", seen())
	}
}

// --targets - reads the targets from standard input, as Vegeta does.
func TestQuickTargetsFromStandardInput(t *testing.T) {
	srv, seen := recordingServer(t)
	stdin := strings.NewReader(fmt.Sprintf("GET %[1]s/a\nX-Id: 1\n\nDELETE %[1]s/b\n", srv.URL))
	var out, errb strings.Builder
	code := MainContext(context.Background(), []string{"quick", "--targets", "-", "-n", "4", "--users", "1", "--quiet"},
		IO{Stdout: &out, Stderr: &errb, Stdin: stdin})
	got := seen()
	if code != ExitOK || got[seenRequest{"GET", "/a", "1", ""}] != 2 || got[seenRequest{"DELETE", "/b", "", ""}] != 2 {
		t.Fatalf("exit %d, server saw %v: %s", code, got, errb.String())
	}
}

// hey's -H 'User-Agent: …' replaces Surge's: before, the lean path sent
// both and HTTP/2 Surge's alone.
func TestQuickUserAgentFromHeaderFlag(t *testing.T) {
	var mu sync.Mutex
	agents := map[string]int{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[strings.Join(r.Header.Values("User-Agent"), " | ")]++
		mu.Unlock()
	})
	srv := httptest.NewUnstartedServer(h)
	srv.Config.Protocols = new(http.Protocols)
	srv.Config.Protocols.SetHTTP1(true)
	srv.Config.Protocols.SetUnencryptedHTTP2(true)
	srv.Start()
	defer srv.Close()
	for _, proto := range []string{"auto", "http2"} {
		res := surge(t, context.Background(), "quick", srv.URL, "-n", "3", "--protocol", proto, "-H", "user-agent: hey/0.0.1", "--quiet")
		if res.code != ExitOK {
			t.Fatalf("--protocol %s: exit %d: %s", proto, res.code, res.stderr)
		}
	}
	if len(agents) != 1 || agents["hey/0.0.1"] != 6 {
		t.Fatalf("the server saw User-Agent %v, want hey/0.0.1 alone on 6 requests", agents)
	}
}
