"""Small pieces the lesson demos share: a sample digit, preset kernels, control factories."""

from __future__ import annotations

import ipywidgets as widgets
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
    """An IntSlider (or FloatSlider for float steps) with a readable label."""
    kind = widgets.IntSlider if isinstance(step, int) and isinstance(value, int) else (
        widgets.FloatSlider)
    return kind(value=value, min=low, max=high, step=step, description=description,
                continuous_update=False, style={"description_width": "initial"},
                layout=widgets.Layout(width=width))


def dropdown(description, options, value=None, width="300px"):
    """A Dropdown with a readable label."""
    return widgets.Dropdown(options=options, value=value if value is not None else options[0],
                            description=description, style={"description_width": "initial"},
                            layout=widgets.Layout(width=width))
