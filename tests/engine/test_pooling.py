"""The engine's running maximum (the fused block's pooling, tests/engine/test_blocks.py checks
the block against the textbook on both of its routes): the maximum and the first winner."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from cnnlab.engine.pooling import running_maximum


def test_running_maximum_keeps_the_first_of_equal_values():
    out = np.array([1.0, 3.0, 2.0, 0.0])
    winner = running_maximum(out, [np.array([1.0, 4.0, 0.0, 5.0]),
                                   np.array([1.0, 4.0, 9.0, 5.0])])
    np.testing.assert_array_equal(out, [1.0, 4.0, 9.0, 5.0])
    np.testing.assert_array_equal(winner, [0, 1, 2, 1])


@given(st.integers(1, 9), st.integers(0, 2**16), st.booleans())
def test_running_maximum_is_max_and_argmax(count, seed, ties):
    rng = np.random.default_rng(seed)
    stack = rng.normal(size=(count, 5, 7))
    if ties:
        stack = np.round(np.maximum(stack, 0))        # full of ties: the first must win
    out = stack[0].copy()
    winner = running_maximum(out, list(stack[1:]))
    np.testing.assert_array_equal(out, stack.max(axis=0))
    np.testing.assert_array_equal(winner, stack.argmax(axis=0))
