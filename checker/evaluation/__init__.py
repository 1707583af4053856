"""`numaspec evaluate`: the seed paper's evaluation, reproduced and extended (docs/seed.md).

Every figure comes from running the designs of spec/examples/ through the model: a `Driver`
(driver.py) feeds a stream of memory accesses and global unmaps (workloads.py) to a design's
`@pagefault` and unmap actions, and the model's `CostRecorder` charges each step.  One module
per experiment (exp_*.py) turns the recorded costs into `Table`s; plots.py draws them,
report.py writes the Markdown report, runner.py runs everything.  Nothing here prints: the
command (api/cli/commands/evaluate.py) passes a progress callback.
"""
