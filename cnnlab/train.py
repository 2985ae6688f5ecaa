"""Training: mini-batch gradient descent with momentum (or Adam), a history, a progress bar.

One step::

    batch  = the next ``batch_size`` images of a shuffled epoch
    loss, grads = loss_fn(params, batch)            # forward + backward
    params -= learning_rate * (a smoothed) grads    # the optimizer's update, in place

:class:`Trainer` runs steps (``step(n)``, so a widget button can train a little and redraw) or
whole epochs (``run``, with a ``tqdm`` progress bar that is a bar in notebooks and text in a
terminal), records every step's loss and accuracy and every epoch's train/test figures in a
:class:`History`, and stops with :class:`TrainingDiverged` the moment the loss stops being a
finite number, saying which learning rate to try, instead of running on with NaNs.

Process settings only when asked: ``Trainer(..., settings=cnnlab.engine.training_settings)``
runs every ``step``, ``run`` and ``evaluate`` call inside that ``with`` block (one BLAS thread,
freed memory kept, both put back when the call returns).  By default the Trainer leaves the
process alone; no setting changes a single number the network computes.
"""

from __future__ import annotations

import contextlib
import inspect
import math
import numbers
from dataclasses import dataclass, field

import numpy as np

from ._validate import (
    NotFiniteError,
    as_float_array,
    as_real_array,
    as_rng,
    check_bool,
    check_dict,
    check_float,
    check_int,
    check_same_shape,
)
from .data import iterate_minibatches
from .evaluate import accuracy

__all__ = ["SGD", "momentum_step", "Adam", "one_cycle_schedule", "History",
           "Trainer", "TrainingDiverged"]


def _check_lr(lr):
    return check_float(lr, "lr (the learning rate)", minimum=0, allow_minimum=False)


def _check_fraction(value, name):
    """0 <= value < 1 (momentum, beta1, beta2)."""
    value = check_float(value, name, minimum=0)
    if value >= 1:
        raise ValueError(f"{name} must satisfy 0 <= {name} < 1, got {value}")
    return value


def _takes_backward(loss_fn):
    """Whether ``loss_fn`` takes ``backward`` (cnnlab's losses do: False skips the gradients,
    which an evaluation does not use); a learner's own loss function need not."""
    try:
        return "backward" in inspect.signature(loss_fn).parameters
    except (TypeError, ValueError):          # no signature to read (some built-ins)
        return False


def _is_float_array(value):
    return isinstance(value, np.ndarray) and value.dtype in (np.float32, np.float64)


def _check_param(param, name, finite=True):
    """A parameter the optimizer changes in place: a writeable float32/float64 NumPy array."""
    if not _is_float_array(param):
        kind = param.dtype if isinstance(param, np.ndarray) else type(param).__name__
        raise TypeError(f"{name} must be a float32 or float64 NumPy array (it is changed in "
                        f"place), got {kind}; convert it with np.asarray({name}, dtype=float)")
    if not param.flags.writeable:
        raise ValueError(f"{name} is read-only, but the optimizer changes it in place: pass a "
                         f"copy, {name}.copy()")
    return as_float_array(param, name, allow_empty=True) if finite else param


def _checked_pairs(params, grads):
    """Every (name, param, grad) to update, all checked before anything is changed."""
    check_dict(params, "params", "a dict of named arrays")
    check_dict(grads, "grads", "a dict keyed like params")
    unknown = [name for name in grads if name not in params]
    if unknown:
        raise ValueError(f"grads has names that params does not have: {unknown!r} (params "
                         f"has {sorted(params)!r}); a misspelt name would never be trained")
    pairs = []
    for name, grad in grads.items():
        # Finiteness of float arrays is checked once, on the result (see _commit).
        param = _check_param(params[name], f"params[{name!r}]", finite=False)
        if not _is_float_array(grad):
            grad = as_float_array(grad, f"grads[{name!r}]", allow_empty=True)
        check_same_shape(grad, f"grads[{name!r}]", param.shape, f"params[{name!r}]")
        pairs.append((name, param, grad))
    return pairs


