"""Result tables: one `Table` per experiment (or view of one), written as Markdown and CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

Cell = int | float | str | None


@dataclass
class Table:
    name: str  # file stem: DIR/name.md, DIR/name.csv
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""  # shown under the Markdown table

    def add(self, *cells: Cell) -> None:
        assert len(cells) == len(self.columns), (self.name, cells)
        self.rows.append(list(cells))

    def column(self, name: str) -> list[Cell]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def where(self, **match: Cell) -> list[dict[str, Cell]]:
        """The rows (as dicts) whose named cells equal `match`."""
        found = []
        for row in self.rows:
            named = dict(zip(self.columns, row, strict=True))
            if all(named[key] == value for key, value in match.items()):
                found.append(named)
        return found

    def markdown(self) -> str:
        lines = ["| " + " | ".join(self.columns) + " |",
                 "|" + "|".join("---" if _text(self.rows, i) else "---:"
                                for i in range(len(self.columns))) + "|"]
        lines += ["| " + " | ".join(fmt(cell) for cell in row) + " |" for row in self.rows]
        if self.note:
            lines += ["", self.note]
        return "\n".join(lines)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(["" if cell is None else cell for cell in row] for row in self.rows)
        return out.getvalue()

    def write(self, directory: Path) -> None:
        (directory / f"{self.name}.md").write_text(f"## {self.title}\n\n{self.markdown()}\n")
        (directory / f"{self.name}.csv").write_text(self.csv())


def _text(rows: list[list[Cell]], index: int) -> bool:
    """Whether column `index` holds text (left-aligned) rather than numbers."""
    return any(isinstance(row[index], str) for row in rows)


def fmt(cell: Cell) -> str:
    """A cell for humans: thousands separators, at most three significant decimals."""
    if cell is None:
        return "n/a"
    if isinstance(cell, bool) or isinstance(cell, str):
        return str(cell)
    if isinstance(cell, int):
        return f"{cell:,}"
    if cell == int(cell) and abs(cell) < 1e15:
        return f"{int(cell):,}"
    return f"{cell:,.3g}" if abs(cell) < 100 else f"{cell:,.1f}"
