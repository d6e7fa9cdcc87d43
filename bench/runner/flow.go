package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// The scripted flow of issue 16, the same for every tool: GET a JSON
// resource, capture its "id", then GET a URL templated with the capture
// and carrying a templated header. nginx serves both resources as
// static files (flowFiles) under /api/.

// flowID is the id the first resource carries and the second one's name.
const flowID = "4711"

// flowFirst and flowSecond are the two requests' paths; the second is
// what the template must render to.
const (
	flowFirst  = "/api/item.json"
	flowSecond = "/api/items/" + flowID + ".json"
)

// flowFiles are the JSON documents, a little more than the capture needs,
// so that a tool parsing the whole body pays for it as it would in a test.
var flowFiles = map[string]string{
	flowFirst: `{"id":"` + flowID + `","name":"bench item","price":12.5,"tags":["red","large","sale"],` +
		`"owner":{"id":17,"name":"shop"},"stock":[{"store":1,"count":3},{"store":2,"count":0}]}` + "\n",
	flowSecond: `{"id":"` + flowID + `","reviews":[{"stars":5,"text":"fine"},{"stars":3,"text":"ok"}],"related":[1,2,3]}` + "\n",
}

// writeFlowFiles writes the flow's resources under root (nginx's root).
func writeFlowFiles(root string) error {
	for path, body := range flowFiles {
		file := filepath.Join(root, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// FlowLoad is one run of the scripted flow.
type FlowLoad struct {
	Base     string        // http://host:port of the server
	Users    int           // > 0: looping users, each on its own keep-alive connection
	Rate     float64       // > 0: a new VU with a new connection per arrival, this many a second
	Duration time.Duration // how long to send
	Loops    int           // Artillery's closed loop: flows per VU (it has no time-bounded loop)
	Log      string
}

// flowSteps is the flow as Artillery's YAML (and Surge's, which runs it
// unchanged), indented for a scenario's flow list at the given depth.
func flowSteps(indent string) string {
	return fmt.Sprintf(`%[1]s- get:
%[1]s    url: "%[2]s"
%[1]s    capture:
%[1]s      json: "$.id"
%[1]s      as: id
%[1]s- get:
%[1]s    url: "/api/items/{{ id }}.json"
%[1]s    headers:
%[1]s      X-Item: "item-{{ id }}"
`, indent, flowFirst)
}

// artilleryScript is the YAML script of the flow. With a rate it is an
// open model (one new VU per arrival, Artillery's default, and the
// script Surge runs unchanged); with users it starts that many VUs in
// the first second, each looping the flow loops times on its own
// connection: Artillery's nearest to a closed loop of users.
func artilleryScript(l FlowLoad) string {
	head := fmt.Sprintf("# written by bench/runner: the scripted flow of issue 16\nconfig:\n  target: %q\n", l.Base)
	if l.Users > 0 {
		return head + fmt.Sprintf(`  phases:
    - duration: 1
      arrivalCount: %d
scenarios:
  - name: flow
    flow:
      - loop:
%s        count: %d
`, l.Users, flowSteps("          "), max(l.Loops, 1))
	}
	return head + fmt.Sprintf(`  phases:
    - duration: %s
      arrivalRate: %s
scenarios:
  - name: flow
    flow:
%s`, secs(l.Duration), ftoa(l.Rate), flowSteps("      "))
}

// k6FlowScript is the flow in k6's JavaScript. Users are looping VUs
// (each keeps its connection); a rate is the constant-arrival-rate
// executor with noVUConnectionReuse, so that every iteration dials anew
// as a new Artillery VU would (k6 reuses the VU itself: it has no new VU
// per arrival).
func k6FlowScript(l FlowLoad, summary string) string {
	opts := fmt.Sprintf(`vus: %d, duration: '%ss'`, l.Users, secs(l.Duration))
	if l.Rate > 0 {
		vus := int(l.Rate) + 10
		opts = fmt.Sprintf(`noVUConnectionReuse: true, scenarios: { open: { executor: 'constant-arrival-rate',
      rate: %s, timeUnit: '1s', duration: '%ss', preAllocatedVUs: %d, maxVUs: %d } }`,
			ftoa(l.Rate), secs(l.Duration), min(vus, 100), vus)
	}
	return fmt.Sprintf(`import http from 'k6/http';
export const options = { %[1]s };
export default function () {
  const first = http.get('%[2]s%[3]s');
  const id = first.json('id');
  http.get('%[2]s/api/items/' + id + '.json', { headers: { 'X-Item': 'item-' + id } });
}
export function handleSummary(data) { return { %[4]q: JSON.stringify(data) }; }
`, opts, l.Base, flowFirst, summary)
}

// locustFlowFile is the flow as a locustfile for one user class.
func locustFlowFile(class locustClass) string {
	return fmt.Sprintf(`from locust import %[1]s, task, constant


class Flow(%[1]s):
    wait_time = constant(0)

    @task
    def flow(self):
        first = self.client.get(%[2]q)
        item = first.json()["id"]
        self.client.get("/api/items/%%s.json" %% item, headers={"X-Item": "item-%%s" %% item})
`, class, flowFirst)
}

// artilleryLoops is how many flows each of Artillery's users loops: enough
// for about the scenario's duration at rateHint requests a second.
func artilleryLoops(d time.Duration, users int, rateHint float64) int {
	return max(1, int(d.Seconds()*rateHint/2/float64(max(users, 1))))
}

func itoa(n int) string { return strconv.Itoa(n) }
