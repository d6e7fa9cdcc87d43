package distributed

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
)

// Processes are worker processes started on this machine (surge run
// --local): the same binary, one per share.
type Processes struct {
	cmds []*exec.Cmd
	// Exited receives the error of the first process that fails, so that
	// a coordinator stops waiting for a worker that is gone; it is closed
	// when every process has ended.
	Exited chan error
	wg     sync.WaitGroup
	mu     sync.Mutex
	errs   []error
}

// Start starts n processes of exe, process k with args(k) and env added
// to this process's environment, their output to stderr. The methods of
// a nil or never started Processes do nothing.
func (p *Processes) Start(exe string, n int, args func(k int) []string, env []string, stderr io.Writer) error {
	p.Exited = make(chan error, n)
	for k := range n {
		cmd := exec.Command(exe, args(k)...)
		cmd.Env = append(os.Environ(), env...)
		cmd.Stdout, cmd.Stderr = io.Discard, stderr
		if err := cmd.Start(); err != nil {
			p.Kill()
			p.Wait()
			return fmt.Errorf("starting worker %d of %d: %w", k, n, err)
		}
		p.cmds = append(p.cmds, cmd)
		p.wg.Add(1)
		go p.watch(k, cmd)
	}
	go func() { p.wg.Wait(); close(p.Exited) }()
	return nil
}

func (p *Processes) watch(k int, cmd *exec.Cmd) {
	defer p.wg.Done()
	err := cmd.Wait()
	if err != nil {
		err = fmt.Errorf("worker process %d (pid %d) ended: %w", k, cmd.Process.Pid, err)
		p.mu.Lock()
		p.errs = append(p.errs, err)
		p.mu.Unlock()
		select {
		case p.Exited <- err:
		default:
		}
	}
}

// Kill ends every process still running.
func (p *Processes) Kill() {
	if p == nil {
		return
	}
	for _, c := range p.cmds {
		c.Process.Kill() // one that has ended says so, harmlessly
	}
}

// Wait waits for every process and returns their failures.
func (p *Processes) Wait() error {
	if p == nil {
		return nil
	}
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	return errors.Join(p.errs...)
}
