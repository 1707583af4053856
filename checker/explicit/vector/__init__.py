"""numaspec.checker.explicit.vector."""
