"""numaspec.traces.formats."""
