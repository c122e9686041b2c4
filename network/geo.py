"""Geography helpers: haversine distances that ignore unknown coordinates."""

import math

import numpy as np

__all__ = [
    "PLACEHOLDER_COORDINATES",
    "EARTH_RADIUS_KM",
    "known_coordinates",
    "coordinates_array",
    "haversine_km",
    "distance_matrix_km",
]

#: The SEP catalogue puts schools without a surveyed location at the centre of
#: their locality; in Querétaro that is this point (401 rows).  It says nothing
#: about where the school is, so it never constrains a grouping.
PLACEHOLDER_COORDINATES = (20.5934, -100.39)
EARTH_RADIUS_KM = 6371.0088
_TOLERANCE = 1e-6


def known_coordinates(lat, lon):
    """Return True if (`lat`, `lon`) is a real location.

    Missing values, non-numbers, out-of-range values and the locality-centre
    placeholder :data:`PLACEHOLDER_COORDINATES` are unknown.

    Examples
    --------
    >>> known_coordinates(20.61, -100.41)
    True
    >>> known_coordinates(20.5934, -100.39), known_coordinates(None, -100.4)
    (False, False)
    >>> known_coordinates("20.593400", "-100.390000")
    False
    """
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return False
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return False
    placeholder_lat, placeholder_lon = PLACEHOLDER_COORDINATES
    return not (abs(lat - placeholder_lat) < _TOLERANCE and abs(lon - placeholder_lon) < _TOLERANCE)


def coordinates_array(points):
    """Return an ``(n, 2)`` float array of (lat, lon) with NaN rows for unknowns.

    Examples
    --------
    >>> coordinates_array([(20.6, -100.4), (20.5934, -100.39), (None, None)])
    array([[  20.6, -100.4],
           [   nan,    nan],
           [   nan,    nan]])
    """
    out = np.full((len(points), 2), np.nan)
    for row, (lat, lon) in enumerate(points):
        if known_coordinates(lat, lon):
            out[row] = float(lat), float(lon)
    return out


def haversine_km(lat1, lon1, lat2, lon2):
    """Return the great-circle distance in km (numpy broadcasting).

    Examples
    --------
    >>> round(float(haversine_km(20.5888, -100.3899, 19.4326, -99.1332)), 1)
    183.8
    """
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2.0) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def distance_matrix_km(coordinates):
    """Return pairwise haversine distances; NaN where a location is unknown.

    Parameters
    ----------
    coordinates : array_like, shape (n, 2)
        (lat, lon) rows as produced by :func:`coordinates_array`.

    Examples
    --------
    >>> D = distance_matrix_km([[20.6, -100.4], [20.7, -100.4], [np.nan, np.nan]])
    >>> D.round(1)
    array([[ 0. , 11.1,  nan],
           [11.1,  0. ,  nan],
           [ nan,  nan,  nan]])
    """
    xy = np.asarray(coordinates, dtype=float).reshape(-1, 2)
    lat, lon = xy[:, 0], xy[:, 1]
    return haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
