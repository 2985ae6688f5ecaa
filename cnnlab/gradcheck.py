"""Gradient checking: is the backward pass right?  Ask the function itself.

A backward function claims the derivative of a scalar loss with respect to every entry of every
input.  Centred finite differences measure the same derivative without any calculus:

.. math::

    \\frac{\\partial L}{\\partial x_i} \\approx \\frac{L(x + h e_i) - L(x - h e_i)}{2h}

with an error of order :math:`h^2` (the one-sided difference is only order :math:`h`).  Too small
an ``h`` and floating-point cancellation takes over, so the error curve against ``h`` is U-shaped;
``h = 1e-6`` sits near the bottom of the U for float64 and smooth functions of size ~1.

Two things make a check fail although the backward is right: a kink (ReLU at exactly 0, a max
pool whose two largest entries are within ``h`` of each other) and float32 data.  Random float64
inputs avoid both with probability one.

``rel_error`` is CS231n's measure, ``max |a - b| / max(|a| + |b|, 1e-8)`` taken entry-wise (the
floor keeps two near-zero entries, such as finite-difference noise of 1e-11 against an exact 0,
from counting as a 100% error);
below ~1e-7 the gradients agree, above ~1e-3 something is wrong.  ``max_difference`` is the
plain largest ``|a - b|``, for comparing two implementations (cnnlab against PyTorch).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_float_array, check_dict, check_float

__all__ = ["numerical_gradient", "rel_error", "max_difference", "GradientReport",
           "check_gradient", "one_sided_slopes", "TOLERANCE"]

TOLERANCE = 1e-6
"""The relative error below which :func:`check_gradient` says ok (its default ``tolerance``)."""


def rel_error(a, b, eps=1e-8):
    """Largest entry-wise relative error ``|a - b| / max(|a| + |b|, eps)``.

    Parameters
    ----------
    a, b : array_like
        Arrays of the same shape (scalars are fine).
    eps : float
        Floor for the denominator, so that two (near-)zeros agree instead of dividing by zero;
        greater than 0.

    Returns
    -------
    float
        0.0 for identical arrays; about 1e-10 for a correct gradient against finite differences.

    Examples
    --------
    >>> rel_error([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> round(rel_error(1.0, 1.1), 4)
    0.0476
    """
    a = as_float_array(a, "a", allow_empty=True).astype(np.float64)
    b = as_float_array(b, "b", allow_empty=True).astype(np.float64)
    eps = check_float(eps, "eps", minimum=0, allow_minimum=False)
    if a.shape != b.shape:
        raise ValueError(f"b must have the shape of a, {a.shape}, got {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(_relative(a, b, eps)))


def max_difference(a, b):
    """The largest absolute difference between two arrays of the same shape.

    Parameters
    ----------
    a, b : array_like
        Same shape (a torch tensor goes through ``.detach().cpu().numpy()`` first).

    Returns
    -------
    float

    Examples
    --------
    >>> max_difference([1.0, 2.0], [1.0, 2.5])
    0.5
    """
    a, b = (as_float_array(x.detach().cpu().numpy() if hasattr(x, "detach") else x, name,
                           allow_empty=True) for x, name in ((a, "a"), (b, "b")))
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)), initial=0.0))


def _relative(a, b, floor):
    """``|a - b| / max(|a| + |b|, floor)`` entry-wise, without overflow at any finite scale.

    Numerator and denominator are both halved first (the ratio is unchanged), so that
    ``a - b`` and ``|a| + |b|`` stay finite even for entries near the largest float64.
    """
    half_a, half_b = 0.5 * a, 0.5 * b
    numerator = np.abs(half_a - half_b)
    denominator = np.maximum(np.abs(half_a) + np.abs(half_b), 0.5 * floor)
    return np.divide(numerator, denominator, out=np.zeros_like(numerator),
                     where=denominator > 0)


def numerical_gradient(function, x, grad_output=None, h=1e-6):
    """Centred finite-difference gradient of ``function`` at ``x``.

    Parameters
    ----------
    function : callable
        ``function(x_array) -> array or float``.  It is called with perturbed copies of ``x``;
        ``x`` itself is never changed.
    x : array_like, any shape
        The point at which to differentiate.
    grad_output : array_like, optional
        For a function with an array output ``y``, the gradient of the loss with respect to
        ``y`` (the ``dout`` a backward function receives).  The returned array is then the
        gradient of ``sum(y * grad_output)``.  Leave it out for a scalar function.
    h : float
        The step, 1e-6 by default; greater than 0.  Each difference is divided by the step
        really taken, ``(x + h) - (x - h)`` in floating point; where ``x`` is so large that
        ``x + h == x`` (the step is lost in rounding) the function refuses and asks for a
        larger ``h``.

    Returns
    -------
    numpy.ndarray of float64, shape of ``x``
        ``d sum(function(x) * grad_output) / dx``.

    Examples
    --------
    >>> g = numerical_gradient(lambda v: np.sum(v ** 2), np.array([1.0, -2.0]))
    >>> np.round(g, 6)
    array([ 2., -4.])
    """
    if not callable(function):
        raise TypeError(f"function must be callable, function(x) -> array or float, got "
                        f"{type(function).__name__}")
    x = as_float_array(x, "x").astype(np.float64, copy=True)
    h = check_float(h, "h", minimum=0, allow_minimum=False)
    if grad_output is not None:
        grad_output = as_float_array(grad_output, "grad_output", allow_empty=True)
    steps = (x + h) - (x - h)                    # the steps floating point really takes
    if not np.all(steps > 0):
        where = tuple(int(i) for i in np.unravel_index(int(np.argmin(steps)), x.shape))
        raise ValueError(f"h={h:g} is lost in rounding at x{list(where)} = {x[where]:g} "
                         f"(x + h == x): choose h of about {abs(x[where]) * 1e-8:.1g} or more")
    grad = np.zeros_like(x)
    flat_x, flat_grad, flat_steps = x.reshape(-1), grad.reshape(-1), steps.reshape(-1)
    for i in range(flat_x.size):
        original = flat_x[i]
        flat_x[i] = original + h
        plus = _value(function, x, grad_output)
        flat_x[i] = original - h
        minus = _value(function, x, grad_output)
        flat_x[i] = original
        with np.errstate(over="ignore", invalid="ignore"):     # checked just below
            change = 0.5 * plus - 0.5 * minus
            if grad_output is not None:
                change = np.sum(change * grad_output)
            flat_grad[i] = change / (0.5 * flat_steps[i])
        if not np.isfinite(flat_grad[i]):
            raise ValueError(f"the finite difference at x[{i}] (flat index) overflows "
                             f"float64: function changes by more than 1e308 over the step h")
    return grad


def _value(function, x, grad_output):
    """``function`` at a copy of ``x``, as a float64 array, checked."""
    value = np.asarray(function(x.copy()))
    if value.dtype.kind not in "iuf":
        raise TypeError(f"function must return real numbers, got dtype {value.dtype}")
    value = value.astype(np.float64)
    if not np.isfinite(value).all():
        raise ValueError("function returned inf or NaN near x: its gradient cannot be "
                         "estimated there")
    if grad_output is None and value.size != 1:
        raise ValueError(f"function returns an array of shape {value.shape}: pass grad_output "
                         f"to say how it enters the loss")
    if grad_output is not None and value.shape != grad_output.shape:
        raise ValueError(f"grad_output must have the shape of function(x), {value.shape}, got "
                         f"{grad_output.shape}")
    return value if grad_output is not None else value.reshape(())


@dataclass
class GradientReport:
    """The result of :func:`check_gradient` for one input.

    Attributes
    ----------
    name : str
        Which input was checked.
    rel_error : float
        Largest entry-wise relative error between analytic and numerical gradients.
    worst_index : tuple of int
        Where that largest error occurs.
    analytic, numerical : numpy.ndarray
        The two gradients, for plotting an error map.
    passed : bool
        ``rel_error <= tolerance``.

    Examples
    --------
    >>> import numpy as np
    >>> report = GradientReport("x", 1e-3, (0, 1), np.zeros((1, 2)), np.ones((1, 2)), 1e-7)
    >>> report.passed
    False
    """

    name: str
    rel_error: float
    worst_index: tuple
    analytic: np.ndarray
    numerical: np.ndarray
    tolerance: float

    @property
    def passed(self):
        return self.rel_error <= self.tolerance

    def __str__(self):
        verdict = "ok" if self.passed else "MISMATCH"
        return (f"{self.name}: rel_error {self.rel_error:.2e} (worst at {self.worst_index}, "
                f"analytic {self.analytic[self.worst_index]:.6g} vs numerical "
                f"{self.numerical[self.worst_index]:.6g}) {verdict}")


def check_gradient(function, inputs, analytic, grad_output=None, h=1e-6, tolerance=TOLERANCE):
    """Compare analytic gradients with centred finite differences, input by input.

    Parameters
    ----------
    function : callable
        ``function(**inputs) -> array or float`` (the forward pass).
    inputs : dict of str -> array
        The point at which to check; never changed.
    analytic : dict of str -> array
        The gradients your backward function returned, keyed like ``inputs`` (a subset is fine).
    grad_output : array_like, optional
        The upstream gradient used for the analytic gradients, if ``function`` has an array
        output.
    h, tolerance : float
        Finite-difference step (greater than 0), and the largest relative error that counts
        as a pass (0 or more).  The error of each entry is
        ``|a - n| / max(|a| + |n|, 1e-4 * largest |a| + |n|)``: tiny entries are judged
        against the gradient's scale, not their own (see the code).

    Returns
    -------
    dict of str -> GradientReport

    Examples
    --------
    >>> x = np.array([1.0, 2.0])
    >>> reports = check_gradient(lambda x: np.sum(x ** 3), {"x": x}, {"x": 3 * x ** 2})
    >>> reports["x"].passed
    True
    """
    if not callable(function):
        raise TypeError(f"function must be callable, function(**inputs) -> array or float, got "
                        f"{type(function).__name__}")
    for argument, value in (("inputs", inputs), ("analytic", analytic)):
        check_dict(value, argument, "a dict mapping argument names to arrays")
    if not analytic:
        raise ValueError("analytic must hold at least one gradient to check, got an empty dict")
    for name in analytic:
        if name in inputs:
            as_float_array(inputs[name], f"inputs[{name!r}]")
    unknown = set(analytic) - set(inputs)
    if unknown:
        raise ValueError(f"analytic names {sorted(unknown)} that are not in inputs "
                         f"{sorted(inputs)}")
    h = check_float(h, "h", minimum=0, allow_minimum=False)
    tolerance = check_float(tolerance, "tolerance", minimum=0)
    analytic = {name: as_float_array(grad, f"analytic[{name!r}]").astype(np.float64)
                for name, grad in analytic.items()}
    for name, grad in analytic.items():
        expected = np.shape(inputs[name])
        if grad.shape != expected:
            raise ValueError(f"analytic[{name!r}] has shape {grad.shape} but {name} has shape "
                             f"{expected}")
    reports = {}
    for name, grad in analytic.items():
        def partial(value, name=name):
            arguments = {key: (np.array(v, copy=True) if isinstance(v, np.ndarray) else v)
                         for key, v in inputs.items()}
            arguments[name] = value
            return function(**arguments)

        numerical = numerical_gradient(partial, inputs[name], grad_output=grad_output, h=h)
        # Entry-wise relative error.  Entries far below the gradient's own scale are compared
        # against 1e-4 of that scale instead of their own size: a centred difference carries
        # round-off of about 1e-16 / h in absolute terms, which would dwarf a 1e-7 entry.
        scale = float(np.max(0.5 * np.abs(grad) + 0.5 * np.abs(numerical), initial=0.0))
        floor = max(1e-8, 2e-4 * scale)
        errors = _relative(grad, numerical, floor)
        worst = np.unravel_index(int(np.argmax(errors)), errors.shape)
        reports[name] = GradientReport(name, float(errors[worst]),
                                       tuple(int(i) for i in worst), grad, numerical, tolerance)
    return reports


def one_sided_slopes(loss, array, index, h=1e-6):
    """Forward, backward and centred difference quotients of ``loss`` in one entry of ``array``.

    Where ``loss`` is smooth the three agree to O(h).  On a tie or a kink the forward and the
    backward slope differ by a fixed amount however small h is, and the centred difference is
    their average: a value no analytic gradient gives.

    Parameters
    ----------
    loss : callable
        ``loss(array) -> float``.
    array : array_like
        The point (not changed).
    index : tuple of int
        The entry to nudge.
    h : float
        The step (> 0).

    Returns
    -------
    dict
        ``forward`` (L(x + h) - L(x)) / h, ``backward`` (L(x) - L(x - h)) / h, ``centred``.

    Examples
    --------
    >>> slopes = one_sided_slopes(lambda x: float(abs(x[0])), np.zeros(1), (0,))
    >>> slopes["forward"], slopes["backward"], slopes["centred"]
    (1.0, -1.0, 0.0)
    """
    if not callable(loss):
        raise TypeError(f"loss must be a function, got {type(loss).__name__}")
    array = as_float_array(array, "array")
    h = check_float(h, "h", minimum=0.0, allow_minimum=False)
    step = np.zeros_like(array)
    try:
        step[index] = h
    except (IndexError, TypeError, ValueError) as error:
        raise ValueError(f"index must name one entry of an array of shape {array.shape}, "
                         f"got {index!r}") from error
    if np.count_nonzero(step) != 1:
        raise ValueError(f"index must name one entry of an array of shape {array.shape}, "
                         f"got {index!r}")
    middle = loss(array)
    forward = (loss(array + step) - middle) / h
    backward = (middle - loss(array - step)) / h
    return {"forward": float(forward), "backward": float(backward),
            "centred": float((forward + backward) / 2)}