def _commit(params, grads, updates, state):
    """Write the new values in place, after checking every one is finite.

    A non-finite result comes from a non-finite parameter or gradient (named in the error) or
    from a step too large for the dtype.
    """
    for name, new_param, *_ in updates:
        if not np.isfinite(new_param).all():
            as_float_array(params[name], f"params[{name!r}]", allow_empty=True)
            as_float_array(grads[name], f"grads[{name!r}]", allow_empty=True)
            raise NotFiniteError(f"the update of params[{name!r}] overflowed to inf/NaN: the "
                                 f"step is too large; try a smaller lr")
    for name, new_param, *new_state in updates:
        params[name][...] = new_param
        for store, value in zip(state, new_state, strict=True):
            store[name] = value


class SGD:
    """Stochastic gradient descent with momentum.

    ``velocity = momentum * velocity + grad``; ``param -= lr * velocity``.  With
    ``momentum=0`` this is plain gradient descent, ``param -= lr * grad``, as in the seed.

    Parameters
    ----------
    lr : float
        Learning rate.
    momentum : float
        0 <= momentum < 1.

    Examples
    --------
    >>> params = {"w": np.array([1.0])}
    >>> SGD(lr=0.1, momentum=0.0).update(params, {"w": np.array([2.0])})
    >>> params["w"]
    array([0.8])
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = _check_lr(lr)
        self.momentum = _check_fraction(momentum, "momentum")
        self.velocity = {}

    def update(self, params, grads):
        """Change ``params`` in place by one step against ``grads`` (same keys).

        Every gradient is checked first (its shape must be its parameter's, no broadcasting;
        finite; a name ``params`` does not have is an error), so a refused update changes
        nothing.  A parameter keeps its dtype (float32 stays float32).

        Parameters
        ----------
        params : dict of str -> numpy.ndarray
            float32/float64 arrays, changed in place.
        grads : dict of str -> array_like
            Keyed like ``params`` (a subset is fine: the others are left as they are).

        Raises
        ------
        cnnlab._validate.NotFiniteError
            When the step would overflow a parameter to inf/NaN (nothing is changed).

        Examples
        --------
        >>> params = {"w": np.zeros(2)}
        >>> SGD(lr=1.0, momentum=0.5).update(params, {"w": np.ones(2)})
        >>> params["w"]
        array([-1., -1.])
        """
        updates = []
        with np.errstate(over="ignore", invalid="ignore"):      # checked in _commit
            for name, param, grad in _checked_pairs(params, grads):
                velocity = self.velocity.get(name)
                if velocity is None or self.momentum == 0 or velocity.shape != param.shape:
                    velocity = grad.astype(param.dtype)             # a copy, never grad itself
                else:
                    velocity = (self.momentum * velocity + grad).astype(param.dtype, copy=False)
                updates.append((name, param - self.lr * velocity, velocity))
        _commit(params, grads, updates, (self.velocity,))


def momentum_step(params, grads, velocity, lr, momentum=0.9):
    """One step of SGD with momentum on dicts of arrays, as new dicts: nothing is changed.

    The rule :meth:`SGD.update` applies in place, written out for one step:
    ``velocity = momentum * velocity + grad``, then ``param - lr * velocity``.  With
    ``momentum=0`` it is plain gradient descent, ``param - lr * grad``.

    Parameters
    ----------
    params : dict of str -> array_like
    grads : dict of str -> array_like
        Keyed like ``params``, each gradient its parameter's shape.
    velocity : dict of str -> array_like
        Keyed like ``params``; zeros before the first step.
    lr : float
        Learning rate, greater than 0.
    momentum : float
        0 <= momentum < 1.

    Returns
    -------
    new_params : dict of str -> numpy.ndarray
    new_velocity : dict of str -> numpy.ndarray

    Examples
    --------
    >>> new, v = momentum_step({"w": np.array([1.0])}, {"w": np.array([2.0])},
    ...                        {"w": np.array([1.0])}, lr=0.1, momentum=0.5)
    >>> new["w"], v["w"]
    (array([0.75]), array([2.5]))
    """
    lr, momentum = _check_lr(lr), _check_fraction(momentum, "momentum")
    for name, other in (("grads", grads), ("velocity", velocity)):
        if not isinstance(other, dict) or set(other) != set(params if isinstance(params, dict)
                                                             else ()):
            raise ValueError(f"{name} must be a dict keyed like params")
    new_params, new_velocity = {}, {}
    for name in params:
        param = as_float_array(params[name], f"params[{name!r}]", allow_empty=True)
        grad = as_float_array(grads[name], f"grads[{name!r}]", allow_empty=True)
        old = as_float_array(velocity[name], f"velocity[{name!r}]", allow_empty=True)
        check_same_shape(grad, f"grads[{name!r}]", param.shape, f"params[{name!r}]")
        check_same_shape(old, f"velocity[{name!r}]", param.shape, f"params[{name!r}]")
        new_velocity[name] = momentum * old + grad
        new_params[name] = param - lr * new_velocity[name]
    return new_params, new_velocity


class Adam:
    """Adam (Kingma and Ba, 2015): momentum plus a per-parameter step size.

    ``m = b1 m + (1 - b1) g``; ``v = b2 v + (1 - b2) g^2``;
    ``param -= lr * m_hat / (sqrt(v_hat) + eps)`` with the bias corrections
    ``m_hat = m / (1 - b1^t)``, ``v_hat = v / (1 - b2^t)``.

    Parameters
    ----------
    lr : float
        Greater than 0.
    beta1, beta2 : float
        0 <= beta < 1.
    eps : float
        Greater than 0 (keeps the step finite where ``v_hat`` is 0).

    Examples
    --------
    >>> params = {"w": np.array([1.0])}
    >>> Adam(lr=0.1).update(params, {"w": np.array([5.0])})   # first step moves by lr
    >>> params["w"].round(6)
    array([0.9])
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = _check_lr(lr)
        self.beta1 = _check_fraction(beta1, "beta1")
        self.beta2 = _check_fraction(beta2, "beta2")
        self.eps = check_float(eps, "eps", minimum=0, allow_minimum=False)
        self.m, self.v, self.t = {}, {}, 0

    def update(self, params, grads):
        """Change ``params`` in place by one Adam step (checked as :meth:`SGD.update` is).

        Parameters
        ----------
        params : dict of str -> numpy.ndarray
            float32/float64 arrays, changed in place.
        grads : dict of str -> array_like
            Keyed like ``params`` (a subset is fine).

        Examples
        --------
        >>> params = {"w": np.zeros(1)}
        >>> Adam(lr=0.5).update(params, {"w": np.array([-3.0])})
        >>> params["w"].round(6)
        array([0.5])
        """
        pairs = _checked_pairs(params, grads)
        t = self.t + 1
        updates = []
        with np.errstate(over="ignore", invalid="ignore"):      # checked in _commit
            for name, param, grad in pairs:
                m = self.m.get(name, np.zeros_like(param))
                v = self.v.get(name, np.zeros_like(param))
                m = (self.beta1 * m + (1 - self.beta1) * grad).astype(param.dtype, copy=False)
                v = (self.beta2 * v + (1 - self.beta2) * grad * grad).astype(param.dtype,
                                                                             copy=False)
                m_hat = m / (1 - self.beta1 ** t)
                v_hat = v / (1 - self.beta2 ** t)
                step = self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
                if not np.isfinite(v).all():
                    step = np.full_like(param, np.nan)              # refused in _commit
                updates.append((name, param - step, m, v))
        _commit(params, grads, updates, (self.m, self.v))
        self.t = t


