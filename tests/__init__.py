"""The test suite."""

import pytest

# Helpers in tests/support/ assert too: their failures explain themselves as the tests' do.
pytest.register_assert_rewrite("tests.support")
