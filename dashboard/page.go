package dashboard

import (
	_ "embed"
	"html/template"
	"net/http"
	"sync"

	"github.com/surge-dev/surge/internal/webui"
)

//go:embed page.gohtml
var pageSource string

// pageTemplate is parsed on the first page served, not when the program
// starts: most runs never serve the dashboard, and the parse was a tenth
// of a millisecond or more of every start-up.
var pageTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("dashboard").Parse(pageSource))
})

type pageData struct {
	Title  string
	Assets bool
	// Target is the host the page starts tests against ("": any, when
	// the page may choose); AnyTarget says whether it may choose another.
	Target    string
	AnyTarget bool
	Form      StartRequest // the start form's first values
}

func (s *Server) page(w http.ResponseWriter, _ *http.Request) {
	title := s.cfg.Title
	if title == "" {
		title = "Surge"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy",
		"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'")
	pageTemplate().Execute(w, pageData{Title: title, Assets: webui.Available(), Target: s.cfg.Target, AnyTarget: s.cfg.AllowAnyTarget, Form: s.cfg.Form})
}
