"""`numaspec explore`: walk a spec step by step in the browser (docs/visual.md)."""
