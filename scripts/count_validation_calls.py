"""Count the calls into cnnlab/_validate.py that one call of a public function makes.

Arguments are checked once, at the door (CONTRIBUTING.md): a public function checks what it is
given, and what it calls inside trusts its inputs.  This script measures that, with
``sys.setprofile``: every Python call whose code lives in ``_validate.py`` is one check (a
helper that calls another helper counts twice).  tests/test_seednet.py asserts the bounds.

    PYTHONPATH=. python scripts/count_validation_calls.py
"""

from __future__ import annotations

import sys

import numpy as np


def count_validation_calls(function, *args, **kwargs):
    """How many calls into cnnlab/_validate.py ``function(*args, **kwargs)`` makes."""
    from cnnlab import _validate

    target = _validate.__file__
    calls = 0

    def profile(frame, event, arg):
        nonlocal calls
        if event == "call" and frame.f_code.co_filename == target:
            calls += 1

    sys.setprofile(profile)
    try:
        function(*args, **kwargs)
    finally:
        sys.setprofile(None)
    return calls


def seed_calls():
    """Calls per seed_forward, seed_backward and small_cnn_loss on one 28x28 image."""
    from cnnlab.models import init_small_cnn, small_cnn_loss
    from cnnlab.seednet import init_seed_params, seed_backward, seed_forward

    image = np.random.default_rng(0).random((28, 28))
    params = init_seed_params((28, 28), 5, rng=0)
    _, cache = seed_forward(image, params)
    small = init_small_cnn()
    return {
        "seed_forward": count_validation_calls(seed_forward, image, params),
        "seed_backward": count_validation_calls(seed_backward, 1.0, cache),
        "small_cnn_loss": count_validation_calls(small_cnn_loss, small, image[None, None],
                                                 [3]),
    }


if __name__ == "__main__":
    for name, calls in seed_calls().items():
        print(f"{name:16s} {calls:4d} calls into cnnlab/_validate.py")
