"""HTML reports of findings: message sequence charts of traces (docs/visual.md)."""
