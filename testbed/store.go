package testbed

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Item is one record of the CRUD API.
type Item struct {
	ID      int64     `json:"id"`
	Name    string    `json:"name"`
	Price   float64   `json:"price"`
	Tags    []string  `json:"tags,omitempty"`
	Created time.Time `json:"created"`
}

// maxItems bounds the store so a long test cannot exhaust memory.
const maxItems = 100_000

type store struct {
	mu    sync.RWMutex
	next  int64
	items map[int64]Item
}

func newStore() *store {
	s := &store{items: map[int64]Item{}}
	for i, name := range []string{"anvil", "rope", "lantern", "compass", "kettle"} {
		s.add(Item{Name: name, Price: float64(10 + 5*i)})
	}
	return s
}

func (s *store) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/items", s.list)
	mux.HandleFunc("POST /api/items", s.create)
	mux.HandleFunc("GET /api/items/{id}", s.get)
	mux.HandleFunc("PUT /api/items/{id}", s.update)
	mux.HandleFunc("DELETE /api/items/{id}", s.remove)
}

func (s *store) add(it Item) Item {
	s.next++
	it.ID, it.Created = s.next, time.Now().UTC()
	s.items[it.ID] = it
	return it
}

func (s *store) len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.items)
}

func (s *store) list(w http.ResponseWriter, r *http.Request) {
	limit, err := intParam(r, "limit", 20, 1000)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.RLock()
	out := make([]Item, 0, len(s.items))
	for _, it := range s.items {
		out = append(out, it)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	writeJSON(w, http.StatusOK, map[string]any{"items": out[:min(limit, len(out))], "total": len(out)})
}

func (s *store) create(w http.ResponseWriter, r *http.Request) {
	var it Item
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&it); err != nil || it.Name == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "want a JSON object with a name"})
		return
	}
	s.mu.Lock()
	if len(s.items) >= maxItems {
		s.mu.Unlock()
		writeJSON(w, http.StatusInsufficientStorage, map[string]string{"error": "store is full"})
		return
	}
	it = s.add(it)
	s.mu.Unlock()
	w.Header().Set("Location", "/api/items/"+strconv.FormatInt(it.ID, 10))
	writeJSON(w, http.StatusCreated, it)
}

func (s *store) lookup(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "id must be a number"})
		return 0, false
	}
	return id, true
}

func (s *store) get(w http.ResponseWriter, r *http.Request) {
	id, ok := s.lookup(w, r)
	if !ok {
		return
	}
	s.mu.RLock()
	it, found := s.items[id]
	s.mu.RUnlock()
	if !found {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such item"})
		return
	}
	writeJSON(w, http.StatusOK, it)
}

func (s *store) update(w http.ResponseWriter, r *http.Request) {
	id, ok := s.lookup(w, r)
	if !ok {
		return
	}
	var in Item
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "want a JSON object"})
		return
	}
	s.mu.Lock()
	it, found := s.items[id]
	if found {
		it.Name, it.Price, it.Tags = in.Name, in.Price, in.Tags
		s.items[id] = it
	}
	s.mu.Unlock()
	if !found {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such item"})
		return
	}
	writeJSON(w, http.StatusOK, it)
}

func (s *store) remove(w http.ResponseWriter, r *http.Request) {
	id, ok := s.lookup(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	_, found := s.items[id]
	delete(s.items, id)
	s.mu.Unlock()
	if !found {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such item"})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
