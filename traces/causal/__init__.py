"""numaspec.traces.causal: per-node logs checked under causal order (docs/traces.md)."""
