package k8s

import (
	"fmt"
	"path"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// maxConfigMapBytes is the API server's limit on a ConfigMap's data.
const maxConfigMapBytes = 1 << 20

// volumeFile is one file of the script's ConfigMap: its key there and its
// path in the mounted directory.
type volumeFile struct {
	key, path string
	data      []byte
}

// volumeFiles turns the script (first), its payload files and the files
// of Options.Run into
// ConfigMap entries. Keys may not hold a slash, so a payload in a
// subdirectory gets a flattened key and keeps its path through the
// volume's items.
func volumeFiles(t Test) ([]volumeFile, error) {
	if t.Script.Path == "" {
		return nil, errNoScript
	}
	all := append(append([]File{t.Script}, t.Payloads...), t.Files...)
	var out []volumeFile
	keys, paths := map[string]bool{}, map[string]bool{}
	size := 0
	for _, f := range all {
		p, err := localPath(f.Path)
		if err != nil {
			return nil, err
		}
		if paths[p] {
			continue // two payload entries may read one file
		}
		paths[p] = true
		key := uniqueKey(configMapKey(p), keys)
		out = append(out, volumeFile{key: key, path: p, data: f.Data})
		size += len(key) + len(f.Data)
	}
	if size > maxConfigMapBytes {
		return nil, fmt.Errorf("the script and its payload files hold %d bytes; a ConfigMap holds at most %d (1 MiB): bake large payload files into the image instead", size, maxConfigMapBytes)
	}
	return out, nil
}

// localPath cleans a path and refuses one that would leave the mounted
// directory: the pod has the script's directory and nothing else.
func localPath(p string) (string, error) {
	clean := path.Clean(p)
	if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || clean == "." {
		return "", fmt.Errorf("%s: outside the script's directory; surge k8s ships the script's directory and what is under it, so move the file there", p)
	}
	return clean, nil
}

// configMapKey flattens a path into a ConfigMap key: letters, digits,
// '-', '_' and '.', the slashes becoming "__".
func configMapKey(p string) string {
	var b strings.Builder
	for _, r := range strings.ReplaceAll(p, "/", "__") {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	key := b.String()
	if len(validation.IsConfigMapKey(key)) > 0 {
		key = "file-" + key // "." and ".." are not keys
	}
	return key
}

// uniqueKey adds a suffix to a key another file already took.
func uniqueKey(key string, taken map[string]bool) string {
	candidate := key
	for n := 2; taken[candidate]; n++ {
		candidate = fmt.Sprintf("%s-%d", key, n)
	}
	taken[candidate] = true
	return candidate
}
