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
from . import _mistakes11 as M
from . import solutions
from ._check import Exercise
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
        ``saved`` (path or None), ``board`` (the TrainingBoard, or None); None when skipped.

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
    passes = f"{epochs} epoch{'s' if epochs != 1 else ''}"
    saved = None if save_to is None else save_network(
        save_to, trainer.params, test_accuracy=accuracy,
        trained_on=f"full MNIST (60,000 training images), {passes}")
    print(f"test accuracy {accuracy:.2%} after {passes} ({trainer.steps_done} steps): "
          f"trained in {seconds:.0f} s on this machine ({engine.cores()} cores)"
          + (f"; kept in {saved}" if saved else ""))
    # The board goes back too: a panel's still picture (what nbconvert and readers without
    # widgets show) is updated after the cell only while its figure is alive (cnnlab.ui.widgets),
    # and the notebook's `result` is what keeps it so; dropped here, the still kept the empty board.
    return {"accuracy": accuracy, "seconds": seconds, "trainer": trainer, "saved": saved,
            "board": live}


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
        # 2 points in from the map's left edge: the first column's label clears the frame
        ax.annotate(f"channel {c}", (left - 0.5, top - 0.5 - band / 2), xytext=(2, 0),
                    textcoords="offset points", fontsize=7, va="center")
    square, = ax.plot([], [], "s", ms=9, mfc="none", mec="tab:red", mew=2.2,
                      label="cnnlab and PyTorch: (C, H, W) order")
    circle, = ax.plot([], [], "o", ms=9, mfc="none", mec="tab:cyan", mew=2.2,
                      label="a channels-last framework: (H, W, C) order")
    for marker in (square, circle):
        marker.set_clip_on(False)              # a marker on an edge cell shows whole
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


# ---- Exercises: their catalogues of mistakes are in _mistakes11.py ----------------------------

check_torch_to_cnnlab = Exercise(
    "torch_to_cnnlab",
    "torch_to_cnnlab(state): a SmallCNN's state dict (NumPy arrays, torch.nn's layout) to "
    "cnnlab's "
    "parameters, same names", check=M.check_state,
    idea="go through the names: both libraries store conv weights as (F, C, kh, kw) and both "
         "cross-correlate, so those and the biases are copied; nn.Linear stores its weight as "
         "(out, in), cnnlab as (in, out)",
    solution=solutions.torch_to_cnnlab, why="load_into_torch above, the other way round")

check_channels_last_to_first = Exercise(
    "channels_last_to_first",
    "channels_last_to_first(weight, channels, height, width): "
    "the (C*H*W, M) dense weight that, after a (C, H, W) flatten, "
                              "gives what weight gave after an (H, W, C) flatten",
    cases=M.CHANNEL_CASES, right=solutions.channels_last_to_first, mistakes=M.CHANNEL_MISTAKES,
    exception_hints=M.CHANNEL_EXCEPTIONS,
    describe=lambda w, c, h, ww: f"a ({w.shape[0]}, {w.shape[1]}) weight, C={c}, H={h}, W={ww}",
    passed="channels_last_to_first: correct for (C, H, W) = (3, 2, 4) and (2, 3, 2)",
    idea="row d of weight belongs to one (h, w, c) cell: give the rows those three axes with a "
         "reshape (H, W, C, M), move the channel axis to the front, and flatten back to rows",
    solution=solutions.channels_last_to_first,
    why="the flatten panel's two orders, as one transpose")

check_convolution_to_correlation = Exercise(
    "convolution_to_correlation",
    "convolution_to_correlation(kernels): "
    "the (F, C, kh, kw) weights that make Conv2d compute the true "
                                  "convolution with kernels", cases=M.KERNEL_CASES,
    right=solutions.convolution_to_correlation, mistakes=M.KERNEL_MISTAKES,
    describe=lambda kernels: f"kernels of shape {kernels.shape}",
    passed="convolution_to_correlation: correct for 3x3 and 2x4 kernels",
    idea="a true convolution slides the kernel rotated 180 degrees; a rotation by 180 degrees "
         "flips the rows and the columns of each kernel, and nothing else",
    solution=solutions.convolution_to_correlation,
    why="lesson 09's two symbols, for PyTorch's weights")

check_torch_step = Exercise(
    "torch_step",
    "torch_step(model, optimizer, images, labels): one training step in PyTorch: gradients "
    "cleared, cross-entropy of the "
    "logits, backward, optimizer step; return the loss (a float)",
    check=lambda step: M.check_step(step, M.TORCH_MISTAKES),
    idea="loss.backward() adds each new gradient into the parameter's .grad, onto what is "
         "already there, so clear the old ones first with optimizer.zero_grad(); the loss of "
         "the logits "
         "is F.cross_entropy; autograd fills each parameter's .grad on backward(); step() then "
         "moves the weights",
    solution=solutions.torch_step, why="what cnnlab's Trainer does in each step, with "
                                       "autograd writing the backward pass")
