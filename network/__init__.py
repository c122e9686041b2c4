"""Peer network of schools: graph model, similarity, grouping, recommendations.

Pure Python on NetworkX, numpy and scipy, with no web framework: the
``app`` package feeds it plain dicts and lists and gets plain results back.

Modules
-------
taxonomy     Category codes, priority and outcome weights.
graph        :func:`build_graph` — the NetworkX model.
similarity   Profiles, weighted Jaccard, text and complementarity terms.
grouping     :func:`group_schools`, :func:`partition`, :func:`exact_grouping`.
progress     :func:`school_progress` — *ya resolvió* / *trabaja en ello* per category.
recommend    :func:`recommend_practices`, :func:`recommend_partners`.
io           JSON input/output for the command line.
text, geo    TF-IDF for Spanish texts; haversine distances.
"""

from .graph import build_graph, graph_good_practices, graph_profiles, graph_texts
from .grouping import exact_grouping, group_schools, grouping_affinity, partition
from .io import GroupingInputError, group_from_json, parse_grouping_input
from .progress import help_edges, help_in_group, help_matrix, school_progress
from .recommend import recommend_partners, recommend_practices, school_similarity
from .similarity import (
    explain_similarity,
    good_practices,
    school_profiles,
    similarity_matrix,
    weighted_jaccard,
)
from .taxonomy import CATEGORIES, PRIORITY_WEIGHTS

__all__ = [
    "CATEGORIES",
    "PRIORITY_WEIGHTS",
    "GroupingInputError",
    "build_graph",
    "exact_grouping",
    "explain_similarity",
    "good_practices",
    "help_edges",
    "help_in_group",
    "help_matrix",
    "graph_good_practices",
    "graph_profiles",
    "graph_texts",
    "group_from_json",
    "group_schools",
    "grouping_affinity",
    "parse_grouping_input",
    "partition",
    "recommend_partners",
    "recommend_practices",
    "school_profiles",
    "school_progress",
    "school_similarity",
    "similarity_matrix",
    "weighted_jaccard",
]
