"""The course: one module per lesson, holding that lesson's panels and its exercise checkers.

``cnnlab.lessons.lesson03`` is everything lesson 03's notebook imports: the figures and widgets
it shows (``lesson03.sliding_window()``) and the checkers of its exercises
(``lesson03.check_output_size(...)``). A notebook cell stays one line while the code that draws
the figure, wires its sliders and judges an answer is here, readable and tested.

Shared pieces: ``_common`` (a sample digit, preset kernels, control factories) and ``_check``
(the verdict every checker returns and the machinery that names a learner's likely mistake).
``solutions`` holds the worked solution of every exercise (the third tier of help, shown by
``.solution()`` after a try), in course order: the answer key.
"""

from ._check import CheckResult, compare_arrays, run_function

__all__ = ["CheckResult", "compare_arrays", "run_function"]
