"""Application services over the store: Qt-free, synchronous, returning plain frozen dataclasses.

The Qt layer calls them from worker threads (or directly for millisecond writes) and never sees
SQLAlchemy objects.
"""
