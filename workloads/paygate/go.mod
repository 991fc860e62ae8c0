module gcpilot/workloads/paygate

go 1.19
