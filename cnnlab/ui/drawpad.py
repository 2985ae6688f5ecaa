"""Draw your own digit: strokes to a 28x28 MNIST image, and a drawing pad widget.

MNIST's digits were made from scanned handwriting in three steps (LeCun, Cortes and Burges,
"The MNIST database"): the ink's bounding box was scaled to fit a 20x20 box, keeping its aspect
ratio, with anti-aliasing (so the edges of strokes are grey); then the image was placed in a
28x28 frame with its centre of mass on the frame's centre.  :func:`strokes_to_mnist` does the
same to the polylines a learner draws, so a well-drawn digit looks to the network like a test
digit:

1. the ink is the set of points within ``pen_width / 2`` of a polyline (a round pen);
2. the strokes' path is scaled so that the ink's longer side is 20 pixels, and centred; the pen
   keeps its width in MNIST pixels (2.2 for the pad's pen, like MNIST's strokes), so a dot stays
   a dot and a small 1 stays thin;
3. every pixel gets the fraction of its area covered by ink (:func:`rasterize`, ``samples x
   samples`` points per pixel): that is the anti-aliasing;
4. the image is shifted by whole pixels, filling with zeros (:func:`shift_image`), so that its
   centre of mass (:func:`centre_of_mass`) is at pixel (14, 14), where the shipped test digits
   have theirs (mean (14.00, 14.02), standard deviation 0.3 pixels).

The preprocessing is done here in NumPy, from the polylines the browser sends, rather than from
a bitmap of the canvas: it is then exact (no dependence on the browser's line drawing or the
screen's pixel ratio), and the unit tests can check it against hand-worked cases.

:class:`DrawPad` is the widget: an `anywidget <https://anywidget.dev>`_ whose front end (the ES
module ``drawpad.js`` beside this file) draws with the mouse, a pen or a finger on a
280x280 canvas, with Undo and Clear, and can start from a test digit to erase parts of it.  When
a stroke ends it sends the strokes to the kernel, which computes what the network sees and
sends back, in one message, the 28x28 input, the ten probabilities, the eight feature maps and
the saliency map as colour-mapped pixels that the front end paints.  anywidget works with
ipywidgets 7.7 and 8 (JupyterLab 3 and 4, Notebook 7, VS Code) and turns on Colab's custom widget
manager itself.  Where no widget front end runs (an HTML export, GitHub), its two outputs show a
sentence and a picture of an example instead; where it runs, the pad's view hides the picture.
"""

from __future__ import annotations

import pathlib
import time
import uuid

import anywidget
import numpy as np
import traitlets

from .._validate import as_float_array, check_float, check_int, check_str
from ..data import shift_image
from .widgets import STILL_JS, panel_outputs

__all__ = ["rasterize", "centre_of_mass", "strokes_to_mnist", "edit_digit",
           "network_view", "view_figure", "DrawPad"]

FRAME = 28
"""Side of the MNIST frame, in pixels."""
BOX = 20
"""Side of the box the ink's bounding box is scaled to fit."""
CENTRE = (14, 14)
"""Pixel (row, column) that receives the centre of mass."""
CANVAS = 280
"""Side of the drawing canvas, in CSS pixels (ten canvas pixels per MNIST pixel)."""
PEN_WIDTH = 22.0
"""Width of the pen on the 280-pixel canvas: 2.2 MNIST pixels, like MNIST's strokes."""
MAP_FLOOR = 1.0
"""The feature maps' colour scale reaches at least this value, so that the faint maps of an
almost empty pad (the biases alone) stay dark instead of being stretched to full colour."""


MAX_COORDINATE = 1e6
"""The largest coordinate a stroke may have: a pad is a few hundred pixels wide, and beyond
about 1e15 a pen's width vanishes next to its position in float64 (an empty image)."""


def _polylines(strokes, name="strokes"):
    """Validate strokes: a list of (n, 2) arrays of (x, y) points, n >= 1; return float64 copies."""
    if isinstance(strokes, np.ndarray) or not isinstance(strokes, (list, tuple)):
        raise TypeError(f"{name} must be a list of polylines (each an array of (x, y) points, "
                        f"shape (n, 2)), got {type(strokes).__name__}; wrap a single polyline in "
                        f"a list")
    result = []
    for index, stroke in enumerate(strokes):
        points = as_float_array(stroke, f"{name}[{index}]", ndim=2, axes="(n, 2)",
                                allow_empty=True)
        if points.shape[1] != 2:
            raise ValueError(f"{name}[{index}] must have shape (n, 2), one (x, y) point per row, "
                             f"got shape {points.shape}")
        if points.shape[0] == 0:
            raise ValueError(f"{name}[{index}] must hold at least one point, got none")
        if np.abs(points).max() > MAX_COORDINATE:
            raise ValueError(f"{name}[{index}] must have coordinates within +-{MAX_COORDINATE:g}"
                             f" (canvas pixels), got {np.abs(points).max():g}")
        result.append(np.array(points, dtype=np.float64))
    return result


