"""cnnlab.plotting: show_image, annotate_values and image_grid, given bad input; their
outputs never share memory with their inputs.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from bad_inputs import (
    NAN,
    aliasing,
    assert_inputs_unchanged_and_outputs_not_views,
    assert_many_rows,
    assert_refused,
    ax_call,
    axes,
    rows,
)

from cnnlab import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ---------------------------------------------------------------------------------------------
# Bad input: (what, call, error type, word the message must contain); the table's
# machinery is tests/bad_inputs.py
# ---------------------------------------------------------------------------------------------

BAD_ROWS = [
    ("show_image ax", lambda: plotting.show_image("ax", np.eye(2), "t"), TypeError, "ax"),
    ("show_image 3-D", lambda: plotting.show_image(axes(), np.ones((2, 2, 2)), "t"), ValueError,
     "image"),
    ("show_image title", lambda: plotting.show_image(axes(), np.eye(2), 3), TypeError, "title"),
    ("show_image nan", lambda: plotting.show_image(axes(), [[NAN, 1]], "t"), ValueError,
     "image"),
    ("show_image bool", lambda: plotting.show_image(axes(), np.eye(2, dtype=bool), "t"),
     TypeError, "image"),
    ("show_image colorbar str", lambda: plotting.show_image(axes(), np.eye(2), "t",
                                                            colorbar="yes"),
     TypeError, "colorbar"),
    ("show_image vmin > vmax", lambda: plotting.show_image(axes(), np.eye(2), "t", vmin=2,
                                                           vmax=1),
     ValueError, "vmin"),
    ("show_image vmin nan", lambda: plotting.show_image(axes(), np.eye(2), "t", vmin=NAN),
     ValueError, "vmin"),
    ("show_image fmt int", lambda: plotting.show_image(axes(), np.eye(2), "t", annotate=True,
                                                       fmt=3),
     TypeError, "fmt"),
    ("show_image annotate str", lambda: plotting.show_image(axes(), np.eye(2), "t",
                                                            annotate="no"),
     TypeError, "annotate"),
    ("show_image signed str", lambda: plotting.show_image(axes(), np.eye(2), "t",
                                                          signed="yes"),
     TypeError, "signed"),
    ("annotate ax", lambda: plotting.annotate_values(None, np.eye(2)), TypeError, "ax"),
    ("annotate 1-D", lambda: plotting.annotate_values(axes(), np.ones(3)), ValueError, "array"),
    ("annotate fmt int", lambda: plotting.annotate_values(axes(), np.eye(2), fmt=3), TypeError,
     "fmt"),
    ("annotate fmt bad spec", lambda: plotting.annotate_values(axes(), np.eye(2), fmt="{:q}"),
     ValueError, "fmt"),
    ("annotate fontsize 0", lambda: plotting.annotate_values(axes(), np.eye(2), fontsize=0),
     ValueError, "fontsize"),
    ("annotate fontsize str", lambda: plotting.annotate_values(axes(), np.eye(2),
                                                               fontsize="big"),
     TypeError, "fontsize"),
    ("annotate nan", lambda: plotting.annotate_values(axes(), [[NAN]]), ValueError, "array"),
    ("annotate image str", lambda: plotting.annotate_values(axes(), np.eye(2), image="im"),
     TypeError, "image"),
    ("grid empty", lambda: plotting.image_grid([], []), ValueError, "images"),
    ("grid titles count", lambda: plotting.image_grid([np.eye(2)], ["a", "b"]), ValueError,
     "titles"),
    ("grid ncols 0", lambda: plotting.image_grid([np.eye(2)], ["a"], ncols=0), ValueError,
     "ncols"),
    ("grid ncols 1.5", lambda: plotting.image_grid([np.eye(2)], ["a"], ncols=1.5), TypeError,
     "ncols"),
    ("grid size -1", lambda: plotting.image_grid([np.eye(2)], ["a"], size=-1), ValueError,
     "size"),
    ("grid size nan", lambda: plotting.image_grid([np.eye(2)], ["a"], size=NAN), ValueError,
     "size"),
    ("grid titles str", lambda: plotting.image_grid([np.eye(2)], "a"), TypeError, "titles"),
    ("grid suptitle int", lambda: plotting.image_grid([np.eye(2)], ["a"], suptitle=3), TypeError,
     "suptitle"),
    ("grid image 1-D", lambda: plotting.image_grid([np.ones(3)], ["a"]), ValueError, "images[0]"),
]


@pytest.mark.parametrize(("call", "error", "word"), rows("plotting", BAD_ROWS))
def test_bad_input_is_refused_with_a_message_naming_it(call, error, word):
    assert_refused(call, error, word)


def test_the_bad_input_table_has_many_rows():
    assert_many_rows("plotting", BAD_ROWS)


# ---------------------------------------------------------------------------------------------
# Inputs never change; outputs never share memory with inputs
# ---------------------------------------------------------------------------------------------

A = np.random.default_rng(5).random((3, 4))
ALIASING = [
    ("show_image", lambda i: ax_call(plotting.show_image, i, "t").get_array(), (A,)),
    ("annotate_values", lambda i: ax_call(plotting.annotate_values, i), (A,)),
    ("image_grid", lambda i: [s.get_array() for s in plotting.image_grid([i], ["t"])[1]], (A,)),
]


@pytest.mark.parametrize(("function", "inputs"), aliasing(ALIASING))
def test_inputs_unchanged_and_outputs_not_views(function, inputs):
    assert_inputs_unchanged_and_outputs_not_views(function, inputs)
