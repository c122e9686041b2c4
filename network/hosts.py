"""Group the schools of a zone or region from their profiles (:func:`group_schools`): similarity
from shared problem categories, practices and text, the partition, and a host school for each group.
"""

import zlib

import numpy as np

from .affinity import _check_sizes
from .geo import coordinates_array, distance_matrix_km
from .partition import partition
from .progress import help_matrix
from .similarity import (
    _practice_matrix,
    complementarity_matrix,
    good_practices,
    id_sort_key,
    jaccard_matrix,
    profile_matrix,
    school_profiles,
    school_texts,
    shared_categories,
)
from .text import tfidf_matrix

HOST_STRATEGIES = ("complementarity", "affinity", "location")
#: Weight of the complementarity-by-progress term when the zone council asks for it (see
#: :mod:`network.grouping` and docs/benchmarks_grouping.md for why this value).
HELP_WEIGHT = 0.5


def _stable_seed(seed, key):
    """Seed for one set that depends on the seed and the set's key, not on order."""
    return [int(seed) & 0xFFFFFFFF, zlib.crc32(repr(key).encode("utf-8"))]


def _avoided_partners(past_groups, avoid_last):
    """Return ``{school: set(partners)}`` met in each school's last encounters."""
    history = {}
    for group in past_groups or ():
        members = list(group)
        for school in members:
            history.setdefault(school, []).append(members)
    avoided = {}
    for school, groups in history.items():
        recent = groups if avoid_last is None else groups[len(groups) - avoid_last :]
        if avoid_last is not None and avoid_last <= 0:
            recent = []
        for members in recent:
            for other in members:
                if other != school:
                    avoided.setdefault(school, set()).add(other)
                    avoided.setdefault(other, set()).add(school)
    return avoided


def _choose_host(members, S, P, H, coordinates, strategy, C=None):
    """Index (into `members`) of the group's host school."""
    m = len(members)
    affinity = S.sum(axis=1) if m > 1 else np.zeros(m)
    if strategy == "location":
        known = ~np.isnan(coordinates[:, 0])
        if known.sum() >= 2:
            D = distance_matrix_km(coordinates)
            spread = np.where(known, np.nansum(np.where(known[None, :], D, 0.0), axis=1), np.inf)
            order = np.lexsort((np.arange(m), -affinity, spread))
            return int(order[0])
        strategy = "affinity"
    if strategy == "complementarity" and C is not None and C.any():
        # How much of the other members' open needs this school has already solved.
        helps = C.sum(axis=1)
    elif strategy == "complementarity" and H is not None:
        # How much of the other members' needs this school has good practices for.
        helps = (P @ H.T).sum(axis=0) - np.einsum("ij,ij->i", P, H)
    else:
        helps = np.zeros(m)
    order = np.lexsort((np.arange(m), -affinity, -helps))
    return int(order[0])


