//go:build !surge_webui

package webui

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestWithoutAssets(t *testing.T) {
	if Available() {
		t.Fatal("Available() without the surge_webui tag")
	}
	if _, err := ReadAsset(UPlotJS); !errors.Is(err, ErrNoAssets) {
		t.Errorf("ReadAsset: %v, want ErrNoAssets", err)
	}
	page, err := fs.ReadFile(Assets(), NotBuiltPage)
	if err != nil || !strings.Contains(string(page), "make build") {
		t.Errorf("not-built page: %v %q", err, page)
	}
}
