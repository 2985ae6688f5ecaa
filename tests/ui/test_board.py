"""cnnlab.ui.board: the training board updates in place, its running mean at any scale, and
bad input."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from bad_inputs import NAN, assert_many_rows, assert_refused, rows
from figure_checks import all_problems
from hypothesis import given
from hypothesis import strategies as st

from cnnlab import train
from cnnlab.models import init_small_cnn
from cnnlab.train import History
from cnnlab.ui import board as board_module
from cnnlab.ui.board import TrainingBoard


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_board_updates_in_place_without_new_figures():
    params = init_small_cnn(num_filters=4)
    board = TrainingBoard(kernel_key="conv1.weight", max_kernels=4)
    before = plt.get_fignums()
    png = board.widget.value
    history = History(step_loss=[2.3, 1.5], step_accuracy=[0.1, 0.5], eval_step=[2],
                      epoch=[1.0], train_loss=[1.9], train_accuracy=[0.3], test_loss=[1.7],
                      test_accuracy=[0.4])
    board.update(history, params)
    assert board.widget.value != png
    assert plt.get_fignums() == before
    assert board.loss_ax.get_xlabel() == "training step" and board.acc_ax.get_ylabel()
    np.testing.assert_allclose(board.kernel_images[0].get_array(),
                               params["conv1.weight"][0, 0] /
                               np.abs(params["conv1.weight"][0, 0]).max())


def test_the_accuracy_text_clears_the_legend_and_kernels_number_along_rows():
    """Issue 23: the accuracy text sat under the legend; the thumbnails were numbered down the
    columns (kernel 1 under kernel 0)."""
    board = TrainingBoard(kernel_key="conv1.weight", max_kernels=8)
    steps = 314                                  # lesson 09's two epochs
    history = History(step_loss=[0.3] * steps, step_accuracy=[0.9] * steps,
                      eval_step=[157, 314], epoch=[1.0, 2.0], train_loss=[0.3, 0.2],
                      train_accuracy=[0.9, 0.95], test_loss=[0.2, 0.1],
                      test_accuracy=[0.95, 0.9765])
    board.update(history, init_small_cnn(num_filters=8))
    figure = board.acc_ax.figure
    renderer = figure.canvas.get_renderer()
    text = board.text.get_window_extent(renderer)
    legend = board.acc_ax.get_legend().get_window_extent(renderer)
    assert board.text.get_text().startswith("test accuracy")
    assert not text.overlaps(legend)
    kernels = [ax for ax in figure.axes if ax.get_title().startswith("kernel")]
    corners = {ax.get_title(): ax.get_position() for ax in kernels}
    assert corners["kernel 1"].y0 == pytest.approx(corners["kernel 0"].y0)      # same row
    assert corners["kernel 1"].x0 > corners["kernel 0"].x0
    assert corners["kernel 4"].y0 < corners["kernel 0"].y0                      # next row


def test_in_the_browser_updates_between_evaluations_wait_for_the_interval(monkeypatch):
    """The browser edition's board (issue 24): an update within ``min_interval`` seconds of the
    last redraw is not drawn unless it brings a new evaluation; the next one after the interval
    draws everything up to it.  Natively every update redraws."""
    assert TB().min_interval == 0
    monkeypatch.setattr(board_module, "IN_BROWSER", True)
    board = TB()
    assert board.min_interval == board_module.BROWSER_MIN_INTERVAL > 0
    clock = [100.0]
    monkeypatch.setattr(board_module.time, "perf_counter", lambda: clock[0])
    steps = {"step_loss": [2.3, 1.5], "step_accuracy": [0.1, 0.5]}
    board.update(train.History(**steps))
    first = board.widget.value
    steps["step_loss"].append(0.9)
    steps["step_accuracy"].append(0.7)
    clock[0] += board.min_interval / 2
    board.update(train.History(**steps))
    assert board.widget.value == first                   # too soon, nothing new: not drawn
    assert board.text.get_text() == "batch accuracy 50%"
    evaluated = train.History(**steps, eval_step=[3], epoch=[1.0], train_loss=[1.5],
                              train_accuracy=[0.4], test_loss=[1.2], test_accuracy=[0.6])
    board.update(evaluated)                              # a new evaluation: drawn at once
    assert board.widget.value != first
    assert board.text.get_text() == "test accuracy 60.00% after 3 steps"
    second = board.widget.value
    evaluated.step_loss.append(0.5)
    evaluated.step_accuracy.append(0.9)
    board.update(evaluated)
    assert board.widget.value == second
    clock[0] += board.min_interval
    board.update(evaluated)                              # the interval is over: drawn
    assert board.widget.value != second
    np.testing.assert_allclose(board.lines["step_loss"].get_ydata(),
                               board._running_mean(evaluated.step_loss))


@pytest.mark.parametrize("kernel_key", [None, "conv1.weight"])
def test_the_board_is_readable_in_the_column_the_page_shows_it_in(kernel_key):
    """A learner's walk found the board 1152 px wide: the 848 px output column shrank it, and
    its 7 pt kernel titles and note came out at about 5 pt.  Every text at least 8 pt at display
    size, no overlap, no wider than the column (tests/figure_checks.py, as for every panel)."""
    board = TrainingBoard(kernel_key=kernel_key, max_kernels=8)
    steps = 314                                  # lesson 09's two epochs
    board.update(History(step_loss=[0.3] * steps, step_accuracy=[0.9] * steps,
                         eval_step=[157, 314], epoch=[1.0, 2.0], train_loss=[0.3, 0.2],
                         train_accuracy=[0.9, 0.95], test_loss=[0.2, 0.1],
                         test_accuracy=[0.95, 0.9765]),
                 init_small_cnn(num_filters=8) if kernel_key else None)
    assert all_problems(board.live.figure, board.live.dpi) == []


def history(**changes):
    values = {"step_loss": [2.3, 1.5], "step_accuracy": [0.1, 0.5]}
    values.update(changes)
    return train.History(**values)


TB = board_module.TrainingBoard


# ---------------------------------------------------------------------------------------------
# Bad input: (what, call, error type, word the message must contain); the table's
# machinery is tests/bad_inputs.py
# ---------------------------------------------------------------------------------------------

BAD_ROWS = [
    ("board max_kernels 0", lambda: TB(kernel_key="w", max_kernels=0), ValueError,
     "max_kernels"),
    ("board max_kernels str", lambda: TB(kernel_key="w", max_kernels="8"), TypeError,
     "max_kernels"),
    ("board smooth 0", lambda: TB(smooth=0), ValueError, "smooth"),
    ("board smooth 2.5", lambda: TB(smooth=2.5), TypeError, "smooth"),
    ("board smooth bool", lambda: TB(smooth=True), TypeError, "smooth"),
    ("board title int", lambda: TB(title=3), TypeError, "title"),
    ("board kernel_key int", lambda: TB(kernel_key=3), TypeError, "kernel_key"),
    ("board min_interval negative", lambda: TB(min_interval=-1), ValueError, "min_interval"),
    ("board min_interval str", lambda: TB(min_interval="2"), TypeError, "min_interval"),
    ("update history str", lambda: TB().update("history"), TypeError, "history"),
    ("update params list", lambda: TB(kernel_key="w").update(history(), [np.zeros((2, 2))]),
     TypeError, "params"),
    ("update params missing key", lambda: TB(kernel_key="w").update(history(),
                                                                     {"v": np.zeros((2, 2))}),
     ValueError, "params"),
    ("update kernel 1-D", lambda: TB(kernel_key="w").update(history(), {"w": np.zeros(3)}),
     ValueError, "params['w']"),
    ("update kernel nan", lambda: TB(kernel_key="w").update(history(),
                                                            {"w": np.full((2, 2), NAN)}),
     ValueError, "params['w']"),
    ("update history lengths", lambda: TB().update(history(step_accuracy=[0.1])), ValueError,
     "history"),
]


@pytest.mark.parametrize(("call", "error", "word"), rows("board", BAD_ROWS))
def test_bad_input_is_refused_with_a_message_naming_it(call, error, word):
    assert_refused(call, error, word)


def test_the_bad_input_table_has_many_rows():
    assert_many_rows("board", BAD_ROWS)


# ---------------------------------------------------------------------------------------------
# Right answers at the edges
# ---------------------------------------------------------------------------------------------

@given(st.lists(st.floats(0, 1.7976931348623157e308), min_size=1, max_size=40),
       st.integers(1, 30))
def test_board_running_mean_is_a_mean_and_silent_at_any_scale(losses_seen, smooth):
    board = board_module.TrainingBoard.__new__(board_module.TrainingBoard)
    board.smooth = smooth                        # only the running mean, no figure
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        means = board._running_mean(losses_seen)
    values = np.array(losses_seen)
    for i in range(values.size):
        window = values[max(0, i - smooth + 1):i + 1]
        assert means[i] == pytest.approx(np.sum(window / window.size), rel=1e-9)
    assert np.isfinite(means).all()
