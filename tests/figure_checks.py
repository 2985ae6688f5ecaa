"""Can a learner read this figure?  Checks a test runs on every figure and panel it builds.

``legibility_problems(figure)`` renders the figure as the course shows it (a PNG at the figure's
own dpi, shown at its pixel size) and lists, in words, every problem a reader would meet:

- text that runs outside the figure (clipped: "ponse (each map...)"),
- text that overlaps other text (titles on tick labels, colour-bar labels on titles),
- text smaller than ``min_points`` at display size (default 8 pt),
- tick labels of a grid axis that are not whole numbers (kernel and cell grids).

An empty list means none was found.  ``shown_width_px`` is the width at which the page shows the
PNG, when that is not its own pixel width (a stretched or shrunk picture scales its text too).

On top of it, what the lesson tests (tests/lessons/) check on every figure and panel state:
``figure_problems(fig, dpi)`` (lessons 00-05) and ``all_problems(figure, dpi)`` (lessons 06-11)
add whole-number grid ticks, colour-blind-safe colour maps (``SAFE_CMAPS``), numbers that contrast
with the cell they are written on, and no picture wider than the notebook column (``COLUMN_PX``).
``values_to_try`` gives the values a user would try on a control; ``swept(factory)`` builds a
panel once per session and records every state those values reach (its PNG and its problems),
for the readability tests (``check_panel_is_readable_in_every_state``) and the "every control
changes the figure" tests alike; ``static``, ``panel_states``, ``set_control`` and ``click``
describe a figure and the moves a test makes.  Each state is rendered once: the checks measure
the render that showed it (``drawn=True``) instead of drawing the figure again.
"""

from __future__ import annotations

import functools
import itertools
import struct
from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import matplotlib.text as mtext
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

CSS_DPI = 96  # a browser's CSS pixel is 1/96 inch


