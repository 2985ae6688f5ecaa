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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._validate import as_float_array, check_int
from .engine.memory import keep_freed_memory
from .engine.threads import one_blas_thread

__all__ = ["SGD", "Adam", "History", "Trainer", "TrainingDiverged", "accuracy_of_logits"]


def _check_lr(lr):
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr (the learning rate) must be a positive number, got {lr!r}")
    return float(lr)


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
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must satisfy 0 <= momentum < 1, got {momentum}")
        self.momentum = float(momentum)
        self.velocity = {}

    def update(self, params, grads):
        """Change ``params`` in place by one step against ``grads`` (same keys).

        Parameters
        ----------
        params, grads : dict of str -> numpy.ndarray

        Examples
        --------
        >>> params = {"w": np.zeros(2)}
        >>> SGD(lr=1.0, momentum=0.5).update(params, {"w": np.ones(2)})
        >>> params["w"]
        array([-1., -1.])
        """
        for name, grad in grads.items():
            if name not in params:
                continue
            velocity = self.velocity.get(name)
            if velocity is None or self.momentum == 0:
                velocity = np.array(grad, dtype=params[name].dtype, copy=True)
            else:
                velocity *= self.momentum
                velocity += grad
            self.velocity[name] = velocity
            params[name] -= self.lr * velocity


