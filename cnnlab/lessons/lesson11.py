"""Lesson 11: from cnnlab to PyTorch: the full-MNIST run, your network kept, the flatten order.

PyTorch is optional: nothing here imports it (the notebook asks cnnlab.course.import_torch).
The exercise checkers: moving weights from PyTorch's layout to cnnlab's, re-ordering a dense
layer trained after a channels-last flatten, and turning a true convolution's kernels into the
cross-correlation weights that ``cnnlab.conv_forward`` and ``torch.nn.Conv2d`` both use.
"""

from __future__ import annotations

import os
import time

import matplotlib.pyplot as plt
import numpy as np

from .. import course, engine
from .._validate import as_unit_image, check_bool, check_int
from ..data import load_mnist, network_arrays
from ..models import check_small_cnn_inputs, init_small_cnn, small_cnn_forward
from ..saving import SavedNetwork, describe_architecture, load_first, save_network
from ..train import SGD, Trainer, one_cycle_schedule
from ..ui.board import TrainingBoard
from ..ui.widgets import Panel
from ._check import CheckResult, check_answer, compare_arrays, first_failure, run_function
from ._common import digit, slider
from .lesson09 import subset_trainer

#: Where lesson 09 keeps its trained network (next to the notebooks) ...
LESSON09_FILE = "small_cnn_lesson09.npz"
#: ... and where this lesson's full-MNIST run keeps its own.
FULL_MNIST_FILE = "small_cnn_full_mnist.npz"
#: What :func:`train_full_mnist` says in the browser edition, which cannot download MNIST.
BROWSER_FULL_MNIST = (
    "Full MNIST skipped: the browser edition cannot download it (this Python runs inside your "
    "browser, without network access). To train on it here anyway: download mnist.npz (11 MB, "
    "e.g. https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz) on your "
    "computer, upload it with the file browser's Upload button (into this notebook's folder), "
    "set MNIST_PATH = \"mnist.npz\" and RUN_FULL_MNIST = True, and run the cell again; it "
    "trains several times slower than installed Python. Or open this lesson in Colab or Binder.")


# ---- 99 % on full MNIST (opt-in) -------------------------------------------------------------

def train_full_mnist(run=False, path=None, epochs=3, board=True, save_to=FULL_MNIST_FILE,
                     seed=0):
    """Train the two-block CNN on full MNIST to 99 %, with the live board; say how long it took.

    Settings of ``benchmarks/bench_training.py``: 8 and 16 filters 5x5, float32, batches of
    128 split over the machine's cores (:func:`cnnlab.engine.over_cores`), SGD with momentum
    0.9, the learning rate on a one-cycle schedule peaking at 0.15
    (:func:`cnnlab.train.one_cycle_schedule`).

    Parameters
    ----------
    run : bool
        Opt in: False prints one line and returns None.
    path : str or pathlib.Path, optional
        A local copy of MNIST (``load_mnist(path=...)``); None downloads it (once, cached,
        checksums checked).
    epochs : int
        Passes over the 60,000 training images.
    board : bool
        Show the live training board (needs a notebook).
    save_to : str or pathlib.Path, optional
        Keep the trained network there (:func:`cnnlab.saving.save_network`); None: do not.
    seed : int
        Seed of the weights and of the shuffle.

    Returns
    -------
    dict or None
        ``accuracy`` (test), ``seconds`` (training, without the download), ``trainer``,
        ``saved`` (path or None); None when skipped.

    Examples
    --------
    >>> train_full_mnist(run=False)                     # doctest: +NORMALIZE_WHITESPACE
    Full MNIST skipped: set RUN_FULL_MNIST = True in the cell above to download it
    (11 MB, once) and train for about a minute.
    """
    run, board = check_bool(run, "run"), check_bool(board, "board")
    epochs, seed = check_int(epochs, "epochs", minimum=1), check_int(seed, "seed", minimum=0)
    for name, value in (("path", path), ("save_to", save_to)):
        if value is not None and not isinstance(value, (str, os.PathLike)):
            raise TypeError(f"{name} must be None or a file path (str or pathlib.Path), got "
                            f"{type(value).__name__}")
    if course.IN_BROWSER and path is None:           # before load_mnist looks for its cache
        print(BROWSER_FULL_MNIST)
        return None
    if not run or course.IN_CI:
        print("Full MNIST skipped: set RUN_FULL_MNIST = True in the cell above to download it "
              "(11 MB, once) and train for about a minute." if not run else
              "Full MNIST skipped under CI (cnnlab.course.IN_CI): it trains for minutes; "
              "tests/lessons/test_lesson11.py runs this function on a local copy instead.")
        return None
    try:
        data = load_mnist(path=path)
    except OSError as error:                 # offline: URLError, timeouts, missing local copy
        print(f"Full MNIST skipped: could not load it ({type(error).__name__}: {error}); "
              f"offline? Set MNIST_PATH to a local copy.")
        return None
    x_train, y_train, x_test, y_test = network_arrays(data, dtype=np.float32)
    params = init_small_cnn(num_filters=8, num_blocks=2, seed=seed, dtype=np.float32)
    trainer = Trainer(params, engine.over_cores(engine.small_cnn_loss_fast),
                      SGD(lr=0.15, momentum=0.9), x_train, y_train, x_test, y_test,
                      batch_size=128, seed=seed, settings=engine.training_settings)
    total_steps = epochs * trainer.steps_per_epoch
    live = None
    if board:
        from IPython.display import display

        live = TrainingBoard(kernel_key="conv1.weight",
                             title="two-block CNN on full MNIST (60,000 training images)")
        display(live)
    start = time.perf_counter()
    trainer.run(epochs=epochs, progress=False, board=live, board_every=100,   # the board shows it
                lr_schedule=lambda step: one_cycle_schedule(step, total_steps, 0.15))
    seconds = time.perf_counter() - start
    accuracy = trainer.history.test_accuracy[-1]
    saved = None if save_to is None else save_network(
        save_to, trainer.params, test_accuracy=accuracy,
        trained_on=f"full MNIST (60,000 training images), {epochs} epochs")
    print(f"test accuracy {accuracy:.2%} after {epochs} epochs ({trainer.steps_done} steps): "
          f"trained in {seconds:.0f} s on this machine ({engine.cores()} cores)"
          + (f"; kept in {saved}" if saved else ""))
    return {"accuracy": accuracy, "seconds": seconds, "trainer": trainer, "saved": saved}


