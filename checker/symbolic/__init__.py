"""numaspec.checker.symbolic."""
