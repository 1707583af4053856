"""`numaspec lsp` without the optional extra: exit 2, naming the install command."""

from __future__ import annotations

import importlib.util

import pytest

from numaspec.cli.main import main


def test_without_pygls_the_command_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pygls" else real(name, *a))
    assert main(["lsp"]) == 2
    assert "pip install 'numaspec[lsp]'" in capsys.readouterr().err
