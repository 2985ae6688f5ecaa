"""The figure checks of tests/figure_checks.py are not vacuous: a figure made to fail them fails.

``figure_problems`` (lessons 00-05) and ``all_problems`` (lessons 06-11) each catch the faults
they look for.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from figure_checks import all_problems, figure_problems


def test_the_checks_catch_a_bad_figure():
    """The checks are not vacuous: a figure with each fault is caught."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 2), dpi=72)
    shown = a.imshow(np.arange(9.0).reshape(3, 3), cmap="jet")
    a.text(0, 0, "0", color="black", fontsize=6)
    a.set_xticks([0.5, 1.5])
    b.set_title("a title much too long to fit in the figure at all " * 3)
    problems = " | ".join(figure_problems(fig, 72))
    plt.close(fig)
    for words in ("jet", "pt at display size", "not whole", "outside the figure", "px wide",
                  "contrast"):
        assert words in problems, words
    assert shown is not None


def test_the_checks_catch_what_they_look_for():
    """The three added checks fail on a figure made to fail them."""
    figure, ax = plt.subplots(figsize=(3, 3))
    shown = ax.imshow(np.eye(3), cmap="jet", vmin=0, vmax=1)
    ax.text(0, 0, "1", color="white")                     # white on jet's dark red
    ax.text(1, 0, "0", color="black")                     # black on jet's dark blue
    problems = all_problems(figure, 96)
    plt.close(figure)
    assert any("colour map 'jet'" in p for p in problems)
    assert sum("contrast" in p for p in problems) == 1
    assert shown is not None