def _drawn_texts(figure, renderer):
    """(text, bbox) of every piece of text drawn on the figure, tick labels of shown axes only."""
    all_ticks, shown_ticks = set(), set()
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            low, high = sorted(axis.get_view_interval())
            slack = 1e-9 * max(1.0, abs(high - low))
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                labels = (tick.label1, tick.label2)
                all_ticks.update(id(label) for label in labels)
                if (axes.get_visible() and axes.axison and axis.get_visible()
                        and low - slack <= tick.get_loc() <= high + slack):
                    shown_ticks.update(id(label) for label in labels)
    found = []
    for text in figure.findobj(mtext.Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        if id(text) in all_ticks and id(text) not in shown_ticks:
            continue
        if text.axes is not None and not text.axes.get_visible():
            continue
        bbox = text.get_window_extent(renderer)
        if bbox.width > 0 and bbox.height > 0:
            found.append((text, bbox))
    return found


def _name(text):
    words = text.get_text().replace("\n", " ")
    return repr(words if len(words) <= 40 else words[:37] + "...")


def legibility_problems(figure, shown_width_px=None, min_points=8.0, slack_px=1.0, dpi=None,
                        drawn=False):
    """List what keeps a reader from reading ``figure`` (an empty list when nothing does).

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure, in the state the learner sees (after the panel's update ran).
    shown_width_px : float, optional
        Width in CSS pixels at which the page shows the PNG; default: its own pixel width.
    min_points : float
        Smallest text size, in points at display size, that counts as readable.
    slack_px : float
        Pixels of overlap or overhang forgiven (antialiasing).
    dpi : float, optional
        The dpi of the PNG the page shows (``LiveFigure.dpi``); default: the figure's dpi.
    drawn : bool
        The figure was just rendered at this dpi, as it stands (a panel's refresh): measure
        that render rather than render it again.  Each state of a panel is then rendered
        once, by the panel.
    """
    if not hasattr(figure.canvas, "get_renderer"):
        FigureCanvasAgg(figure)  # a Figure made without pyplot: give it a renderer
    if drawn and dpi in (None, figure.dpi):
        return _problems(figure, shown_width_px, min_points, slack_px)
    saved_dpi = figure.dpi
    if dpi is not None:
        figure.set_dpi(dpi)
    try:
        figure.canvas.draw()
        return _problems(figure, shown_width_px, min_points, slack_px)
    finally:
        figure.set_dpi(saved_dpi)


def _problems(figure, shown_width_px, min_points, slack_px):
    renderer = figure.canvas.get_renderer()
    width_px, height_px = figure.bbox.width, figure.bbox.height
    scale = 1.0 if shown_width_px is None else shown_width_px / width_px
    problems = []
    texts = _drawn_texts(figure, renderer)
    for text, box in texts:
        if (box.x0 < -slack_px or box.y0 < -slack_px or box.x1 > width_px + slack_px
                or box.y1 > height_px + slack_px):
            problems.append(f"text {_name(text)} runs outside the figure "
                            f"({box.x0:.0f}..{box.x1:.0f} of {width_px:.0f} px wide, "
                            f"{box.y0:.0f}..{box.y1:.0f} of {height_px:.0f} px high)")
        shown_points = text.get_fontsize() * figure.dpi / CSS_DPI * scale
        if shown_points < min_points - 1e-9:
            problems.append(f"text {_name(text)} is {shown_points:.1f} pt at display size "
                            f"(at least {min_points:g} pt)")
    for (a, box_a), (b, box_b) in itertools.combinations(texts, 2):
        overlap_w = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        overlap_h = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        if overlap_w > slack_px and overlap_h > slack_px:
            problems.append(f"text {_name(a)} overlaps text {_name(b)}")
    return problems


def grid_tick_problems(axes):
    """Non-integer tick labels on an axes that shows a grid of cells (a kernel, a feature map)."""
    problems = []
    for axis_name, ticks in (("x", axes.get_xticks()), ("y", axes.get_yticks())):
        lo, hi = sorted(axes.get_xlim() if axis_name == "x" else axes.get_ylim())
        shown = [t for t in ticks if lo - 1e-9 <= t <= hi + 1e-9]
        bad = [t for t in shown if abs(t - round(t)) > 1e-9]
        if bad and axes.axison:
            problems.append(f"{axes.get_title() or 'axes'}: {axis_name} ticks {bad} "
                            f"are not whole cell numbers")
    return problems


# ---- the checks of a lesson's figures and panels ------------------------------------------
# Two sets grew with the lessons: ``figure_problems`` (lessons 00-05: cell numbers by the cell
# they sit in) and ``all_problems`` (lessons 06-11: values written on image cells); both add
# legibility, whole-number grid ticks, colour-blind-safe maps and the column width.

COLUMN_PX = 848            # the output area of JupyterLab 4 in a 1280 px wide window (measured)
SAFE_CMAPS = {"viridis", "magma", "inferno", "plasma", "cividis", "gray", "Greys", "RdBu_r",
              "RdBu", "PuOr", "PuOr_r", "Blues", "Greens", "Oranges", "Purples", "Reds", "BrBG"}
MIN_CONTRAST = 3.0         # WCAG's minimum for large or bold text; cell numbers are short


def _luminance(colour):
    rgb = np.array(mcolors.to_rgb(colour))
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)))
    return (lb + 0.05) / (la + 0.05)


def is_grid(ax):
    return bool(ax.images) and ax.get_label() != "<colorbar>" and ax.axison


def annotation_problems(fig):
    """Numbers written in cells whose colour they do not contrast with."""
    problems = []
    for ax in fig.axes:
        if not ax.images:
            continue
        image = ax.images[-1]
        data = np.asarray(image.get_array(), dtype=float)
        left, right, bottom, top = image.get_extent()
        rows, cols = data.shape
        for text in ax.texts:
            if not text.get_visible() or not text.get_text().strip():
                continue
            if text.get_transform() != ax.transData:
                continue
            x, y = text.get_position()
            j = int(np.floor((x - left) / (right - left) * cols))
            i = int(np.floor((y - top) / (bottom - top) * rows))
            if not (0 <= i < rows and 0 <= j < cols):
                continue
            value = data[i, j]
            cell = ax.get_facecolor() if not np.isfinite(value) else image.to_rgba(value)
            ratio = contrast(text.get_color(), cell[:3])
            if ratio < MIN_CONTRAST:
                problems.append(f"{ax.get_title()!r}: {text.get_text()!r} in cell ({i}, {j}) "
                                f"has contrast {ratio:.1f}")
    return problems


