"""numaspec on a Dask cluster (`pip install 'numaspec[cluster]'`): docs/distributed.md.

- `check --workers N` / `--cluster ADDRESS`: the vectorised breadth-first search with the
  fingerprint table partitioned across the workers (check.py, search.py, partition.py);
- `prove --workers N`: the proof obligations, invariant x action, as independent queries
  (prove.py);
- `simulate --workers N` and `fuzz --workers N`: swarms of independent walks or Hypothesis
  runs with distinct seeds (swarm.py);
- cluster.py: starting or reaching the cluster, waiting for work, lost workers.

Dask is imported only by the modules below, and those only when a command is given
`--workers` or `--cluster`: importing this package costs nothing.
"""
