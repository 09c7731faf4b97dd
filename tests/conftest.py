"""Test-wide settings.

Hypothesis's per-example deadline (200 ms) measures wall time, which on shared 2-core CI
machines says more about the neighbours than about our code; speed is measured in bench/.
"""

from hypothesis import settings

settings.register_profile("pipeline", deadline=None)
settings.load_profile("pipeline")