def rasterize(polylines, radius, shape=(FRAME, FRAME), samples=4):
    """The fraction of each pixel covered by a round pen of ``radius`` along the polylines.

    Pixel ``(row, col)`` is the unit square ``col <= x < col + 1``, ``row <= y < row + 1``.
    Each pixel is sampled at ``samples x samples`` evenly spaced points (at offsets
    ``(s + 0.5) / samples``); a point is inked when it lies within ``radius`` of a segment of a
    polyline, and the pixel's value is the inked fraction of its points.  That is a box-filter
    estimate of the covered area, so stroke edges come out grey (anti-aliased).

    Parameters
    ----------
    polylines : list of array_like, each shape (n, 2)
        Points (x, y) in pixel units; a polyline of one point is a dot.
    radius : float
        Half the pen's width, in pixels (> 0).
    shape : (int, int)
        (rows, columns) of the image.
    samples : int
        Sample points per pixel along each axis (1 gives a binary image).

    Returns
    -------
    numpy.ndarray of float64, shape ``shape``
        Values in [0, 1], multiples of ``1 / samples**2``.

    Examples
    --------
    A horizontal stroke along the line between rows 2 and 3, two pixels wide, covers rows 2 and
    3 fully between its ends:

    >>> image = rasterize([[(1.0, 3.0), (5.0, 3.0)]], radius=1.0, shape=(6, 7))
    >>> image[2:4, 1:5]
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.]])
    >>> image[:2].sum(), image[4:].sum()
    (np.float64(0.0), np.float64(0.0))
    """
    lines = _polylines(polylines, "polylines")
    radius = check_float(radius, "radius", minimum=0, allow_minimum=False)
    if not isinstance(shape, (tuple, list)) or len(shape) != 2:
        raise TypeError(f"shape must be a pair (rows, cols), got {shape!r}")
    rows, cols = (check_int(v, "shape", minimum=1) for v in shape)
    samples = check_int(samples, "samples", minimum=1)
    image = np.zeros((rows, cols))
    if not lines:
        return image
    starts = np.concatenate([line[:-1] if len(line) > 1 else line for line in lines])
    ends = np.concatenate([line[1:] if len(line) > 1 else line for line in lines])
    # Only the pixels near the ink need sampling.
    low = np.floor(np.minimum(starts, ends).min(axis=0) - radius).astype(int)
    high = np.ceil(np.maximum(starts, ends).max(axis=0) + radius).astype(int)
    col0, row0 = np.maximum(low, 0)
    col1, row1 = np.minimum(high, (cols, rows))
    if col1 <= col0 or row1 <= row0:
        return image
    offsets = (np.arange(samples) + 0.5) / samples
    xs = (np.arange(col0, col1)[:, None] + offsets).ravel()      # sample x, column by column
    ys = (np.arange(row0, row1)[:, None] + offsets).ravel()
    inked = np.zeros((ys.size, xs.size), dtype=bool)
    r2 = radius * radius
    for a, b in zip(starts, ends, strict=True):
        # Only the samples in the segment's own box (pen included) can be inked by it.
        x0, y0 = (max(int(np.floor(v - radius)), lo) for v, lo in
                  ((min(a[0], b[0]), col0), (min(a[1], b[1]), row0)))
        x1, y1 = (min(int(np.ceil(v + radius)), hi) for v, hi in
                  ((max(a[0], b[0]), col1), (max(a[1], b[1]), row1)))
        if x1 <= x0 or y1 <= y0:
            continue
        cols = slice((x0 - col0) * samples, (x1 - col0) * samples)
        rows = slice((y0 - row0) * samples, (y1 - row0) * samples)
        px, py = xs[cols][None, :] - a[0], ys[rows][:, None] - a[1]
        d = b - a
        length2 = float(d @ d)
        # The nearest point of the segment a + t d to each sample: t clipped to [0, 1].
        t = np.clip((px * d[0] + py * d[1]) / length2, 0.0, 1.0) if length2 > 0 else 0.0
        dx, dy = px - t * d[0], py - t * d[1]
        inked[rows, cols] |= dx * dx + dy * dy <= r2
    block = inked.reshape(row1 - row0, samples, col1 - col0, samples).mean(axis=(1, 3))
    image[row0:row1, col0:col1] = block
    return image


