//go:build surge_webui

package webui

import "embed"

// dist is filled by the web/ build (make web). Building with the
// surge_webui tag before it fails here: "pattern dist: no matching files"
// or "contains no embeddable files".
//
//go:embed dist
var dist embed.FS

var assets = mustSub(dist, "dist")
