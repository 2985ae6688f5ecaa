"""Figure and widget builders of the lessons, one module per lesson (``cnnlab.demos.lesson03``).

A notebook cell stays one line (``lesson03.sliding_window()``) while the code that draws the
figure and wires its sliders is here, readable and tested.
"""
