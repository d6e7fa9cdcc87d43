//go:build !surge_webui

package webui

import "embed"

// notBuilt holds the one page a binary without assets can show.
//
//go:embed noassets/index.html
var notBuilt embed.FS

var assets = mustSub(notBuilt, "noassets")
