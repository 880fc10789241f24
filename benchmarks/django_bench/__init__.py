"""Benchmark-only glue loaded into one project at a time (never part of a project).

It is put on ``PYTHONPATH`` next to the project folder, so ``config.settings.production`` and the
project's apps import as usual; nothing in a project imports this package.
"""
