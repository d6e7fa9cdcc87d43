// Builds Surge's web assets into internal/webui/dist (git-ignored), which
// the Go package internal/webui embeds when built with -tags surge_webui.
//
// Run after `npm ci`:  node build.mjs   (or: npm run build)
//
// It copies uPlot's prebuilt files from node_modules (with its license in
// front of the script) and our own hand-written sources from src/, checks
// that every script compiles and that none could break out of the inline
// <script>/<style> block the report puts it in, and writes manifest.json
// with each file's size and SHA-256. Plain Node, no bundler.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'internal', 'webui', 'dist');
const uplotDir = join(here, 'node_modules', 'uplot');

function read(path) {
  return readFileSync(path, 'utf8');
}

// uplotFiles returns uPlot's script (license first) and stylesheet.
function uplotFiles() {
  const pkg = JSON.parse(read(join(uplotDir, 'package.json')));
  const license = read(join(uplotDir, 'LICENSE')).trim();
  if (license.includes('*/')) {
    throw new Error('uPlot LICENSE contains "*/": cannot wrap it in a comment');
  }
  const banner = `/*! uPlot ${pkg.version}, bundled unmodified from npm.\n${license}\n*/\n`;
  return {
    version: pkg.version,
    files: {
      'uPlot.js': banner + read(join(uplotDir, 'dist', 'uPlot.iife.min.js')),
      'uPlot.css': read(join(uplotDir, 'dist', 'uPlot.min.css')),
    },
  };
}

// ownFiles returns every .js and .css file in src/.
function ownFiles() {
  const files = {};
  for (const name of readdirSync(join(here, 'src')).sort()) {
    if (name.endsWith('.js') || name.endsWith('.css')) {
      files[name] = read(join(here, 'src', name));
    }
  }
  return files;
}

// check rejects a file that would not work inlined in an HTML page.
function check(name, text) {
  const lower = text.toLowerCase();
  if (name.endsWith('.js')) {
    for (const bad of ['</script', '<!--', '<script']) {
      if (lower.includes(bad)) throw new Error(`${name}: contains "${bad}"; cannot be inlined`);
    }
    new Script(text, { filename: name }); // syntax check only, runs nothing
  } else if (lower.includes('</style') || /url\(\s*['"]?\s*(https?:)?\/\//.test(lower)) {
    throw new Error(`${name}: contains "</style" or a remote url(); cannot be inlined`);
  }
}

function sha256(text) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function build() {
  const uplot = uplotFiles();
  const files = { ...uplot.files, ...ownFiles() };
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const manifest = { uplot: uplot.version, files: {} };
  for (const [name, text] of Object.entries(files)) {
    check(name, text);
    writeFileSync(join(out, name), text);
    manifest.files[name] = { bytes: Buffer.byteLength(text), sha256: sha256(text) };
  }
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  const total = Object.values(manifest.files).reduce((n, f) => n + f.bytes, 0);
  console.log(`web: wrote ${Object.keys(files).length} files (${total} bytes) to ${out}`);
}

build();