def figure_problems(fig, dpi, drawn=False):
    problems = legibility_problems(fig, dpi=dpi, drawn=drawn)
    for ax in fig.axes:
        if is_grid(ax):
            problems += grid_tick_problems(ax)
        for image in ax.images:
            name = image.get_cmap().name
            if name not in SAFE_CMAPS:
                problems.append(f"{ax.get_title()!r} uses colour map {name!r}")
    problems += annotation_problems(fig)
    width = fig.get_figwidth() * dpi
    if width > COLUMN_PX + 1:
        problems.append(f"{width:.0f} px wide: a {COLUMN_PX} px column shrinks it (and its "
                        f"text)")
    return problems


def static_figure_problems(make_figure):
    """The problems of a figure a lesson function builds, drawn as the inline backend draws it
    before its final render; the figure is closed afterwards."""
    fig = make_figure()
    fig.canvas.draw()
    try:
        return figure_problems(fig, fig.dpi)       # its final render, as the page shows it
    finally:
        plt.close(fig)


def shown_figure_problems(run, problems=figure_problems):
    """``problems`` of every figure a notebook cell showed with plt.show(), at the inline
    backend's dpi and pixel size, for the session's one run of the notebook (a LessonRun).
    Rendered again here: the inline backend's final render is a second draw (the first lays
    the figure out; lesson 01's kernels moved between the two)."""
    return [f"{title}: {p}" for title, fig in run.shown for p in problems(fig, fig.dpi)]


