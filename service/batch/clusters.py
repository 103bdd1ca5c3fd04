"""Group articles into clusters: the connected components of the pairs strong enough to count."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["connected_components"]


def connected_components(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Components of two or more ids, each sorted, sorted by their first id; the same for any edge order.

    >>> connected_components([("c", "d"), ("b", "a"), ("d", "e")])
    [['a', 'b'], ['c', 'd', 'e']]
    """
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        root = parent.setdefault(node, node)
        while root != parent[root]:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    for a, b in edges:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    groups: dict[str, list[str]] = {}
    for node in parent:
        groups.setdefault(find(node), []).append(node)
    return sorted((sorted(group) for group in groups.values() if len(group) > 1), key=lambda g: g[0])
