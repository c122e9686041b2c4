"""The network picture of a grouping: who can help whom, drawn as arrows between the groups.

Why not every similar pair: a line for each pair over a threshold made a hairball in which nobody
could tell who should talk to whom. The arrows go from a school that already solved a problem
category to a school still working on it (``network.progress.help_edges``); the schools sit
clustered by group, so an arrow inside a cluster is help the grouping makes possible and an arrow
between clusters is help left for another time.
"""

from __future__ import annotations

import math

import network

NODE_RADIUS = 9


def _grid(count: int, width: int) -> tuple[int, int, float, float]:
    """(columns, rows, cell width, cell height) for `count` clusters."""
    columns = max(1, min(count, math.ceil(math.sqrt(count * 1.6))))
    rows = max(1, math.ceil(count / columns))
    return columns, rows, width / columns, 150.0


def _towards(node: dict, x: float, y: float, distance: float) -> tuple[float, float]:
    """The point `distance` away from `node`'s centre in the direction of (x, y)."""
    dx, dy = x - node["x"], y - node["y"]
    length = math.hypot(dx, dy) or 1.0
    return round(node["x"] + dx / length * distance, 1), round(node["y"] + dy / length * distance, 1)


def short_name(name: str, limit: int = 16) -> str:
    """A school's name short enough to label a dot: "CENTENARIO DE LA…"."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def network_picture(grouping, schools: list, progress: dict, *, width: int = 640) -> dict:
    """Nodes clustered by group and arrows from helper to learner, laid out for an SVG."""
    groups = sorted(grouping.groups, key=lambda g: g.position)
    by_id = {s.id: s for s in schools}
    group_of = {m.school_id: g.position for g in groups for m in g.members}
    clusters = [[m.school_id for m in g.members if m.school_id in by_id] for g in groups]
    loose = [s.id for s in schools if s.id not in group_of]
    if loose:
        clusters.append(loose)
    columns, rows, cell_w, cell_h = _grid(len(clusters), width)
    height = int(rows * cell_h)
    nodes, where = [], {}
    for k, members in enumerate(clusters):
        cx = (k % columns + 0.5) * cell_w
        cy = (k // columns + 0.5) * cell_h
        radius = 0 if len(members) == 1 else min(cell_w, cell_h) * 0.28
        for j, sid in enumerate(members):
            angle = -math.pi / 2 + 2 * math.pi * j / len(members)
            x, y = round(cx + radius * math.cos(angle), 1), round(cy + radius * math.sin(angle), 1)
            school = by_id[sid]
            node = {
                "id": sid,
                "x": x,
                "y": y,
                "group": group_of.get(sid),
                "cct": school.cct,
                "name": school.name,
                "label": short_name(school.name),
            }
            nodes.append(node)
            where[sid] = node
    edges = []
    for helper, learner, codes in network.help_edges(progress, [s.id for s in schools]):
        a, b = where[helper], where[learner]
        same = group_of.get(helper) is not None and group_of.get(helper) == group_of.get(learner)
        dx, dy = b["x"] - a["x"], b["y"] - a["y"]
        # Between groups the arrow bends (to the left of its direction), so that it does not run
        # through the schools lying on the straight line between two clusters.
        bend = 0.0 if same else 0.22
        cx, cy = (a["x"] + b["x"]) / 2 - dy * bend, (a["y"] + b["y"]) / 2 + dx * bend
        start = _towards(a, cx, cy, NODE_RADIUS + 3)
        end = _towards(b, cx, cy, NODE_RADIUS + 3)
        edges.append(
            {
                "helper": helper,
                "learner": learner,
                "categories": codes,
                "path": f"M{start[0]},{start[1]} Q{round(cx, 1)},{round(cy, 1)} {end[0]},{end[1]}",
                "same_group": same,
            }
        )
    edges.sort(key=lambda e: e["same_group"])  # arrows inside a group are drawn last, on top
    return {"nodes": nodes, "edges": edges, "width": width, "height": height}
