"""Alt text for a figure, read from what it draws: titles, images, lines and bars.

Every picture the course shows carries a description for a screen reader (and for anyone who
cannot see it), generated from the figure's own artists rather than written per picture: each
axes' title, its images (size and range of values, how many cells are positive), its lines
(how many points, where they end), its bars (their heights) and the figure's title.  A panel
adds its own ``describe`` (the key numbers of its state) in front of it; see
:class:`cnnlab.ui.widgets.Panel`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D

__all__ = ["describe_figure", "describe_axes"]


def _number(value):
    return f"{value:.3g}" if np.isfinite(value) else str(value)


def _image(image):
    array = np.ma.masked_invalid(np.ma.asarray(image.get_array(), dtype=float))
    if array.ndim == 3:                              # an RGB(A) picture
        return f"a {array.shape[0]}x{array.shape[1]} colour picture"
    rows, cols = array.shape
    if array.count() == 0:
        return f"an empty {rows}x{cols} grid"
    low, high = array.min(), array.max()
    text = f"a {rows}x{cols} grid, values {_number(low)} to {_number(high)}"
    if low < 0 < high:
        text += f", {int((array > 0).sum())} positive"
    if array.count() < array.size:
        text += f", {array.count()} of {array.size} cells filled"
    return text


def _line(line):
    x, y = (np.asarray(v, dtype=float).ravel() for v in line.get_data())
    label = line.get_label()
    name = f"{label}: " if label and not label.startswith("_") else ""
    if y.size == 0:
        return ""
    if y.size == 1:
        return f"{name}a point at ({_number(x[0])}, {_number(y[0])})"
    finite = y[np.isfinite(y)]
    if finite.size == 0:
        return f"{name}a line of {y.size} points, none finite"
    return (f"{name}a line of {y.size} points, y from {_number(finite.min())} to "
            f"{_number(finite.max())}, ending at ({_number(x[-1])}, {_number(y[-1])})")


def _bars(container):
    heights = [bar.get_height() for bar in container]
    if len(heights) > 12:
        return f"{len(heights)} bars, heights {_number(min(heights))} to {_number(max(heights))}"
    return "bars of heights " + ", ".join(_number(h) for h in heights)


def describe_axes(ax):
    """One sentence on what an axes shows.

    Parameters
    ----------
    ax : matplotlib.axes.Axes

    Returns
    -------
    str

    Examples
    --------
    >>> import numpy as np, matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.imshow(np.array([[-1.0, 2.0], [0.5, 0.0]]))
    >>> _ = ax.set_title("feature map")
    >>> describe_axes(ax)
    'feature map: a 2x2 grid, values -1 to 2, 2 positive'
    >>> plt.close(fig)
    """
    title = " ".join(t.get_text().replace("\n", " ").strip()
                     for t in (ax._left_title, ax.title, ax._right_title) if t.get_text())
    parts = [_image(image) for image in ax.images if image.get_visible()]
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    parts += [_bars(c) for c in bars]
    lines = [line for line in ax.lines if isinstance(line, Line2D) and line.get_visible()]
    parts += [text for text in (_line(line) for line in lines[:4]) if text]
    if len(lines) > 4:
        parts.append(f"and {len(lines) - 4} more lines")
    labels = [label for label in (ax.get_xlabel(), ax.get_ylabel()) if label]
    if labels and not ax.images:
        parts.append("axes: " + " against ".join(labels[::-1]))
    body = "; ".join(parts)
    if title and body:
        return f"{title}: {body}"
    return title or body


def describe_figure(figure):
    """Alt text for a whole figure: its title, then each axes (colour bars left out).

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Returns
    -------
    str
        Never empty: a figure with nothing to say is "a figure".

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, (left, right) = plt.subplots(1, 2)
    >>> _ = left.plot([0, 1, 2], [3.0, 1.0, 0.5], label="loss")
    >>> _ = right.bar(range(3), [0.2, 0.5, 0.3])
    >>> _ = fig.suptitle("training")
    >>> print(describe_figure(fig))  # doctest: +NORMALIZE_WHITESPACE
    training. Panels: (1) loss: a line of 3 points, y from 0.5 to 3, ending at (2, 0.5).
    (2) bars of heights 0.2, 0.5, 0.3.
    >>> plt.close(fig)
    """
    suptitle = getattr(figure, "_suptitle", None)
    head = suptitle.get_text().replace("\n", " ").strip() if suptitle is not None else ""
    axes = [ax for ax in figure.axes
            if ax.get_visible() and getattr(ax, "_colorbar", None) is None]
    said = [text for text in (describe_axes(ax) for ax in axes) if text]
    if len(said) == 1:
        body = said[0] + "."
    elif said:
        body = "Panels: " + " ".join(f"({k}) {text}." for k, text in
                                             enumerate(said, 1))
    else:
        body = ""
    text = ". ".join(part for part in (head, body) if part)
    return text or "a figure"
