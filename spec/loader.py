"""Phase 2: read the root spec and, transitively, every module it imports.

`import l4` finds `l4.numa` next to the importing file, then in the standard library
(spec/lib/).  `import "dir/file.numa" as x` takes a path relative to the importing file.  A file
may only come from the root spec's directory tree or from the standard library; nothing else on
the machine can be read.  Cycles are errors.  Each file is parsed once, however often imported.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import BinaryIO

from numaspec.spec.diagnostics import Diagnostic, Note, SpecError, fail
from numaspec.spec.span import Span, point
from numaspec.spec.syntax import nodes
from numaspec.spec.syntax.parser import parse_module

MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass
class LoadedModule:
    """A parsed file and the modules its imports refer to, by alias."""

    path: str
    ast: nodes.Module
    imports: dict[str, LoadedModule] = field(default_factory=dict)
    import_decls: dict[str, nodes.Import] = field(default_factory=dict)


@dataclass
class LoadResult:
    root: LoadedModule
    modules: list[LoadedModule]  # dependencies first, the root last
    sources: dict[str, str]


def stdlib_dir() -> Path:
    return Path(str(resources.files("numaspec.spec").joinpath("lib")))


def display_path(path: Path) -> str:
    """A path as diagnostics show it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def _open_without_waiting(path: Path) -> BinaryIO:
    """`path` open for reading.  A FIFO is opened without waiting for a writer (a plain
    open would wait forever for one that never comes; without a writer it reads as empty),
    then read as any file."""
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    os.set_blocking(handle, True)
    return os.fdopen(handle, "rb")


def read_source(path: Path, shown: str, at: Span | None, kind: str = "spec") -> str:
    """The file's text; E001 if unreadable, E003 if too large, E002 if not UTF-8.

    `kind` names the file in the E003 message ("spec", "topology").  At most
    MAX_FILE_BYTES + 1 bytes are read, whatever the size the file system reports, so a
    device such as /dev/zero or a growing pipe is refused as too large instead of read
    forever."""
    limit = f"{kind} files are limited to {MAX_FILE_BYTES // (1024 * 1024)} MB"
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail("E003", f"{shown} is {size / 1e6:.1f} MB; {limit}",
                       at or point(shown, 1, 1))
        with _open_without_waiting(path) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise fail("E001", f"cannot read {shown}: {err.strerror or err}", at) from None
    except ValueError as err:  # a path with a NUL byte
        raise fail("E001", f"cannot read {shown}: {err}", at) from None
    if len(data) > MAX_FILE_BYTES:
        raise fail("E003", f"{shown} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; "
                   f"{limit}", at or point(shown, 1, 1))
    try:
        return data.decode("utf-8-sig")  # a leading byte order mark is allowed and skipped
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise fail("E002", f"{shown} is not valid UTF-8 (byte 0x{data[err.start]:02x})",
                   point(shown, line, col)) from None


Parse = Callable[[str, str], nodes.Module]  # (text, shown file name) -> AST, as parse_module


