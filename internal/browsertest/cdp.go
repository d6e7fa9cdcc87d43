package browsertest

// A minimal Chrome DevTools Protocol client over --remote-debugging-pipe,
// standard library only, for the browser tests: the browser reads
// NUL-terminated JSON commands on file descriptor 3 and writes replies and
// events on descriptor 4. No port is opened.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// chromiumFlags are the flags known to work on the project's machines.
var chromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--remote-debugging-pipe", "--window-size=1280,1600", "--hide-scrollbars",
}

// Message is one DevTools protocol message: a command, a reply or an event.
type Message struct {
	ID        int64           `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// Browser is one headless Chromium driven over the pipe.
type Browser struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	out    *os.File // commands to the browser (its fd 3)
	in     *os.File // replies and events from it (its fd 4)
	done   chan struct{}

	mu      sync.Mutex
	nextID  int64
	waiting map[int64]chan Message
	onEvent func(Message)
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 64<<10 {
		return len(p), nil
	}
	return b.buf.Write(p)
}

// tail returns the last lines the browser wrote to stderr.
func (b *lockedBuffer) tail() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	return s[max(0, len(s)-2000):]
}

// Start launches Chromium with a fresh profile and stops it when
// the test ends.
func Start(t testing.TB, path string) *Browser {
	t.Helper()
	toBrowser, out, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	in, fromBrowser, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	args := append(chromiumFlags[:len(chromiumFlags):len(chromiumFlags)], "--user-data-dir="+t.TempDir(), "about:blank")
	b := &Browser{cmd: exec.Command(path, args...), stderr: &lockedBuffer{}, out: out, in: in,
		done: make(chan struct{}), waiting: map[int64]chan Message{}}
	b.cmd.ExtraFiles = []*os.File{toBrowser, fromBrowser}
	b.cmd.Stderr = b.stderr
	if err := b.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	toBrowser.Close()
	fromBrowser.Close()
	go b.read()
	t.Cleanup(b.stop)
	return b
}

// read dispatches replies to their callers and events to onEvent.
func (b *Browser) read() {
	defer close(b.done)
	r := bufio.NewReaderSize(b.in, 1<<20)
	for {
		line, err := r.ReadBytes(0)
		if err != nil {
			return
		}
		var m Message
		if json.Unmarshal(line[:len(line)-1], &m) != nil {
			continue
		}
		b.mu.Lock()
		ch, handler := b.waiting[m.ID], b.onEvent
		delete(b.waiting, m.ID)
		b.mu.Unlock()
		switch {
		case m.ID != 0 && ch != nil:
			ch <- m
		case m.Method != "" && handler != nil:
			handler(m)
		}
	}
}

// Send writes a command and returns the channel its reply will arrive on.
func (b *Browser) Send(session, method string, params any) (chan Message, error) {
	if params == nil {
		params = struct{}{}
	}
	p, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	ch := make(chan Message, 1)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.nextID++
	b.waiting[b.nextID] = ch
	msg, _ := json.Marshal(Message{ID: b.nextID, SessionID: session, Method: method, Params: p})
	if _, err := b.out.Write(append(msg, 0)); err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	return ch, nil
}

// Call sends a command, waits for its reply and decodes its result.
func (b *Browser) Call(ctx context.Context, session, method string, params, result any) error {
	ch, err := b.Send(session, method, params)
	if err != nil {
		return err
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return fmt.Errorf("%s: %s (%d)", method, m.Error.Message, m.Error.Code)
		}
		if result == nil {
			return nil
		}
		return json.Unmarshal(m.Result, result)
	case <-ctx.Done():
		return fmt.Errorf("%s: %w; browser stderr:\n%s", method, ctx.Err(), b.stderr.tail())
	case <-b.done:
		return fmt.Errorf("%s: the browser closed its pipe; stderr:\n%s", method, b.stderr.tail())
	}
}

// Handle sets the function that receives every event.
func (b *Browser) Handle(f func(Message)) {
	b.mu.Lock()
	b.onEvent = f
	b.mu.Unlock()
}

// stop asks the browser to close, then kills it if it does not.
func (b *Browser) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = b.Call(ctx, "", "Browser.close", nil, nil)
	exited := make(chan struct{})
	go func() {
		_ = b.cmd.Wait()
		close(exited)
	}()
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		_ = b.cmd.Process.Kill()
		<-exited
	}
	b.out.Close()
	b.in.Close()
}

// OpenPage creates a tab and attaches to it, returning its session id.
func (b *Browser) OpenPage(ctx context.Context) (string, error) {
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := b.Call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return "", err
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	err := b.Call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	return attached.SessionID, err
}

// Evaluate runs a JavaScript expression (awaiting a promise) in the page
// and decodes its value.
func (b *Browser) Evaluate(ctx context.Context, session, expr string, v any) error {
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	params := map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}
	if err := b.Call(ctx, session, "Runtime.evaluate", params, &res); err != nil {
		return err
	}
	if e := res.ExceptionDetails; e != nil {
		return errors.New("evaluate: " + e.Text + " " + e.Exception.Description)
	}
	return json.Unmarshal(res.Result.Value, v)
}

// FindChromium returns the browser to test with: $SURGE_CHROMIUM, or
// the first of the usual names on $PATH.
func FindChromium() (string, bool) {
	if p := os.Getenv("SURGE_CHROMIUM"); p != "" {
		return p, true
	}
	for _, name := range []string{"chromium", "chromium-browser", "chromium-headless-shell", "google-chrome-stable", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

// IsLocalURL reports whether a URL the page loads stays on this machine
// without a network request.
func IsLocalURL(u string) bool {
	for _, scheme := range []string{"file:", "data:", "about:", "blob:"} {
		if strings.HasPrefix(u, scheme) {
			return true
		}
	}
	return false
}

// Chromium finds the browser for a test. Without one the test skips, or
// fails when the CI environment variable is set: in CI the browser tests
// must run.
func Chromium(t testing.TB) string {
	t.Helper()
	path, ok := FindChromium()
	if !ok && os.Getenv("CI") != "" {
		t.Fatal("CI is set but no Chromium was found: the browser tests must run in CI. " +
			"Install the Debian package chromium (.ci/run does) or set SURGE_CHROMIUM.")
	}
	if !ok {
		t.Skip("browser tests skipped: no Chromium found. Install the Debian package chromium " +
			"(apt-get install chromium) or set SURGE_CHROMIUM to a Chromium binary.")
	}
	return path
}
