package h1

import (
	"context"
	"sync"
)

// MaxDialing bounds the connection attempts in flight to one address,
// across every Transport of the process (Artillery's model gives each VU
// a transport of its own). Ten thousand users starting at once dialled
// all together: ten thousand dialling goroutines whose stacks the process
// kept after they ended (peak RSS 116–128 MB against 108–110 MB with 256
// at a time, `surge quick --users 10000` against a slow loopback target),
// and more SYNs at once than a server's accept queue holds (4,096 by
// default on Linux), whose drops cost a second's retransmission each. At
// 256 in flight a server 100 ms away still takes 2,500 new connections a
// second.
const MaxDialing = 256

// dialing holds a semaphore per address: chan struct{} of MaxDialing.
var dialing sync.Map

// dialSlot waits for one of addr's dialling slots, or for ctx to end, and
// returns the semaphore: a receive from it gives the slot back.
func dialSlot(ctx context.Context, addr string) (chan struct{}, error) {
	v, ok := dialing.Load(addr)
	if !ok {
		v, _ = dialing.LoadOrStore(addr, make(chan struct{}, MaxDialing))
	}
	slots := v.(chan struct{})
	select {
	case slots <- struct{}{}:
		return slots, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
