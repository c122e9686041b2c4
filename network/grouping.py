"""Partition schools into small groups that maximise their *afinidad total*.

The objective of a grouping is the sum, over schools, of the mean similarity
of the school to the other members of its group (a school alone contributes
0).  For a group ``g`` of ``m >= 2`` schools whose pairwise similarities add
up to ``W(g)`` this is ``2 W(g) / (m - 1)``, i.e. ``m`` times the group's mean
pairwise similarity, which is the group ``"score"`` reported.

How :func:`partition` works (see also ``docs/benchmarks.md``):

1. **Relaxation.**  With groups of 2 and 3 the value of a group equals the
   weight of a directed cycle through its members (``2 S_ij`` for a pair,
   ``S_ij + S_jk + S_ki`` for a triple), so the maximum-weight cycle cover of
   the similarity matrix — a linear assignment problem solved by
   :func:`scipy.optimize.linear_sum_assignment` in ``O(n^3)`` compiled code —
   is an upper bound of the optimum.  Its cycles are laid end to end and cut
   into groups of allowed sizes by a dynamic programme.
2. **Local search.**  Moves of a school to another group, swaps of two
   schools, dissolving a group into others and creating a pair from two
   groups that can spare a member.  The gain of every candidate is computed
   at once with numpy from ``T = S @ membership`` (similarity of each school
   to each group), and all improving candidates that touch disjoint groups
   are applied in the same round.
3. **Restarts.**  The relaxation is solved again on the matrix plus seeded
   symmetric noise; the best grouping wins.  The search stops early when it
   reaches the relaxation's bound (then it is provably optimal).

**Complementarity by progress** (``group_schools(progress=..., help_weight=w)``).  When the zone
council asks for it, the partition maximises ``afinidad total + w * ayuda total``: the second term is
the same sum over groups taken on :func:`network.progress.help_matrix`, where ``C[i, j]`` (in [0, 1])
is the share of one school's open need, weighted by priority, in categories the other has already
solved (both directions added, capped at 1).  A school that solved *lectura y escritura* is thus
drawn to the schools still working on it, while the first term keeps schools with the same open
problems together.  ``w = 0.5`` (:data:`network.hosts.HELP_WEIGHT`) makes a partner who solved all
of a school's need worth half a partner with the very same problems.  In the benchmark
(``docs/benchmarks_grouping.md``) the demo's Zona 5 keeps 97 % of its pure afinidad total with 3.6
times the help; the synthetic sets, where a quarter of the schools solved something, keep 81-86 %
with 8 to 44 times the help (``w = 0.25`` keeps 94-96 %).  Both terms are
pairwise, so the relaxation, the local search and the exact solver are unchanged; ``w = 0`` is the
pure-similarity mode, bit for bit.

Groups of exactly two (``min_size=max_size=2``) are an optimal maximum-weight
matching: :func:`networkx.max_weight_matching` on the complete graph (up to
``matching_limit`` schools; larger sets use a sparse graph of each school's
nearest neighbours, refined by swaps).

The modules: ``affinity`` (the objective and the checks of sizes), ``exact`` (the exact optimum
for small sets), ``partition`` (relaxation, local search, restarts, matching), ``hosts``
(:func:`group_schools`: similarity from profiles, groups, and a host school for each).
"""

from __future__ import annotations

from .affinity import grouping_affinity
from .exact import exact_grouping
from .hosts import HELP_WEIGHT, HOST_STRATEGIES, group_schools
from .partition import partition

__all__ = [
    "HELP_WEIGHT",
    "HOST_STRATEGIES",
    "grouping_affinity",
    "partition",
    "exact_grouping",
    "group_schools",
]
