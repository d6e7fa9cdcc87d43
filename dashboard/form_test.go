package dashboard

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"testing"
)

// The start form shows the values the command line gave (surge ui -u,
// --spawn-rate, -r, -d), and /api/state carries them for other clients.
func TestStartFormIsPrefilledFromConfig(t *testing.T) {
	form := StartRequest{Users: 25, SpawnRate: 2.5, Duration: "90s"}
	var page bytes.Buffer
	if err := pageTemplate().Execute(&page, pageData{Title: "t", Assets: true, Target: "http://127.0.0.1:1", Form: form}); err != nil {
		t.Fatal(err)
	}
	start := regexp.MustCompile(`(?s)<form id="start-form">.*?</form>`).FindString(page.String())
	for _, want := range []string{`name="users" type="number" min="0" step="1" value="25"`,
		`name="spawn_rate" type="number" min="0" step="any" value="2.5"`,
		`name="duration" placeholder="until stopped" value="90s"`} {
		if !bytes.Contains([]byte(start), []byte(want)) {
			t.Errorf("start form lacks %s:\n%s", want, start)
		}
	}
	if regexp.MustCompile(`name="rate"[^>]*value=`).MatchString(start) {
		t.Errorf("the rate is pre-filled though not given:\n%s", start)
	}

	srv := httptest.NewServer(New(Config{Title: "t", Target: "http://127.0.0.1:1", Form: form}, &recordingController{}).Handler())
	defer srv.Close()
	_, body := get(t, srv.URL+"/api/state", nil)
	var st State
	if err := json.Unmarshal([]byte(body), &st); err != nil || st.Form == nil || *st.Form != form {
		t.Errorf("/api/state %s: form %+v, want %+v (%v)", body, st.Form, form, err)
	}
}

// Without values from the command line the form is blank and the state
// names no form.
func TestStartFormIsBlankByDefault(t *testing.T) {
	var page bytes.Buffer
	if err := pageTemplate().Execute(&page, pageData{Title: "t", Assets: true}); err != nil {
		t.Fatal(err)
	}
	if regexp.MustCompile(`(?s)<form id="start-form">.*?value=.*?</form>`).MatchString(page.String()) {
		t.Errorf("blank form has values:\n%s", page.String())
	}
	_, _, srv := newTestServer(t, "")
	if _, body := get(t, srv.URL+"/api/state", nil); bytes.Contains([]byte(body), []byte(`"form"`)) {
		t.Errorf("/api/state names a form: %s", body)
	}
}

// A host typed without a scheme is taken as http://, as on the command
// line: the controller is asked for http://127.0.0.1:1/x.
func TestStartTakesAHostWithoutAScheme(t *testing.T) {
	_, ctl, srv := newTestServer(t, "")
	if code := post(t, srv.URL+"/api/start", `{"rate": 5, "host": "127.0.0.1:1/x"}`, nil); code != 200 {
		t.Fatalf("start: %d", code)
	}
	ctl.mu.Lock()
	defer ctl.mu.Unlock()
	if len(ctl.starts) != 1 || ctl.starts[0].Host != "http://127.0.0.1:1/x" {
		t.Errorf("started %+v, want the host http://127.0.0.1:1/x", ctl.starts)
	}
}
