module gcpilot/workloads/paygate

// go 1.19: the gateway must build with Debian's Go 1.19 (build/paygate).
// The newer build (build/paygate-go1.NN) reads this line too: under Go
// 1.25+ a `go 1.25` line would turn on container-aware GOMAXPROCS (the
// default following the cgroup CPU limit), which this module does not, so
// both builds honour GOMAXPROCS the same way.
go 1.19