def centre_of_mass(image):
    """The intensity-weighted mean (row, column) of an image, in pixel indices.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Non-negative intensities, not all zero.

    Returns
    -------
    (float, float)
        Row and column; pixel ``(i, j)`` counts at position ``(i, j)``.

    Examples
    --------
    >>> image = np.zeros((5, 5))
    >>> image[1, 3] = 1.0
    >>> image[3, 3] = 3.0
    >>> centre_of_mass(image)
    (2.5, 3.0)
    """
    array = as_float_array(image, "image", ndim=2)
    if (array < 0).any():
        raise ValueError("image must hold non-negative intensities")
    total = float(array.sum())
    if total <= 0:
        raise ValueError("image is all zero: it has no centre of mass")
    rows = float(array.sum(axis=1) @ np.arange(array.shape[0])) / total
    cols = float(array.sum(axis=0) @ np.arange(array.shape[1])) / total
    return rows, cols


def strokes_to_mnist(strokes, pen_width=PEN_WIDTH, samples=4, canvas_size=CANVAS):
    """Turn drawn strokes into a 28x28 image the way MNIST's digits were made.

    The ink (a round pen of ``pen_width`` along every polyline) is fitted into 20x20 keeping
    the aspect ratio and centred: the polylines are scaled, the pen keeps its width in MNIST
    pixels (``pen_width * 28 / canvas_size``), so a dot stays a dot and a small 1 stays as thin
    as a big one; every pixel gets its covered fraction (anti-aliasing, :func:`rasterize`); then
    the image is shifted by whole pixels, filling with zeros, so that its centre of mass lands
    on pixel (14, 14).

    Parameters
    ----------
    strokes : list of array_like, each shape (n, 2)
        Polylines of (x, y) points in canvas pixels (y grows downwards).  Only their shape
        matters, not their size or place.  An empty list gives an empty image.
    pen_width : float
        The pen's width in canvas pixels (> 0); at most 20 MNIST pixels are used.
    samples : int
        Sample points per pixel along each axis (anti-aliasing levels: ``samples**2 + 1``).
    canvas_size : float
        The canvas's side in canvas pixels: ``canvas_size`` is 28 MNIST pixels.

    Returns
    -------
    numpy.ndarray of float64, shape (28, 28)
        Ink in [0, 1], white (1) on black (0) like MNIST.

    Examples
    --------
    A vertical stroke (a "1") becomes 20 pixels tall.  Its centre of mass, 13.5 after the
    fit, is moved by a whole pixel (a half rounds up) to 14.5, the nearest it can get to 14:

    >>> image = strokes_to_mnist([[(100, 40), (100, 240)]], pen_width=22)
    >>> rows = np.flatnonzero(image.sum(axis=1))
    >>> int(rows[0]), int(rows[-1])
    (5, 24)
    >>> [round(c, 2) for c in centre_of_mass(image)]
    [14.5, 14.5]
    """
    lines = _polylines(strokes)
    pen_width = check_float(pen_width, "pen_width", minimum=0, allow_minimum=False,
                            maximum=MAX_COORDINATE)
    samples = check_int(samples, "samples", minimum=1)
    canvas_size = check_float(canvas_size, "canvas_size", minimum=0, allow_minimum=False)
    if not lines:
        return np.zeros((FRAME, FRAME))
    # The pen keeps its width in MNIST pixels (2.2 for the pad's pen): only the strokes' path
    # is scaled, so that the ink (path plus pen) fits 20x20.  A dot stays a dot, a small 1 thin.
    radius = min(pen_width / 2 * FRAME / canvas_size, BOX / 2)
    points = np.concatenate(lines)
    low = points.min(axis=0)
    extent = points.max(axis=0) - low                   # the path's bounding box
    scale = (BOX - 2 * radius) / extent.max() if extent.max() > 0 else 0.0
    offset = (FRAME - (extent * scale + 2 * radius)) / 2 + radius
    fitted = [(line - low) * scale + offset for line in lines]
    image = rasterize(fitted, radius, samples=samples)
    row, col = centre_of_mass(image)
    return shift_image(image, int(np.floor(CENTRE[0] - row + 0.5)),
                       int(np.floor(CENTRE[1] - col + 0.5)))


