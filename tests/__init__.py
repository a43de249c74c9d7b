"""The test suite (a package, so that tests import `tests.conftest` under plain `pytest`)."""
