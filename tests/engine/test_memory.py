"""cnnlab.engine.memory: the glibc setting is applied inside the block and put back after it."""

from __future__ import annotations

import pytest

from cnnlab.engine import memory


class FakeMallopt:
    """Records what mallopt was asked, so the test sees every setting in order."""

    def __init__(self):
        self.calls = []

    def __call__(self, option, value):
        self.calls.append((option, value))
        return 1


@pytest.fixture
def fake(monkeypatch):
    recorder = FakeMallopt()
    monkeypatch.setattr(memory, "_mallopt", lambda: recorder)
    monkeypatch.setattr(memory, "_kept_threshold", None)
    return recorder


def thresholds(calls):
    return [value for option, value in calls if option == memory._M_MMAP_THRESHOLD]


def test_the_block_applies_once_when_nested_and_restores_the_default(fake):
    with memory.freed_memory_kept(1 << 20):
        with memory.freed_memory_kept(1 << 20):
            pass
        assert thresholds(fake.calls) == [1 << 20]
    assert thresholds(fake.calls) == [1 << 20, memory._GLIBC_DEFAULT_THRESHOLD]


def test_the_block_restores_a_process_wide_setting(fake):
    assert memory.keep_freed_memory(1 << 25) is True
    with memory.freed_memory_kept(1 << 20):
        pass
    assert thresholds(fake.calls) == [1 << 25, 1 << 20, 1 << 25]


def test_nothing_happens_without_glibc(monkeypatch):
    monkeypatch.setattr(memory, "_mallopt", lambda: None)
    assert memory.keep_freed_memory() is False
    with memory.freed_memory_kept():
        pass


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-5, ValueError), (1.5, TypeError),
                                        ("1GB", TypeError), (True, TypeError), (None, TypeError)])
def test_bad_thresholds_are_refused(fake, bad, error):
    with pytest.raises(error, match="threshold"):
        memory.keep_freed_memory(bad)
    with pytest.raises(error, match="threshold"), memory.freed_memory_kept(bad):
        pass
    assert fake.calls == []