class TrainingDiverged(ValueError):
    """The loss became NaN or infinite: the learning rate is (almost always) too large.

    Examples
    --------
    >>> def broken_loss(params, images, labels):      # stands in for a loss that blew up
    ...     return float("nan"), {}, np.zeros(len(labels))
    >>> trainer = Trainer({"w": np.zeros(1)}, broken_loss, SGD(lr=0.5), np.ones((4, 2)),
    ...                   np.ones(4))
    >>> try:
    ...     trainer.step()
    ... except TrainingDiverged as error:
    ...     print(error)
    the loss became nan at step 1: training diverged; try a learning rate 10x smaller, e.g. lr=0.05
    """


def one_cycle_schedule(step, total_steps, lr, warmup=0.15):
    """The learning rate of one step: up from ``lr / 10`` to ``lr``, then down to 0 at the end.

    A short run converges best when the rate starts small (the first steps, from random
    weights, are the least reliable), rises to its peak over the first ``warmup`` share of the
    steps, then falls in a straight line to zero at the last step, which lets the weights
    settle (Smith and Topin, *Super-Convergence*, 2017, call this a one-cycle schedule).

    The recipe of the full-MNIST run (lesson 11, ``benchmarks/bench_training.py``): hand
    ``Trainer.run`` ``lr_schedule=lambda step: one_cycle_schedule(step, total_steps, lr)``.

    Parameters
    ----------
    step : int
        The step about to run, 0 <= step < total_steps.
    total_steps : int
        How many steps the run has, at least 1.
    lr : float
        The peak learning rate, greater than 0.
    warmup : float
        Share of the steps spent rising, 0 <= warmup < 1.

    Returns
    -------
    float

    Examples
    --------
    >>> [round(one_cycle_schedule(s, 10, 1.0, warmup=0.2), 3) for s in range(10)]
    [0.1, 0.55, 1.0, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125]
    """
    total_steps = check_int(total_steps, "total_steps", minimum=1)
    step = check_int(step, "step", minimum=0)
    if step >= total_steps:
        raise ValueError(f"step must satisfy 0 <= step < total_steps = {total_steps}, got {step}")
    lr = _check_lr(lr)
    rise = round(_check_fraction(warmup, "warmup") * total_steps)
    if step < rise:
        return lr * (0.1 + 0.9 * step / rise)
    return lr * (total_steps - step) / (total_steps - rise)


