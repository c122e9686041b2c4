"""The objective of a grouping (*afinidad total*) and what every solver checks of sizes and the
similarity matrix.
"""

import numpy as np

_EPS = 1e-9


_NEG = -np.inf


def grouping_affinity(groups, similarity):
    """Return the *afinidad total* of `groups` (lists of indices into `similarity`).

    Examples
    --------
    >>> S = [[0, .5, .1, 0], [.5, 0, .2, 0], [.1, .2, 0, .9], [0, 0, .9, 0]]
    >>> grouping_affinity([[0, 1], [2, 3]], S)
    2.8
    >>> grouping_affinity([[0, 1, 2], [3]], S)
    0.8
    """
    S = np.asarray(similarity, dtype=float)
    total = 0.0
    for group in groups:
        group = list(group)
        if len(group) >= 2:
            block = S[np.ix_(group, group)]
            total += (block.sum() - np.trace(block)) / (len(group) - 1)
    return float(total)


def _values(size, W):
    """Group value ``2 W / (size - 1)`` (0 for fewer than two members)."""
    size = np.asarray(size, dtype=float)
    return np.where(size >= 2, 2.0 * W / np.where(size > 1, size - 1, 1.0), 0.0)


def _coefficients(size):
    return np.where(size >= 2, 2.0 / np.where(size > 1, size - 1, 1.0), 0.0)


def _feasible(n, min_size, max_size):
    """True if n schools fit exactly in groups of min_size..max_size."""
    return any(k * min_size <= n <= k * max_size for k in range(max(1, -(-n // max_size)), n // min_size + 1))


def _check_sizes(min_size, max_size):
    if int(min_size) != min_size or int(max_size) != max_size:
        raise ValueError("min_size y max_size deben ser enteros")
    if min_size < 1 or max_size < min_size:
        raise ValueError("se requiere 1 <= min_size <= max_size")


def _symmetric(similarity):
    S = np.array(similarity, dtype=float)
    if S.ndim != 2 or S.shape[0] != S.shape[1]:
        raise ValueError("la matriz de similitud debe ser cuadrada")
    if not np.isfinite(S).all():
        raise ValueError("la matriz de similitud tiene valores no finitos")
    S = (S + S.T) / 2.0
    np.fill_diagonal(S, 0.0)
    return S