def edit_digit(image, strokes, erase=None, pen_width=PEN_WIDTH, canvas_size=CANVAS,
               samples=4):
    """Draw on (or erase from) a 28x28 image, with strokes drawn on a canvas over it.

    The canvas shows the image enlarged (``canvas_size / 28`` canvas pixels per image pixel);
    the strokes are applied to the image as they are, in order, with no re-centring, so the
    network sees exactly the ink that was added or removed.  A pen stroke sets each pixel to
    the larger of its value and the stroke's coverage; an eraser stroke multiplies it by
    ``1 - coverage``.

    Parameters
    ----------
    image : array_like, shape (28, 28)
        The starting image, values in [0, 1].
    strokes : list of array_like, each shape (n, 2)
        Polylines of (x, y) points in canvas pixels.
    erase : list of bool, optional
        For each stroke, whether it is an eraser stroke (default: none is).
    pen_width : float
        The pen's (and eraser's) width in canvas pixels.
    canvas_size : float
        The canvas's side in canvas pixels.
    samples : int
        Sample points per pixel along each axis.

    Returns
    -------
    numpy.ndarray of float64, shape (28, 28)
        A new image; ``image`` is not changed.

    Examples
    --------
    >>> start = np.ones((28, 28))
    >>> edited = edit_digit(start, [[(0, 140), (280, 140)]], erase=[True], pen_width=20)
    >>> edited[13:15].max(), edited[:12].min(), start.min()
    (np.float64(0.0), np.float64(1.0), np.float64(1.0))
    """
    base = as_float_array(image, "image", ndim=2)
    if base.shape != (FRAME, FRAME):
        raise ValueError(f"image must have shape (28, 28), got {base.shape}")
    if base.min() < 0 or base.max() > 1:
        raise ValueError("image must hold values in [0, 1] (divide raw pixels by 255)")
    lines = _polylines(strokes)
    if erase is None:
        erase = [False] * len(lines)
    if not isinstance(erase, (list, tuple)) or len(erase) != len(lines):
        raise ValueError(f"erase must be a list of {len(lines)} booleans, one per stroke, got "
                         f"{erase!r}")
    if not all(isinstance(e, (bool, np.bool_)) for e in erase):
        raise TypeError(f"erase must hold True or False for each stroke, got {erase!r}")
    pen_width = check_float(pen_width, "pen_width", minimum=0, allow_minimum=False,
                            maximum=MAX_COORDINATE)
    canvas_size = check_float(canvas_size, "canvas_size", minimum=0, allow_minimum=False,
                              maximum=MAX_COORDINATE)
    samples = check_int(samples, "samples", minimum=1)
    scale = FRAME / canvas_size
    out = np.array(base, dtype=np.float64)
    for line, rubber in zip(lines, erase, strict=True):
        ink = rasterize([line * scale], pen_width / 2 * scale, samples=samples)
        out = out * (1.0 - ink) if rubber else np.maximum(out, ink)
    return out


# ---- What the network sees ------------------------------------------------------------------

def network_view(params, image):
    """The small CNN's view of one image: probabilities, feature maps and saliency.

    Parameters
    ----------
    params : dict
        The small CNN's parameters (:func:`cnnlab.models.init_small_cnn`, trained).
    image : array_like, shape (28, 28)
        The input, values in [0, 1].

    Returns
    -------
    dict
        ``probabilities`` (10,), ``predicted`` (int), ``feature_maps`` (F, 28, 28): the first
        layer's maps after the ReLU, ``saliency`` (28, 28): the gradient of the predicted
        class's score (logit) with respect to each pixel (lesson 07's input gradient).

    Examples
    --------
    >>> from cnnlab.models import init_small_cnn
    >>> view = network_view(init_small_cnn(), np.zeros((28, 28)))
    >>> view["probabilities"].shape, view["feature_maps"].shape, view["saliency"].shape
    ((10,), (8, 28, 28), (28, 28))
    """
    from ..activations import softmax
    from ..models import small_cnn_backward, small_cnn_forward

    array = as_float_array(image, "image", ndim=2)
    if array.shape != (FRAME, FRAME):
        raise ValueError(f"image must have shape (28, 28), got {array.shape}")
    if array.min() < 0 or array.max() > 1:
        raise ValueError(f"image must hold values in [0, 1] (divide raw pixels by 255), got "
                         f"{array.min():g} to {array.max():g}")
    logits, cache = small_cnn_forward(params, np.asarray(array, dtype=np.float64)[None, None])
    probabilities = softmax(np.asarray(logits, dtype=np.float64))[0]
    predicted = int(probabilities.argmax())
    grad_logits = np.zeros_like(logits)
    grad_logits[0, predicted] = 1.0
    grads = small_cnn_backward(grad_logits, cache, input_grad=True)
    return {"probabilities": probabilities, "predicted": predicted,
            "feature_maps": np.asarray(cache["relu1"][0], dtype=np.float64),
            "saliency": np.asarray(grads["images"][0, 0], dtype=np.float64)}


