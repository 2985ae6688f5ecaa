"""Small pieces the lesson demos share: a sample digit, preset kernels, control factories."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..data import load_mnist_subset

KERNELS = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float),
    "box blur": np.full((3, 3), 1 / 9),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
    "Sobel x (vertical edges)": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float),
    "Sobel y (horizontal edges)": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float),
    "Laplacian (outline)": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float),
}
"""Hand-made 3x3 kernels used across the lessons."""


def digit(index=0, split="test"):
    """One shipped MNIST digit as float64 in [0, 1], shape (28, 28), and its label.

    Examples
    --------
    >>> image, label = digit(0)
    >>> image.shape, 0 <= label <= 9
    ((28, 28), True)
    """
    data = load_mnist_subset()
    images = data.test_images if split == "test" else data.train_images
    labels = data.test_labels if split == "test" else data.train_labels
    return images[index] / 255.0, int(labels[index])


def first_of(label, split="test"):
    """Index of the first shipped image of digit ``label``.

    Examples
    --------
    >>> digit(first_of(7))[1]
    7
    """
    data = load_mnist_subset()
    labels = data.test_labels if split == "test" else data.train_labels
    return int(np.flatnonzero(labels == label)[0])


def slider(description, value, low, high, step=1, width="300px"):
    """An IntSlider (or FloatSlider for float steps) with a readable label.

    The figure follows the handle while it is dragged (``continuous_update``): ipywidgets sends
    a new value only once the kernel has answered the last one, and then only the newest, so a
    drag never queues stale redraws (benchmarks/bench_browser_latency.py --drag counts them).
    A float slider shows as many decimals as its step has (0.1: "1.5", 0.25: "1.25"), as the
    figures' titles and alt texts write its value.

    Examples
    --------
    >>> slider("bias b", 0.0, -2.0, 2.0, 0.1).readout_format
    '.1f'
    >>> slider("alpha", 1.0, -3.0, 3.0, 0.25).readout_format
    '.2f'
    """
    if isinstance(step, int) and isinstance(value, int):
        return widgets.IntSlider(value=value, min=low, max=high, step=step,
                                 description=description, continuous_update=True,
                                 style={"description_width": "initial"},
                                 layout=widgets.Layout(width=width))
    decimals = max(1, len(f"{step:f}".rstrip("0").partition(".")[2]))
    return widgets.FloatSlider(value=value, min=low, max=high, step=step,
                               description=description, continuous_update=True,
                               readout_format=f".{decimals}f",
                               style={"description_width": "initial"},
                               layout=widgets.Layout(width=width))


def dropdown(description, options, value=None, width="300px"):
    """A Dropdown with a readable label."""
    return widgets.Dropdown(options=options, value=value if value is not None else options[0],
                            description=description, style={"description_width": "initial"},
                            layout=widgets.Layout(width=width))


def text_colour(image, value):
    """Black or white, whichever reads better on the colour ``image`` gives ``value``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> shown = ax.imshow(np.eye(2), cmap="gray", vmin=0, vmax=1)
    >>> text_colour(shown, 0.0), text_colour(shown, 1.0)
    ('white', 'black')
    >>> plt.close(fig)
    """
    if value is None or not np.isfinite(value):
        return "black"
    r, g, b, _ = image.cmap(image.norm(value))
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"


def set_cell_texts(texts, values, image, fmt="{:.2f}"):
    """Write ``values`` (row-major) into the cell texts, each in the colour that contrasts
    with its cell in ``image`` (call after ``image.set_data``/``set_clim``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from cnnlab.plotting import annotate_values
    >>> fig, ax = plt.subplots()
    >>> shown = ax.imshow(np.eye(2), cmap="gray", vmin=0, vmax=1)
    >>> texts = annotate_values(ax, np.eye(2))
    >>> set_cell_texts(texts, np.eye(2), shown, "{:.0f}")
    >>> [t.get_color() for t in texts[:2]]
    ['black', 'white']
    >>> plt.close(fig)
    """
    for text, value in zip(texts, np.ravel(values), strict=True):
        text.set_text(fmt.format(value + 0.0))        # + 0.0: never print -0
        text.set_color(text_colour(image, value))


def cell_ticks(ax, rows, cols):
    """Whole-number ticks (one per cell, or every few cells on big grids) on an image axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> cell_ticks(ax, 3, 3)
    >>> [int(t) for t in ax.get_xticks()]
    [0, 1, 2]
    >>> plt.close(fig)
    """
    def ticks(n):
        step = 1 if n <= 10 else 5 if n <= 40 else 10
        return list(range(0, n, step))
    ax.set_xticks(ticks(cols))
    ax.set_yticks(ticks(rows))


def live_colour_bar(ax, label, cmap, fractions=(-1.0, -0.5, 0.0, 0.5, 1.0), nonnegative=False):
    """A colour bar beside ``ax`` for a symmetric scale +-limit that changes with the controls.

    With ``nonnegative=True`` (a map that is never negative, such as a ReLU's output, drawn on
    the same symmetric scale as a signed map beside it) the bar shows only its upper half,
    0..limit, with ticks at 0, 1/2 and 1 of the limit.

    The bar itself never changes (ticks at fixed fractions of the limit); only the numbers at
    its ticks do: list them in a Panel's ``animated``, and a new limit redraws just those
    numbers (a real colour bar would redraw its whole axes, tick labels and all, each time).

    Returns
    -------
    numbers : list of matplotlib.text.Text
        The numbers at the bar's ticks.
    set_limit : callable
        ``set_limit(limit)``: write the tick numbers for the scale ``-limit..limit``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> numbers, set_limit = live_colour_bar(ax, "value", "RdBu_r")
    >>> set_limit(2.0)
    >>> [text.get_text() for text in numbers]
    ['\N{MINUS SIGN}2.00', '\N{MINUS SIGN}1.00', '0', '1.00', '2.00']
    >>> plt.close(fig)
    """
    figure = ax.get_figure()
    fixed = plt.cm.ScalarMappable(norm=plt.Normalize(-1.0, 1.0), cmap=cmap)
    bar = figure.colorbar(fixed, ax=ax, fraction=0.046, pad=0.04)
    if nonnegative:
        fractions = (0.0, 0.5, 1.0)              # the upper half of the signed bar's ticks
        bar.ax.set_ylim(0.0, 1.0)               # the same colours, the negative half not shown
    bar.set_ticks(list(fractions), labels=[""] * len(fractions))
    tick = bar.ax.yaxis.get_major_ticks()[0]
    transform, va, ha = bar.ax.get_yaxis_text2_transform(tick.get_pad() + tick.get_tick_padding())
    size = plt.rcParams["ytick.labelsize"]
    numbers = [bar.ax.text(1, f, "", transform=transform, va=va, ha=ha, fontsize=size)
               for f in fractions]
    # Room for the numbers (two decimals, below 10 here: the widest is "-0.00"), between the
    # ticks and the bar's label.
    probe = figure.text(0, 0, "\N{MINUS SIGN}0.00", fontsize=size)
    width = probe.get_window_extent(figure.canvas.get_renderer()).width * 72 / figure.dpi
    probe.remove()
    bar.set_label(label, labelpad=width + tick.get_pad())

    def set_limit(limit):
        for text, fraction in zip(numbers, fractions, strict=True):
            value = fraction * limit + 0.0
            words = f"{value:.2f}".replace("-", "\N{MINUS SIGN}") if value else "0"
            text.set_text(words)

    return numbers, set_limit
