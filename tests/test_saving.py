"""Saving and loading a trained network: an exact round trip, and a clear refusal of bad files."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
from bad_inputs import assert_refused, rows
from hypothesis import given
from hypothesis import strategies as st

import cnnlab
from cnnlab.models import init_small_cnn, predict_proba
from cnnlab.saving import describe_architecture, load_network, save_network


def trained_like(seed=0, **kwargs):
    """Parameters with non-zero biases (init_small_cnn starts them at 0)."""
    params = init_small_cnn(seed=seed, **kwargs)
    rng = np.random.default_rng(seed + 1)
    for key in params:
        if key.endswith(".bias"):
            params[key] = rng.normal(size=params[key].shape).astype(params[key].dtype)
    return params


@pytest.fixture
def saved(tmp_path):
    params = trained_like(num_blocks=2)
    path = save_network(tmp_path / "net.npz", params, trained_on="shipped subset, 2 epochs",
                        test_accuracy=0.9635)
    return path, params


def test_round_trip_is_exact_with_everything_the_file_says(saved):
    path, params = saved
    back = load_network(path)
    assert list(back.params) == list(params)
    for key, value in params.items():
        assert back.params[key].dtype == value.dtype
        assert back.params[key].shape == value.shape
        assert np.array_equal(back.params[key], value), key
    assert back.architecture == {"num_filters": 8, "kernel_size": 5, "num_blocks": 2,
                                 "num_classes": 10, "in_channels": 1, "image_shape": [28, 28]}
    assert back.dtype == "float64"
    assert back.trained_on == "shipped subset, 2 epochs"
    assert back.test_accuracy == 0.9635
    assert back.cnnlab_version == cnnlab.__version__
    assert back.path == path


def test_loaded_network_predicts_exactly_as_the_saved_one(saved):
    path, params = saved
    images = np.random.default_rng(3).random((5, 1, 28, 28))
    assert np.array_equal(predict_proba(load_network(path).params, images),
                          predict_proba(params, images))


@given(num_filters=st.integers(1, 5), kernel_size=st.sampled_from([1, 3, 5, 7]),
       num_blocks=st.integers(1, 2), num_classes=st.integers(2, 12),
       in_channels=st.integers(1, 3), height=st.integers(4, 20), width=st.integers(4, 20),
       dtype=st.sampled_from([np.float32, np.float64]), seed=st.integers(0, 2**16))
def test_round_trip_over_architectures(num_filters, kernel_size, num_blocks, num_classes,
                                       in_channels, height, width, dtype, seed):
    params = trained_like(seed=seed, num_filters=num_filters, kernel_size=kernel_size,
                          num_blocks=num_blocks, num_classes=num_classes,
                          image_shape=(height, width), in_channels=in_channels, dtype=dtype)
    before = {key: value.copy() for key, value in params.items()}
    with tempfile.TemporaryDirectory() as folder:
        path = save_network(Path(folder) / "net.npz", params, image_shape=(height, width))
        back = load_network(path)
        assert sorted(os.listdir(folder)) == ["net.npz"], "no temporary file left behind"
    for key in params:
        assert np.array_equal(params[key], before[key]), "save_network changed its input"
        assert back.params[key].dtype == np.dtype(dtype)
        assert np.array_equal(back.params[key], params[key])
    assert back.architecture == {"num_filters": num_filters, "kernel_size": kernel_size,
                                 "num_blocks": num_blocks, "num_classes": num_classes,
                                 "in_channels": in_channels, "image_shape": [height, width]}
    # The architecture read back rebuilds exactly these shapes.
    rebuilt = init_small_cnn(**{**back.architecture,
                                "image_shape": tuple(back.architecture["image_shape"])})
    assert {k: v.shape for k, v in rebuilt.items()} == {k: v.shape for k, v in params.items()}


def test_the_file_holds_no_pickle_only_plain_arrays(saved):
    path, params = saved
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == sorted(["metadata"] + [f"param/{k}" for k in params])
        for name in archive.files:
            assert archive[name].dtype != object
        metadata = json.loads(str(archive["metadata"]))
    assert metadata["format"] == "cnnlab.small_cnn" and metadata["format_version"] == 1


def test_save_replaces_an_existing_file_atomically(saved, monkeypatch):
    path, params = saved
    original = path.read_bytes()

    def broken_savez(file, **arrays):
        file.write(b"PK\x03\x04 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        save_network(path, params)
    assert path.read_bytes() == original, "the old file must survive a failed save"
    assert os.listdir(path.parent) == [path.name], "the temporary file must be removed"


def test_save_overwrites_with_new_parameters(saved):
    path, _ = saved
    other = trained_like(seed=5, num_filters=3)
    save_network(path, other)
    back = load_network(path)
    assert back.architecture["num_filters"] == 3 and back.architecture["num_blocks"] == 1
    assert np.array_equal(back.params["conv1.weight"], other["conv1.weight"])


# ---- refusals: bad files -------------------------------------------------------------------

def test_wrong_path_names_the_path(tmp_path):
    missing = tmp_path / "nowhere.npz"
    with pytest.raises(FileNotFoundError, match="nowhere.npz"):
        load_network(missing)
    with pytest.raises(ValueError, match="is a folder"):
        load_network(tmp_path)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_truncated_file_is_refused_with_its_path(saved, keep):
    path, _ = saved
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * keep)])
    with pytest.raises(ValueError, match=r"net\.npz.*(truncated|corrupt)"):
        load_network(path)


@pytest.mark.parametrize("content", [b"", b"hello, I am not a network", bytes(range(256)) * 8])
def test_garbage_file_is_refused(tmp_path, content):
    path = tmp_path / "garbage.npz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="garbage.npz"):
        load_network(path)


def test_plain_npz_without_metadata_is_refused(tmp_path):
    path = tmp_path / "plain.npz"
    np.savez(path, **init_small_cnn())
    with pytest.raises(ValueError, match="plain.npz.*no 'metadata'.*save_network"):
        load_network(path)


def test_pickled_objects_are_never_loaded(saved):
    path, params = saved
    with np.load(path) as archive:
        arrays = dict(archive)
    arrays["param/dense.bias"] = np.array([object()] * 10, dtype=object)
    np.savez(path, **arrays)                       # np.savez pickles object arrays
    with pytest.raises(ValueError, match="pickled"):
        load_network(path)


def rewrite(path, drop=(), metadata=None, **replace):
    """Rewrite a saved file with entries dropped, replaced, or the metadata changed."""
    with np.load(path) as archive:
        arrays = {k: v for k, v in archive.items() if k not in drop}
    arrays.update(replace)
    if metadata is not None:
        old = json.loads(str(arrays["metadata"]))
        arrays["metadata"] = np.array(json.dumps(metadata(old)))
    np.savez(path, **arrays)


@pytest.mark.parametrize("key", ["conv1.weight", "conv2.bias", "dense.weight", "dense.bias"])
def test_missing_parameter_is_named(saved, key):
    path, _ = saved
    rewrite(path, drop=[f"param/{key}"])
    with pytest.raises(ValueError, match=rf"net\.npz.*missing \['{key}'\]"):
        load_network(path)


def test_unexpected_parameter_is_named(saved):
    path, _ = saved
    rewrite(path, **{"param/conv3.weight": np.zeros((32, 16, 5, 5))})
    with pytest.raises(ValueError, match=r"unexpected \['conv3.weight'\]"):
        load_network(path)


def test_array_of_another_architecture_is_refused(saved):
    path, _ = saved
    other = init_small_cnn(num_filters=4, num_blocks=2)
    rewrite(path, **{"param/conv1.weight": other["conv1.weight"]})
    with pytest.raises(ValueError, match=r"net\.npz.*conv1\.weight has shape \(4, 1, 5, 5\).*"
                                         r"needs \(8, 1, 5, 5\)"):
        load_network(path)


def test_architecture_in_the_metadata_must_fit_the_arrays(saved):
    path, _ = saved
    rewrite(path, metadata=lambda m: {**m, "architecture": {**m["architecture"],
                                                            "num_blocks": 1}})
    with pytest.raises(ValueError, match=r"unexpected \['conv2.weight', 'conv2.bias'\]"):
        load_network(path)


def test_expected_architecture_is_enforced(saved):
    path, _ = saved
    assert load_network(path, architecture={"num_blocks": 2, "num_filters": 8}).params
    with pytest.raises(ValueError, match=r"net\.npz.*num_blocks=2, not 1"):
        load_network(path, architecture={"num_blocks": 1})
    with pytest.raises(ValueError, match=r"image_shape=\[28, 28\], not \(32, 32\)"):
        load_network(path, architecture={"image_shape": (32, 32)})
    with pytest.raises(ValueError, match="unknown keys"):
        load_network(path, architecture={"filters": 8})
    with pytest.raises(TypeError, match="architecture must be a dict"):
        load_network(path, architecture=2)


@pytest.mark.parametrize("change, words", [
    (lambda m: {**m, "format": "keras"}, "does not say format"),
    (lambda m: {**m, "format_version": 99}, "format version 99"),
    (lambda m: {k: v for k, v in m.items() if k != "architecture"}, "no 'architecture'"),
    (lambda m: {**m, "dtype": "int8"}, "dtype 'int8'"),
    (lambda m: {**m, "dtype": "float32"}, "is float64 but the file says 'float32'"),
    (lambda m: {**m, "test_accuracy": 7}, "not between 0 and 1"),
    (lambda m: {**m, "architecture": {**m["architecture"], "kernel_size": 4}}, "must be odd"),
    (lambda m: {**m, "architecture": {**m["architecture"], "num_blocks": 3}}, "1 or 2"),
    (lambda m: {**m, "architecture": [1, 2]}, "must be a dict"),
])
def test_bad_metadata_is_refused(saved, change, words):
    path, _ = saved
    rewrite(path, metadata=change)
    with pytest.raises(ValueError, match=words):
        load_network(path)


def test_metadata_that_is_not_json_text_is_refused(saved):
    path, _ = saved
    with np.load(path) as archive:
        arrays = dict(archive)
    arrays["metadata"] = np.array("{not json")
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="not valid JSON"):
        load_network(path)
    arrays["metadata"] = np.zeros(3)
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="not one text"):
        load_network(path)


def test_nan_in_a_file_is_refused(saved):
    path, params = saved
    bad = params["dense.bias"].copy()
    bad[3] = np.nan
    rewrite(path, **{"param/dense.bias": bad})
    with pytest.raises(ValueError, match="dense.bias holds NaN"):
        load_network(path)


def test_file_is_a_zip_of_npy_entries(saved):
    path, _ = saved
    with zipfile.ZipFile(path) as archive:
        assert all(name.endswith(".npy") for name in archive.namelist())


# ---- refusals: bad arguments to save_network -----------------------------------------------

def test_save_checks_its_arguments(tmp_path):
    params = init_small_cnn()
    with pytest.raises(ValueError, match="must end in .npz"):
        save_network(tmp_path / "net.pkl", params)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        save_network(tmp_path / "no" / "net.npz", params)
    with pytest.raises(TypeError, match="path must be"):
        save_network(3, params)
    with pytest.raises(TypeError, match="params must be"):
        save_network(tmp_path / "net.npz", [1, 2])
    with pytest.raises(ValueError, match="test_accuracy"):
        save_network(tmp_path / "net.npz", params, test_accuracy=96.5)
    with pytest.raises(ValueError, match="test_accuracy"):
        save_network(tmp_path / "net.npz", params, test_accuracy=True)
    with pytest.raises(TypeError, match="trained_on"):
        save_network(tmp_path / "net.npz", params, trained_on=5)
    with pytest.raises(ValueError, match="image_shape"):
        save_network(tmp_path / "net.npz", params, image_shape=(28,))
    with pytest.raises(ValueError, match=r"dense.weight has shape \(1568, 10\).*\(2048, 10\)"):
        save_network(tmp_path / "net.npz", params, image_shape=(32, 32))
    assert os.listdir(tmp_path) == []


def test_save_refuses_parameters_that_are_not_the_small_cnn(tmp_path):
    path = tmp_path / "net.npz"
    params = init_small_cnn()
    with pytest.raises(ValueError, match="no 'conv1.weight'"):
        save_network(path, {"w": np.zeros(3)})
    with pytest.raises(ValueError, match=r"unexpected \['extra'\]"):
        save_network(path, {**params, "extra": np.zeros(2)})
    with pytest.raises(ValueError, match="float32, or every one float64"):
        save_network(path, {**params, "dense.bias": params["dense.bias"].astype(np.float32)})
    with pytest.raises(ValueError, match="float32, or every one float64"):
        save_network(path, {k: v.astype(np.int64) for k, v in params.items()})
    nan = {**params, "conv1.bias": np.full(8, np.nan)}
    with pytest.raises(ValueError, match="conv1.bias holds NaN"):
        save_network(path, nan)
    with pytest.raises(ValueError, match="missing \\['dense.bias'\\]"):
        save_network(path, {k: v for k, v in params.items() if k != "dense.bias"})
    assert not path.exists()


def test_describe_architecture_matches_init_small_cnn():
    for blocks in (1, 2):
        params = init_small_cnn(num_filters=3, kernel_size=3, num_blocks=blocks, num_classes=4)
        architecture = describe_architecture(params)
        rebuilt = init_small_cnn(**{**architecture,
                                    "image_shape": tuple(architecture["image_shape"])})
        assert {k: v.shape for k, v in rebuilt.items()} == {k: v.shape for k, v in
                                                              params.items()}


def test_load_first_takes_the_first_file_that_exists(tmp_path):
    from cnnlab.saving import load_first

    save_network(tmp_path / "b.npz", init_small_cnn(num_filters=2), trained_on="b")
    save_network(tmp_path / "c.npz", init_small_cnn(num_filters=3), trained_on="c")
    saved = load_first([tmp_path / "a.npz", tmp_path / "b.npz", str(tmp_path / "c.npz")])
    assert saved.trained_on == "b" and saved.path == tmp_path / "b.npz"
    assert load_first([tmp_path / "a.npz"]) is None and load_first([]) is None
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="bad.npz"):          # a bad file is not skipped
        load_first([tmp_path / "bad.npz", tmp_path / "b.npz"])
    with pytest.raises(TypeError, match="paths must be a sequence"):
        load_first(tmp_path / "b.npz")


# ---- issue 25: files that are not network files, or cannot be read -------------------------

def test_a_npy_file_named_npz_is_refused_by_name(tmp_path):
    """np.load returns an array for a .npy whatever its name: that raised a raw TypeError."""
    np.save(tmp_path / "weights.npy", np.ones(3))
    (tmp_path / "weights.npy").rename(tmp_path / "weights.npz")
    with pytest.raises(ValueError, match=r"weights.npz' is a \.npy file .*save_network"):
        load_network(tmp_path / "weights.npz")
    (tmp_path / "notes.npz").write_text("hello")
    with pytest.raises(ValueError, match=r"notes.npz' is not an \.npz file"):
        load_network(tmp_path / "notes.npz")
    with pytest.raises(TypeError, match="architecture must be a dict"):
        load_network(tmp_path / "notes.npz", architecture=[2])
    from cnnlab.saving import load_first
    with pytest.raises(TypeError, match="paths must be a sequence"):
        load_first(None)
    with pytest.raises(TypeError, match="paths must be a sequence"):
        load_first(3.5)


def test_an_unreadable_network_file_is_said_to_be_unreadable(tmp_path, monkeypatch):
    import builtins

    path = save_network(tmp_path / "net.npz", init_small_cnn(num_filters=2))
    real_open = builtins.open

    def fake_open(file, *args, **kwargs):
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)
    monkeypatch.setattr(builtins, "open", fake_open)
    with pytest.raises(ValueError, match=r"net.npz' cannot be read \(PermissionError: "
                                         r"Permission denied\): check its permissions"):
        load_network(path)


# ---- the bad-input table (tests/bad_inputs.py): (what, call, error, word in the message) ----

def _tmp(name):
    return Path(tempfile.mkdtemp()) / name


def _npy_named_npz():
    path = _tmp("weights.npz")
    with open(path, "wb") as handle:
        np.save(handle, np.ones(3))
    return path


BAD_ROWS = [
    ("save_network path number", lambda: save_network(3, init_small_cnn(num_filters=2)),
     TypeError, "path"),
    ("save_network path npy", lambda: save_network(_tmp("net.npy"), init_small_cnn(
        num_filters=2)), ValueError, "path"),
    ("save_network no folder", lambda: save_network(_tmp("no/such/net.npz"), init_small_cnn(
        num_filters=2)), FileNotFoundError, "path"),
    ("save_network trained_on number", lambda: save_network(
        _tmp("n.npz"), init_small_cnn(num_filters=2), trained_on=3), TypeError, "trained_on"),
    ("save_network accuracy 2", lambda: save_network(
        _tmp("n.npz"), init_small_cnn(num_filters=2), test_accuracy=2.0), ValueError,
     "test_accuracy"),
    ("save_network params list", lambda: save_network(_tmp("n.npz"), [1, 2]), TypeError,
     "params"),
    ("load_network path None", lambda: load_network(None), TypeError, "path"),
    ("load_network no file", lambda: load_network(_tmp("none.npz")), FileNotFoundError,
     "no network file"),
    ("load_network npy named npz", lambda: load_network(_npy_named_npz()), ValueError,
     "is a .npy file"),
    ("load_network a folder", lambda: load_network(_tmp("x").parent), ValueError,
     "is a folder"),
    ("load_network architecture list", lambda: load_network(_npy_named_npz(), [2]), TypeError,
     "architecture"),
]


@pytest.mark.parametrize(("call", "error", "word"), rows("saving", BAD_ROWS))
def test_bad_input_is_refused_with_a_message_naming_it(call, error, word):
    assert_refused(call, error, word)
