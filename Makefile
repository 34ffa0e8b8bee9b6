# Convenience targets; each is one command you can also run by hand.
.PHONY: test lint ci soak bench bench-short

test:            ## the test command CI runs (README.md)
	go test -race ./...
	go test -race -tags eipctl_fourth ./providers/all/

lint:            ## golangci-lint v2 with .golangci.yml (installs the pinned version when missing)
	.ci/lint

ci:              ## everything CI runs, in its order (.ci/run)
	.ci/run

soak:            ## full soak (1,000 bindings under faults) and kill-and-rerun (20 of each signal)
	go test ./e2e -run 'TestSoak|TestKillAndRerun|TestForceMoveKillRerun' -count=1 -v -timeout 30m -soak

bench:           ## the benchmark table of docs/benchmarks.md (about three minutes)
	go run ./bench

bench-short:     ## the same at small sizes: proves the bench runs (CI)
	go run ./bench -short