@dataclass
class History:
    """What happened during training, as plain lists (easy to plot).

    Attributes
    ----------
    step_loss, step_accuracy : list of float
        Every training step's batch loss and batch accuracy.
    epoch, train_loss, train_accuracy, test_loss, test_accuracy : list
        One entry per evaluation (end of each epoch, or when :meth:`Trainer.evaluate` runs),
        at step number ``eval_step``.

    Examples
    --------
    >>> history = History()
    >>> history.step_loss.append(2.3)
    >>> history.as_arrays()["step_loss"]
    array([2.3])
    """

    step_loss: list = field(default_factory=list)
    step_accuracy: list = field(default_factory=list)
    eval_step: list = field(default_factory=list)
    epoch: list = field(default_factory=list)
    train_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)

    def as_arrays(self):
        """Every list as a NumPy array, in a dict.

        Returns
        -------
        dict of str -> numpy.ndarray

        Examples
        --------
        >>> sorted(History().as_arrays())[:3]
        ['epoch', 'eval_step', 'step_accuracy']
        """
        return {name: np.asarray(value) for name, value in self.__dict__.items()}


def _mean(values):
    """Mean of finite numbers, each divided by the count before the sum (no overflow at any
    scale); NaN for an empty list."""
    values = np.asarray(values, dtype=np.float64)
    return float(np.sum(values / values.size)) if values.size else float("nan")


def _check_labels_for(labels, name, n, images_name):
    """Labels or targets (N,) of real numbers for ``n`` images; their dtype is kept."""
    labels = as_real_array(labels, name, ndim=1, axes="(N,)")
    if labels.shape[0] != n:
        raise ValueError(f"{name} has {labels.shape[0]} entries but {images_name} has {n} "
                         f"images: they must match")
    return labels


