"""Padding: a frame of extra pixels around an image, so a kernel can be centred on its edges.

Without padding, a ``k x k`` kernel fits ``n - k + 1`` times across an ``n``-pixel row, so every
convolution shrinks the image.  Adding ``p`` pixels on each side makes it fit
``n + 2p - k + 1`` times: with ``p = (k - 1) / 2`` the output keeps the input's size.

:func:`pad` does it with ``np.pad`` for any stack of images (the last two axes are rows and
columns) and five ways of filling the frame; :func:`pad_by_stacking` is the seed notebook's
method (glue rows of zeros above and below, then columns left and right), kept as the reference a
lesson builds by hand.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_float, check_int

__all__ = ["pad", "pad_by_stacking", "resolve_pad_width", "PAD_MODES"]

PAD_MODES = {
    "zero": "constant",      # zeros: the usual choice in CNNs
    "constant": "constant",  # any value you give
    "reflect": "reflect",    # mirror without repeating the edge: d c b | a b c d | c b a
    "edge": "edge",          # repeat the edge pixel (also called replicate): a a | a b c d | d d
    "wrap": "wrap",          # the image tiles the plane: c d | a b c d | a b
}
"""Padding modes, mapped to the ``np.pad`` mode that implements each."""


def resolve_pad_width(padding, name="padding"):
    """Turn ``p`` or ``(top, bottom, left, right)`` into a ``(top, bottom, left, right)`` tuple.

    Parameters
    ----------
    padding : int or tuple of 4 ints
        Width on every side, or one width per side; each 0 or more.
    name : str
        The argument's name, for error messages.

    Returns
    -------
    tuple of 4 int

    Examples
    --------
    >>> resolve_pad_width(2)
    (2, 2, 2, 2)
    >>> resolve_pad_width((0, 1, 2, 3))
    (0, 1, 2, 3)
    """
    if isinstance(padding, (tuple, list, np.ndarray)):
        if len(padding) != 4:
            raise ValueError(f"{name} must be one integer or four (top, bottom, left, right), "
                             f"got {tuple(padding)!r}")
        return tuple(check_int(v, f"{name}[{i}]", minimum=0) for i, v in enumerate(padding))
    width = check_int(padding, name, minimum=0)
    return (width, width, width, width)


def pad(image, padding, mode="zero", value=0.0):
    """Pad the last two axes (rows, columns) of an image or a stack of images.

    Parameters
    ----------
    image : array_like, shape (..., H, W)
        One image (H, W), or a batch such as (N, C, H, W); only the last two axes are padded.
    padding : int or tuple of 4 ints
        ``p`` on every side, or ``(top, bottom, left, right)``.
    mode : {"zero", "constant", "reflect", "edge", "wrap"}
        How the frame is filled (see :data:`PAD_MODES`).
    value : float
        The fill value for ``mode="constant"``.

    Returns
    -------
    numpy.ndarray, shape (..., H + top + bottom, W + left + right)
        A new array (float64 for integer input); ``image`` is not changed.

    Examples
    --------
    >>> pad([[1, 2], [3, 4]], 1)
    array([[0., 0., 0., 0.],
           [0., 1., 2., 0.],
           [0., 3., 4., 0.],
           [0., 0., 0., 0.]])
    >>> pad([[1, 2, 3]], (0, 0, 2, 2), mode="reflect")
    array([[3., 2., 1., 2., 3., 2., 1.]])
    """
    image = as_float_array(image, "image")
    if image.ndim < 2:
        raise ValueError(f"image must have at least 2 dimensions (..., H, W), "
                         f"got shape {image.shape}")
    top, bottom, left, right = resolve_pad_width(padding)
    value = check_float(value, "value")          # whatever the mode: a bad value is a bug
    if not isinstance(mode, str) or mode not in PAD_MODES:
        raise ValueError(f"mode must be one of {sorted(PAD_MODES)}, got {mode!r}")
    height, width = image.shape[-2:]
    if mode == "reflect" and (max(top, bottom) >= height or max(left, right) >= width):
        raise ValueError(f"reflect padding must be smaller than the image on each axis: "
                         f"padding {(top, bottom, left, right)} for a {height}x{width} image "
                         f"(use mode='edge' or 'wrap', or a narrower padding)")
    if mode == "wrap" and (max(top, bottom) > height or max(left, right) > width):
        raise ValueError(f"wrap padding can be at most the image size on each axis: "
                         f"padding {(top, bottom, left, right)} for a {height}x{width} image")
    widths = [(0, 0)] * (image.ndim - 2) + [(top, bottom), (left, right)]
    if mode == "constant":
        return np.pad(image, widths, mode="constant", constant_values=value)
    return np.pad(image, widths, mode=PAD_MODES[mode])


def pad_by_stacking(image, p):
    """Zero-pad a 2-D image by gluing on rows and columns of zeros (the seed's method).

    The reference version for the lesson: rows of zeros go above and below with ``np.vstack``,
    then columns of zeros (now ``H + 2p`` tall) left and right with ``np.hstack``.  :func:`pad`
    gives the same result in one call.

    Parameters
    ----------
    image : array_like, shape (H, W)
    p : int
        Width of the zero frame on every side, 0 or more.

    Returns
    -------
    numpy.ndarray, shape (H + 2p, W + 2p)

    Examples
    --------
    >>> pad_by_stacking([[5]], 1)
    array([[0., 0., 0.],
           [0., 5., 0.],
           [0., 0., 0.]])
    """
    image = as_float_array(image, "image", ndim=2, axes="(H, W)")
    p = check_int(p, "p", minimum=0)
    height, width = image.shape
    zero_rows = np.zeros((p, width), dtype=image.dtype)
    stacked = np.vstack([zero_rows, image, zero_rows])          # (H + 2p, W)
    zero_cols = np.zeros((height + 2 * p, p), dtype=image.dtype)
    return np.hstack([zero_cols, stacked, zero_cols])           # (H + 2p, W + 2p)