class Adam:
    """Adam (Kingma and Ba, 2015): momentum plus a per-parameter step size.

    ``m = b1 m + (1 - b1) g``; ``v = b2 v + (1 - b2) g^2``;
    ``param -= lr * m_hat / (sqrt(v_hat) + eps)`` with the bias corrections
    ``m_hat = m / (1 - b1^t)``, ``v_hat = v / (1 - b2^t)``.

    Parameters
    ----------
    lr : float
    beta1, beta2 : float
    eps : float

    Examples
    --------
    >>> params = {"w": np.array([1.0])}
    >>> Adam(lr=0.1).update(params, {"w": np.array([5.0])})   # first step moves by lr
    >>> params["w"].round(6)
    array([0.9])
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = _check_lr(lr)
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0 <= beta < 1:
                raise ValueError(f"{name} must satisfy 0 <= {name} < 1, got {beta}")
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.m, self.v, self.t = {}, {}, 0

    def update(self, params, grads):
        """Change ``params`` in place by one Adam step.

        Parameters
        ----------
        params, grads : dict of str -> numpy.ndarray

        Examples
        --------
        >>> params = {"w": np.zeros(1)}
        >>> Adam(lr=0.5).update(params, {"w": np.array([-3.0])})
        >>> params["w"].round(6)
        array([0.5])
        """
        self.t += 1
        for name, grad in grads.items():
            if name not in params:
                continue
            m = self.m.setdefault(name, np.zeros_like(params[name]))
            v = self.v.setdefault(name, np.zeros_like(params[name]))
            m *= self.beta1
            m += (1 - self.beta1) * grad
            v *= self.beta2
            v += (1 - self.beta2) * grad * grad
            m_hat = m / (1 - self.beta1 ** self.t)
            v_hat = v / (1 - self.beta2 ** self.t)
            params[name] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


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


def accuracy_of_logits(logits, labels):
    """Fraction of correct predictions: argmax for (N, K) logits, ``logit > 0`` for (N,).

    Parameters
    ----------
    logits : array_like, shape (N, K) or (N,)
    labels : array_like, shape (N,)
        Class numbers, or 0/1 targets for one logit per image.

    Returns
    -------
    float

    Examples
    --------
    >>> accuracy_of_logits([[2.0, 1.0], [0.0, 3.0]], [0, 0])
    0.5
    >>> accuracy_of_logits([1.5, -2.0], [1, 1])
    0.5
    """
    logits = np.asarray(logits)
    labels = np.asarray(labels)
    predicted = logits.argmax(axis=1) if logits.ndim == 2 else (logits > 0).astype(int)
    if predicted.shape != labels.shape:
        raise ValueError(f"labels must have shape {predicted.shape}, got {labels.shape}")
    return float(np.mean(predicted == labels))


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


class Trainer:
    """Mini-batch training of ``params`` on ``loss_fn``; deterministic for a given seed.

    Parameters
    ----------
    params : dict of str -> numpy.ndarray
        Trained in place (``trainer.params`` is the same dict).
    loss_fn : callable
        ``loss_fn(params, images, labels) -> (loss, grads, logits)``, e.g.
        :func:`cnnlab.models.small_cnn_loss` or :func:`cnnlab.models.seed_model_loss`.
    optimizer : SGD or Adam
    train_images, train_labels : numpy.ndarray, shapes (N, ...) and (N,)
    test_images, test_labels : numpy.ndarray, optional
        Held-out data, evaluated at the end of every epoch.
    batch_size : int
    seed : int
        For the shuffle.

    Examples
    --------
    >>> from cnnlab.models import init_seed_model, seed_model_loss
    >>> rng = np.random.default_rng(0)
    >>> images = rng.random((32, 8, 8)); targets = (images.mean(axis=(1, 2)) > 0.5) * 1.0
    >>> trainer = Trainer(init_seed_model((8, 8), 3), seed_model_loss, SGD(lr=0.5), images,
    ...                   targets, batch_size=8)
    >>> history = trainer.step(4)
    >>> len(history.step_loss)
    4
    """

    def __init__(self, params, loss_fn, optimizer, train_images, train_labels,
                 test_images=None, test_labels=None, batch_size=64, seed=0):
        if not isinstance(params, dict) or not params:
            raise TypeError("params must be a non-empty dict of named arrays")
        if not callable(loss_fn):
            raise TypeError("loss_fn must be a function (params, images, labels) -> "
                            "(loss, grads, logits)")
        if not hasattr(optimizer, "update"):
            raise TypeError("optimizer must be an SGD or Adam instance")
        self.params, self.loss_fn, self.optimizer = params, loss_fn, optimizer
        self.train_images = as_float_array(train_images, "train_images")
        self.train_labels = np.asarray(train_labels)
        if self.train_labels.shape != (self.train_images.shape[0],):
            raise ValueError(f"train_labels must have shape ({self.train_images.shape[0]},), "
                             f"got {self.train_labels.shape}")
        self.test_images = None if test_images is None else as_float_array(test_images,
                                                                          "test_images")
        self.test_labels = None if test_labels is None else np.asarray(test_labels)
        self.batch_size = check_int(batch_size, "batch_size", minimum=1)
        self.rng = np.random.default_rng(seed)
        self.history = History()
        self.steps_done = 0
        self.epochs_done = 0
        self._order = np.empty(0, dtype=np.int64)
        self._position = 0
        keep_freed_memory()

    @property
    def steps_per_epoch(self):
        """Number of batches in one pass over the training data."""
        return math.ceil(self.train_images.shape[0] / self.batch_size)

    def _next_batch(self):
        if self._position >= self._order.size:
            self._order = self.rng.permutation(self.train_images.shape[0])
            self._position = 0
        index = self._order[self._position:self._position + self.batch_size]
        self._position += self.batch_size
        return self.train_images[index], self.train_labels[index]

    def step(self, num_steps=1):
        """Train on the next ``num_steps`` batches; return the history.

        Parameters
        ----------
        num_steps : int

        Returns
        -------
        History

        Examples
        --------
        >>> from cnnlab.models import init_seed_model, seed_model_loss
        >>> trainer = Trainer(init_seed_model((4, 4), 3), seed_model_loss, SGD(lr=0.1),
        ...                   np.ones((4, 4, 4)), np.ones(4), batch_size=2)
        >>> trainer.step(3).step_loss[-1] < trainer.history.step_loss[0]
        True
        """
        num_steps = check_int(num_steps, "num_steps", minimum=1)
        with one_blas_thread():          # faster for these small products (see cnnlab._threads)
            for _ in range(num_steps):
                self._one_step()
        return self.history

    def _one_step(self):
        """One mini-batch: forward, backward, update, checks, history."""
        images, labels = self._next_batch()
        try:
            with np.errstate(over="ignore", invalid="ignore"):   # diagnosed just below
                loss, grads, logits = self.loss_fn(self.params, images, labels)
        except ValueError as error:
            if "must be finite" not in str(error):
                raise
            self._diverged(f"a value overflowed in the forward pass ({error})")
        if not math.isfinite(loss):
            self._diverged(f"the loss became {loss}")
        with np.errstate(over="ignore", invalid="ignore"):
            self.optimizer.update(self.params, grads)
        if not all(np.isfinite(value).all() for value in self.params.values()):
            self._diverged("the parameters overflowed to inf/NaN")
        self.steps_done += 1
        if self._position >= self._order.size:
            self.epochs_done += 1
        self.history.step_loss.append(float(loss))
        self.history.step_accuracy.append(accuracy_of_logits(logits, labels))

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
        images, labels : numpy.ndarray, optional
        batch_size : int

        Returns
        -------
        (float, float)
            Loss and accuracy.

        Examples
        --------
        >>> from cnnlab.models import init_seed_model, seed_model_loss
        >>> trainer = Trainer(init_seed_model((4, 4), 3), seed_model_loss, SGD(lr=0.1),
        ...                   np.ones((4, 4, 4)), np.ones(4), np.ones((2, 4, 4)), np.ones(2))
        >>> loss, accuracy = trainer.evaluate()
        >>> 0 <= accuracy <= 1
        True
        """
        images = self.test_images if images is None else as_float_array(images, "images")
        labels = self.test_labels if labels is None else np.asarray(labels)
        if images is None:
            raise ValueError("no test data: pass images and labels, or give the Trainer "
                             "test_images and test_labels")
        total_loss, correct = 0.0, 0.0
        with one_blas_thread():
            for start in range(0, images.shape[0], batch_size):
                batch = images[start:start + batch_size]
                batch_labels = labels[start:start + batch_size]
                loss, _, logits = self.loss_fn(self.params, batch, batch_labels)
                total_loss += loss * batch.shape[0]
                correct += accuracy_of_logits(logits, batch_labels) * batch.shape[0]
        return total_loss / images.shape[0], correct / images.shape[0]

    def record_evaluation(self):
        """Evaluate on the test set (and the last epoch's batches) and add it to the history.

        Returns
        -------
        History

        Examples
        --------
        >>> from cnnlab.models import init_seed_model, seed_model_loss
        >>> trainer = Trainer(init_seed_model((4, 4), 3), seed_model_loss, SGD(lr=0.1),
        ...                   np.ones((4, 4, 4)), np.ones(4), np.ones((2, 4, 4)), np.ones(2))
        >>> len(trainer.record_evaluation().test_accuracy)
        1
        """
        recent = slice(-self.steps_per_epoch, None)
        self.history.eval_step.append(self.steps_done)
        self.history.epoch.append(self.steps_done / self.steps_per_epoch)
        self.history.train_loss.append(float(np.mean(self.history.step_loss[recent] or [np.nan])))
        self.history.train_accuracy.append(
            float(np.mean(self.history.step_accuracy[recent] or [np.nan])))
        if self.test_images is not None:
            loss, accuracy = self.evaluate()
            self.history.test_loss.append(loss)
            self.history.test_accuracy.append(accuracy)
        return self.history

    def run(self, epochs=1, max_steps=None, progress=True, board=None, board_every=50):
        """Train for ``epochs`` passes over the data (or ``max_steps`` steps, if fewer).

        Parameters
        ----------
        epochs : int
        max_steps : int, optional
            Stop after this many steps in this call.
        progress : bool
            Show a tqdm progress bar (a bar in notebooks, text in a terminal).
        board : cnnlab.board.TrainingBoard, optional
            Redrawn every ``board_every`` steps and after every evaluation.
        board_every : int

        Returns
        -------
        History

        Examples
        --------
        >>> from cnnlab.models import init_seed_model, seed_model_loss
        >>> trainer = Trainer(init_seed_model((4, 4), 3), seed_model_loss, SGD(lr=0.1),
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
        bar = tqdm(total=total, disable=not progress, unit="step", desc="training")
        try:
            done = 0
            while done < total:
                epoch_before = self.epochs_done
                self.step()
                done += 1
                bar.update(1)
                if done % 25 == 0 or done == total:
                    bar.set_postfix(loss=f"{np.mean(self.history.step_loss[-25:]):.4f}")
                finished_epoch = self.epochs_done > epoch_before
                if finished_epoch or done == total:
                    self.record_evaluation()
                if board is not None and (done % board_every == 0 or finished_epoch
                                          or done == total):
                    board.update(self.history, self.params)
        finally:
            bar.close()
        return self.history