class _Loader:
    def __init__(self, root: Path, texts: Mapping[Path, str], parse: Parse):
        self.texts = texts  # unsaved editor buffers, by resolved path, read instead of the files
        self.parse = parse
        self.tree = root.parent.resolve()
        self.stdlib = stdlib_dir().resolve()
        self.by_path: dict[Path, LoadedModule] = {}
        self.order: list[LoadedModule] = []
        self.sources: dict[str, str] = {}
        self.stack: list[Path] = []

    def load(self, path: Path, at: Span | None) -> LoadedModule:
        real = path.resolve()
        if real in self.by_path:
            return self.by_path[real]
        if real in self.stack:
            cycle = " -> ".join(p.name for p in self.stack[self.stack.index(real):] + [real])
            raise fail("E203", f"cyclic import: {cycle}", at)
        shown = display_path(path)
        text = self.texts[real] if real in self.texts else read_source(path, shown, at)
        self.sources[shown] = text
        module = LoadedModule(shown, self.parse(text, shown))
        self.stack.append(real)
        try:
            self._load_imports(module, real)
        finally:
            self.stack.pop()
        self.by_path[real] = module
        self.order.append(module)
        return module

    def _load_imports(self, module: LoadedModule, real: Path) -> None:
        for item in module.ast.items:
            if isinstance(item.decl, nodes.Import):
                decl = item.decl
                target = self._checked_locate(decl, real.parent)
                alias = decl.alias.name if decl.alias else _default_alias(decl)
                if alias in module.imports:
                    raise fail("E201", f"`{alias}` is imported twice", decl.span,
                               Note("first imported here", module.import_decls[alias].span))
                try:
                    module.imports[alias] = self.load(target, decl.span)
                except SpecError as err:
                    raise _imported_here(err, decl) from None
                module.import_decls[alias] = decl

    def _checked_locate(self, decl: nodes.Import, here: Path) -> Path:
        """`_locate`, with the path's own problems as E001 at the import: a symlink loop, a
        name too long for the file system, a NUL byte (os calls raise for each)."""
        try:
            target = self._locate(decl, here)
            target.resolve(strict=False)
            return target
        except (OSError, RuntimeError, ValueError) as err:
            raise fail("E001", f"cannot read import {_shorten(decl.target)!r}: "
                       f"{_path_reason(err)}", decl.span) from None

    def _locate(self, decl: nodes.Import, here: Path) -> Path:
        if decl.is_path:
            if os.path.isabs(decl.target):
                raise fail("E204", f"import path {decl.target!r} is absolute; imports are "
                           "relative to the importing file", decl.span)
            candidates = [here / decl.target]
        else:
            candidates = [here / f"{decl.target}.numa", self.stdlib / f"{decl.target}.numa"]
        for candidate in candidates:
            if not self._inside_tree(candidate):
                raise fail("E204", f"import {decl.target!r} leaves the spec's directory tree",
                           decl.span, Note(f"specs may import from {display_path(self.tree)} "
                                           "and the standard library only"))
            if candidate.is_file() or candidate.resolve() in self.texts:
                return candidate
        looked = ", ".join(self._shown(c) for c in candidates)
        raise fail("E202", f"cannot find module {decl.target!r}", decl.span,
                   Note(f"looked for {looked}"))

    def _shown(self, path: Path) -> str:
        if path.resolve().is_relative_to(self.stdlib):
            return f"{path.name} in the standard library"
        return display_path(path)

    def _inside_tree(self, path: Path) -> bool:
        real = path.resolve()
        return real.is_relative_to(self.tree) or real.is_relative_to(self.stdlib)


def _imported_here(err: SpecError, decl: nodes.Import) -> SpecError:
    """Add an 'imported here' note to errors inside an imported file."""
    first = err.diagnostics[0]
    if first.span is None or first.span.file == decl.span.file or first.code == "E203":
        return err
    note = Note(f"imported from {decl.span}", None)
    err.diagnostics[0] = Diagnostic(first.code, first.message, first.span, first.severity,
                                    (*first.notes, note))
    return err


def _path_reason(err: Exception) -> str:
    """Why a path cannot be used, in words (Python 3.11 reports a symlink loop as a
    RuntimeError, later versions as OSError ELOOP)."""
    if isinstance(err, RuntimeError):
        return "symbolic links loop"
    if isinstance(err, ValueError):
        return "the path contains a NUL byte"
    return str(getattr(err, "strerror", None) or err)


def _shorten(text: str) -> str:
    """`text`, cut in the middle if it is too long to show in one message."""
    return text if len(text) <= 120 else f"{text[:60]}...{text[-40:]}"


def _default_alias(decl: nodes.Import) -> str:
    return Path(decl.target).stem if decl.is_path else decl.target


def load(path: str, texts: Mapping[Path, str] | None = None,
         parse: Parse = parse_module) -> LoadResult:
    """Load the spec at `path` and its imports.  Raises `SpecError` on the first problem.

    `texts` maps resolved paths to texts read instead of those files (an editor's unsaved
    buffers); such a file need not exist on disk.  `parse` replaces `parse_module` (the
    language server's incremental spec/syntax/incremental.py).
    """
    root_path = Path(path)
    try:
        loader = _Loader(root_path, texts or {}, parse)
        in_texts = root_path.resolve(strict=False) in loader.texts
        if not in_texts and not root_path.is_file():
            what = "is a directory" if root_path.is_dir() else \
                "is not a regular file" if root_path.exists() else "does not exist"
            raise fail("E001", f"cannot read {_shorten(path)}: it {what}", None)
    except (OSError, RuntimeError, ValueError) as err:
        raise fail("E001", f"cannot read {_shorten(path)}: {_path_reason(err)}", None) from None
    try:
        root = loader.load(root_path, None)
    except SpecError as err:
        err.sources.update(loader.sources)
        raise
    return LoadResult(root, loader.order, loader.sources)
