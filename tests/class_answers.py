"""Answers to every exercise, as the code of a submitted notebook's exercise cells: right, wrong
in a catalogued way, and hard-coded to the visible cases (tests/test_class_edition.py).

An exercise checked by ``check_function`` gets its answers from its own declaration: its
``right`` and its first catalogued mistake model that its checker names, each wrapped in a
function of the learner's name (a ``right`` that is the worked solution is copied instead: a
cell calling cnnlab.lessons.solutions is refused).  The exercises with their own ``check=``
function get answers written here, as a learner would, with the words their hint must contain.
"""

from __future__ import annotations

import base64
import inspect
import pickle
import textwrap

from cnnlab.lessons import classroom

# label: (right answer, wrong answer, words the wrong answer's feedback must contain)
WRITTEN = {
    "lesson02.check_pad_by_stacking": ("""
        def pad_by_stacking(image, p):
            rows = np.zeros((p, image.shape[1]))
            stacked = np.vstack([rows, image, rows])
            cols = np.zeros((stacked.shape[0], p))
            return np.hstack([cols, stacked, cols])
        """, """
        def pad_by_stacking(image, p):
            rows = np.zeros((p, image.shape[1]))
            return np.vstack([rows, image, rows])
        """, "you added the rows but not the columns"),
    "lesson04.check_max_pool": ("""
        def max_pool_2d(feature_map, size, stride):
            rows = (feature_map.shape[0] - size) // stride + 1
            cols = (feature_map.shape[1] - size) // stride + 1
            out = np.zeros((rows, cols))
            for i in range(rows):
                for j in range(cols):
                    r, c = i * stride, j * stride
                    out[i, j] = feature_map[r:r + size, c:c + size].max()
            return out
        """, """
        def max_pool_2d(feature_map, size, stride):
            rows = (feature_map.shape[0] - size) // stride + 1
            cols = (feature_map.shape[1] - size) // stride + 1
            out = np.zeros((rows, cols))
            for i in range(rows):
                for j in range(cols):
                    r, c = i * size, j * size
                    out[i, j] = feature_map[r:r + size, c:c + size].max()
            return out
        """, "not i * size"),
    "lesson05.check_sigmoid": ("""
        def stable_sigmoid(x):
            return np.exp(-np.logaddexp(0, -x))
        """, """
        def stable_sigmoid(x):
            return 1 / (1 + np.exp(-x))
        """, "overflowed"),
    "lesson06.check_grad_logit": ("""
        def grad_logit(y_hat, y, loss):
            if loss == "squared_error":
                return (y_hat - y) * y_hat * (1 - y_hat)
            return y_hat - y
        """, """
        def grad_logit(y_hat, y, loss):
            return y_hat - y
        """, "sigmoid's derivative"),
    "lesson06.check_output_layer": ("""
        def output_layer_grads(F, w, y_hat, y):
            g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
            return F.T @ g, g.sum(), np.outer(g, w)
        """, """
        def output_layer_grads(F, w, y_hat, y):
            g = (y_hat - y) / len(y)
            return F.T @ g, g.sum(), np.outer(g, w)
        """, "you left out the sigmoid's derivative"),
    "lesson07.check_backward_pass": ("""
        from cnnlab.lessons import _mistakes07
        _seed_grads = _mistakes07.seed_grads

        def backward_pass(image, params, y):
            grads = _seed_grads(image, params, y)
            return {name: grads[name] for name in params}
        """, """
        from cnnlab.lessons import _mistakes07
        _seed_grads = _mistakes07.seed_grads

        def backward_pass(image, params, y):
            grads = _seed_grads(image, params, y)
            grads = {name: grads[name] for name in params}
            grads["kernel"] = grads["kernel"][::-1, ::-1]
            return grads
        """, "rotated 180 degrees"),
    "lesson08.check_gd_update": ("""
        def gd_update(params, grads, lr):
            return {name: params[name] - lr * grads[name] for name in params}
        """, """
        def gd_update(params, grads, lr):
            return {name: params[name] + lr * grads[name] for name in params}
        """, "uphill"),
    "lesson08.check_momentum_step": ("""
        def momentum_step(params, grads, velocity, lr, momentum):
            new_velocity = {name: momentum * velocity[name] + grads[name] for name in params}
            return {name: params[name] - lr * new_velocity[name] for name in params}, new_velocity
        """, """
        def momentum_step(params, grads, velocity, lr, momentum):
            new_velocity = {name: grads[name] for name in params}
            return {name: params[name] - lr * new_velocity[name] for name in params}, new_velocity
        """, "dropped the old velocity"),
    "lesson08.check_train_epoch": ("""
        def train_epoch(params, images, targets, order, batch_size, lr):
            losses = []
            for start in range(0, len(images), batch_size):
                batch = order[start:start + batch_size]
                loss, grads, _ = cl.seednet.seed_network_loss(params, images[batch], targets[batch])
                losses.append(loss)
                params = {name: params[name] - lr * grads[name] for name in params}
            return params, losses
        """, """
        def train_epoch(params, images, targets, order, batch_size, lr):
            losses = []
            for start in range(0, len(images) - batch_size + 1, batch_size):
                batch = order[start:start + batch_size]
                loss, grads, _ = cl.seednet.seed_network_loss(params, images[batch], targets[batch])
                losses.append(loss)
                params = {name: params[name] - lr * grads[name] for name in params}
            return params, losses
        """, "dropped the last, smaller batch"),
    "lesson09.check_minibatches": ("""
        def minibatches(images, labels, batch_size, seed):
            order = np.random.default_rng(seed).permutation(len(labels))
            return [(images[order[i:i + batch_size]], labels[order[i:i + batch_size]])
                    for i in range(0, len(order), batch_size)]
        """, """
        def minibatches(images, labels, batch_size, seed):
            return [(images[i:i + batch_size], labels[i:i + batch_size])
                    for i in range(0, len(labels), batch_size)]
        """, "not shuffled"),
    "lesson11.check_torch_to_cnnlab": ("""
        def torch_to_cnnlab(state):
            return {k: (v.T.copy() if k == "dense.weight" else v.copy()) for k, v in state.items()}
        """, """
        def torch_to_cnnlab(state):
            return {k: v.copy() for k, v in state.items()}
        """, "still in nn.Linear's (out, in) layout"),
    "lesson11.check_torch_step": ("""
        def torch_step(model, optimizer, images, labels):
            import torch.nn.functional as F
            optimizer.zero_grad()
            loss = F.cross_entropy(model(images), labels)
            loss.backward()
            optimizer.step()
            return loss.item()
        """, """
        def torch_step(model, optimizer, images, labels):
            import torch.nn.functional as F
            loss = F.cross_entropy(model(images), labels)
            loss.backward()
            optimizer.step()
            return loss.item()
        """, "optimizer.zero_grad()"),
}

