"""A live training board: loss and accuracy curves (and the kernels) redrawn in place.

Like d2l's ``ProgressBoard``/``Animator``, but drawn once and updated with ``set_data``: one
figure, no flicker, no pile of figures below the cell.  Give it to :meth:`Trainer.run
<cnnlab.train.Trainer.run>` (``board=...``) or call :meth:`TrainingBoard.update` yourself after
:meth:`Trainer.step <cnnlab.train.Trainer.step>` (a widget button that trains a few steps).
"""

from __future__ import annotations

import time

import matplotlib.pyplot as plt
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._validate import as_float_array, check_float, check_int, check_str
from ..course import IN_BROWSER
from ..plotting import SIGNED_CMAP
from ..train import History
from .widgets import LiveFigure

__all__ = ["TrainingBoard", "BROWSER_MIN_INTERVAL"]

BROWSER_MIN_INTERVAL = 2.5
"""Seconds the board waits, in the browser edition, before it redraws again for an update that
brings no new evaluation.  A redraw there costs 0.4-1.3 s (Pyodide's matplotlib, measured on
lesson 09's board, 2026-12-07) against about 0.1 s natively: lesson 09's nine redraws took a
third of its training cell in the browser.  Every evaluation (each epoch's points, the last one
included) is still drawn when it arrives; between two, the curves move every 2.5 s instead of
every 40 steps.  Natively the interval is 0: every update redraws."""


