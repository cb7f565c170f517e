"""Great-circle distances, scalar and vectorised (ranking thousands of places by distance costs one numpy call)."""

from __future__ import annotations

import math

import numpy as np

EARTH_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def approx_distances_km(lat: float, lon: float, lats_rad: np.ndarray, lons_rad: np.ndarray,
                        cos_lats: np.ndarray) -> np.ndarray:
    """Fast distances for ranking (no trigonometry per point): exact to a few metres at the scale of a
    département, always within 0.5 % up to 1,000 km; farther places rank last anyway. inf where a point is inf."""
    p1, l1 = math.radians(lat), math.radians(lon)
    # In place, step by step (the same operations in the same order as the plain formula
    # EARTH_KM * sqrt(dphi² + (dl · mean cos)²)): a search computes this for every place.
    dphi = lats_rad - p1
    dphi *= dphi
    dl = lons_rad - l1
    np.abs(dl, out=dl)
    np.minimum(dl, 2 * math.pi - dl, out=dl)  # the short way round; -inf where a point is inf
    mean_cos = cos_lats + math.cos(p1)
    mean_cos *= 0.5
    dl *= mean_cos
    dl *= dl
    dphi += dl
    np.sqrt(dphi, out=dphi)
    dphi *= EARTH_KM
    return dphi
