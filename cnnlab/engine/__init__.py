"""The engine: speed tricks kept apart from the textbook, each tested against it.

The textbook (``cnnlab.conv``, ``cnnlab.pooling``, ``cnnlab.activations``, ...) holds one loop
version and one plain vectorised version of every layer. What makes training fast on a CPU lives
here, and every piece is checked against the textbook layers in ``tests/``:

    cnnlab.engine.blocks   conv -> ReLU -> max pool fused into one block (lesson 09, "pool first")
    cnnlab.engine.pooling  max pooling routed by map size (fewest calls or fewest passes)
    cnnlab.engine.seednet  the seed network's step with its arguments checked once
    cnnlab.engine.memory   keep freed memory in the process (no page faults on every step)
    cnnlab.engine.threads  run NumPy's BLAS on one thread while training

Training uses the engine through one switch: ``cnnlab.models.small_cnn_loss(..., fused=True)``
(what ``cnnlab.train.Trainer`` runs); ``fused=False`` runs the textbook layers one by one.
"""
