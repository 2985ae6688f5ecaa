"""The course's user interface, apart from the textbook and above it.

    cnnlab.ui.widgets   LiveFigure (a figure updated in place), Panel (controls wired to it),
                        show_panel
    cnnlab.ui.board     TrainingBoard, a live loss/accuracy/kernel board for Trainer.run
    cnnlab.ui.drawpad   a drawing pad (anywidget) and strokes to a 28x28 MNIST-style image

The textbook modules (layers, networks, training) never import this package; it imports them.
"""
