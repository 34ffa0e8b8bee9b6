package eip

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
)

type groupKey struct {
	provider, region, target, targetType, privateIP, mode, instanceRegion, token string
}

// submit groups the rows to send, chunks each group to the batch size, and
// (unless this is a dry run) sends the chunks and waits for the outcome.
func (e *Engine) submit(ctx context.Context, rows, todo []*row, key func(*row) groupKey,
	prepare func(p Provider, region string, chunk []*row, token string) (Call, error)) (*Report, error) {
	type job struct {
		call  Call
		rows  []*row
		group groupKey
	}
	var jobs []job
	order := []groupKey{}
	groups := map[groupKey][]*row{}
	for _, r := range todo {
		k := key(r)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	for _, k := range order {
		g := groups[k]
		p := g[0].prov
		caps := p.Capabilities()
		size := caps.Batch(g[0].want.TargetType)
		if g[0].unbind {
			size = caps.UnbindBatch(g[0].addr.TargetType)
		}
		nchunks := (len(g) + size - 1) / size
		for c := 0; c < nchunks; c++ {
			chunk := g[c*size : min((c+1)*size, len(g))]
			token := k.token
			switch {
			case token != "" && nchunks > 1:
				token = fmt.Sprintf("%s-%d", token, c+1)
			case token == "" && caps.ClientToken:
				token = newToken()
			}
			call, err := prepare(p, k.region, chunk, token)
			if IsUsage(err) {
				// A request the cloud cannot express: bad input, and nothing
				// mutating has been sent yet.
				return nil, err
			}
			if err != nil {
				e.failAll(chunk, p.Classify(err))
				continue
			}
			jobs = append(jobs, job{call, chunk, k})
		}
	}
	report := &Report{}
	if e.DryRun {
		for _, j := range jobs {
			report.Requests = append(report.Requests, PlannedCall{j.group.provider, j.group.region, j.call.Action, j.call.Params})
			for _, r := range j.rows {
				e.settle(r, StatusPlanned, nil)
			}
		}
		for _, r := range rows {
			if !r.done { // already on its way
				e.settle(r, StatusPending, nil)
			}
		}
		return e.finish(report, rows), nil
	}

	tasks := map[*row]string{}
	var mu sync.Mutex
	sem := make(chan struct{}, e.Concurrency)
	var wg sync.WaitGroup
	for _, j := range jobs {
		sem <- struct{}{}
		wg.Add(1)
		go func(j job) {
			defer func() { <-sem; wg.Done() }()
			p := j.rows[0].prov
			classify := p.Classify
			if j.rows[0].claim != nil {
				classify = takenIsFinal(classify) // pool.go: a rival was faster
			}
			var res CallResult
			sent := 0
			err := e.Retry.do(ctx, e.Clock, classify, func() error {
				if err := e.pace.wait(ctx, e.Clock, j.group.provider+"/"+j.group.region+"/"+j.call.Action, p.Capabilities().Rate); err != nil {
					return err
				}
				if e.halted(ctx) {
					return errNotSent
				}
				if sent > 0 {
					e.emit(Event{Kind: EventRetry, Provider: j.group.provider, Region: j.group.region, Count: 1})
				}
				sent++
				var err error
				res, err = j.call.Run(ctx)
				return err
			})
			if err == nil {
				e.emit(Event{Kind: EventSent, Provider: j.group.provider, Region: j.group.region, Count: len(j.rows)})
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil && e.halted(ctx) {
				if sent == 0 {
					// Never sent: nothing can have happened.
					for _, r := range j.rows {
						e.settle(r, StatusPending, errNotSent)
					}
				}
				// Sent but unanswered or refused for now: it may have happened, so
				// the wait below still reads it until the drain ends.
				return
			}
			if err != nil {
				e.failAll(j.rows, p.Classify(err))
				return
			}
			for _, r := range j.rows {
				if ferr, bad := res.Failed[r.EIPID]; bad {
					e.settle(r, StatusFailed, ferr)
				}
			}
			for task, ids := range res.Tasks {
				for _, r := range j.rows {
					for _, id := range ids {
						if r.EIPID == id && !r.done {
							tasks[r] = task
						}
					}
				}
			}
		}(j)
	}
	wg.Wait()
	if !e.Wait {
		for _, r := range rows {
			if !r.done {
				e.settle(r, StatusPending, nil)
			}
		}
		return e.finish(report, rows), nil
	}
	e.wait(ctx, rows, tasks)
	return e.finish(report, rows), nil
}

func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "eipctl-" + hex.EncodeToString(b[:])
}
