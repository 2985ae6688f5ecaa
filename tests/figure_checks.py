"""Can a learner read this figure?  Checks a test runs on every figure and panel it builds.

``legibility_problems(figure)`` renders the figure as the course shows it (a PNG at the figure's
own dpi, shown at its pixel size) and lists, in words, every problem a reader would meet:

- text that runs outside the figure (clipped: "ponse (each map...)"),
- text that overlaps other text (titles on tick labels, colour-bar labels on titles),
- text smaller than ``min_points`` at display size (default 8 pt),
- tick labels of a grid axis that are not whole numbers (kernel and cell grids).

An empty list means none was found.  ``shown_width_px`` is the width at which the page shows the
PNG, when that is not its own pixel width (a stretched or shrunk picture scales its text too).
"""

from __future__ import annotations

import itertools

import matplotlib.text as mtext
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


def legibility_problems(figure, shown_width_px=None, min_points=8.0, slack_px=1.0, dpi=None):
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
    """
    if not hasattr(figure.canvas, "get_renderer"):
        FigureCanvasAgg(figure)  # a Figure made without pyplot: give it a renderer
    saved_dpi = figure.dpi
    if dpi is not None:
        figure.set_dpi(dpi)
    try:
        return _problems(figure, shown_width_px, min_points, slack_px)
    finally:
        figure.set_dpi(saved_dpi)


def _problems(figure, shown_width_px, min_points, slack_px):
    figure.canvas.draw()
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