def png_width(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", data[16:20])[0]


def contrast_problems(figure):
    """Values written on image cells whose colour is too close to the cell's (WCAG ratio < 3)."""
    problems = []
    for ax in figure.axes:
        if not ax.images or not ax.texts:
            continue
        image = ax.images[0]
        data = np.asarray(image.get_array())
        for text in ax.texts:
            if not text.get_text().strip():
                continue
            x, y = text.get_position()
            i, j = int(round(y)), int(round(x))
            if not (0 <= i < data.shape[0] and 0 <= j < data.shape[1]):
                continue
            cell = image.cmap(image.norm(data[i, j]))
            ink = matplotlib.colors.to_rgba(text.get_color())
            a, b = sorted((_luminance(cell), _luminance(ink)))
            ratio = (b + 0.05) / (a + 0.05)
            if ratio < 3:
                problems.append(f"{ax.get_title()!r}: {text.get_text()!r} at ({i}, {j}) has "
                                f"contrast {ratio:.1f} with its cell")
    return problems


def all_problems(figure, dpi, drawn=False):
    width = figure.get_figwidth() * dpi
    problems = legibility_problems(figure, dpi=dpi, drawn=drawn)
    if width > COLUMN_PX + 1:
        problems.append(f"{width:.0f} px wide: a {COLUMN_PX} px column shrinks it and its text")
    for ax in figure.axes:
        if ax.images and ax.get_label() != "<colorbar>":
            problems += grid_tick_problems(ax)
            problems += [f"{ax.get_title()!r} uses the colour map {image.cmap.name!r}"
                         for image in ax.images if image.cmap.name not in SAFE_CMAPS]
    return problems + contrast_problems(figure)


def static(factory):
    """A figure a lesson function builds, drawn once as the inline backend draws it; its one
    state, rendered (check it with ``drawn=True``)."""
    def states():
        figure = factory()
        figure.canvas.draw()
        yield "as drawn", figure, figure.dpi
        plt.close(figure)
    return states


def panel_states(factory, moves):
    """Build a panel, then apply each move (a function of the panel) and yield every state,
    as the panel rendered it (check it with ``drawn=True``)."""
    def states():
        panel = factory()
        yield "start", panel.live.figure, panel.live.dpi
        for name, move in moves:
            move(panel)
            yield name, panel.live.figure, panel.live.dpi
        states.panel = panel
    return states


def set_control(name, value):
    def move(panel):
        panel.controls[name].value = value
    return move


def click(name, times=1):
    def move(panel):
        for _ in range(times):
            panel.buttons[name][0].click()
    return move


# ---- every state of a panel, rendered once per session -------------------------------------

def values_to_try(control):
    """Values a user would try: every option of a menu, the ends and middle of a slider."""
    if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons, widgets.SelectionSlider)):
        return [o[1] if isinstance(o, tuple) else o for o in control.options]
    if isinstance(control, widgets.FloatLogSlider):
        return [10.0 ** control.min, 10.0 ** ((control.min + control.max) / 2),
                10.0 ** control.max]
    if isinstance(control, widgets.IntSlider):
        return [control.min, control.min + (control.max - control.min) // 2, control.max]
    if isinstance(control, widgets.FloatSlider):
        return [control.min, round((control.min + control.max) / 2, 6), control.max]
    if isinstance(control, widgets.FloatText):
        return [1.0, -3.5, 10.0]
    if isinstance(control, widgets.Text):            # a number typed as text (lesson 01)
        return ["1", "-3.5", "10", "1/9"]
    raise TypeError(f"no values to try for a {type(control).__name__}")


@dataclass(frozen=True)
class PanelState:
    """What a panel showed in one state: ``name`` ("start" or "control=value"), ``control``
    (the control moved, None at the start), the PNG, the image widget's layout width and max
    width, and the figure's ``problems`` (measured on the render the panel made)."""

    name: str
    control: str | None
    png: bytes
    width: str
    max_width: str
    problems: tuple


@dataclass(frozen=True)
class Sweep:
    """A panel built once and moved through every value of :func:`values_to_try` on each control
    (one at a time, back to its start value after), as :func:`swept` records it."""

    states: tuple            # PanelState, the start first
    timings_ms: tuple        # the panel's redraw times
    figures_left_open: int   # pyplot figures opened by building and moving the panel
    untitled: tuple          # indices of visible image axes with no title (and no suptitle)
    buttons: tuple           # the names of the panel's buttons (not swept)

    def problems(self):
        """Every problem of every state, as "state: problem"."""
        return [f"{state.name}: {p}" for state in self.states for p in state.problems]


def problems_for(factory):
    """The checks a lesson's figures answer to: :func:`figure_problems` for lessons 00-05,
    :func:`all_problems` for lessons 06-11."""
    return figure_problems if int(factory.__module__[-2:]) <= 5 else all_problems


@functools.cache
def swept(factory):
    """Build the panel ``factory()`` makes and move each control through its
    :func:`values_to_try`; once per test session (the readability tests and the "every control
    changes the figure" tests read the same states, each rendered once, by the panel)."""
    before = len(plt.get_fignums())
    panel = factory()
    live, problems = panel.live, problems_for(factory)

    def state(name, control=None):
        return PanelState(name, control, live.widget.value, live.widget.layout.width,
                          live.widget.layout.max_width,
                          tuple(problems(live.figure, live.dpi, drawn=True)))

    states = [state("start")]
    for name, control in panel.controls.items():
        start = control.value
        for value in values_to_try(control):
            control.value = value
            states.append(state(f"{name}={value!r}", name))
        control.value = start
    figure = live.figure
    untitled = tuple(i for i, ax in enumerate(figure.axes)
                     if ax.images and ax.get_visible() and ax.get_label() != "<colorbar>"
                     and not ax.get_title() and figure._suptitle is None)
    return Sweep(tuple(states), tuple(panel.timings_ms), len(plt.get_fignums()) - before,
                 untitled, tuple(panel.buttons))


def check_panel_is_readable_in_every_state(factory):
    """In every state its controls reach, the panel's figure has no problems and is shown at
    its pixel size; every redraw answers at once."""
    sweep = swept(factory)
    assert not sweep.problems(), "\n".join(sweep.problems()[:12])
    for state in sweep.states:       # shown at its pixel size: the page never stretches it
        assert state.width == f"{png_width(state.png)}px", (state.name, state.width)
        assert state.max_width == "100%", state.name
    assert max(sweep.timings_ms[1:]) < 2000         # a redraw answers at once (loose in CI)
