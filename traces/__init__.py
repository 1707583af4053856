"""numaspec.traces."""