def _lut(name):
    import matplotlib

    colours = matplotlib.colormaps[name](np.linspace(0, 1, 256))
    return np.round(colours * 255).astype(np.uint8)


_LUTS = {}


def _colour(values, name, low, high):
    """Map values in [low, high] through a matplotlib colour map to RGBA bytes."""
    if name not in _LUTS:
        _LUTS[name] = _lut(name)
    span = high - low if high > low else 1.0
    index = np.clip(np.rint((values - low) / span * 255), 0, 255).astype(np.intp)
    return _LUTS[name][index]


def view_figure(params, image, title="what the network sees"):
    """A static figure of the pad's right-hand side for one image (the pad's fallback picture).

    Parameters
    ----------
    params : dict
        The small CNN's parameters.
    image : array_like, shape (28, 28)
        The input, values in [0, 1].
    title : str
        The figure's title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from cnnlab.models import init_small_cnn
    >>> fig = view_figure(init_small_cnn(), np.zeros((28, 28)))
    >>> fig.axes[0].get_title()
    'network input'
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    check_str(title, "title")
    view = network_view(params, image)
    maps = view["feature_maps"]
    fig = plt.figure(figsize=(10, 4.4), layout="constrained", dpi=80)
    grid = fig.add_gridspec(2, 6, width_ratios=[1.2, 1.5, 1, 1, 1, 1])
    ax_in, ax_sal, ax_p = (fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[1, 0]),
                           fig.add_subplot(grid[:, 1]))
    ax_in.imshow(image, cmap="gray", vmin=0, vmax=1)
    ax_in.set_title("network input", fontsize=10)
    limit = max(float(np.abs(view["saliency"]).max()), 1e-12)
    ax_sal.imshow(view["saliency"], cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax_sal.set_title(f"saliency of {view['predicted']}\n(red: raises it)", fontsize=10)
    ax_p.bar(range(10), view["probabilities"], color="tab:blue")
    ax_p.patches[view["predicted"]].set_color("tab:orange")
    ax_p.set(ylim=(0, 1), xticks=range(10), xlabel="digit", ylabel="probability")
    ax_p.set_title(f"prediction: {view['predicted']} "
                   f"({view['probabilities'][view['predicted']]:.0%})", fontsize=10)
    top = max(float(maps.max()), MAP_FLOOR)
    for index in range(len(maps)):
        ax = fig.add_subplot(grid[index // 4, 2 + index % 4])
        ax.imshow(maps[index], cmap="viridis", vmin=0, vmax=top)
        ax.set_title(f"map {index}", fontsize=10)
    for ax in fig.axes:
        if ax is not ax_p:
            ax.set(xticks=[], yticks=[])
    fig.suptitle(f"{title}; feature maps after ReLU, one colour scale from 0 to {top:.2g}",
                 fontsize=11)
    return fig


# ---- The widget -----------------------------------------------------------------------------

# The front end is an ES module and a style sheet beside this file (package data).  anywidget
# takes their text: every version from 0.9 (the oldest the course supports) reads a multi-line
# string as the code itself, while a path may start a file-watching thread in a source checkout.
_HERE = pathlib.Path(__file__).parent
_ESM = STILL_JS + (_HERE / "drawpad.js").read_text(encoding="utf-8")
_CSS = (_HERE / "drawpad.css").read_text(encoding="utf-8")

FALLBACK_TEXT = ("The drawing pad needs a running Jupyter kernel with widgets (JupyterLab, "
                 "Notebook 7, VS Code, Colab): run the notebook to draw. Here is what it shows "
                 "for an example digit.")


class DrawPad(anywidget.AnyWidget):
    """A drawing pad that shows, after every stroke, what the small CNN sees.

    Draw with the mouse, a pen or a finger; Undo and Clear; optionally start from a test
    digit and erase parts of it.  After each stroke the kernel turns the strokes into the
    28x28 input (:func:`strokes_to_mnist`, or :func:`edit_digit` when starting from a test
    digit) and sends back the input, the ten class probabilities, the first layer's feature
    maps and the saliency map, which the front end paints beside the pad.

    Parameters
    ----------
    params : dict
        The small CNN's parameters (trained).
    test_digits : array_like, shape (10, 28, 28), optional
        One test image per digit (values in [0, 1]) to start from; without it the pad
        starts blank only.
    example : list of array_like, optional
        Strokes drawn for the static picture shown where widgets cannot run.

    Attributes
    ----------
    image : numpy.ndarray, shape (28, 28)
        What the network sees now.
    view : dict
        :func:`network_view` of ``image``.
    timings_ms : list of float
        Kernel time of each update (preprocessing, network, colour mapping), in ms.

    Examples
    --------
    >>> from cnnlab.models import init_small_cnn
    >>> pad = DrawPad(init_small_cnn())
    >>> pad.draw([[(140, 40), (140, 240)]])
    >>> pad.image.shape, pad.info["seq"]
    ((28, 28), 1)
    """

    _esm = _ESM
    _css = _CSS
    canvas_size = traitlets.Int(CANVAS).tag(sync=True)
    pen_width = traitlets.Float(PEN_WIDTH).tag(sync=True)
    start_options = traitlets.List().tag(sync=True)
    drawing = traitlets.Dict().tag(sync=True)
    background = traitlets.Bytes(b"").tag(sync=True)
    pixels = traitlets.Bytes(b"").tag(sync=True)
    info = traitlets.Dict().tag(sync=True)
    # The id of the pad's still picture (cnnlab.ui.widgets.still_bundle), which the view hides.
    still = traitlets.Unicode("").tag(sync=True)

    def __init__(self, params, test_digits=None, example=None, **kwargs):
        super().__init__(**kwargs)
        self.still = uuid.uuid4().hex
        self.params = params
        self.test_digits = None
        options = [["blank", "blank pad"]]
        if test_digits is not None:
            digits = as_float_array(test_digits, "test_digits", ndim=3,
                                    axes="(10, 28, 28)")
            if digits.shape != (10, FRAME, FRAME):
                raise ValueError(f"test_digits must have shape (10, 28, 28), got "
                                 f"{digits.shape}")
            if digits.min() < 0 or digits.max() > 1:
                raise ValueError("test_digits must hold values in [0, 1]")
            self.test_digits = np.array(digits, dtype=np.float64)
            options += [[str(k), f"test digit {k}"] for k in range(10)]
        self.start_options = options
        self.example = None if example is None else _polylines(example, "example")
        self.error = None                 # why the last drawing could not be read, if it was not
        self._fallback = None
        self.timings_ms = []
        self.observe(self._changed, names="drawing")
        self.drawing = {"start": "blank", "strokes": [], "seq": 0}

    def draw(self, strokes, erase=None, start=None):
        """Replace the drawing, as the front end does after a stroke (for tests, scripts).

        Parameters
        ----------
        strokes : list of array_like, each shape (n, 2)
            Polylines in canvas pixels.
        erase : list of bool, optional
            Eraser strokes (only when starting from a test digit).
        start : str, optional
            ``"blank"`` or ``"0"``..``"9"`` (default: keep the current start).
        """
        lines = _polylines(strokes)
        erase = [False] * len(lines) if erase is None else list(erase)
        state = dict(self.drawing)
        state["start"] = state["start"] if start is None else start
        state["strokes"] = [{"points": line.tolist(), "erase": bool(e)}
                            for line, e in zip(lines, erase, strict=True)]
        state["seq"] = int(state.get("seq", 0)) + 1
        self._image_from(state)               # a drawing the pad cannot make: raise here
        self.drawing = state

    def _image_from(self, state):
        if not isinstance(state, dict):
            raise TypeError(f"drawing must be a dict with 'start' and 'strokes', got "
                            f"{type(state).__name__}")
        start = state.get("start", "blank")
        strokes = state.get("strokes", [])
        if not isinstance(strokes, list):
            raise TypeError("drawing['strokes'] must be a list")
        for index, stroke in enumerate(strokes):
            if not isinstance(stroke, dict) or "points" not in stroke:
                raise ValueError(f"drawing['strokes'][{index}] must be a dict with 'points' "
                                 f"(and 'erase'), got {stroke!r:.80}")
            if not isinstance(stroke.get("erase", False), bool):
                raise TypeError(f"drawing['strokes'][{index}]['erase'] must be true or false, "
                                f"got {stroke['erase']!r:.40}")
        lines = _polylines([s["points"] for s in strokes], "drawing['strokes']")
        erase = [s.get("erase", False) for s in strokes]
        if start == "blank":
            if any(erase):
                raise ValueError("the eraser works on a test digit only; start from one")
            return strokes_to_mnist(lines, self.pen_width), None
        if self.test_digits is None or start not in [str(k) for k in range(10)]:
            raise ValueError(f"drawing['start'] must be 'blank' or a digit '0'..'9' with "
                             f"test_digits given, got {start!r}")
        base = self.test_digits[int(start)]
        return edit_digit(base, lines, erase, self.pen_width, self.canvas_size), base

    def _changed(self, change):
        began = time.perf_counter()
        state = change["new"]
        try:
            image, base = self._image_from(state)
        except (TypeError, ValueError) as error:
            # A drawing the pad cannot read (a message from the page, or one set by hand):
            # raised inside a widget's message handler, an error would reach only the
            # kernel's log, so the pad says it in its headline and keeps its last picture.
            self.error = str(error)
            self.info = {**self.info, "seq": _seq(state),
                         "headline": f"the pad could not read this drawing: {error}"}
            return
        self.error = None
        view = network_view(self.params, image)
        maps = view["feature_maps"]
        top = max(float(maps.max()), MAP_FLOOR)
        limit = max(float(np.abs(view["saliency"]).max()), 1e-12)
        pixels = np.concatenate([
            _colour(image[None], "gray", 0.0, 1.0),
            _colour(maps, "viridis", 0.0, top),
            _colour(view["saliency"][None], "RdBu_r", -limit, limit)])
        empty = not state.get("strokes") and base is None
        predicted = view["predicted"]
        headline = (f"prediction: {predicted} ({view['probabilities'][predicted]:.0%})"
                    + (" for an empty pad: draw a digit" if empty else ""))
        self.image, self.view = image, view
        background = b"" if base is None else _colour(base, "gray", 0.0, 1.0).tobytes()
        with self.hold_sync():
            if background != self.background:
                self.background = background
            self.pixels = pixels.tobytes()
            self.info = {"seq": _seq(state),
                         "probabilities": [float(p) for p in view["probabilities"]],
                         "predicted": predicted, "headline": headline,
                         "map_max": f"{top:.2g}", "saliency_limit": f"{limit:.2g}"}
        self.timings_ms.append((time.perf_counter() - began) * 1e3)

    def _ipython_display_(self, **kwargs):
        # Two outputs, as a panel's (cnnlab.ui.widgets.show_panel): the widget with a sentence
        # for readers that cannot draw it, then the still picture they show instead, which the
        # pad's view hides where it is drawn (still.js).  IPython prefers this method to
        # _repr_mimebundle_ in ipywidgets 7 and 8 alike.
        from IPython.display import display

        for data, metadata in self.outputs():
            display(data, raw=True, metadata=metadata)

    def outputs(self):
        """The pad's two outputs as ``(data, metadata)``: the widget, then its still picture.

        The still shows what the pad shows for an example digit (drawn once: it takes a
        matplotlib figure).
        """
        if self._fallback is None:
            self._fallback = _fallback_png(self.params, self.example)
        return panel_outputs(self.model_id, f"[{FALLBACK_TEXT}]", self._fallback,
                             "what the drawing pad shows for an example digit", self.still)


def _seq(state):
    """The drawing's sequence number (0 when a message has none or a bad one)."""
    seq = state.get("seq", 0) if isinstance(state, dict) else 0
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else 0


def _fallback_png(params, example):
    import io

    import matplotlib.pyplot as plt

    strokes = example if example is not None else EXAMPLE_SEVEN
    fig = view_figure(params, strokes_to_mnist(strokes), title="example: a 7 drawn on the pad")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


EXAMPLE_SEVEN = [[(80, 70), (200, 70), (150, 160), (125, 230)]]
"""The strokes of a 7 on the 280-pixel canvas (the fallback picture's example)."""
