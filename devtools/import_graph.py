"""The import graph of the product, drawn from the code's own `import` lines.

    python3 -m devtools.import_graph [ROOT [MODULE-TO-LEAVE-OUT ...]]

prints the number of modules and imports, the longest chain of units (layers;
a unit is a package such as `bot.services`, or a single module such as `bot.app`),
the imports that run back up a cycle, and how often each unit imports each other
unit, flagging pairs that import each other. `tests/test_layout.py` checks the rules the tree
promises (docs/architecture.md) with the same functions.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

PRODUCT = ("bot", "scheduler")
UNITS = (  # packages that count as one unit of the architecture; other modules stand alone
    "bot.content",
    "bot.db",
    "bot.domain",
    "bot.handlers",
    "bot.screens",
    "bot.services",
    "scheduler",
)


@dataclass(frozen=True)
class Graph:
    modules: dict[str, Path]  # dotted name → file
    edges: frozenset[tuple[str, str]]  # (importer, imported), both product modules
    external: dict[str, frozenset[str]]  # module → top-level names it imports from outside

    def unit_of(self, module: str) -> str:
        """`bot.services.tips` → `bot.services`; `bot.app` stays `bot.app`."""
        return next((u for u in UNITS if module == u or module.startswith(f"{u}.")), module)

    def unit_edges(self) -> Counter[tuple[str, str]]:
        return Counter(
            (self.unit_of(a), self.unit_of(b))
            for a, b in self.edges
            if self.unit_of(a) != self.unit_of(b)
        )

    def layers(self) -> tuple[list[str], int]:
        """The longest chain of units importing units, and how many imports run back up
        (from a unit to one that imports it, directly or not)."""
        imports: dict[str, set[str]] = {}
        for a, b in self.unit_edges():
            imports.setdefault(a, set()).add(b)
        chains: dict[str, list[str]] = {}

        def chain(unit: str, seen: frozenset[str]) -> list[str]:
            if unit not in chains:
                below = [chain(b, seen | {b}) for b in imports.get(unit, ()) if b not in seen]
                chains[unit] = [unit, *max(below, key=len, default=[])]
            return chains[unit]

        longest = max((chain(u, frozenset({u})) for u in imports), key=len, default=[])
        back = sum(
            count for (a, b), count in self.unit_edges().items() if a in _reachable(imports, b)
        )
        return longest, back


def _module_name(root: Path, path: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


def read_graph(
    root: Path, packages: tuple[str, ...] = PRODUCT, leave_out: tuple[str, ...] = ()
) -> Graph:
    """The graph of `packages` under `root`, without modules under `leave_out` (e.g. the
    developer tools that once lived inside `bot/`)."""
    found = {
        _module_name(root, path): path
        for package in packages
        for path in sorted((root / package).rglob("*.py"))
    }
    modules = {
        name: path
        for name, path in found.items()
        if not any(name == x or name.startswith(f"{x}.") for x in leave_out)
    }

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    edges: set[tuple[str, str]] = set()
    external: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from bot.screens import menus` imports the module bot.screens.menus
                names = [
                    f"{node.module}.{a.name}"
                    if f"{node.module}.{a.name}" in modules
                    else node.module
                    for a in node.names
                ]
            else:
                continue
            for name in names:
                target = resolve(name)
                if target is None:
                    external[module].add(name.partition(".")[0])
                elif target != module:
                    edges.add((module, target))
    return Graph(modules, frozenset(edges), {m: frozenset(e) for m, e in external.items()})


def _reachable(imports: dict[str, set[str]], start: str) -> set[str]:
    found, todo = set(), [start]
    while todo:
        for nxt in imports.get(todo.pop(), ()):
            if nxt not in found:
                found.add(nxt)
                todo.append(nxt)
    return found


def report(graph: Graph) -> str:
    pairs = graph.unit_edges()
    longest, back = graph.layers()
    lines = [
        f"modules: {len(graph.modules)}, imports between them: {len(graph.edges)}",
        f"layers: {len(longest)} ({' → '.join(longest)})",
        f"imports inside a cycle of units (running back up): {back}",
        "unit → unit: imports",
    ]
    for (a, b), count in sorted(pairs.items()):
        mutual = f"   ← and back: {pairs[(b, a)]}" if (b, a) in pairs else ""
        lines.append(f"  {a} → {b}: {count}{mutual}")
    return "\n".join(lines)


if __name__ == "__main__":
    root, *leave_out = sys.argv[1:] or ["."]
    print(report(read_graph(Path(root), leave_out=tuple(leave_out))))
