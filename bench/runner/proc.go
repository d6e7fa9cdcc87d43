package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Proc is one finished generator process.
type Proc struct {
	Start, End time.Time
	Wall       time.Duration
	CPU        time.Duration // user + system
	SysCPU     time.Duration // system (kernel) time alone
	MaxRSSKB   int64         // peak resident set (getrusage of the child)
	Exit       int
	Stdout     string
	Stderr     string
	RSS        []RSSSample // only when sampled
}

// RSSSample is the resident set of a process at one moment.
type RSSSample struct {
	At    time.Time
	RSSKB int64
}

// Job describes a process to run pinned to a CPU.
type Job struct {
	CPU     string
	Name    string // binary
	Args    []string
	Env     []string // added to the environment
	Stdin   string
	Log     string        // file prefix for stdout and stderr
	Timeout time.Duration // hard limit; the process is killed past it
	Sample  time.Duration // sample VmRSS this often (0: never)
}

// run starts the job under taskset and waits for it.
func run(j Job) (*Proc, error) {
	args := append([]string{"-c", j.CPU, j.Name}, j.Args...)
	cmd := exec.Command("taskset", args...)
	cmd.Env = append(os.Environ(), j.Env...)
	if j.Stdin != "" {
		cmd.Stdin = strings.NewReader(j.Stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	// Its own process group, so that a timeout kills the tool and not
	// only taskset.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p := &Proc{Start: time.Now()}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	err := waitJob(cmd, j, p)
	p.Stdout, p.Stderr = stdout.String(), stderr.String()
	if j.Log != "" {
		writeJobLogs(j.Log, args, stdout.Bytes(), stderr.Bytes())
	}
	putUsage(p, cmd.ProcessState)
	return p, jobError(j, p, err)
}

// waitJob waits for the started cmd, sampling its RSS meanwhile and
// killing its process group past j.Timeout; it fills p's times and
// samples and returns what cmd.Wait returned.
func waitJob(cmd *exec.Cmd, j Job, p *Proc) error {
	done := make(chan struct{})
	sampled := make(chan []RSSSample, 1)
	go func() { sampled <- sampleRSS(cmd.Process.Pid, j.Sample, done) }()
	timer := time.AfterFunc(j.Timeout, func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	err := cmd.Wait()
	timer.Stop()
	close(done)
	p.End = time.Now()
	p.Wall = p.End.Sub(p.Start)
	p.RSS = <-sampled
	return err
}

// writeJobLogs keeps a job's output and command line next to the results.
func writeJobLogs(prefix string, args []string, stdout, stderr []byte) {
	_ = os.WriteFile(prefix+".stdout", stdout, 0o644)
	_ = os.WriteFile(prefix+".stderr", stderr, 0o644)
	_ = os.WriteFile(prefix+".cmd", []byte(strings.Join(append([]string{"taskset"}, args...), " ")+"\n"), 0o644)
}

// putUsage copies the peak RSS, CPU time and exit code of the finished
// process into p.
func putUsage(p *Proc, ps *os.ProcessState) {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		p.MaxRSSKB = ru.Maxrss
		p.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		p.SysCPU = time.Duration(ru.Stime.Nano())
	}
	p.Exit = ps.ExitCode()
}

// jobError is the job's failure: an error other than a non-zero exit
// (the callers judge the exit code), or the timeout.
func jobError(j Job, p *Proc, err error) error {
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return err
	}
	if p.Wall >= j.Timeout {
		return fmt.Errorf("%s killed after %v", j.Name, j.Timeout)
	}
	return nil
}

// sampleRSS reads VmRSS of pid every step until done is closed.
func sampleRSS(pid int, step time.Duration, done <-chan struct{}) []RSSSample {
	if step <= 0 {
		<-done
		return nil
	}
	var out []RSSSample
	t := time.NewTicker(step)
	defer t.Stop()
	for {
		if kb, ok := statusField(pid, "VmRSS"); ok {
			out = append(out, RSSSample{At: time.Now(), RSSKB: kb})
		}
		select {
		case <-done:
			return out
		case <-t.C:
		}
	}
}

// statusField reads one "Name: N kB" line of /proc/PID/status.
func statusField(pid int, name string) (int64, bool) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && k == name {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// Server is a background process the generators talk to.
type Server struct {
	cmd  *exec.Cmd
	Addr string
	out  *os.File
}

// startServer runs a server pinned to cpu and waits until addr accepts
// connections.
func startServer(cpu, log, addr string, name string, args ...string) (*Server, error) {
	out, err := os.Create(log)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("taskset", append([]string{"-c", cpu, name}, args...)...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		out.Close()
		return nil, err
	}
	s := &Server{cmd: cmd, Addr: addr, out: out}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return s, nil
		}
		if time.Now().After(deadline) || cmd.ProcessState != nil {
			s.Stop()
			b, _ := os.ReadFile(log)
			return nil, fmt.Errorf("%s did not listen on %s: %s", name, addr, strings.TrimSpace(string(b)))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop ends the server: SIGTERM, then SIGKILL after 5 s.
func (s *Server) Stop() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	pid := s.cmd.Process.Pid
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-done
	}
	s.out.Close()
}

// freeAddr returns a loopback address with a port nobody listens on now.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// httpGet fetches a small control URL on the loopback.
func httpGet(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := newRequest(ctx, url)
	if err != nil {
		return nil, err
	}
	resp, err := controlClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// output runs a short helper (not pinned, not measured) and returns its
// standard output.
func output(name string, args ...string) (string, error) {
	var out, errb bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s: %v: %s", name, err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

// raiseFileLimit lifts the soft open-files limit to the hard one, for this
// process and the children it starts.
func raiseFileLimit() uint64 {
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) != nil {
		return 0
	}
	rl.Cur = rl.Max
	_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
	_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl)
	return rl.Cur
}