class TrainingBoard:
    """Loss and accuracy against training steps, plus (optionally) the first-layer kernels.

    Parameters
    ----------
    kernel_key : str, optional
        Name of a parameter holding kernels, (F, C, kh, kw) or (kh, kw), drawn as small signed
        images (e.g. ``"conv1.weight"``); None for curves only.
    max_kernels : int
        At most this many kernels are drawn (at least 1).
    title : str
    smooth : int
        The training curves show a running mean over this many steps (at least 1).
    min_interval : float, optional
        Seconds after a redraw during which an update that brings no new evaluation is not drawn
        (the next one draws everything); an update with a new evaluation always is.  Default:
        :data:`BROWSER_MIN_INTERVAL` in the browser edition, 0 (every update) elsewhere.

    Attributes
    ----------
    live : cnnlab.widgets.LiveFigure
    widget : ipywidgets.Image
        Put it in a layout, or display the board itself.

    Examples
    --------
    >>> from cnnlab.train import History
    >>> board = TrainingBoard()
    >>> before = board.widget.value
    >>> history = History(step_loss=[2.3, 1.9, 1.2], step_accuracy=[0.1, 0.3, 0.6])
    >>> board.update(history)
    >>> board.widget.value != before
    True
    """

    def __init__(self, kernel_key=None, max_kernels=8, title="training", smooth=20,
                 min_interval=None):
        self.kernel_key = check_str(kernel_key, "kernel_key", allow_none=True)
        if min_interval is None:
            min_interval = BROWSER_MIN_INTERVAL if IN_BROWSER else 0.0
        self.min_interval = check_float(min_interval, "min_interval", minimum=0)
        self._drawn_at = None             # perf_counter() when the last redraw ended
        self._drawn_evaluations = 0       # len(history.eval_step) of the last redraw
        self.max_kernels = max_kernels = check_int(max_kernels, "max_kernels", minimum=1)
        check_str(title, "title")
        self.smooth = check_int(smooth, "smooth", minimum=1)
        columns = 2 + (1 if kernel_key else 0)
        widths = [1, 1] + ([1.1] if kernel_key else [])
        # at most 8.8 in (845 px at 96 dpi): the page's output column (848 px in JupyterLab at
        # 1280 px) would otherwise shrink the picture and its text
        fig = plt.figure(figsize=(min(4.0 * columns, 8.8), 3.2), layout="constrained")
        grid = fig.add_gridspec(1, columns, width_ratios=widths)
        self.loss_ax = fig.add_subplot(grid[0, 0])
        self.acc_ax = fig.add_subplot(grid[0, 1])
        fig.suptitle(title)
        self.lines = {
            "step_loss": self.loss_ax.plot([], [], color="tab:blue", alpha=0.35,
                                           label="train (batch)")[0],
            "train_loss": self.loss_ax.plot([], [], "o-", color="tab:blue", label="train")[0],
            "test_loss": self.loss_ax.plot([], [], "s-", color="tab:orange", label="test")[0],
            "step_accuracy": self.acc_ax.plot([], [], color="tab:blue", alpha=0.35,
                                              label="train (batch)")[0],
            "train_accuracy": self.acc_ax.plot([], [], "o-", color="tab:blue", label="train")[0],
            "test_accuracy": self.acc_ax.plot([], [], "s-", color="tab:orange",
                                              label="test")[0],
        }
        self.loss_ax.set(xlabel="training step", ylabel="loss", title="loss")
        self.acc_ax.set(xlabel="training step", ylabel="accuracy", title="accuracy",
                        ylim=(0, 1.02))
        self.loss_ax.legend(loc="upper right", fontsize=8)
        self.acc_ax.legend(loc="center right", fontsize=8)    # clear of the text below it
        self.text = self.acc_ax.text(0.02, 0.04, "", transform=self.acc_ax.transAxes,
                                     fontsize=8)
        self.kernel_images = []
        if kernel_key:
            per_row = (max_kernels + 1) // 2
            sub = grid[0, 2].subgridspec(2, per_row)
            for i in range(max_kernels):
                ax = fig.add_subplot(sub[i // per_row, i % per_row])     # numbered along rows
                shown = ax.imshow(np.zeros((3, 3)), cmap=SIGNED_CMAP, vmin=-1, vmax=1)
                ax.set_xticks([])
                ax.set_yticks([])
                ax.set_title(f"kernel {i}", fontsize=8)
                self.kernel_images.append(shown)
            fig.text(0.99, 0.02, "kernels: red +, blue -, white 0 (each scaled to its max)",
                     ha="right", fontsize=8)
        self.live = LiveFigure(fig)
        self.widget = self.live.widget

    def _running_mean(self, values):
        """Mean of the last ``smooth`` values at every step (fewer at the start).

        Each value is divided by the window before it is summed, so losses near the largest
        float64 do not overflow.
        """
        values = np.asarray(values, dtype=float)
        if values.size == 0:
            return values
        window = min(self.smooth, values.size)
        full = sliding_window_view(values / window, window).sum(axis=-1)
        head = [np.sum(values[:i] / i) for i in range(1, window)]
        return np.concatenate([head, full])

    def update(self, history, params=None):
        """Redraw from a :class:`cnnlab.train.History` (and the current parameters).

        Parameters
        ----------
        history : cnnlab.train.History
            Its per-step lists must have equal lengths, and each per-evaluation list the length
            of ``eval_step`` (or none at all, e.g. no test set).
        params : dict, optional
            Needed to draw the kernels: it must then hold ``kernel_key``, an array (kh, kw),
            (C, kh, kw) or (F, C, kh, kw) of finite numbers.

        Examples
        --------
        >>> from cnnlab.train import History
        >>> TrainingBoard().update(History(step_loss=[1.0], step_accuracy=[0.5]))
        """
        kernels = self._checked(history, params)
        new_evaluation = len(history.eval_step) != self._drawn_evaluations
        if (not new_evaluation and self._drawn_at is not None
                and time.perf_counter() - self._drawn_at < self.min_interval):
            return
        steps = np.arange(1, len(history.step_loss) + 1)
        self.lines["step_loss"].set_data(steps, self._running_mean(history.step_loss))
        self.lines["step_accuracy"].set_data(steps, self._running_mean(history.step_accuracy))
        for name in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
            values = getattr(history, name)
            self.lines[name].set_data(history.eval_step[:len(values)], values)
        for ax in (self.loss_ax, self.acc_ax):
            ax.relim()
            ax.autoscale_view(scalex=True, scaley=ax is self.loss_ax)
        if history.test_accuracy:
            self.text.set_text(f"test accuracy {history.test_accuracy[-1]:.2%} after "
                               f"{history.eval_step[-1]} steps")
        elif history.step_accuracy:
            self.text.set_text(f"batch accuracy {history.step_accuracy[-1]:.0%}")
        if kernels is not None:
            kernels = kernels.reshape(-1, *kernels.shape[-2:])
            for shown, kernel in zip(self.kernel_images, kernels, strict=False):
                scale = np.abs(kernel).max() or 1.0
                shown.set_data(kernel / scale)
        self.live.refresh()
        self._drawn_at = time.perf_counter()
        self._drawn_evaluations = len(history.eval_step)

    def _checked(self, history, params):
        """Check update's arguments; return the kernels to draw (or None)."""
        if not isinstance(history, History):
            raise TypeError(f"history must be a cnnlab.train.History (trainer.history), got "
                            f"{type(history).__name__}")
        if len(history.step_accuracy) != len(history.step_loss):
            raise ValueError(f"history.step_accuracy has {len(history.step_accuracy)} entries "
                             f"but history.step_loss {len(history.step_loss)}: they must match")
        for name in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
            count = len(getattr(history, name))
            if count not in (0, len(history.eval_step)):
                raise ValueError(f"history.{name} has {count} entries but history.eval_step "
                                 f"{len(history.eval_step)}: they must match")
        if params is None:
            return None
        if not isinstance(params, dict):
            raise TypeError(f"params must be a dict of named arrays, got "
                            f"{type(params).__name__}")
        if not self.kernel_key:
            return None
        if self.kernel_key not in params:
            raise ValueError(f"params has no {self.kernel_key!r} (the board's kernel_key); it "
                             f"has {sorted(params)}")
        return as_float_array(params[self.kernel_key], f"params[{self.kernel_key!r}]",
                              ndim=(2, 3, 4), axes="(kh, kw), (C, kh, kw) or (F, C, kh, kw)")

    def _ipython_display_(self):
        self.live._ipython_display_()
