"""Test support shared by the monorepo's three Django projects.

Only test suites import this package; it never imports a project's own code, so every project
stays deployable on its own.
"""