# ---- the network this lesson translates ------------------------------------------------------

def trained_network(files=(FULL_MNIST_FILE, LESSON09_FILE), epochs=2):
    """The best network you kept (full MNIST, then lesson 09's), or one trained now.

    Prints one line saying which.

    Parameters
    ----------
    files : sequence of str or pathlib.Path
        Files to try, in order (relative to the notebook's folder).
    epochs : int
        Epochs on the shipped subset when no file is there (lesson 09's recipe).

    Returns
    -------
    cnnlab.saving.SavedNetwork

    Examples
    --------
    >>> saved = trained_network(files=())                 # doctest: +ELLIPSIS
    no saved network found (...): trained lesson 09's network now, test accuracy ...
    >>> saved.architecture["num_blocks"]
    1
    """
    epochs = check_int(epochs, "epochs", minimum=1)
    if not isinstance(files, (list, tuple)) or not all(
            isinstance(f, (str, os.PathLike)) for f in files):
        raise TypeError(f"files must be a list of file paths (str or pathlib.Path), got "
                        f"{files!r}")
    saved = load_first(files)
    if saved is not None:
        accuracy = ("" if saved.test_accuracy is None
                    else f", test accuracy {saved.test_accuracy:.2%}")
        print(f"loaded {saved.path}: {saved.trained_on}{accuracy}")
        return saved
    trainer = subset_trainer()
    trainer.run(epochs=epochs, progress=False)
    accuracy = trainer.history.test_accuracy[-1]
    names = ", ".join(str(f) for f in files) or "no file given"
    print(f"no saved network found ({names}): trained lesson 09's network now, "
          f"test accuracy {accuracy:.2%}")
    return SavedNetwork(params=trainer.params, architecture=describe_architecture(trainer.params),
                        dtype="float32", test_accuracy=accuracy,
                        trained_on=f"shipped MNIST subset, {epochs} epochs (trained just now)")


# ---- panel: the flatten order ----------------------------------------------------------------