#: Exercises whose answer a hard-coded table cannot fake on hidden cases, and why.
NOT_HARD_CODABLE = {
    "lesson01.check_box_blur": "make_box_blur() takes no input: its answer is one constant",
    "lesson11.check_torch_step": "the checker reads the model's weights after the step, not "
                                 "only the loss returned; its data is PyTorch's, seeded once",
}


def _wrapped(label, answer_name, where):
    lesson, checker = label.split(".")
    return textwrap.dedent(f"""
        from cnnlab.lessons import {lesson} as _lesson_module
        _model = _lesson_module.{checker}.check_kwargs{where}

        def {answer_name}(*args):
            return _model(*args)
        """)


def right_source(label, answer_name):
    """The code of a right answer to ``label``, defining ``answer_name``.  A reference that is
    the exercise's worked solution (cnnlab.lessons.solutions) is copied into the cell, as a
    learner would type it: a cell that calls the answer key is refused by name."""
    if label in WRITTEN:
        return textwrap.dedent(WRITTEN[label][0])
    right = classroom.exercises()[label].check_kwargs["right"]
    if getattr(right, "__module__", None) == "cnnlab.lessons.solutions":
        copied = textwrap.dedent(inspect.getsource(right))
        return copied.replace(f"def {right.__name__}(", f"def {answer_name}(", 1)
    return _wrapped(label, answer_name, '["right"]')


def wrong_source(label, answer_name):
    """(code of a wrong answer to ``label`` defining ``answer_name``, words its feedback must
    contain): a mistake the exercise's catalogue names."""
    if label in WRITTEN:
        return textwrap.dedent(WRITTEN[label][1]), WRITTEN[label][2]
    exercise = classroom.exercises()[label]
    for index, (_, hint) in enumerate(exercise.check_kwargs["mistakes"]):
        namespace = {"__name__": "__main__"}
        exec(_wrapped(label, answer_name, f'["mistakes"][{index}][0]'), namespace)
        if exercise.verdict(namespace[answer_name]).message == f"{exercise.name}: {hint}":
            return _wrapped(label, answer_name, f'["mistakes"][{index}][0]'), hint
    raise AssertionError(f"{label}: no catalogued mistake names itself")


def hard_coded_source(label, answer_name):
    """The code of an answer that returns the visible cases' right answers from a table (keyed
    by the arguments' bytes) and, for any other input, the first answer it memorised."""
    namespace = {"np": __import__("numpy"), "cl": __import__("cnnlab"), "__name__": "__main__"}
    exec(right_source(label, answer_name), namespace)
    right, table = namespace[answer_name], {}

    def recorder(*args):
        value = right(*args)
        table.setdefault(classroom._fingerprint(args), value)
        return value

    recorder.__name__ = answer_name
    classroom.exercises()[label].verdict(recorder)
    blob = base64.b64encode(pickle.dumps(table)).decode()
    return textwrap.dedent(f"""
        import base64 as _base64, pickle as _pickle
        from cnnlab.lessons.classroom import _fingerprint
        _ANSWERS = _pickle.loads(_base64.b64decode("{blob}"))

        def {answer_name}(*args):
            key = _fingerprint(args)
            return _ANSWERS[key] if key in _ANSWERS else next(iter(_ANSWERS.values()))
        """)
