// Command runner is Surge's side-by-side benchmark: it runs every scenario
// of issue 6 for Surge and each installed peer (wrk, ab, hey, Vegeta, k6)
// against loopback servers pinned to their own CPU, and writes
// bench/RESULTS.md. `make bench` (or `make -C bench`) installs the peers
// and runs it; BENCH_QUICK=1 makes a smoke run. See bench/README.md.
package main

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

var controlClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

func newRequest(ctx context.Context, url string) (*http.Request, error) {
	return http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
}

// Env describes the machine at the start and end of the run.
type Env struct {
	Started, Ended time.Time
	UptimeStart    string
	UptimeEnd      string
	Kernel, CPU    string
	CPUs           int
	FileLimit      uint64
	NginxVersion   string
	Peers          map[string][2]string // name -> version, how it was installed
}

func main() {
	log.SetFlags(log.Ltime)
	c, err := loadConfig()
	if err != nil {
		log.Fatal(err)
	}
	checkPrerequisites(c)
	env := newEnv(c)
	b := newBench(c, env)
	log.Printf("bench: scenarios %s, tools %s, %d runs; load now: %s", strings.Join(c.Scenarios, ","),
		strings.Join(b.order, ","), c.Runs, env.UptimeStart)
	b.runScenarios(env)
	env.Ended = time.Now()
	env.UptimeEnd = uptime()
	if err := os.WriteFile(c.Results, []byte(b.report(env)), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s in %v", c.Results, env.Ended.Sub(env.Started).Round(time.Second))
}

// checkPrerequisites stops the run early, before any load, when the work
// directory, the surge binary or the bench's helpers are missing.
func checkPrerequisites(c *Config) {
	if err := os.MkdirAll(c.Work, 0o755); err != nil {
		log.Fatal(err)
	}
	if _, err := os.Stat(c.Surge); err != nil {
		log.Fatalf("surge binary %s: %v (run `make build` at the top level)", c.Surge, err)
	}
	for _, helper := range []string{"countsrv", "surgeprof", "gobaseline", "startfloor"} {
		if _, err := os.Stat(filepath.Join(c.Bin, helper)); err != nil {
			log.Fatalf("%s not built: run `make -C bench` (%v)", helper, err)
		}
	}
}

// newEnv records the machine at the start of the run; it also raises the
// open-files limit, which scenario d needs.
func newEnv(c *Config) *Env {
	env := &Env{Started: time.Now(), CPUs: cpus(), FileLimit: raiseFileLimit(), Peers: readPeers(c)}
	env.UptimeStart = uptime()
	env.Kernel, _ = output("uname", "-sr")
	env.Kernel = strings.TrimSpace(env.Kernel)
	env.CPU = cpuModel()
	return env
}

// newBench sets up the tools, in the order BENCH_TOOLS lists them.
func newBench(c *Config, env *Env) *Bench {
	b := &Bench{c: c}
	b.tools = tools(c, env.Peers)
	for _, n := range c.Tools {
		if _, ok := b.tools[n]; ok {
			b.order = append(b.order, n)
		} else {
			log.Printf("unknown tool %q ignored", n)
		}
	}
	return b
}

// runScenarios runs the selected scenarios; a, e and the profile share
// one nginx, and are skipped (with a note) when it cannot start.
func (b *Bench) runScenarios(env *Env) {
	c := b.c
	var ngx *Server
	if c.has("a") || c.has("e") || c.has("p") || c.has("s") || c.has("n") || c.has("t") {
		var err error
		ngx, err = startNginx(c, env)
		if err != nil {
			b.Notes = append(b.Notes, "nginx could not start, scenarios a, e, s, n, t and the profile were skipped: "+err.Error())
			log.Print(err)
		}
	}
	if ngx != nil && c.has("a") {
		b.scenarioA(ngx)
	}
	if ngx != nil && c.has("p") {
		b.profile(ngx)
	}
	if ngx != nil && c.has("t") {
		b.scenarioT(ngx)
	}
	if ngx != nil && c.has("s") {
		b.scenarioS(ngx)
	}
	if ngx != nil && c.has("n") {
		b.scenarioN(ngx)
	}
	if c.has("b") {
		b.scenarioB()
	}
	if c.has("c") {
		b.scenarioC()
	}
	if c.has("d") {
		b.scenarioD()
	}
	if ngx != nil && c.has("e") {
		b.scenarioE(ngx)
	}
	ngx.Stop()
}

// nginxConfTemplate is nginx.conf with the directory (%[1]s) and the
// listen address (%[2]s) to fill in.
const nginxConfTemplate = `# written by bench/runner
worker_processes 1;
daemon off;
master_process off;
error_log %[1]s/error.log warn;
pid %[1]s/nginx.pid;
events { worker_connections 16384; }
http {
  access_log off;
  keepalive_requests 1000000000;
  keepalive_timeout 300s;
  client_body_temp_path %[1]s/body;
  proxy_temp_path %[1]s/proxy;
  fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi;
  scgi_temp_path %[1]s/scgi;
  server {
    listen %[2]s backlog=16384;
    location / { default_type text/plain; return 200 "ok\n"; }
    # The scripted scenarios' JSON resources (flowFiles), served as files.
    location /api/ { root %[1]s/www; default_type application/json; }
  }
}
`

// startNginx serves a 3-byte body from one nginx process pinned to the
// server CPU, with keep-alive connections that are never recycled.
func startNginx(c *Config, env *Env) (*Server, error) {
	bin := "/usr/sbin/nginx"
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("nginx not installed (%s)", bin)
	}
	// nginx -v prints to stderr.
	if out, err := combined(bin, "-v"); err == nil {
		env.NginxVersion = strings.TrimSpace(strings.TrimPrefix(out, "nginx version: "))
	}
	dir := filepath.Join(c.Work, "nginx")
	_ = os.MkdirAll(dir, 0o755)
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	if err := writeFlowFiles(filepath.Join(dir, "www")); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(nginxConfTemplate, dir, addr)), 0o644); err != nil {
		return nil, err
	}
	return startServer(c.SrvCPU, filepath.Join(dir, "nginx.log"), addr, bin, "-p", dir, "-c", path, "-e", filepath.Join(dir, "error.log"))
}

func combined(name string, args ...string) (string, error) {
	cmdOut, err := output("sh", "-c", name+" "+strings.Join(args, " ")+" 2>&1")
	return cmdOut, err
}

func readPeers(c *Config) map[string][2]string {
	out := map[string][2]string{}
	f, err := os.Open(filepath.Join(c.Dir, ".tools", "peers.tsv"))
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) == 3 {
			out[p[0]] = [2]string{p[1], p[2]}
		}
	}
	return out
}

func uptime() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return "load average " + strings.Join(f[:3], ", ")
}

func cpus() int {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "\nprocessor") + boolInt(strings.HasPrefix(string(b), "processor"))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "?"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}
