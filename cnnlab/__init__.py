"""cnnlab: convolutional neural networks from scratch in NumPy.

The helper package of the cnnlab course.  The public API is filled in as modules land.
"""

__version__ = "0.1.0"