def _montage(maps, columns, band):
    """(C, H, W) maps tiled into one image, each below a ``band`` of empty rows for its label.

    Returns the image (NaN where empty) and every tile's (top, left) corner.
    """
    channels, height, width = maps.shape
    rows = -(-channels // columns)
    image = np.full((rows * (height + band), columns * (width + 1) - 1), np.nan)
    origins = []
    for c in range(channels):
        top, left = (c // columns) * (height + band) + band, (c % columns) * (width + 1)
        image[top:top + height, left:left + width] = maps[c]
        origins.append((top, left))
    return image, origins


def flatten_panel(params=None, image=None):
    """Which feature map cell the dense layer's input number ``d`` is, in two flatten orders.

    cnnlab and PyTorch flatten the last feature maps (C, H, W) channel by channel (row-major
    ``d = c*H*W + h*W + w``); a channels-last framework (Keras) flattens (H, W, C), so the same
    ``d`` is another cell.  The slider picks ``d``; the square marks the cell in cnnlab's and
    PyTorch's order, the circle the cell in (H, W, C) order.

    Parameters
    ----------
    params : dict, optional
        The small CNN's parameters; an untrained one (``init_small_cnn(seed=0)``) when left
        out (the order of the cells does not depend on the weights).
    image : numpy.ndarray, shape (28, 28), optional
        One digit (values in [0, 1]); the first shipped test image when left out.

    Returns
    -------
    cnnlab.ui.widgets.Panel

    Examples
    --------
    >>> panel = flatten_panel(init_small_cnn(num_filters=2), np.zeros((28, 28)))
    >>> before = panel.live.widget.value
    >>> panel.controls["index"].value = 200
    >>> panel.live.widget.value != before
    True
    """
    if image is not None:
        image = as_unit_image(image, "image", shape=(28, 28))
    if params is not None:
        check_small_cnn_inputs(params, np.zeros((1, 1, 28, 28)))
    if params is None:
        params = init_small_cnn(seed=0)
    if image is None:
        image = digit(0)[0]
    image = np.asarray(image, dtype=np.float64)
    if image.shape != (28, 28):
        raise ValueError(f"image must have shape (28, 28), got {image.shape}")
    _, cache = small_cnn_forward(params, image[None, None])
    maps = cache[f"pool{cache['blocks']}"][0]
    channels, height, width = maps.shape
    columns = min(channels, 4)
    band = max(1, round(height / 7))             # room for each map's label, about 14 pt
    montage, origins = _montage(maps / (maps.max() or 1.0), columns, band)
    width_in = 6.8                               # the maps' width; their height follows
    fig, ax = plt.subplots(figsize=(width_in + 0.4,
                                    width_in * montage.shape[0] / montage.shape[1] + 1.5),
                           layout="constrained")
    ax.imshow(montage, cmap=plt.get_cmap("gray").with_extremes(bad="white"), vmin=0, vmax=1)
    for c, (top, left) in enumerate(origins):
        ax.text(left - 0.5, top - 0.5 - band / 2, f"channel {c}", fontsize=7, va="center")
    square, = ax.plot([], [], "s", ms=9, mfc="none", mec="tab:red", mew=2.2,
                      label="cnnlab and PyTorch: (C, H, W) order")
    circle, = ax.plot([], [], "o", ms=9, mfc="none", mec="tab:cyan", mew=2.2,
                      label="a channels-last framework: (H, W, C) order")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel(f"the {channels} feature maps ({height} x {width}) the dense layer reads, "
                  f"for one digit (black 0, white the largest value)")
    fig.legend(handles=[square, circle], loc="outside lower center", ncols=2, fontsize=8,
               frameon=False)
    total = channels * height * width

    def update(index):
        c, h, w = np.unravel_index(index, (channels, height, width))
        h2, w2, c2 = np.unravel_index(index, (height, width, channels))
        for marker, (cc, hh, ww) in ((square, (c, h, w)), (circle, (c2, h2, w2))):
            top, left = origins[cc]
            marker.set_data([left + ww], [top + hh])
        ax.set_title(f"dense input number {index} of {total}: channel {c}, row {h}, column {w} "
                     f"in (C, H, W) order;\nchannel {c2}, row {h2}, column {w2} in (H, W, C) "
                     f"order", fontsize=9)

    def describe(index):
        c, h, w = np.unravel_index(index, (channels, height, width))
        h2, w2, c2 = np.unravel_index(index, (height, width, channels))
        return (f"The {channels} feature maps ({height}x{width}) the dense layer reads, for one "
                f"digit. Dense input number {index} of {total} is channel {c}, row {h}, column "
                f"{w} in (C, H, W) order (cnnlab and PyTorch, red square), and channel {c2}, "
                f"row {h2}, column {w2} in (H, W, C) order (channels last, cyan circle); the "
                f"value there is {maps[c, h, w]:.3g}.")

    return Panel(fig, update, {"index": slider("input number d", channels + 1, 0, total - 1,
                                               width="480px")},
                 animated=[square, circle, ax.title], describe=describe)


# ---- Exercise checkers ----------------------------------------------------------------------

def _torch_layout(params):
    """cnnlab's parameters in torch.nn's layout (only nn.Linear's weight is transposed)."""
    return {key: (value.T.copy() if key == "dense.weight" else value.copy())
            for key, value in params.items()}


def _small_params():
    params = init_small_cnn(num_filters=2, kernel_size=3, num_blocks=2, num_classes=3,
                            image_shape=(8, 8), seed=11)
    rng = np.random.default_rng(12)
    for key in params:
        if key.endswith(".bias"):
            params[key] = rng.normal(size=params[key].shape)
    return params


def check_torch_to_cnnlab(torch_to_cnnlab):
    """``torch_to_cnnlab(state)``: a PyTorch state dict (as NumPy arrays) to cnnlab's params.

    Parameters
    ----------
    torch_to_cnnlab : callable
        Your function: takes ``{"conv1.weight": ..., ..., "dense.bias": ...}`` in torch.nn's
        layout and returns the same names in cnnlab's layout.

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> def right(state):
    ...     return {k: (v.T if k == "dense.weight" else v) for k, v in state.items()}
    >>> check_torch_to_cnnlab(right).passed
    True
    >>> print(check_torch_to_cnnlab(lambda state: dict(state)).message)
    params['dense.weight']: still in nn.Linear's (out, in) layout: transpose it to (D, M) with .T
    """
    expected = _small_params()
    state = _torch_layout(expected)
    answer, failure = run_function(torch_to_cnnlab, state, name="torch_to_cnnlab",
                                   must_return=True)      # on a copy: a change is reported
    if failure is not None:
        return failure
    if not isinstance(answer, dict):
        return CheckResult(False, f"torch_to_cnnlab: return a dict of arrays keyed like the "
                                  f"state dict, got {type(answer).__name__}")
    missing = [key for key in expected if key not in answer]
    if missing:
        return CheckResult(False, f"torch_to_cnnlab: missing {missing}: keep every key (the "
                                  f"names are the same in both)")
    extra = [key for key in answer if key not in expected]
    if extra:
        return CheckResult(False, f"torch_to_cnnlab: unexpected keys {extra}: the names are "
                                  f"the same in both")
    channels, height, width = 4, 2, 2
    dense = state["dense.weight"]                                   # (M, D)
    keras = dense.T.reshape(channels, height, width, -1).transpose(1, 2, 0, 3).reshape(
        channels * height * width, -1)

    def mistakes(key, value, right):           # what known mistakes make of state[key]
        if key == "dense.weight":
            return [
                (value, "still in nn.Linear's (out, in) layout: transpose it to (D, M) with .T"),
                (value.reshape(right.shape), "you reshaped it; a reshape keeps the memory order "
                                             "and scrambles the weights: transpose it (.T)"),
                (keras, "no re-ordering of the rows is needed: PyTorch flattens (C, H, W) "
                        "exactly as cnnlab does; only transpose"),
            ]
        if key.endswith(".weight"):
            return [
                (value[..., ::-1, ::-1], "you rotated the kernels 180 degrees; Conv2d and "
                                         "cnnlab both compute cross-correlation: copy them"),
                (value.swapaxes(-1, -2), "you swapped kh and kw; both store (F, C, kh, kw): "
                                         "copy the conv weights as they are"),
                (value.swapaxes(0, 1), "you swapped the filter and channel axes; both store "
                                       "(F, C, kh, kw): copy the conv weights as they are"),
                (value.T, "you transposed every array; only nn.Linear's weight is stored the "
                          "other way round"),
                (value.transpose(0, 2, 3, 1), "you moved the channels last; both store (F, C, "
                                              "kh, kw)"),
            ]
        return [(value[:, None], "biases stay 1-D, shape (F,) or (M,)"),
                (value[None, :], "biases stay 1-D, shape (F,) or (M,)")]

    return first_failure((compare_arrays(answer[key], right, f"params[{key!r}]",
                                         mistakes(key, state[key], right))
                          for key, right in expected.items()),
                         "torch_to_cnnlab: correct (only the dense weight changes layout)")


def check_channels_last_to_first(channels_last_to_first):
    """``channels_last_to_first(weight, channels, height, width)``: re-order a dense weight.

    Parameters
    ----------
    channels_last_to_first : callable
        Your function: ``weight`` (H*W*C, M) was trained after an (H, W, C) flatten; return
        the (C*H*W, M) weight that gives the same outputs after cnnlab's (C, H, W) flatten.

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> def right(weight, channels, height, width):
    ...     m = weight.shape[1]
    ...     return weight.reshape(height, width, channels, m).transpose(2, 0, 1, 3).reshape(-1, m)
    >>> check_channels_last_to_first(right).passed
    True
    >>> print(check_channels_last_to_first(lambda w, c, h, ww: w).message)
    weight: unchanged: the rows are in (H, W, C) order; re-order them to (C, H, W)
    """
    channels, height, width, outputs = 3, 2, 4, 5
    weight = np.random.default_rng(21).normal(size=(height * width * channels, outputs))
    blocks = weight.reshape(height, width, channels, outputs)
    right = blocks.transpose(2, 0, 1, 3).reshape(-1, outputs)
    return check_answer(channels_last_to_first, (weight, channels, height, width), right,
                        "weight", [
        (weight, "unchanged: the rows are in (H, W, C) order; re-order them to (C, H, W)"),
        (blocks.transpose(2, 0, 1, 3), "right order, but flatten it back to (C*H*W, M) with "
                                       ".reshape(-1, M)"),
        (blocks.transpose(2, 1, 0, 3).reshape(-1, outputs),
         "rows and columns are swapped: (C, H, W) has the row (H) before the column (W)"),
        (weight.reshape(channels, height, width, outputs).transpose(1, 2, 0, 3).reshape(
            -1, outputs), "the permutation goes the wrong way: read the rows as (H, W, C), "
                          "then move C to the front"),
        (right.T, "keep cnnlab's (D, M) layout; (M, D) is nn.Linear's"),
        (weight.reshape(width, height, channels, outputs).transpose(2, 1, 0, 3).reshape(
            -1, outputs), "the rows are (H, W, C): height first, then width"),
        (blocks.transpose(1, 0, 2, 3).reshape(-1, outputs),
         "that swaps H and W; move the channel axis C to the front instead"),
    ], function_name="channels_last_to_first")


def check_convolution_to_correlation(convolution_to_correlation):
    """``convolution_to_correlation(kernels)``: weights for Conv2d from true-convolution kernels.

    Parameters
    ----------
    convolution_to_correlation : callable
        Your function: ``kernels`` (F, C, kh, kw) are used with a true convolution (as
        ``scipy.signal.convolve2d``, which flips the kernel); return the (F, C, kh, kw) weights
        that make ``torch.nn.Conv2d`` / ``cnnlab.conv_forward`` give the same result.

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_convolution_to_correlation(lambda k: np.flip(k, axis=(2, 3))).passed
    True
    >>> print(check_convolution_to_correlation(lambda k: np.flip(k)).message)
    ... # doctest: +NORMALIZE_WHITESPACE
    weights: you flipped every axis, the filters and channels too: flip only the last two
    (axis=(2, 3))
    """
    kernels = np.random.default_rng(31).normal(size=(2, 3, 3, 3))
    return check_answer(convolution_to_correlation, (kernels,), np.flip(kernels, axis=(2, 3)),
                        "weights", [
        (kernels, "unchanged: a convolution flips its kernel and Conv2d does not, so rotate "
                  "each kernel 180 degrees"),
        (np.flip(kernels), "you flipped every axis, the filters and channels too: flip only the "
                           "last two (axis=(2, 3))"),
        (np.rot90(kernels, 2), "np.rot90 turns the first two axes (filters, channels) by "
                               "default: pass axes=(2, 3)"),
        (np.flip(kernels, axis=2), "you flipped the rows only; flip the columns too"),
        (np.flip(kernels, axis=3), "you flipped the columns only; flip the rows too"),
        (kernels.swapaxes(2, 3), "a transpose is a mirror along the diagonal, not a 180 degree "
                                 "rotation"),
        (np.rot90(kernels, 1, axes=(2, 3)), "that is a quarter turn; 180 degrees is two"),
        (np.rot90(kernels, -1, axes=(2, 3)), "that is a quarter turn; 180 degrees is two"),
    ], function_name="convolution_to_correlation")
