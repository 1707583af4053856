"""The lark transformer that builds spec/syntax/nodes.py declarations during LALR reductions.

Statements and expressions are built by the base class in spec/syntax/transformer_body.py,
which also explains how spans are computed.
"""

from __future__ import annotations

from typing import Any

from numaspec.spec.syntax import nodes as n
from numaspec.spec.syntax.transformer_body import BodyBuilder, Piece, string_value


class AstBuilder(BodyBuilder):
    """One method per grammar rule or alias; see spec/syntax/grammar.lark."""

    # ------------------------------------------------------------------ module level
    def start(self, ch: list[Any]) -> n.Module:
        span, kept = self._prep(ch)
        kind, name = kept[0].value
        items = tuple(c if isinstance(c, n.Annotated) else n.Annotated((), c) for c in kept[1:])
        return n.Module(kind, name, items, BodyBuilder.current_file, span)

    def spec_header(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("header", ("spec", self._ident(kept[0])), span)

    def module_header(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("header", ("module", self._ident(kept[0])), span)

    def annotated(self, ch: list[Any]) -> n.Annotated:
        _, kept = self._prep(ch)
        return n.Annotated(tuple(kept[:-1]), kept[-1])

    def annotation(self, ch: list[Any]) -> n.Annotation:
        span, kept = self._prep(ch)
        return n.Annotation(str(kept[0]), span)

    def import_decl(self, ch: list[Any]) -> n.Import:
        span, kept = self._prep(ch)
        target = kept[0]
        is_path = target.type == "STRING"
        name = string_value(target) if is_path else str(target)
        bindings = tuple(self._pieces(self._piece(kept, "with") or [], "binding"))
        return n.Import(name, is_path, self._piece(kept, "alias"), bindings, span)

    def import_alias(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("alias", self._ident(kept[0]), span)

    def import_with(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("with", kept, span)

    def binding(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("binding", (self._ident(kept[0]), kept[1]), span)

    def topology_decl(self, ch: list[Any]) -> n.Topology:
        span, kept = self._prep(ch)
        return n.Topology(tuple(kept), span)

    def topology_entry(self, ch: list[Any]) -> n.TopologyEntry:
        span, kept = self._prep(ch)
        return n.TopologyEntry(self._ident(kept[0]), kept[1], span)

    def const_decl(self, ch: list[Any]) -> n.ConstDecl:
        span, kept = self._prep(ch)
        return n.ConstDecl(self._ident(kept[0]), self._piece(kept, "type"), kept[-1], span)

    def type_annot(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("type", kept[0], span)

    def type_decl(self, ch: list[Any]) -> n.TypeDecl:
        span, kept = self._prep(ch)
        return n.TypeDecl(self._ident(kept[0]), kept[1], span)

    def enum_decl(self, ch: list[Any]) -> n.EnumDecl:
        span, kept = self._prep(ch)
        members = tuple(self._ident(t) for t in kept[1:])
        return n.EnumDecl(self._ident(kept[0]), members, span)

    def var_decl(self, ch: list[Any]) -> n.VarDecl:
        span, kept = self._prep(ch)
        return n.VarDecl(self._ident(kept[0]), kept[1], self._piece(kept, "initial"),
                         self._piece(kept, "placement"), span)

    def initial(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("initial", kept[0], span)

    def placement(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        keys = self._piece(kept, "keys") or ()
        return Piece("placement", n.Placement(keys, kept[-1], span), span)

    def placement_keys(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("keys", tuple(self._ident(t) for t in kept), span)

    def channel_decl(self, ch: list[Any]) -> n.ChannelDecl:
        span, kept = self._prep(ch)
        exprs = [c for c in kept[1:] if not isinstance(c, Piece)]
        return n.ChannelDecl(self._ident(kept[0]), self._piece(kept, "index"), exprs[0],
                             exprs[1], self._piece(kept, "placement"), span)

    def channel_index(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("index", kept[0], span)

    def fun_decl(self, ch: list[Any]) -> n.FunDecl:
        span, kept = self._prep(ch)
        params = self._piece(kept, "params")
        return n.FunDecl(self._ident(kept[0]), params, kept[-2], kept[-1], span)

    def proc_decl(self, ch: list[Any], kernel: bool = False) -> n.ProcDecl:
        span, kept = self._prep(ch)
        params = self._piece(kept, "params")
        return n.ProcDecl(self._ident(kept[0]), params, kept[-1], kernel, span)

    def kernel_decl(self, ch: list[Any]) -> n.ProcDecl:
        return self.proc_decl(ch, kernel=True)

    def action_decl(self, ch: list[Any]) -> n.ActionDecl:
        span, kept = self._prep(ch)
        return n.ActionDecl(self._ident(kept[0]), self._piece(kept, "params"),
                            self._piece(kept, "on"), self._piece(kept, "receive"),
                            kept[-1], span)

    def action_on(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("on", kept[0], span)

    def action_receive(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("receive", n.Receive(kept[0], kept[1], span), span)

    def init_decl(self, ch: list[Any]) -> n.InitDecl:
        span, kept = self._prep(ch)
        return n.InitDecl(kept[0], span)

    def params(self, ch: list[Any]) -> Piece:
        span, kept = self._prep(ch)
        return Piece("params", tuple(kept), span)

    def param_group(self, ch: list[Any]) -> n.Binder:
        return self.binder_group(ch)

    def _property(self, ch: list[Any], kind: n.PropertyKind) -> n.PropertyDecl:
        span, kept = self._prep(ch)
        return n.PropertyDecl(kind, self._ident(kept[0]), kept[1], span)

    def invariant_decl(self, ch: list[Any]) -> n.PropertyDecl:
        return self._property(ch, "invariant")

    def property_decl(self, ch: list[Any]) -> n.PropertyDecl:
        return self._property(ch, "property")

    def reachable_decl(self, ch: list[Any]) -> n.PropertyDecl:
        return self._property(ch, "reachable")

    def final_decl(self, ch: list[Any]) -> n.PropertyDecl:
        return self._property(ch, "final")

    def fair_decl(self, ch: list[Any]) -> n.FairDecl:
        span, kept = self._prep(ch)
        return n.FairDecl(tuple(kept), span)

    def dotted_name(self, ch: list[Any]) -> n.Ident:
        span, kept = self._prep(ch)
        return n.Ident(".".join(str(t) for t in kept), span)

    def workload_decl(self, ch: list[Any]) -> n.WorkloadDecl:
        span, kept = self._prep(ch)
        return n.WorkloadDecl(self._ident(kept[0]), tuple(kept[1:]), span)

    def weight_entry(self, ch: list[Any]) -> n.WeightEntry:
        span, kept = self._prep(ch)
        params = tuple(self._ident(t) for t in kept[1:-1])
        return n.WeightEntry(self._ident(kept[0]), params, kept[-1], span)

    def symmetric_decl(self, ch: list[Any]) -> n.SymmetricDecl:
        span, kept = self._prep(ch)
        return n.SymmetricDecl(self._ident(kept[0]), span)
