"""Data: IDX parsing, the download cache (offline, with a fake server), the shipped subset."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import importlib.util
import os
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
from bad_inputs import (
    INF,
    NAN,
    aliasing,
    assert_inputs_unchanged_and_outputs_not_views,
    assert_many_rows,
    assert_refused,
    rows,
)

from cnnlab import data
from cnnlab.data import (
    MNIST,
    iterate_minibatches,
    load_mnist,
    load_mnist_subset,
    parse_idx,
    prepare_images,
    two_digit_task,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED_MNIST = ROOT.parent / "shared" / "data" / "mnist.npz"
SUBSET_FILE = ROOT / "cnnlab" / "_data" / "mnist_subset.npz"


def idx_bytes(array):
    """Write an IDX file by hand (independently of the parser): magic, dims, values."""
    header = bytes([0, 0, 0x08, array.ndim])
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


# ---------------------------------------------------------------------------------------------
# IDX
# ---------------------------------------------------------------------------------------------

def test_parse_idx_images_and_labels(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, size=(3, 4, 5)).astype(np.uint8)
    labels = np.array([7, 0, 9], dtype=np.uint8)
    np.testing.assert_array_equal(parse_idx(idx_bytes(images)), images)
    path = tmp_path / "labels.gz"
    path.write_bytes(gzip.compress(idx_bytes(labels)))
    np.testing.assert_array_equal(parse_idx(path), labels)


def test_parse_idx_refuses_bad_magic_and_truncation():
    good = idx_bytes(np.zeros((2, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match="magic"):
        parse_idx(b"\x01\x02" + good[2:])
    with pytest.raises(ValueError, match="truncated"):
        parse_idx(good[:-1])
    with pytest.raises(ValueError, match="truncated"):
        parse_idx(good[:6])
    with pytest.raises(ValueError, match="gzip"):
        parse_idx(gzip.compress(good)[:-8])
    with pytest.raises(TypeError, match="bytes"):
        parse_idx(3)


# ---------------------------------------------------------------------------------------------
# Downloads, from a local HTTP server (no internet)
# ---------------------------------------------------------------------------------------------

class FakeMirror:
    """A local HTTP server with tiny valid MNIST files; can corrupt, cut short, stall or refuse."""

    def __init__(self):
        rng = np.random.default_rng(1)
        self.arrays = {
            "train_images": rng.integers(0, 256, (6, 28, 28)).astype(np.uint8),
            "train_labels": np.arange(6, dtype=np.uint8),
            "test_images": rng.integers(0, 256, (2, 28, 28)).astype(np.uint8),
            "test_labels": np.array([3, 4], dtype=np.uint8),
        }
        self.files = {data.MNIST_FILES[k][0]: gzip.compress(idx_bytes(v), mtime=0)
                      for k, v in self.arrays.items()}
        self.calls = []
        self.mode = "ok"
        self.release = threading.Event()
        mirror = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                name = self.path.rsplit("/", 1)[1]
                mirror.calls.append(name)
                if mirror.mode == "offline" or name not in mirror.files:
                    self.send_error(404)
                    return
                payload = mirror.files[name]
                if mirror.mode == "corrupt":
                    payload = payload[:-1] + bytes([payload[-1] ^ 0xFF])
                self.send_response(200)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if mirror.mode in ("die_midway", "stall"):
                    self.wfile.write(payload[:len(payload) // 2])
                    self.wfile.flush()
                    if mirror.mode == "stall":
                        mirror.release.wait(30)
                    return                           # the connection closes: a short body
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/mnist/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def checksums(self):
        return {key: (name, hashlib.md5(self.files[name]).hexdigest())
                for key, (name, _) in data.MNIST_FILES.items()}

    def load(self, folder, **options):
        return load_mnist(cache_dir=folder, mirrors=[self.url], progress=False, **options)

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    fake = FakeMirror()
    monkeypatch.setattr(data, "MNIST_FILES", fake.checksums())
    yield fake
    fake.close()


def leftovers(folder):
    """Everything in the cache folder but the four data files and the (empty) lock file."""
    keep = {name for name, _ in data.MNIST_FILES.values()} | {".download.lock"}
    return sorted(p.name for p in Path(folder).iterdir() if p.name not in keep)


def test_download_once_then_reuse_the_cache(server, tmp_path):
    first = server.load(tmp_path)
    assert len(server.calls) == 4
    np.testing.assert_array_equal(first.train_images, server.arrays["train_images"])
    assert first.test_labels.dtype == np.int64
    second = server.load(tmp_path)
    assert len(server.calls) == 4                      # nothing downloaded again
    np.testing.assert_array_equal(second.test_images, first.test_images)
    assert leftovers(tmp_path) == []


def test_truncated_cached_file_is_downloaded_again(server, tmp_path):
    server.load(tmp_path)
    victim = tmp_path / data.MNIST_FILES["train_images"][0]
    victim.write_bytes(victim.read_bytes()[:100])
    again = server.load(tmp_path)
    assert len(server.calls) == 5 and server.calls[-1] == victim.name
    np.testing.assert_array_equal(again.train_images, server.arrays["train_images"])


def test_checksum_mismatch_is_refused_and_nothing_is_left_behind(server, tmp_path):
    server.mode = "corrupt"
    with pytest.raises(OSError, match="checksum mismatch"):
        load_mnist(cache_dir=tmp_path, mirrors=[server.url, server.url], progress=False)
    assert len(server.calls) == 2                       # every mirror tried once
    assert leftovers(tmp_path) == []                    # no half-written file to trust later


def test_failing_download_leaves_no_partial_file(server, tmp_path):
    server.mode = "die_midway"
    with pytest.raises(OSError, match="could not download"):
        server.load(tmp_path)
    assert leftovers(tmp_path) == []


def test_offline_message_says_what_to_do(server, tmp_path):
    server.mode = "offline"
    with pytest.raises(OSError, match="Check your connection, or pass path="):
        server.load(tmp_path)
    with pytest.raises(FileNotFoundError, match="download=False"):
        server.load(tmp_path, download=False)


KILLED_CHILD = """
import sys
from cnnlab import data
data.MNIST_FILES = {checksums!r}
data.load_mnist(cache_dir=sys.argv[1], mirrors=[sys.argv[2]], progress=False)
"""


def test_a_download_killed_mid_file_is_cleaned_up_by_the_next_call(server, tmp_path):
    server.mode = "stall"                         # sends half a file, then waits
    child = subprocess.Popen([sys.executable, "-c",
                              KILLED_CHILD.format(checksums=server.checksums()),
                              str(tmp_path), server.url],
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 60
        while not any(p.is_file() and p.stat().st_size for p in tmp_path.rglob("*")
                      if p.name != ".download.lock"):
            assert child.poll() is None and time.monotonic() < deadline, "no partial file seen"
            time.sleep(0.05)
    finally:
        child.kill()                              # SIGKILL: no finally blocks, no clean-up
        child.wait()
    assert leftovers(tmp_path) != []              # what a killed download leaves behind
    server.mode = "ok"
    server.release.set()
    loaded = server.load(tmp_path)
    np.testing.assert_array_equal(loaded.test_labels, [3, 4])
    assert leftovers(tmp_path) == []


def test_a_killed_downloads_leftovers_go_even_when_nothing_is_missing(server, tmp_path):
    server.load(tmp_path)
    stale = tmp_path / ".download" / "tmpkilled"          # what pooch left when killed
    stale.parent.mkdir()
    stale.write_bytes(b"half a file")
    server.load(tmp_path)
    assert leftovers(tmp_path) == [] and len(server.calls) == 4


def unwritable_folder(tmp_path):
    """A folder this process cannot write to (root ignores permissions, so use sysfs)."""
    if os.geteuid() == 0:
        return Path("/sys/kernel/cnnlab-cache")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    return folder


@pytest.mark.skipif(not hasattr(os, "geteuid") or not Path("/sys/kernel").is_dir(),
                    reason="needs a POSIX system with /sys to make an unwritable folder")
def test_unwritable_cache_folder_says_how_to_choose_another(server, tmp_path):
    with pytest.raises(PermissionError, match=r"cache_dir=\.\.\."):
        server.load(unwritable_folder(tmp_path))


def test_a_file_where_the_cache_folder_should_be(server, tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_bytes(b"not a folder")
    with pytest.raises(NotADirectoryError, match=r"is a file, not a folder.*cache_dir="):
        server.load(blocker)
    with pytest.raises(OSError, match=r"cache_dir="):
        server.load(blocker / "mnist")
    assert blocker.read_bytes() == b"not a folder"


def test_no_writable_home_says_how_to_choose_another_folder(server, tmp_path, monkeypatch):
    monkeypatch.delenv("CNNLAB_DATA", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    home = tmp_path / "home-is-a-file"
    home.write_bytes(b"")
    monkeypatch.setenv("HOME", str(home))
    with pytest.raises(OSError, match=r"cache_dir=\.\.\.\) or the CNNLAB_DATA"):
        load_mnist(mirrors=[server.url], progress=False)
    assert server.calls == []


def test_cnnlab_data_environment_variable_chooses_the_folder(server, tmp_path, monkeypatch):
    monkeypatch.setenv("CNNLAB_DATA", str(tmp_path / "from-env"))
    loaded = load_mnist(mirrors=[server.url], progress=False)
    np.testing.assert_array_equal(loaded.train_labels, np.arange(6))
    assert sorted(p.name for p in (tmp_path / "from-env").iterdir() if p.suffix == ".gz") == \
        sorted(name for name, _ in data.MNIST_FILES.values())


def test_local_idx_folder_and_npz(server, tmp_path):
    for name, payload in server.files.items():
        (tmp_path / name).write_bytes(payload)
    from_folder = load_mnist(path=tmp_path)
    np.testing.assert_array_equal(from_folder.train_labels, np.arange(6))
    npz = tmp_path / "copy.npz"
    np.savez(npz, x_train=server.arrays["train_images"], y_train=server.arrays["train_labels"],
             x_test=server.arrays["test_images"], y_test=server.arrays["test_labels"])
    from_npz = load_mnist(path=npz)
    np.testing.assert_array_equal(from_npz.test_images, from_folder.test_images)
    with pytest.raises(FileNotFoundError):
        load_mnist(path=tmp_path / "missing.npz")


def test_loader_faults_name_the_file_and_the_rule(server, tmp_path):
    arrays = {"x_train": server.arrays["train_images"], "y_train": server.arrays["train_labels"],
              "x_test": server.arrays["test_images"], "y_test": server.arrays["test_labels"]}
    good = tmp_path / "good.npz"
    np.savez(good, **arrays)
    cases = {
        "empty.npz": b"",
        "truncated.npz": good.read_bytes()[: len(good.read_bytes()) // 2],
        "garbage.npz": bytes(range(256)) * 4,
    }
    for name, payload in cases.items():
        (tmp_path / name).write_bytes(payload)
        with pytest.raises(ValueError, match=rf"{name}.*(empty, truncated or corrupt)"):
            load_mnist(path=tmp_path / name)
    scaled = tmp_path / "scaled.npz"
    np.savez(scaled, **{**arrays, "x_train": arrays["x_train"] / 255.0})
    with pytest.raises(ValueError, match=r"x_train must hold whole pixel values 0\.\.255.*"
                                         r"scaled to \[0, 1\]"):
        load_mnist(path=scaled)
    swapped = tmp_path / "swapped"
    swapped.mkdir()
    for key, (name, _) in data.MNIST_FILES.items():
        other = {"train_images": "train_labels", "train_labels": "train_images"}.get(key, key)
        (swapped / name).write_bytes(gzip.compress(idx_bytes(server.arrays[other])))
    with pytest.raises(ValueError, match="swapped"):
        load_mnist(path=swapped)


@pytest.mark.skipif(not SHARED_MNIST.exists(), reason="../shared/data/mnist.npz is not on this "
                    "machine (it is in the course's development checkout)")
def test_full_mnist_through_the_path_argument():
    full = load_mnist(path=SHARED_MNIST)
    assert full.train_images.shape == (60000, 28, 28) and full.test_images.shape == (10000, 28, 28)
    assert full.train_images.dtype == np.uint8
    assert np.bincount(full.test_labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958,
                                                      1028, 974, 1009]
    assert full.train_images.mean() == pytest.approx(33.318, abs=1e-3)


# ---------------------------------------------------------------------------------------------
# The shipped subset
# ---------------------------------------------------------------------------------------------

def test_subset_is_balanced_and_well_formed():
    subset = load_mnist_subset()
    assert isinstance(subset, MNIST)
    assert subset.train_images.shape == (10000, 28, 28)
    assert subset.test_images.shape == (2000, 28, 28)
    assert subset.train_images.dtype == np.uint8 and subset.train_labels.dtype == np.int64
    assert np.bincount(subset.train_labels).tolist() == [1000] * 10
    assert np.bincount(subset.test_labels).tolist() == [200] * 10
    assert subset.train_images.max() == 255 and subset.train_images.min() == 0
    assert SUBSET_FILE.stat().st_size <= 3_000_000


def test_subset_cannot_be_corrupted_by_a_caller():
    subset = load_mnist_subset()
    with pytest.raises(ValueError, match="read-only"):
        subset.train_images[0, 0, 0] = 1
    assert load_mnist_subset() is subset


@pytest.mark.skipif(not SHARED_MNIST.exists(), reason="../shared/data/mnist.npz is not on this "
                    "machine, so the shipped file cannot be rebuilt here")
def test_shipped_subset_is_what_the_build_script_builds():
    spec = importlib.util.spec_from_file_location("build", ROOT / "scripts" /
                                                  "build_mnist_subset.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    rebuilt = build.build(SHARED_MNIST)
    with np.load(SUBSET_FILE) as shipped:
        for name, array in rebuilt.items():
            np.testing.assert_array_equal(shipped[name], array)
    full = load_mnist(path=SHARED_MNIST)        # every subset image is a real test image
    test_set = {img.tobytes() for img in full.test_images}
    assert all(img.tobytes() in test_set for img in rebuilt["test_images"][:50])


# ---------------------------------------------------------------------------------------------
# Preparing inputs
# ---------------------------------------------------------------------------------------------

def test_prepare_images():
    images = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)
    out = prepare_images(images)
    assert out.shape == (1, 1, 2, 2) and out.dtype == np.float64
    np.testing.assert_allclose(out[0, 0], [[0, 1], [0.2, 0.4]])
    assert prepare_images(images[0]).shape == (1, 1, 2, 2)
    with pytest.raises(ValueError, match="images"):
        prepare_images(np.zeros((1, 1, 2, 2)))
    with pytest.raises(ValueError, match="scale"):
        prepare_images(images, scale=0)


def test_network_arrays_are_the_prepared_images_and_int64_labels():
    subset = data.load_mnist_subset()
    x_train, y_train, x_test, y_test = data.network_arrays(subset, dtype=np.float32)
    assert x_train.dtype == x_test.dtype == np.float32 and y_train.dtype == np.int64
    assert x_train.shape == (10000, 1, 28, 28) and x_test.shape == (2000, 1, 28, 28)
    np.testing.assert_array_equal(x_test[5, 0], (subset.test_images[5] / 255.0).astype(np.float32))
    np.testing.assert_array_equal(y_train, subset.train_labels)
    assert data.network_arrays()[0].dtype == np.float64
    x_train[:] = 0.0                                  # new arrays: the shipped subset is intact
    assert data.network_arrays(subset)[0].max() == 1.0


def test_shift_image_agrees_with_scipy_and_changes_nothing():
    from scipy import ndimage

    rng = np.random.default_rng(3)
    image = rng.uniform(0, 1, size=(28, 28)) * (rng.uniform(size=(28, 28)) > 0.7)
    keep = image.copy()
    for down, right in [(3, -5), (-8, 2), (0, 0), (27, 1), (-30, 0)]:
        expected = ndimage.shift(image, (down, right), order=0, mode="constant", cval=0.0)
        np.testing.assert_array_equal(data.shift_image(image, down, right), expected)
    np.testing.assert_array_equal(image, keep)
    assert data.shift_image(image, 0, 0) is not image


def test_shift_fills_with_zeros_where_np_roll_wraps():
    image = np.zeros((5, 5))
    image[4, 2] = 1.0
    assert data.shift_image(image, 2, 0).sum() == 0          # the ink left the frame
    assert np.roll(image, 2, axis=0)[1, 2] == 1.0             # np.roll brings it back on top


def test_two_digit_task():
    task = two_digit_task(positive=1, negative=7)
    subset = load_mnist_subset()
    assert task["train_images"].shape == (2000, 28, 28)
    assert task["train_images"].max() <= 1.0
    ones = subset.train_images[subset.train_labels == 1]
    np.testing.assert_allclose(task["train_images"][task["train_targets"] == 1], ones / 255.0)
    assert task["test_targets"].sum() == 200
    small = two_digit_task(positive=1, negative=7, n_train=10, n_test=4)
    assert small["train_images"].shape[0] == 10 and small["test_images"].shape[0] == 4
    with pytest.raises(ValueError, match="different"):
        two_digit_task(positive=3, negative=3)
    with pytest.raises(ValueError, match="0..9"):
        two_digit_task(positive=3, negative=12)


def test_minibatches_cover_everything_once_and_repeat_with_a_seed():
    images, labels = np.arange(23)[:, None], np.arange(23)
    batches = list(iterate_minibatches(images, labels, 5, rng=3))
    seen = np.concatenate([b[1] for b in batches])
    assert sorted(seen.tolist()) == list(range(23)) and len(batches) == 5
    again = np.concatenate([b[1] for b in iterate_minibatches(images, labels, 5, rng=3)])
    np.testing.assert_array_equal(seen, again)
    assert all(np.array_equal(b[0][:, 0], b[1]) for b in batches)    # pairs stay together
    assert len(list(iterate_minibatches(images, labels, 5, drop_last=True))) == 4
    with pytest.raises(ValueError, match="same N"):
        list(iterate_minibatches(images, labels[:3], 5))


def test_in_the_browser_edition_load_mnist_says_how_to_get_the_data(tmp_path, monkeypatch):
    # Pyodide (sys.platform "emscripten") has no network: say what to do instead of trying.
    monkeypatch.setattr(data.sys, "platform", "emscripten")
    with pytest.raises(OSError, match=r"load_mnist\(path='mnist.npz'\).*load_mnist_subset"):
        data.load_mnist(cache_dir=tmp_path)
    assert not any(tmp_path.rglob("*.gz")), "nothing was downloaded"


# ---------------------------------------------------------------------------------------------
# Bad files and folders for the bad-input table
# ---------------------------------------------------------------------------------------------

def folder_with(files):
    """A fresh folder holding ``files`` (name -> bytes); returns its path."""
    folder = Path(tempfile.mkdtemp(prefix="cnnlab-bad-"))
    for name, payload in files.items():
        (folder / name).write_bytes(payload)
    return folder


def mnist_arrays(**changes):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (5, 28, 28)).astype(np.uint8),
              "y_train": np.array([0, 1, 2, 3, 9], dtype=np.uint8),
              "x_test": rng.integers(0, 256, (2, 28, 28)).astype(np.uint8),
              "y_test": np.array([4, 5], dtype=np.uint8)}
    arrays.update(changes)
    return arrays


def npz_path(**changes):
    folder = folder_with({})
    path = folder / "mnist.npz"
    np.savez(path, **mnist_arrays(**changes))
    return path


def raw_file(name, payload):
    return folder_with({name: payload}) / name


def truncated_npz():
    path = npz_path()
    path.write_bytes(path.read_bytes()[:300])
    return path


def pickled_npz():
    folder = folder_with({})
    path = folder / "mnist.npz"
    arrays = mnist_arrays()
    arrays["y_train"] = np.array([0, 1, 2, 3, None], dtype=object)
    np.savez(path, **arrays)
    return path


def idx_folder(swap=False, **changes):
    arrays = {"train_images": np.zeros((5, 28, 28), np.uint8),
              "train_labels": np.array([0, 1, 2, 3, 4], np.uint8),
              "test_images": np.zeros((2, 28, 28), np.uint8),
              "test_labels": np.array([1, 2], np.uint8)}
    arrays.update(changes)
    files = {}
    for key, (name, _) in data.MNIST_FILES.items():
        source = key
        if swap and key.startswith("train"):
            source = "train_labels" if key == "train_images" else "train_images"
        files[name] = gzip.compress(idx_bytes(arrays[source]))
    return folder_with(files)


def _npz_without_keys():
    folder = folder_with({})
    path = folder / "other.npz"
    np.savez(path, a=np.zeros(3))
    return path


# ---------------------------------------------------------------------------------------------
# Bad input: (what, call, error type, word the message must contain); the table's
# machinery is tests/bad_inputs.py
# ---------------------------------------------------------------------------------------------

BAD_ROWS = [
    ("shift by 1.5 rows", lambda: data.shift_image(np.zeros((4, 4)), 1.5, 0), TypeError, "rows"),
    ("shift by True cols", lambda: data.shift_image(np.zeros((4, 4)), 0, True), TypeError,
     "cols"),
    ("shift a 3-D image", lambda: data.shift_image(np.zeros((1, 4, 4)), 1, 0), ValueError,
     "image"),
    ("shift a NaN image", lambda: data.shift_image(np.full((4, 4), np.nan), 1, 0), ValueError,
     "image"),
    ("shift a string", lambda: data.shift_image("ab", 1, 0), TypeError, "image"),
    ("arrays of a dict", lambda: data.network_arrays({"train_images": 0}), TypeError, "data"),
    ("arrays of None dtype", lambda: data.network_arrays(dtype=None), TypeError, "dtype"),
    ("arrays of int dtype", lambda: data.network_arrays(dtype=np.int64), TypeError, "dtype"),
    ("arrays of a str dtype", lambda: data.network_arrays(dtype="floaty"), TypeError, "dtype"),
    ("prepare float in [0, 1]", lambda: data.prepare_images(np.full((2, 4, 4), 0.5)),
     ValueError, "images"),
    ("prepare 300", lambda: data.prepare_images(np.full((1, 2, 2), 300)), ValueError, "images"),
    ("prepare -1", lambda: data.prepare_images(np.full((1, 2, 2), -1)), ValueError, "images"),
    ("prepare scale inf", lambda: data.prepare_images(np.zeros((1, 2, 2)), scale=INF),
     ValueError, "scale"),
    ("prepare scale True", lambda: data.prepare_images(np.zeros((1, 2, 2)), scale=True),
     TypeError, "scale"),
    ("prepare scale str", lambda: data.prepare_images(np.zeros((1, 2, 2)), scale="255"),
     TypeError, "scale"),
    ("prepare scale 0", lambda: data.prepare_images(np.zeros((1, 2, 2)), scale=0), ValueError,
     "scale"),
    ("prepare scale nan", lambda: data.prepare_images(np.zeros((1, 2, 2)), scale=NAN),
     ValueError, "scale"),
    ("prepare 4-D", lambda: data.prepare_images(np.zeros((1, 1, 2, 2))), ValueError, "images"),
    ("prepare complex", lambda: data.prepare_images(np.zeros((1, 2, 2), complex)), TypeError,
     "images"),
    ("prepare empty", lambda: data.prepare_images(np.zeros((0, 2, 2))), ValueError, "images"),
    ("prepare nan", lambda: data.prepare_images(np.full((1, 2, 2), NAN)), ValueError, "images"),
    ("parse_idx int", lambda: data.parse_idx(3), TypeError, "source"),
    ("parse_idx list", lambda: data.parse_idx([0, 0, 8, 1]), TypeError, "source"),
    ("parse_idx empty", lambda: data.parse_idx(b""), ValueError, "IDX"),
    ("parse_idx garbage", lambda: data.parse_idx(b"hello world, not an IDX file"), ValueError,
     "IDX"),
    ("parse_idx truncated", lambda: data.parse_idx(idx_bytes(np.zeros((3, 4)))[:-2]),
     ValueError, "truncated"),
    ("parse_idx garbage path", lambda: data.parse_idx(raw_file("labels.gz", b"\x1f\x8bjunk")),
     ValueError, "labels.gz"),
    ("parse_idx empty path", lambda: data.parse_idx(raw_file("images-idx", b"")), ValueError,
     "images-idx"),
    ("load path int", lambda: data.load_mnist(path=3), TypeError, "path"),
    ("load path .txt", lambda: data.load_mnist(path=raw_file("mnist.txt", b"1 2 3")),
     ValueError, "path"),
    ("load npz garbage", lambda: data.load_mnist(path=raw_file("mnist.npz", b"garbage" * 20)),
     ValueError, "mnist.npz"),
    ("load npz empty", lambda: data.load_mnist(path=raw_file("mnist.npz", b"")), ValueError,
     "mnist.npz"),
    ("load npz truncated", lambda: data.load_mnist(path=truncated_npz()), ValueError,
     "mnist.npz"),
    ("load npz pickled", lambda: data.load_mnist(path=pickled_npz()), ValueError, "mnist.npz"),
    ("load npz float images in [0, 1]", lambda: data.load_mnist(
        path=npz_path(x_train=np.full((5, 28, 28), 0.5))), ValueError, "x_train"),
    ("load npz pixel 300", lambda: data.load_mnist(
        path=npz_path(x_test=np.full((2, 28, 28), 300))), ValueError, "x_test"),
    ("load npz pixel -1", lambda: data.load_mnist(
        path=npz_path(x_test=np.full((2, 28, 28), -1))), ValueError, "x_test"),
    ("load npz label 12", lambda: data.load_mnist(path=npz_path(y_train=np.array([0, 1, 2, 3,
                                                                                  12]))),
     ValueError, "y_train"),
    ("load npz label -3", lambda: data.load_mnist(path=npz_path(y_test=np.array([-3, 1]))),
     ValueError, "y_test"),
    ("load npz 5 images 3 labels", lambda: data.load_mnist(path=npz_path(y_train=np.arange(3))),
     ValueError, "y_train"),
    ("load npz missing keys", lambda: data.load_mnist(path=_npz_without_keys()),
     ValueError, "x_train"),
    ("load npz images 2-D", lambda: data.load_mnist(path=npz_path(x_train=np.zeros((5, 784),
                                                                                   np.uint8))),
     ValueError, "x_train"),
    ("load idx swapped", lambda: data.load_mnist(path=idx_folder(swap=True)), ValueError,
     "train-images"),
    ("load idx label 12", lambda: data.load_mnist(path=idx_folder(
        test_labels=np.array([12, 1], np.uint8))), ValueError, "t10k-labels"),
    ("load idx count mismatch", lambda: data.load_mnist(path=idx_folder(
        train_labels=np.array([1, 2, 3], np.uint8))), ValueError, "train-labels"),
    ("load cache_dir int", lambda: data.load_mnist(cache_dir=3), TypeError, "cache_dir"),
    ("load download str", lambda: data.load_mnist(cache_dir=folder_with({}), download="yes"),
     TypeError, "download"),
    ("load progress str", lambda: data.load_mnist(cache_dir=folder_with({}), progress="no"),
     TypeError, "progress"),
    ("load cache_dir is a file", lambda: data.load_mnist(cache_dir=raw_file("x", b"x"),
                                                         download=False),
     NotADirectoryError, "cache_dir="),
    ("two_digit positive 3.0", lambda: data.two_digit_task(positive=3.0), TypeError, "positive"),
    ("two_digit positive 12", lambda: data.two_digit_task(positive=12), ValueError, "positive"),
    ("two_digit positive -1", lambda: data.two_digit_task(positive=-1), ValueError, "positive"),
    ("two_digit positive bool", lambda: data.two_digit_task(positive=True), TypeError,
     "positive"),
    ("two_digit same digits", lambda: data.two_digit_task(positive=3, negative=3), ValueError,
     "negative"),
    ("two_digit data str", lambda: data.two_digit_task(data="mnist"), TypeError, "data"),
    ("two_digit n_train 0", lambda: data.two_digit_task(n_train=0), ValueError, "n_train"),
    ("two_digit n_test str", lambda: data.two_digit_task(n_test="5"), TypeError, "n_test"),
    ("minibatches batch_size 0", lambda: list(data.iterate_minibatches(np.zeros((4, 2)),
                                                                       np.zeros(4), 0)),
     ValueError, "batch_size"),
    ("minibatches batch_size 2.5", lambda: list(data.iterate_minibatches(np.zeros((4, 2)),
                                                                         np.zeros(4), 2.5)),
     TypeError, "batch_size"),
    ("minibatches length", lambda: list(data.iterate_minibatches(np.zeros((4, 2)), np.zeros(3),
                                                                 2)),
     ValueError, "labels"),
    ("minibatches rng str", lambda: list(data.iterate_minibatches(np.zeros((4, 2)), np.zeros(4),
                                                                  2, rng="a")),
     TypeError, "rng"),
    ("minibatches shuffle str", lambda: list(data.iterate_minibatches(
        np.zeros((4, 2)), np.zeros(4), 2, shuffle="yes")), TypeError, "shuffle"),
    ("minibatches drop_last str", lambda: list(data.iterate_minibatches(
        np.zeros((4, 2)), np.zeros(4), 2, drop_last="no")), TypeError, "drop_last"),
    ("minibatches images 0-D", lambda: list(data.iterate_minibatches(np.float64(1), np.zeros(1),
                                                                     1)),
     ValueError, "images"),
    ("minibatches labels 2-D", lambda: list(data.iterate_minibatches(np.zeros((4, 2)),
                                                                     np.zeros((4, 1)), 2)),
     ValueError, "labels"),
    ("minibatches images nan", lambda: list(data.iterate_minibatches(np.full((4, 2), NAN),
                                                                     np.zeros(4), 2)),
     ValueError, "images"),
    ("minibatches labels nan", lambda: list(data.iterate_minibatches(np.zeros((4, 2)),
                                                                     np.full(4, NAN), 2)),
     ValueError, "labels"),
]


@pytest.mark.parametrize(("call", "error", "word"), rows("data", BAD_ROWS))
def test_bad_input_is_refused_with_a_message_naming_it(call, error, word):
    assert_refused(call, error, word)


def test_the_bad_input_table_has_many_rows():
    assert_many_rows("data", BAD_ROWS)


# ---------------------------------------------------------------------------------------------
# Right answers at the edges; new arrays
# ---------------------------------------------------------------------------------------------

def test_prepare_images_accepts_numpy_scalars_and_keeps_float32():
    images = np.array([[[0, 51], [102, 255]]], dtype=np.uint8)
    out = data.prepare_images(images, scale=np.float32(255))
    np.testing.assert_allclose(out[0, 0], [[0, 0.2], [0.4, 1.0]])
    assert out.dtype == np.float64                          # integers are computed in float64
    out32 = data.prepare_images(images.astype(np.float32), scale=np.int64(255))
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, out, rtol=1e-6)
    unit = data.prepare_images(np.full((1, 2, 2), 0.5), scale=1.0)   # already in [0, 1]
    np.testing.assert_array_equal(unit, 0.5)


def test_prepare_images_float32_at_a_huge_scale_is_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = data.prepare_images(np.full((1, 2, 2), 3e38, np.float32), scale=1e300)
    assert out.dtype == np.float32 and np.all((out >= 0) & (out <= 1))


def test_two_digit_task_and_loaders_return_new_arrays():
    subset = data.load_mnist_subset()
    task = data.two_digit_task(subset, n_train=5, n_test=3)
    for key in ("train_images", "test_images"):
        assert not np.shares_memory(task[key], subset.train_images)
        assert not np.shares_memory(task[key], subset.test_images)
    path = npz_path()
    loaded = data.load_mnist(path=path)
    again = data.load_mnist(path=path)
    assert not np.shares_memory(loaded.train_images, again.train_images)


# ---------------------------------------------------------------------------------------------
# Inputs never change; outputs never share memory with inputs
# ---------------------------------------------------------------------------------------------

ALIAS_RNG = np.random.default_rng(5)
A = ALIAS_RNG.random((3, 4))
ALIASING = [
    ("prepare_images", data.prepare_images, (ALIAS_RNG.integers(0, 256, (2, 3, 3)),)),
    ("prepare_images float32", data.prepare_images,
     (ALIAS_RNG.integers(0, 256, (2, 3, 3)).astype(np.float32),)),
    ("prepare_images scale 1", lambda x: data.prepare_images(x, scale=1.0), (A,)),
    ("iterate_minibatches", lambda x, y: list(data.iterate_minibatches(x, y, 2, shuffle=False)),
     (A, np.array([0, 1, 2]))),
    ("negative", data.negative, (ALIAS_RNG.integers(0, 256, (3, 4)).astype(np.uint8),)),
    ("negative float", lambda x: data.negative(x, white=1), (A,)),
]


@pytest.mark.parametrize(("function", "inputs"), aliasing(ALIASING))
def test_inputs_unchanged_and_outputs_not_views(function, inputs):
    assert_inputs_unchanged_and_outputs_not_views(function, inputs)


# ---- issue 25: a read-only cache, an unreadable file, a download's own ValueError ------------

def make_read_only(folder, monkeypatch):
    """Make ``folder`` unwritable: chmod for a user; for root (who ignores permissions) every
    attempt to create a file in it raises PermissionError, as a read-only mount would."""
    folder.chmod(0o555)
    if os.geteuid() == 0:
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied", str(folder))
        monkeypatch.setattr(data.tempfile, "TemporaryFile", refuse)
        monkeypatch.setattr(data.os, "access", lambda path, mode: False)


def test_a_read_only_cache_that_holds_every_file_loads(server, tmp_path, monkeypatch):
    """A regression of issue 25: the cache's writability was checked before looking whether
    anything was missing, so a read-only cache (a shared course folder) raised PermissionError."""
    first = server.load(tmp_path)
    make_read_only(tmp_path, monkeypatch)
    server.mode = "offline"                              # nothing is fetched
    try:
        again = server.load(tmp_path)
    finally:
        tmp_path.chmod(0o755)
    np.testing.assert_array_equal(again.train_images, first.train_images)
    assert len(server.calls) == 4


def test_a_read_only_cache_missing_a_file_says_it_cannot_write(server, tmp_path, monkeypatch):
    server.load(tmp_path)
    (tmp_path / data.MNIST_FILES["test_labels"][0]).unlink()
    make_read_only(tmp_path, monkeypatch)
    try:
        with pytest.raises(PermissionError, match=r"cannot write to the MNIST cache folder"):
            server.load(tmp_path)
    finally:
        tmp_path.chmod(0o755)


def unreadable(monkeypatch, victim):
    """Opening ``victim`` raises PermissionError (what chmod 000 does for a user)."""
    real_open, real_read = open, Path.read_bytes

    def fake_open(path, *args, **kwargs):
        if Path(path) == victim:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def fake_read(path):
        if Path(path) == victim:
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path)
    monkeypatch.setattr(data, "open", fake_open, raising=False)
    monkeypatch.setattr(Path, "read_bytes", fake_read)


def test_an_unreadable_file_is_said_to_be_unreadable_not_corrupt(server, tmp_path, monkeypatch):
    np.savez(tmp_path / "mnist.npz", **{k: server.arrays[v] for k, v in (
        ("x_train", "train_images"), ("y_train", "train_labels"),
        ("x_test", "test_images"), ("y_test", "test_labels"))})
    folder = tmp_path / "cache"
    server.load(folder)
    unreadable(monkeypatch, tmp_path / "mnist.npz")
    with pytest.raises(PermissionError, match="no permission to read .*mnist.npz") as caught:
        load_mnist(path=tmp_path / "mnist.npz")
    assert "corrupt" not in str(caught.value)
    victim = folder / data.MNIST_FILES["train_images"][0]
    unreadable(monkeypatch, victim)
    for call in (lambda: server.load(folder), lambda: load_mnist(path=folder),
                 lambda: parse_idx(victim)):
        with pytest.raises(PermissionError, match="no permission to read .*check its perm"):
            call()


def test_a_value_error_inside_the_download_is_not_called_a_checksum_mismatch(server, tmp_path,
                                                                           monkeypatch):
    import pooch

    def broken(*args, **kwargs):
        raise ValueError("Unrecognized URL protocol 'htp' in 'htp://example'")
    monkeypatch.setattr(pooch, "retrieve", broken)
    with pytest.raises(OSError, match="ValueError: Unrecognized URL protocol") as caught:
        server.load(tmp_path)
    assert "checksum" not in str(caught.value)


# ---------------------------------------------------------------------------------------------
# negative and brightest_pixel: lesson 00's exercises, worked
# ---------------------------------------------------------------------------------------------

def test_negative_by_hand_keeps_uint8_and_never_wraps():
    image = np.array([[0, 255, 17], [128, 3, 250]], dtype=np.uint8)
    out = data.negative(image)
    assert out.dtype == np.uint8
    assert out.tolist() == [[255, 0, 238], [127, 252, 5]]
    assert np.array_equal(data.negative(out), image)            # twice is the identity
    floats = np.array([[12.0, 40.0], [200.0, 7.5]])
    assert np.array_equal(data.negative(floats), 255 - floats)
    assert np.allclose(data.negative(np.array([0.0, 0.2, 1.0]), white=1), [1.0, 0.8, 0.0])


def test_negative_refuses_pixels_outside_zero_to_white():
    with pytest.raises(ValueError, match="image must hold values 0..white"):
        data.negative(np.array([0.5, 1.5]), white=1)
    with pytest.raises(ValueError, match="image must hold values 0..white"):
        data.negative(np.array([-1.0, 3.0]))
    with pytest.raises(ValueError, match="white"):
        data.negative(np.zeros(3), white=0)
    with pytest.raises(TypeError, match="image"):
        data.negative("not an image")


def test_brightest_pixel_is_the_first_of_a_tie_as_row_and_column():
    image = np.array([[1.0, 5.0, 2.0, 0.0], [2.0, 0.0, 6.0, 1.0], [6.0, 9.0, 1.0, 9.0]])
    assert data.brightest_pixel(image) == (2, 1)                 # (2, 3) ties, read later
    assert data.brightest_pixel(image.T) == (1, 2)               # column-major ties differ
    rng = np.random.default_rng(0)
    for _ in range(20):
        image = rng.integers(0, 5, size=tuple(rng.integers(1, 7, size=2))).astype(float)
        row, col = data.brightest_pixel(image)
        assert image[row, col] == image.max()
        assert not (image.ravel()[:row * image.shape[1] + col] == image.max()).any()
    assert all(type(i) is int for i in data.brightest_pixel(np.eye(3)))


def test_brightest_pixel_refuses_what_is_not_an_image():
    with pytest.raises(ValueError, match="image must be 2-D"):
        data.brightest_pixel(np.zeros(4))
    with pytest.raises(ValueError, match="image"):
        data.brightest_pixel(np.array([[1.0, np.nan]]))
