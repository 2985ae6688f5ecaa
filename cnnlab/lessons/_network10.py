"""Lesson 10's trained network and the digits its panels show.

:mod:`cnnlab.lessons.lesson10` shows them (kernels, feature maps, saliency, live edits); the
network is trained once per session and the digits are made once, read-only.
"""

from __future__ import annotations

import functools

import numpy as np

from .._validate import check_int
from ..models import check_small_cnn_inputs
from ._common import digit as digit_image
from ._common import first_of
from .lesson09 import subset_trainer

_TRAINED = {}                     # (epochs, seed) -> Trainer


def trained_network(epochs=2, seed=0):
    """The small CNN trained on the shipped subset (deterministic; trained once per session).

    Parameters
    ----------
    epochs : int
        Passes over the training data.
    seed : int
        Seed of np.random.default_rng, so reruns match.

    Returns
    -------
    cnnlab.train.Trainer

    Examples
    --------
    >>> trainer = trained_network()
    >>> trainer.history.test_accuracy[-1] > 0.9
    True
    """
    epochs = check_int(epochs, "epochs", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    if (epochs, seed) not in _TRAINED:
        _TRAINED[epochs, seed] = subset_trainer(seed=seed)
        _TRAINED[epochs, seed].run(epochs=epochs, progress=False)
    return _TRAINED[epochs, seed]


def params_or_trained(params):
    """``params`` checked at the door, or :func:`trained_network`'s when it is None."""
    if params is not None:                  # the panels' door: a small CNN for 28x28 digits
        check_small_cnn_inputs(params, np.zeros((1, 1, 28, 28)))
    return trained_network().params if params is None else params


def start_digits():
    """The first shipped test image of each digit, the pad's starting points.

    Returns
    -------
    numpy.ndarray of float64, shape (10, 28, 28)
        Image ``k`` is a test ``k``, values in [0, 1].

    Examples
    --------
    >>> start_digits().shape
    (10, 28, 28)
    """
    return np.stack([digit_image(first_of(k))[0] for k in range(10)])


@functools.lru_cache(maxsize=1)
def shown_digits():
    """:func:`start_digits`, made once and read-only: the panels show them as they are."""
    images = start_digits()
    images.setflags(write=False)
    return images
