"""The shared cache: Django's database cache (default) or Redis, the same for every app server.

A tiny app of its own so its one migration (the cache table) never collides with the
catalog's migrations.
"""
