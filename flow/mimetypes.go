package flow

// fileTypes are the content types of a formData file part by extension,
// as the form-data package Artillery uses names them (its mime-types
// table, for the files a test is likely to upload); any other is
// application/octet-stream. A .yml part went out as octet-stream where
// Artillery sent text/yaml.
var fileTypes = map[string]string{
	".txt": "text/plain", ".log": "text/plain", ".ini": "text/plain",
	".json": "application/json", ".csv": "text/csv", ".tsv": "text/tab-separated-values",
	".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
	".xml": "application/xml", ".yml": "text/yaml", ".yaml": "text/yaml", ".toml": "application/toml",
	".md": "text/markdown", ".css": "text/css", ".js": "application/javascript", ".mjs": "application/javascript",
	".rtf": "application/rtf", ".ics": "text/calendar", ".sql": "application/x-sql", ".sh": "application/x-sh",
	".geojson": "application/geo+json", ".atom": "application/atom+xml", ".rss": "application/rss+xml",
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".jpe": "image/jpeg",
	".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml", ".bmp": "image/bmp",
	".ico": "image/vnd.microsoft.icon", ".tif": "image/tiff", ".tiff": "image/tiff",
	".avif": "image/avif", ".heic": "image/heic", ".heif": "image/heif",
	".pdf": "application/pdf", ".ps": "application/postscript", ".eps": "application/postscript",
	".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text", ".ods": "application/vnd.oasis.opendocument.spreadsheet",
	".epub": "application/epub+zip",
	".zip":  "application/zip", ".gz": "application/gzip", ".tar": "application/x-tar",
	".7z": "application/x-7z-compressed", ".rar": "application/vnd.rar", ".jar": "application/java-archive",
	".wasm": "application/wasm",
	".mp4":  "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime", ".avi": "video/x-msvideo",
	".mpeg": "video/mpeg", ".mpg": "video/mpeg", ".mkv": "video/x-matroska",
	".mp3": "audio/mpeg", ".wav": "audio/wave", ".ogg": "audio/ogg", ".m4a": "audio/mp4", ".flac": "audio/x-flac",
	".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
	".pem": "application/x-x509-ca-cert", ".crt": "application/x-x509-ca-cert", ".der": "application/x-x509-ca-cert",
	".p12": "application/x-pkcs12",
}
