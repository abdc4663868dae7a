"""The end-to-end tests use the running assistant of tests/conftest.py (shared with tests/bot/).

Re-exported here for the tests that import these names from this module.
"""

from __future__ import annotations

from tests.conftest import RunningAssistant, free_port

__all__ = ["RunningAssistant", "free_port"]
