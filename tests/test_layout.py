"""The tree keeps the promises of docs/architecture.md, read from the code's own imports."""

from __future__ import annotations

import sys

import pytest

from bot.settings import PROJECT_ROOT
from devtools.import_graph import Graph, read_graph


@pytest.fixture(scope="module")
def graph() -> Graph:
    return read_graph(PROJECT_ROOT)


def imported_by(graph: Graph, unit: str) -> set[str]:
    """The units that modules of `unit` import."""
    return {graph.unit_of(b) for a, b in graph.edges if graph.unit_of(a) == unit} - {unit}


def test_no_imports_run_back_up(graph: Graph) -> None:
    _, back = graph.layers()
    mutual = [(a, b) for a, b in graph.unit_edges() if (b, a) in graph.unit_edges()]
    assert (back, mutual) == (0, [])


def test_the_domain_is_plain_python(graph: Graph) -> None:
    domain = [m for m in graph.modules if graph.unit_of(m) == "bot.domain"]
    assert len(domain) >= 5
    for module in domain:
        assert graph.external[module] <= sys.stdlib_module_names | {"__future__"}, module
    assert {b for a, b in graph.edges if a in domain} - set(domain) <= {"bot.content.model"}


def test_services_never_call_the_ways_in(graph: Graph) -> None:
    assert imported_by(graph, "bot.services").isdisjoint(
        {"scheduler", "bot.handlers", "bot.screens"}
    )
    for module in graph.modules:
        if graph.unit_of(module) == "bot.services":
            assert "telegram" not in graph.external[module], module


def test_handlers_and_scheduler_are_two_separate_ways_in(graph: Graph) -> None:
    assert "scheduler" not in imported_by(graph, "bot.handlers")
    assert "bot.handlers" not in imported_by(graph, "scheduler")
    assert imported_by(graph, "bot.screens").isdisjoint({"bot.handlers", "scheduler"})


def test_the_product_never_imports_the_developer_tools(graph: Graph) -> None:
    assert all("devtools" not in names for names in graph.external.values())
