"""numaspec.checker."""
