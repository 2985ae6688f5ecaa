"""Labelled pictures of arrays: every map says what it is and what its colours mean.

The lessons show many small arrays as images (an input digit, a kernel, a feature map, a
gradient).  These helpers make each one a titled image with row/column axes and a colour bar, so
a learner never has to guess which map is the input and which is the output.  Signed arrays
(kernels, gradients) use a diverging colour map centred on zero, so white means 0, red positive
and blue negative.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.image import AxesImage

from ._validate import (
    as_float_array,
    check_axes,
    check_bool,
    check_float,
    check_int,
    check_str,
)

__all__ = ["show_image", "annotate_values", "image_grid", "SIGNED_CMAP", "IMAGE_CMAP"]

SIGNED_CMAP = "RdBu_r"
IMAGE_CMAP = "gray"


def _check_fmt(fmt):
    check_str(fmt, "fmt")
    try:
        fmt.format(0.5)
    except (ValueError, KeyError, IndexError) as error:
        raise ValueError(f"fmt must be a format string for one number, such as '{{:.2g}}', got "
                         f"{fmt!r} ({error})") from None
    return fmt


def _check_limits(vmin, vmax):
    vmin = None if vmin is None else check_float(vmin, "vmin")
    vmax = None if vmax is None else check_float(vmax, "vmax")
    if vmin is not None and vmax is not None and vmin >= vmax:
        raise ValueError(f"vmin must be below vmax, got vmin={vmin:g} and vmax={vmax:g}")
    return vmin, vmax


def show_image(ax, image, title, signed=None, cmap=None, vmin=None, vmax=None, colorbar=True,
               colorbar_label="value", annotate=False, fmt="{:.2g}", axis_labels=True):
    """Draw a 2-D array on ``ax`` as a labelled image.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    image : array_like, shape (H, W)
    title : str
        Say what the map is ("input digit", "feature map (output)").
    signed : bool, optional
        Diverging colours centred on 0 (for kernels and gradients).  By default: True when the
        array has negative entries.
    cmap : str, optional
        Overrides the colour map.
    vmin, vmax : float, optional
        Colour limits (``vmin < vmax``); for signed maps the default is symmetric,
        ``+-max|image|``.
    colorbar : bool
        Add a colour bar labelled ``colorbar_label``.
    annotate : bool
        Write each value in its cell (for arrays of up to about 8x8).
    fmt : str
        Format of the written values, e.g. ``"{:.2g}"``.
    axis_labels : bool
        Label the axes "column j" and "row i".

    Returns
    -------
    matplotlib.image.AxesImage
        Keep it and call ``set_data`` (and ``set_clim``) to update the picture cheaply.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> shown = show_image(ax, [[0, 1], [2, 3]], "input")
    >>> shown.get_array().shape
    (2, 2)
    >>> plt.close(fig)
    """
    check_axes(ax)
    array = as_float_array(image, "image", ndim=2, axes="(H, W)")
    check_str(title, "title")
    signed = None if signed is None else check_bool(signed, "signed")
    vmin, vmax = _check_limits(vmin, vmax)
    colorbar = check_bool(colorbar, "colorbar")
    check_str(colorbar_label, "colorbar_label")
    annotate = check_bool(annotate, "annotate")
    _check_fmt(fmt)
    axis_labels = check_bool(axis_labels, "axis_labels")
    if signed is None:
        signed = bool(array.min() < 0)
    if signed and vmin is None and vmax is None:
        limit = float(np.abs(array).max()) or 1.0
        vmin, vmax = -limit, limit
    cmap = cmap or (SIGNED_CMAP if signed else IMAGE_CMAP)
    shown = ax.imshow(array, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_title(title)
    if axis_labels:
        ax.set_xlabel("column j")
        ax.set_ylabel("row i")
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    if colorbar:
        bar = ax.figure.colorbar(shown, ax=ax, fraction=0.046, pad=0.04)
        bar.set_label(colorbar_label)
    if annotate:
        annotate_values(ax, array, fmt=fmt, image=shown)
    return shown


def annotate_values(ax, array, fmt="{:.2g}", image=None, fontsize=8):
    """Write every entry of a small 2-D array in its cell, in black or white for contrast.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    array : array_like, shape (H, W)
    fmt : str
    image : matplotlib.image.AxesImage, optional
        The image under the text; used to choose a readable text colour.
    fontsize : float
        Greater than 0.

    Returns
    -------
    list of matplotlib.text.Text, row-major
        Update them with ``set_text`` for live figures.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> len(annotate_values(ax, [[1, 2], [3, 4]]))
    4
    >>> plt.close(fig)
    """
    check_axes(ax)
    array = as_float_array(array, "array", ndim=2, axes="(H, W)")
    _check_fmt(fmt)
    if image is not None and not isinstance(image, AxesImage):
        raise TypeError(f"image must be the AxesImage under the text (from show_image or "
                        f"imshow), got {type(image).__name__}")
    fontsize = check_float(fontsize, "fontsize", minimum=0, allow_minimum=False)
    texts = []
    for (i, j), value in np.ndenumerate(array):
        colour = "black"
        if image is not None:
            r, g, b, _ = image.cmap(image.norm(value))
            colour = "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"
        texts.append(ax.text(j, i, fmt.format(value), ha="center", va="center",
                             color=colour, fontsize=fontsize))
    return texts


def image_grid(images, titles, ncols=None, size=2.6, suptitle=None, **kwargs):
    """Show several 2-D arrays side by side, each labelled (see :func:`show_image`).

    Parameters
    ----------
    images : sequence of array_like, each (H, W)
    titles : sequence of str, one per image
    ncols : int, optional
        Images per row (default: all in one row, at most 6); at least 1.
    size : float
        Inches per panel, greater than 0.
    suptitle : str, optional
    **kwargs
        Passed to :func:`show_image` for every panel.

    Returns
    -------
    fig : matplotlib.figure.Figure
    shown : list of matplotlib.image.AxesImage

    Examples
    --------
    >>> import numpy as np, matplotlib.pyplot as plt
    >>> fig, shown = image_grid([np.eye(3), -np.eye(3)], ["input", "output"])
    >>> len(shown)
    2
    >>> plt.close(fig)
    """
    for name, value in (("images", images), ("titles", titles)):
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            raise TypeError(f"{name} must be a list, got {type(value).__name__}")
    images = [as_float_array(image, f"images[{i}]", ndim=2, axes="(H, W)")
              for i, image in enumerate(images)]
    titles = [check_str(title, f"titles[{i}]") for i, title in enumerate(titles)]
    if not images:
        raise ValueError("images must not be empty")
    if len(images) != len(titles):
        raise ValueError(f"titles must give one title per image: {len(images)} images, "
                         f"{len(titles)} titles")
    ncols = min(len(images), 6) if ncols is None else check_int(ncols, "ncols", minimum=1)
    size = check_float(size, "size", minimum=0, allow_minimum=False)
    check_str(suptitle, "suptitle", allow_none=True)
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols * 1.25, size * nrows),
                             squeeze=False, layout="constrained")
    shown = [show_image(ax, image, title, **kwargs)
             for ax, image, title in zip(axes.flat, images, titles, strict=False)]
    for ax in list(axes.flat)[len(images):]:
        ax.set_visible(False)
    if suptitle:
        fig.suptitle(suptitle)
    return fig, shown
