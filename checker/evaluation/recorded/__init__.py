"""Workloads from real programs (docs/workloads.md): page-access traces read
(`tracefile.py`), threads assigned to nodes and pages compacted into the model's page indices
(`compact.py`), and the workload file the evaluation replays (`workload.py`)."""
