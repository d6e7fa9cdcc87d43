package dashboard

import (
	"encoding/json"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"

	"github.com/surge-dev/surge/internal/webui"
)

// maxBody bounds control request bodies.
const maxBody = 64 << 10

func (s *Server) state(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.currentState())
}

// events streams frames as server-sent events: first the history so far,
// then one frame a second.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	ch := s.subscribe()
	defer s.unsubscribe(ch)
	w.Write(s.catchUp())
	fl.Flush()
	keepAlive := time.NewTicker(15 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case msg := <-ch:
			w.Write(msg)
		case <-keepAlive.C:
			w.Write([]byte(": keep-alive\n\n"))
		case <-r.Context().Done():
			return
		}
		fl.Flush()
	}
}

// catchUp is what a new browser needs: the history, the latest frame and
// the state. The state comes last: the latest frame carries the state of
// its own moment, and the final frame of a test is sent before the test is
// marked as ended, so a page loaded afterwards would show it still running.
func (s *Server) catchUp() []byte {
	var out []byte
	s.mu.Lock()
	if h, err := s.history(s.run); err == nil {
		out = append(out, event("history", h)...)
	}
	if s.run.frame != nil {
		out = append(out, event("frame", s.run.frame)...)
	}
	s.mu.Unlock()
	st, _ := json.Marshal(s.currentState())
	return append(out, event("state", st)...)
}

func (s *Server) subscribe() chan []byte {
	ch := make(chan []byte, 32)
	s.mu.Lock()
	s.clients[ch] = struct{}{}
	s.mu.Unlock()
	return ch
}

func (s *Server) unsubscribe(ch chan []byte) {
	s.mu.Lock()
	delete(s.clients, ch)
	s.mu.Unlock()
}

// broadcast never blocks: a browser too slow to keep up misses frames
// (the next frame carries the full table again).
func (s *Server) broadcast(msg []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.clients {
		select {
		case ch <- msg:
		default:
		}
	}
}

func (s *Server) start(w http.ResponseWriter, r *http.Request) {
	var req StartRequest
	if !decode(w, r, &req) {
		return
	}
	req.Host = hostWithScheme(req.Host)
	if err := req.Validate(); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if err := s.checkTarget(req.Host); err != nil {
		writeError(w, http.StatusForbidden, err)
		return
	}
	s.reply(w, s.ctl.Start(req))
}

func (s *Server) stop(w http.ResponseWriter, _ *http.Request) {
	s.ctl.Stop()
	s.reply(w, nil)
}

func (s *Server) load(w http.ResponseWriter, r *http.Request) {
	var req LoadRequest
	if !decode(w, r, &req) {
		return
	}
	if err := req.Validate(); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	s.reply(w, s.ctl.SetLoad(req))
}

func (s *Server) reset(w http.ResponseWriter, _ *http.Request) {
	s.ctl.ResetStats()
	s.reply(w, nil)
}

func (s *Server) reply(w http.ResponseWriter, err error) {
	if err != nil {
		writeError(w, http.StatusConflict, err)
		return
	}
	writeJSON(w, http.StatusOK, s.currentState())
}

func writeError(w http.ResponseWriter, code int, err error) {
	writeJSON(w, code, map[string]string{"error": err.Error()})
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad request body: " + err.Error()})
		return false
	}
	return true
}

func (s *Server) asset(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.PathValue("name"))
	b, err := fs.ReadFile(webui.Assets(), name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