class Trainer:
    """Mini-batch training of ``params`` on ``loss_fn``; deterministic for a given seed.

    Parameters
    ----------
    params : dict of str -> numpy.ndarray
        float32/float64 arrays, trained in place (``trainer.params`` is the same dict).
    loss_fn : callable
        ``loss_fn(params, images, labels) -> (loss, grads, logits)``, e.g.
        :func:`cnnlab.models.small_cnn_loss` or :func:`cnnlab.seednet.seed_network_loss`.
    optimizer : SGD or Adam
        Anything with an ``update(params, grads)`` method.
    train_images, train_labels : array_like, shapes (N, ...) and (N,)
        Finite real numbers; the labels are class numbers or 0/1 targets.  Never changed.
    test_images, test_labels : array_like, optional
        Held-out data (both or neither), images shaped like the training images; evaluated at
        the end of every epoch.
    batch_size : int
        At least 1.
    seed : int or numpy.random.Generator
        For the shuffle (see :func:`cnnlab.data.iterate_minibatches`, which draws the batches).
    settings : callable, optional
        A function returning a context manager (e.g. :func:`cnnlab.engine.training_settings`)
        inside which every ``step``, ``run`` and ``evaluate`` call runs; None (the default)
        leaves the process alone.  Results are the same either way.

    Examples
    --------
    >>> from cnnlab.seednet import init_seed_params, seed_network_loss
    >>> rng = np.random.default_rng(0)
    >>> images = rng.random((32, 8, 8)); targets = (images.mean(axis=(1, 2)) > 0.5) * 1.0
    >>> trainer = Trainer(init_seed_params((8, 8), 3), seed_network_loss, SGD(lr=0.5), images,
    ...                   targets, batch_size=8)
    >>> history = trainer.step(4)
    >>> len(history.step_loss)
    4
    """

    def __init__(self, params, loss_fn, optimizer, train_images, train_labels,
                 test_images=None, test_labels=None, batch_size=64, seed=0,
                 settings=None):
        check_dict(params, "params", "a dict of named arrays")
        if not params:
            raise ValueError("params must hold at least one named array, got an empty dict")
        for name, value in params.items():
            _check_param(value, f"params[{name!r}]")
        if not callable(loss_fn):
            raise TypeError("loss_fn must be a function (params, images, labels) -> "
                            "(loss, grads, logits)")
        if not callable(getattr(optimizer, "update", None)):
            raise TypeError(f"optimizer must be an SGD or Adam instance (something with "
                            f"update(params, grads)), got {type(optimizer).__name__}")
        self.params, self.loss_fn, self.optimizer = params, loss_fn, optimizer
        self._forward_only = _takes_backward(loss_fn)     # evaluate can skip the gradients
        self.train_images = as_float_array(train_images, "train_images")
        if self.train_images.ndim < 1:
            raise ValueError("train_images must have a first axis of images, (N, ...)")
        self.train_labels = _check_labels_for(train_labels, "train_labels",
                                              self.train_images.shape[0], "train_images")
        if (test_images is None) != (test_labels is None):
            missing = "test_labels" if test_labels is None else "test_images"
            raise ValueError(f"{missing} is missing: give test_images and test_labels together "
                             f"(or neither)")
        self.test_images = self.test_labels = None
        if test_images is not None:
            self.test_images = self._checked_images(test_images, "test_images")
            self.test_labels = _check_labels_for(test_labels, "test_labels",
                                                 self.test_images.shape[0], "test_images")
        self.batch_size = check_int(batch_size, "batch_size", minimum=1)
        self.rng = as_rng(seed, "seed")
        if settings is not None and not callable(settings):
            raise TypeError(f"settings must be None or a function returning a context manager "
                            f"(e.g. cnnlab.engine.training_settings), got "
                            f"{type(settings).__name__}")
        self.settings = settings
        self.history = History()
        self.steps_done = 0
        self.epochs_done = 0
        self._batches = None          # this epoch's iterate_minibatches
        self._batches_left = 0

    def _checked_images(self, images, name):
        images = as_float_array(images, name)
        if images.shape[1:] != self.train_images.shape[1:]:
            raise ValueError(f"{name} must be shaped like train_images, (N,) + "
                             f"{self.train_images.shape[1:]}, got {images.shape}")
        return images

    def _tuned(self):
        """The process ``settings`` for one call (a ``with`` block); none by default."""
        return self.settings() if self.settings is not None else contextlib.nullcontext()

    @property
    def steps_per_epoch(self):
        """Number of batches in one pass over the training data."""
        return math.ceil(self.train_images.shape[0] / self.batch_size)

    def _next_batch(self):
        """The next batch of this epoch; a new shuffled epoch when this one is used up."""
        if self._batches_left == 0:
            self._batches = iterate_minibatches(self.train_images, self.train_labels,
                                                self.batch_size, rng=self.rng)
            self._batches_left = self.steps_per_epoch
        self._batches_left -= 1
        return next(self._batches)

    def step(self, num_steps=1):
        """Train on the next ``num_steps`` batches; return the history.

        Parameters
        ----------
        num_steps : int
            At least 1.

        Returns
        -------
        History

        Raises
        ------
        TrainingDiverged
            When the loss or the parameters stop being finite numbers.

        Examples
        --------
        >>> from cnnlab.seednet import init_seed_params, seed_network_loss
        >>> trainer = Trainer(init_seed_params((4, 4), 3), seed_network_loss, SGD(lr=0.1),
        ...                   np.ones((4, 4, 4)), np.ones(4), batch_size=2)
        >>> trainer.step(3).step_loss[-1] < trainer.history.step_loss[0]
        True
        """
        num_steps = check_int(num_steps, "num_steps", minimum=1)
        with self._tuned():
            for _ in range(num_steps):
                self._one_step()
        return self.history

    def _one_step(self):
        """One mini-batch: forward, backward, update, checks, history."""
        images, labels = self._next_batch()
        try:
            with np.errstate(over="ignore", invalid="ignore"):   # diagnosed just below
                loss, grads, logits = self._call_loss_fn(images, labels)
        except NotFiniteError as error:        # a layer was handed an overflowed value
            self._diverged(f"a value overflowed in the forward pass ({error})")
        if not math.isfinite(loss):
            self._diverged(f"the loss became {loss}")
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                self.optimizer.update(self.params, grads)
        except NotFiniteError:
            self._diverged("the parameters overflowed to inf/NaN")
        if not isinstance(self.optimizer, (SGD, Adam)) and not all(   # SGD, Adam check it
                np.isfinite(value).all() for value in self.params.values()):
            self._diverged("the parameters overflowed to inf/NaN")
        self.steps_done += 1
        if self._batches_left == 0:
            self.epochs_done += 1
        self.history.step_loss.append(loss)
        self.history.step_accuracy.append(accuracy(logits, labels))

    def _call_loss_fn(self, images, labels, backward=True):
        """``loss_fn`` on one batch, its answer checked: (float loss, dict grads, logits);
        ``backward=False`` asks a loss_fn that takes it for the forward pass only."""
        more = {"backward": False} if not backward and self._forward_only else {}
        result = self.loss_fn(self.params, images, labels, **more)
        if more and isinstance(result, tuple) and len(result) == 3 and result[1] is None:
            result = (result[0], {}, result[2])        # forward only: no gradients to check
        if not isinstance(result, tuple) or len(result) != 3:
            raise TypeError(f"loss_fn must return (loss, grads, logits), got "
                            f"{type(result).__name__}")
        loss, grads, logits = result
        if isinstance(loss, (bool, np.bool_)) or not isinstance(loss, (numbers.Real, np.ndarray)):
            raise TypeError(f"loss_fn must return a number as its loss, got "
                            f"{type(loss).__name__}")
        if not isinstance(grads, dict):
            raise TypeError(f"loss_fn must return its gradients as a dict keyed like params, got "
                            f"{type(grads).__name__}")
        return float(loss), grads, logits

    def _diverged(self, what):
        lr = getattr(self.optimizer, "lr", None)
        advice = (f"try a learning rate 10x smaller, e.g. lr={lr / 10:g}" if lr
                  else "try a smaller learning rate")
        raise TrainingDiverged(f"{what} at step {self.steps_done + 1}: training diverged; "
                               f"{advice}")

    def evaluate(self, images=None, labels=None, batch_size=200):
        """Mean loss and accuracy over a data set (default: the test set), in batches.

        Parameters
        ----------
        images, labels : array_like, optional
            Both or neither; images shaped like the training images.
        batch_size : int
            At least 1.

        Returns
        -------
        (float, float)
            Loss and accuracy.

        Examples
        --------
        >>> from cnnlab.seednet import init_seed_params, seed_network_loss
        >>> trainer = Trainer(init_seed_params((4, 4), 3), seed_network_loss, SGD(lr=0.1),
        ...                   np.ones((4, 4, 4)), np.ones(4), np.ones((2, 4, 4)), np.ones(2))
        >>> loss, accuracy = trainer.evaluate()
        >>> 0 <= accuracy <= 1
        True
        """
        batch_size = check_int(batch_size, "batch_size", minimum=1)
        if images is None and labels is None:
            if self.test_images is None:
                raise ValueError("no test data: pass images and labels, or give the Trainer "
                                 "test_images and test_labels")
            images, labels = self.test_images, self.test_labels
        elif images is None or labels is None:
            missing = "labels" if labels is None else "images"
            raise ValueError(f"{missing} is missing: pass images and labels together")
        else:
            images = self._checked_images(images, "images")
            labels = _check_labels_for(labels, "labels", images.shape[0], "images")
        total_loss, correct, n = 0.0, 0.0, images.shape[0]
        with self._tuned():
            for batch, batch_labels in iterate_minibatches(images, labels, batch_size,
                                                           shuffle=False):
                loss, _, logits = self._call_loss_fn(batch, batch_labels, backward=False)
                total_loss += loss * (batch.shape[0] / n)   # weighted first: no overflow
                correct += accuracy(logits, batch_labels) * batch.shape[0]
        return total_loss, correct / n

    def record_evaluation(self):
        """Evaluate on the test set (and the last epoch's batches) and add it to the history.

        Returns
        -------
        History

        Examples
        --------
        >>> from cnnlab.seednet import init_seed_params, seed_network_loss
        >>> trainer = Trainer(init_seed_params((4, 4), 3), seed_network_loss, SGD(lr=0.1),
        ...                   np.ones((4, 4, 4)), np.ones(4), np.ones((2, 4, 4)), np.ones(2))
        >>> len(trainer.record_evaluation().test_accuracy)
        1
        """
        recent = slice(-self.steps_per_epoch, None)
        self.history.eval_step.append(self.steps_done)
        self.history.epoch.append(self.steps_done / self.steps_per_epoch)
        self.history.train_loss.append(_mean(self.history.step_loss[recent]))
        self.history.train_accuracy.append(_mean(self.history.step_accuracy[recent]))
        if self.test_images is not None:
            test_loss, test_accuracy = self.evaluate()
            self.history.test_loss.append(test_loss)
            self.history.test_accuracy.append(test_accuracy)
        return self.history

    def run(self, epochs=1, max_steps=None, progress=True, board=None, board_every=50,
            lr_schedule=None):
        """Train for ``epochs`` passes over the data (or ``max_steps`` steps, if fewer).

        Parameters
        ----------
        epochs : int
            At least 1.
        max_steps : int, optional
            Stop after this many steps in this call (at least 1).
        progress : bool
            Show a tqdm progress bar (a bar in notebooks, text in a terminal).
        board : cnnlab.ui.board.TrainingBoard, optional
            Redrawn every ``board_every`` steps and after every evaluation.
        board_every : int
            At least 1.
        lr_schedule : callable, optional
            ``lr_schedule(step) -> float``: before each step, the optimizer's ``lr`` is set to
            it, ``step`` counting from 0 over the whole training (``steps_done``), e.g. with
            :func:`one_cycle_schedule`.  None: ``lr`` stays as it is.

        Returns
        -------
        History

        Examples
        --------
        >>> from cnnlab.seednet import init_seed_params, seed_network_loss
        >>> trainer = Trainer(init_seed_params((4, 4), 3), seed_network_loss, SGD(lr=0.1),
        ...                   np.ones((8, 4, 4)), np.ones(8), np.ones((2, 4, 4)), np.ones(2),
        ...                   batch_size=4)
        >>> history = trainer.run(epochs=2, progress=False)
        >>> len(history.step_loss), len(history.test_accuracy)
        (4, 2)
        """
        from tqdm.auto import tqdm

        epochs = check_int(epochs, "epochs", minimum=1)
        total = epochs * self.steps_per_epoch
        if max_steps is not None:
            total = min(total, check_int(max_steps, "max_steps", minimum=1))
        progress = check_bool(progress, "progress")
        if board is not None and not callable(getattr(board, "update", None)):
            raise TypeError(f"board must be a cnnlab.ui.board.TrainingBoard (something with "
                            f"update(history, params)), got {type(board).__name__}")
        board_every = check_int(board_every, "board_every", minimum=1)
        if lr_schedule is not None and not callable(lr_schedule):
            raise TypeError(f"lr_schedule must be None or a function step -> learning rate, "
                            f"got {type(lr_schedule).__name__}")
        bar = tqdm(total=total, disable=not progress, unit="step", desc="training")
        with self._tuned(), contextlib.closing(bar):
            done = 0
            while done < total:
                epoch_before = self.epochs_done
                if lr_schedule is not None:
                    self.optimizer.lr = _check_lr(lr_schedule(self.steps_done))
                self._one_step()
                done += 1
                bar.update(1)
                if done % 25 == 0 or done == total:
                    bar.set_postfix(loss=f"{_mean(self.history.step_loss[-25:]):.4f}")
                finished_epoch = self.epochs_done > epoch_before
                if finished_epoch or done == total:
                    self.record_evaluation()
                if board is not None and (done % board_every == 0 or finished_epoch
                                          or done == total):
                    board.update(self.history, self.params)
        return self.history