def group_schools(
    schools,
    *,
    by="zone",
    min_size=2,
    max_size=3,
    mix_levels=False,
    problems=None,
    practices=None,
    adoptions=None,
    text_weight=0.0,
    complementarity_weight=0.0,
    past_groups=None,
    avoid_last=None,
    past_penalty=None,
    max_distance_km=None,
    host="complementarity",
    seed=0,
    restarts=None,
    progress=None,
    help_weight=0.0,
):
    """Partition `schools` into peer groups, separately within each zone.

    Parameters
    ----------
    schools : iterable of dict
        ``{"id", "zone", "level", "lat", "lon", "profile"}``; only ``"id"``
        is required.  ``"profile"`` is ``{category: weight}``; when absent it
        is computed from `problems`.
    by : str or None
        Field whose values split the schools into independent sets
        (default ``"zone"``); ``None`` groups all schools as one set.
    min_size, max_size : int
        Sizes of the groups (see :func:`partition`).
    mix_levels : bool
        If False (default) a group only holds schools of one ``"level"``.
    problems, practices, adoptions : list of dict, optional
        Plain records (see :func:`network.graph.build_graph`) used for the
        profiles, texts and complementarity.
    text_weight, complementarity_weight : float
        Optional terms of the similarity (see :mod:`network.similarity`).
    past_groups : iterable of iterables, optional
        Past groups or pairs of school ids, oldest first.
    avoid_last : int, optional
        Only each school's last `avoid_last` past groups count (default: all).
    past_penalty : float, optional
        ``None`` (default) forbids pairs that met; a number is subtracted from
        their similarity instead.
    max_distance_km : float, optional
        Members of a group must be at most this far apart (haversine).
        Unknown or placeholder coordinates never constrain.
    host : {"complementarity", "affinity", "location"}
        How each group's host is chosen: the member with most good-outcome
        practices in categories the other members need (ties: highest
        affinity); the member with the highest summed similarity to the
        others; or the geographic medoid of members with known coordinates.
        Remaining ties go to the lowest id.
    seed : int
        Same input and seed give the same groups, whatever the input order.
    restarts : int, optional
        Passed to :func:`partition`.
    progress : dict, optional
        ``{school: {category: {"state", "weight", "evidence"}}}`` from
        :func:`network.progress.school_progress`.
    help_weight : float
        Weight of complementarity by progress (0: pure similarity).  The
        partition maximises ``afinidad total + help_weight * ayuda total``,
        where *ayuda total* is the same sum over groups taken on
        :func:`network.progress.help_matrix` (how much of each school's open
        need another member has solved).  Both stay pairwise, so the exact
        solver checks this mode as well.

    Returns
    -------
    dict
        ``{"groups": [{"schools": [ids], "host": id, "score": float,
        "shared": [categories], "zone": value, "level": value}],
        "objective": float, "help": float}``.  ``score`` is the mean pairwise
        similarity of the group (0 for a single school) and ``objective``
        (afinidad total) is the sum of ``score * len(schools)``; ``help``
        (ayuda total) is the same sum on the help matrix, and each group has
        its own ``"help"`` (mean pairwise help).  Forbidden pairs (past
        partners, too far) carry a penalty larger than any affinity, so they
        only appear when the sizes leave no other choice.

    Examples
    --------
    >>> schools = [
    ...     {"id": "A", "zone": "Z1", "profile": {"convivencia": 3}},
    ...     {"id": "B", "zone": "Z1", "profile": {"convivencia": 2}},
    ...     {"id": "C", "zone": "Z1", "profile": {"lectura-escritura": 3}},
    ...     {"id": "D", "zone": "Z1", "profile": {"lectura-escritura": 1}},
    ... ]
    >>> result = group_schools(schools, max_size=2)
    >>> [g["schools"] for g in result["groups"]]
    [['A', 'B'], ['C', 'D']]
    >>> result["groups"][0]["shared"], round(result["objective"], 4)
    (['convivencia'], 2.0)
    """
    _check_sizes(min_size, max_size)
    if not help_weight >= 0:
        raise ValueError("help_weight debe ser no negativo")
    if host not in HOST_STRATEGIES:
        raise ValueError(f"host debe ser uno de {HOST_STRATEGIES}")
    schools = list(schools)
    by_id = {}
    for school in schools:
        if school["id"] in by_id:
            raise ValueError(f"id de escuela repetido: {school['id']!r}")
        by_id[school["id"]] = school
    ids = sorted(by_id, key=id_sort_key)

    computed = school_profiles(problems) if problems is not None else {}
    profiles = {
        i: (by_id[i].get("profile") if by_id[i].get("profile") is not None else computed.get(i, {}))
        for i in ids
    }
    P, columns = profile_matrix(profiles, ids)
    good = good_practices(practices or (), adoptions or ())
    H = _practice_matrix(good, ids, columns) if good else None
    X = None
    if text_weight > 0:
        texts = school_texts(problems or ())
        X = tfidf_matrix([texts.get(i, "") for i in ids])
    coordinates = None
    if max_distance_km is not None or host == "location":
        coordinates = coordinates_array([(by_id[i].get("lat"), by_id[i].get("lon")) for i in ids])
    avoided = _avoided_partners(past_groups, avoid_last) if past_groups else {}

    sets = {}
    for k, school in enumerate(ids):
        key = (
            by_id[school].get(by) if by is not None else None,
            None if mix_levels else by_id[school].get("level"),
        )
        sets.setdefault(key, []).append(k)
    weight_total = 1.0 + text_weight + complementarity_weight

    groups_out, objective, help_total = [], 0.0, 0.0
    for key in sorted(sets, key=lambda k: (id_sort_key(k[0]), id_sort_key(k[1]))):
        index = np.asarray(sets[key])
        n = len(index)
        Pk = P[index]
        S = jaccard_matrix(Pk)
        if text_weight > 0:
            Xk = X[index]
            S = S + text_weight * np.clip((Xk @ Xk.T).toarray(), 0.0, 1.0)
        if complementarity_weight > 0 and H is not None:
            S = S + complementarity_weight * complementarity_matrix(Pk, H[index])
        if weight_total != 1.0:
            S = S / weight_total
        np.fill_diagonal(S, 0.0)
        C = help_matrix(progress, [ids[k] for k in index.tolist()]) if progress else None
        penalised = S if C is None or help_weight == 0 else S + help_weight * C
        if n > 1 and (avoided or max_distance_km is not None):
            forbidden = np.zeros((n, n), dtype=bool)
            soft = np.zeros((n, n), dtype=bool)
            if avoided:
                local = {ids[k]: a for a, k in enumerate(index.tolist())}
                for a, k in enumerate(index.tolist()):
                    for other in avoided.get(ids[k], ()):
                        b = local.get(other)
                        if b is not None:
                            (forbidden if past_penalty is None else soft)[a, b] = True
            if max_distance_km is not None:
                D = distance_matrix_km(coordinates[index])
                forbidden |= np.nan_to_num(D, nan=0.0) > max_distance_km
            big = float(n * max_size + 1) * (1.0 + help_weight)
            penalised = penalised - big * (forbidden | forbidden.T)
            if past_penalty is not None:
                penalised = penalised - float(past_penalty) * (soft | soft.T)
        local_groups = partition(
            penalised,
            min_size=min_size,
            max_size=max_size,
            seed=_stable_seed(seed, key),
            restarts=restarts,
        )
        for members in local_groups:
            members_index = index[members]
            members = np.asarray(members)
            block = S[members[:, None], members]
            m = len(members)
            score = float(block.sum() / (m * (m - 1))) if m > 1 else 0.0
            objective += score * m
            help_block = C[members[:, None], members] if C is not None else None
            helped = float(help_block.sum() / (m * (m - 1))) if m > 1 and C is not None else 0.0
            help_total += helped * m
            host_at = _choose_host(
                members_index,
                block,
                P[members_index],
                H[members_index] if H is not None else None,
                coordinates[members_index] if coordinates is not None else None,
                host,
                help_block,
            )
            member_ids = [ids[k] for k in members_index.tolist()]
            groups_out.append(
                {
                    "schools": member_ids,
                    "host": member_ids[host_at],
                    "score": score,
                    "help": helped,
                    "shared": shared_categories(*(profiles[i] for i in member_ids)),
                    "zone": key[0],
                    "level": key[1],
                }
            )
    return {"groups": groups_out, "objective": float(objective), "help": float(help_total)}
