"""Benchmarks of the shop: ``python -m bench`` (in-process) and ``python -m bench load``.

See README.md, "Performance and reliability", for what is measured and the latest figures.
"""
