"""Pairing schools by common problems: a pure library over NetworkX, numpy and scipy.

No Flask or SQLAlchemy here: services call these functions with plain data and get plain data back.
"""
