"""Exercise checkers, one module per lesson (``cnnlab.exercises.lesson03`` ...).

Each checker runs the learner's answer on fixed, seeded cases and returns a
:class:`~cnnlab.exercises._check.CheckResult` that prints as a one-line verdict: right, or what
is probably wrong ("your output is the right one rotated 180 degrees: did you flip the kernel?").
"""

from ._check import CheckResult, compare_arrays, run_function

__all__ = ["CheckResult", "compare_arrays", "run_function"]
