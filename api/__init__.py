"""numaspec: a formal model and conformance checker for NUMA-aware user-level memory
management on microkernels.  The public API is re-exported here."""

__version__ = "0.1.0"
