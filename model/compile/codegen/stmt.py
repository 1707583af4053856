"""Compile the body of an action without `choose` to one generated Python function.

The closures of model/compile/stmt.py cost a Python call per statement and per expression;
the generated function runs the body in one frame, with expressions inlined by
model/compile/codegen/expr.py.  Statements it does not translate (sends, updates of nested paths,
`for` over several variables) call the closure compiled for them, so the two forms share one
semantics; tests run every corpus spec and the checkers' pinned state counts through both.
Used only when no cost hook is attached.  The source is produced from the typed IR alone
(indices, slots and references into constant tables): no text of the spec reaches it.
"""

from __future__ import annotations

from typing import Any, assert_never

from numaspec.model.compile.codegen.expr import SourceCompiler
from numaspec.model.compile.stmt import Disabled, StmtCompiler, Violation
from numaspec.model.domain_check import value_checker
from numaspec.spec.ir import nodes as ir
from numaspec.spec.ir.values import sorted_values


class _Unsupported(Exception):
    """The block contains a `choose`: it stays a tree of closures."""


def _range_error(target: str, value: Any, span: Any) -> Violation:
    return Violation("range", f"{target} := {value!r} is out of range for its type", span)


class BodyCodegen:
    def __init__(self, stmts: StmtCompiler, source: SourceCompiler):
        self.stmts, self.source = stmts, source
        self.index = stmts.index
        self.names: dict[str, Any] = {"Disabled": Disabled, "Violation": Violation,
                                      "_range_error": _range_error,
                                      "sorted_values": sorted_values, "D": []}
        self.delegated: list[Any] = self.names["D"]

    def compile(self, block: ir.Block) -> Any | None:
        """A function `run(st, env)` for `block`, or None if it must stay closures."""
        try:
            lines = self._block(block, 1)
        except _Unsupported:
            return None
        source = "def run(st, env):\n" + "\n".join(lines or ["    pass"])
        namespace = {**self.names, **self.source.names}
        try:
            code = compile(source, "<numaspec action>", "exec")
        except (SyntaxError, RecursionError, MemoryError):
            # Beyond CPython's static limits (20 nested loops, 100 indentation levels, the
            # parser's depth): the closures run the same body without such limits.
            return None
        exec(code, namespace)  # noqa: S102
        return namespace["run"]

    def _expr(self, expr: ir.Expr) -> str:
        return self.source.source(expr)

    def _const(self, value: Any) -> str:
        return self.source.const(value)  # one constant table for expressions and statements

    def _delegate(self, stmt: ir.Stmt, indent: int) -> list[str]:
        is_fork, run = self.stmts.stmt(stmt)
        if is_fork:
            raise _Unsupported
        self.delegated.append(run)
        return [" " * 4 * indent + f"D[{len(self.delegated) - 1}](st, env)"]

    def _block(self, block: ir.Block, indent: int) -> list[str]:
        lines: list[str] = []
        for stmt in block.stmts:
            lines += self._stmt(stmt, indent)
        return lines

    def _stmt(self, stmt: ir.Stmt, indent: int) -> list[str]:
        pad = " " * 4 * indent
        match stmt:
            case ir.Require(cond=cond):
                return [f"{pad}if not {self._expr(cond)}: raise Disabled"]
            case ir.Assert(cond=cond, message=message, span=span):
                text = self._const(message or "assertion failed")
                return [f"{pad}if not {self._expr(cond)}: "
                        f"raise Violation('assert', {text}, {self._const(span)})"]
            case ir.Let(local=local, value=value):
                return [f"{pad}env[{local.slot}] = {self._expr(value)}"]
            case ir.Assign():
                return self._assign(stmt, indent)
            case ir.Delete(target=target, key=key) if not target.path:
                i = self.index[target.var]
                return [f"{pad}st[{i}] = st[{i}].without({self._expr(key)})"]
            case ir.If():
                return self._if(stmt, indent)
            case ir.For() if len(stmt.bindings) == 1 and stmt.where is None:
                return self._for(stmt, indent)
            case ir.Choose():
                raise _Unsupported
            case ir.Inlined(body=body):
                return self._block(body, indent)
            case ir.Block():
                return self._block(stmt, indent)
            case ir.Delete() | ir.For() | ir.Send():
                return self._delegate(stmt, indent)
            case _:
                assert_never(stmt)

    def _if(self, stmt: ir.If, indent: int) -> list[str]:
        """An `if` and its `else if`s as one `if`/`elif` statement: one indentation level
        however long the chain (nested `else: if` would add a level per branch)."""
        pad, keyword, lines = " " * 4 * indent, "if", []
        node: ir.If | ir.Block = stmt
        while isinstance(node, ir.If):
            lines.append(f"{pad}{keyword} {self._expr(node.cond)}:")
            lines += self._block(node.then, indent + 1) or [f"{pad}    pass"]
            keyword, node = "elif", _sole_if(node.orelse)
        return lines + [f"{pad}else:"] + (self._block(node, indent + 1) or [f"{pad}    pass"])

    def _assign(self, stmt: ir.Assign, indent: int) -> list[str]:
        target, pad = stmt.target, " " * 4 * indent
        if len(target.path) > 1 or (target.path and not isinstance(target.path[0],
                                                                   ir.KeyStep)):
            return self._delegate(stmt, indent)
        i = self.index[target.var]
        lines = [f"{pad}_v = {self._expr(stmt.value)}"]  # the value first, as the closures do
        check = value_checker(target.type)
        if check is not None:
            name = self._const(f"{target.var}" + "[...]" * len(target.path))
            lines.append(f"{pad}if not {self._const(check)}(_v): "
                         f"raise _range_error({name}, _v, {self._const(stmt.span)})")
        if not target.path:
            return [*lines, f"{pad}st[{i}] = _v"]
        step = target.path[0]
        assert isinstance(step, ir.KeyStep)
        lines.append(f"{pad}_k = {self._expr(step.key)}")
        key_check = self.stmts.key_check(target)
        if key_check is not None:
            lines.append(f"{pad}if not {self._const(key_check)}(_k): raise Violation("
                         f"'range', f'key {{_k!r}} is out of range', {self._const(stmt.span)})")
        return [*lines, f"{pad}st[{i}] = st[{i}].set(_k, _v)"]

    def _for(self, stmt: ir.For, indent: int) -> list[str]:
        pad, binding = " " * 4 * indent, stmt.bindings[0]
        match binding.domain:
            case ir.TypeDomain(type=typ):
                from numaspec.spec.ir.values import enumerate_type

                domain = self._const(tuple(enumerate_type(typ)))
            case ir.SetDomain(set=set_expr):
                domain = f"sorted_values({self._expr(set_expr)})"
        # Like the closures, the domain is evaluated once, before the body changes anything.
        lines = [f"{pad}for env[{binding.local.slot}] in {domain}:"]
        return lines + (self._block(stmt.body, indent + 1) or [f"{pad}    pass"])


def _sole_if(block: ir.Block) -> ir.If | ir.Block:
    """The `if` that is all of `block` (an `else if`), else the block itself."""
    if len(block.stmts) == 1 and isinstance(block.stmts[0], ir.If):
        sole = block.stmts[0]
        assert isinstance(sole, ir.If)
        return sole
    return block
