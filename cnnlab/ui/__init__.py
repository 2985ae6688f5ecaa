"""The course's user interface, apart from the textbook and above it.

    cnnlab.ui.widgets   Panel (controls wired to a figure: the API a lesson uses), LiveFigure,
                        show_panel
    cnnlab.ui.blit      how a panel redraws fast: the blitter and PNG writer, with their numbers
    cnnlab.ui.board     TrainingBoard, a live loss/accuracy/kernel board for Trainer.run
    cnnlab.ui.drawpad   a drawing pad (anywidget) and strokes to a 28x28 MNIST-style image

The textbook modules (layers, networks, training) never import this package; it imports them.
"""
