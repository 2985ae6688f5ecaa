"""cnnlab: convolutional neural networks from scratch in NumPy, the course's helper package.

Read it as the worked solution of the course: each module holds one idea, its forward pass and
its derivative side by side, a loop version that reads like the lesson and a vectorised one.

Layers (``*_forward(...) -> (out, cache)``, ``*_backward(grad_out, cache) -> grads``):
    cnnlab.padding      pad (zero, constant, reflect, edge, wrap); the seed's stacking method
    cnnlab.conv         conv2d for (H, W) x (kh, kw); conv_forward/backward for (N, C, H, W)
                        x (F, C, kh, kw); stride, padding, dilation; conv_output_size
    cnnlab.pooling      max and average pooling, their backward passes, the winners of max,
                        the windows where max pooling ties (tied_windows)
    cnnlab.activations  relu, leaky_relu, sigmoid, softmax, log_softmax (stable, not in place)
    cnnlab.losses       squared_error, binary_cross_entropy_with_logits, softmax_cross_entropy
    cnnlab.dense        the dense layer and flatten
    cnnlab.seednet      the seed notebook's network, corrected, with every gradient
    cnnlab.gradcheck    rel_error, numerical_gradient, check_gradient, one_sided_slopes

Data and training:
    cnnlab.data         load_mnist_subset (shipped), load_mnist (full), two_digit_task, batches
    cnnlab.models       the small CNN and the batched seed network as named parameter arrays
    cnnlab.train        SGD, Adam, Trainer (steps, epochs, progress bar), History
    cnnlab.evaluate     accuracy, confusion matrix, most confident mistakes, their plots
    cnnlab.saving       save_network / load_network: keep a trained network in one .npz

Pictures:
    cnnlab.plotting     labelled images (input/output named, colour bars)

The user interface (widgets, apart from the textbook and above it):
    cnnlab.ui.widgets   LiveFigure (a figure updated in place), Panel, show_panel
    cnnlab.ui.board     TrainingBoard, a live loss/accuracy/kernel board
    cnnlab.ui.drawpad   a drawing pad (anywidget) and strokes to a 28x28 MNIST-style image

The course (what the notebooks import):
    cnnlab.lessons      one module per lesson: its panels and its exercise checkers
    cnnlab.course       the repository address, badges and the Colab install cell

The engine (speed tricks, kept apart and tested against the textbook layers above):
    cnnlab.engine       the fused conv -> ReLU -> max pool block and the two networks' losses
                        through it (small_cnn_loss_fast, seed_network_loss_fast), size-routed
                        pooling, memory and thread settings (training_settings); nothing in the
                        textbook imports it: a lesson picks it in a visible line

The most used functions are also available at the top level (``import cnnlab as cl;
cl.conv2d(...)``); ``cnnlab.__all__`` lists them.

Examples
--------
>>> import numpy as np, cnnlab as cl
>>> cl.conv2d(np.arange(9.0).reshape(3, 3), np.ones((2, 2)))
array([[ 8., 12.],
       [20., 24.]])
"""

from . import (
    activations,
    conv,
    course,
    data,
    dense,
    engine,
    evaluate,
    gradcheck,
    lessons,
    losses,
    models,
    padding,
    plotting,
    pooling,
    saving,
    seednet,
    train,
    ui,
)
from .activations import leaky_relu, log_softmax, relu, sigmoid, softmax
from .conv import conv2d, conv2d_backward, conv_backward, conv_forward, conv_output_size
from .data import load_mnist, load_mnist_subset, prepare_images, two_digit_task
from .dense import dense_backward, dense_forward
from .evaluate import accuracy, confusion_matrix
from .gradcheck import check_gradient, numerical_gradient, rel_error
from .losses import binary_cross_entropy_with_logits, softmax_cross_entropy, squared_error
from .models import init_small_cnn, predict_proba, small_cnn_loss
from .padding import pad
from .plotting import image_grid, show_image
from .pooling import (
    avg_pool,
    avg_pool_backward,
    avg_pool_forward,
    max_pool,
    max_pool_backward,
    max_pool_forward,
)
from .seednet import init_seed_params, seed_backward, seed_forward, seed_step
from .train import SGD, Adam, Trainer
from .ui.board import TrainingBoard
from .ui.widgets import LiveFigure, show_panel

__version__ = "0.1.0"

__all__ = [
    # layers
    "pad", "conv_output_size", "conv2d", "conv2d_backward", "conv_forward", "conv_backward",
    "max_pool", "avg_pool", "max_pool_forward", "max_pool_backward", "avg_pool_forward",
    "avg_pool_backward", "relu", "leaky_relu", "sigmoid", "softmax", "log_softmax",
    "squared_error", "binary_cross_entropy_with_logits", "softmax_cross_entropy",
    "dense_forward", "dense_backward",
    # the seed network and gradient checking
    "init_seed_params", "seed_forward", "seed_backward", "seed_step",
    "rel_error", "numerical_gradient", "check_gradient",
    # data and training
    "load_mnist_subset", "load_mnist", "prepare_images", "two_digit_task",
    "init_small_cnn", "small_cnn_loss", "predict_proba", "SGD", "Adam", "Trainer",
    "accuracy", "confusion_matrix", "TrainingBoard",
    # pictures
    "show_image", "image_grid", "LiveFigure", "show_panel",
    # modules
    "activations", "conv", "course", "data", "dense", "engine", "evaluate", "gradcheck",
    "lessons",
    "losses", "models", "padding", "plotting", "pooling", "saving", "seednet", "train", "ui",
]
