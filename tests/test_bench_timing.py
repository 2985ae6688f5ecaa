"""benchmarks/_timing.py's header line: which kernels NumPy's OpenBLAS runs, and who chose them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import _timing  # noqa: E402

AVX512 = {"avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"}


def test_cpu_flags_reads_the_first_flags_line(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu avx2 avx512f\n"
                       "processor\t: 1\nflags\t\t: fpu\n")
    assert _timing.cpu_flags(cpuinfo) == {"fpu", "avx2", "avx512f"}
    assert _timing.cpu_flags(tmp_path / "missing") == set()


def test_openblas_kernel_is_what_threadpoolctl_reports():
    from threadpoolctl import threadpool_info

    openblas = [lib for lib in threadpool_info() if lib.get("internal_api") == "openblas"]
    found = _timing.openblas_kernel()
    if not openblas:
        assert found is None
    else:
        assert found == (openblas[0]["architecture"], openblas[0]["version"])


@pytest.mark.parametrize(("kernel", "flags", "forced", "line"), [
    (("Haswell", "0.3.31"), AVX512, "Haswell",
     "NumPy's OpenBLAS 0.3.31: Haswell kernels, set by OPENBLAS_CORETYPE=Haswell on a CPU with "
     "AVX-512, which these kernels leave unused"),
    (("Haswell", "0.3.31"), {"avx2", "fma"}, "Haswell",
     "NumPy's OpenBLAS 0.3.31: Haswell kernels, set by OPENBLAS_CORETYPE=Haswell"),
    (("SkylakeX", "0.3.31"), AVX512, "",
     "NumPy's OpenBLAS 0.3.31: SkylakeX kernels"),
    (("Haswell", "0.3.31"), AVX512, "",          # OpenBLAS's own pick: nothing to add
     "NumPy's OpenBLAS 0.3.31: Haswell kernels"),
])
def test_blas_line_names_the_kernels_and_who_chose_them(kernel, flags, forced, line):
    assert _timing.blas_line(kernel, flags, forced) == line


def test_blas_line_without_openblas(monkeypatch):
    monkeypatch.setattr(_timing, "openblas_kernel", lambda: None)
    assert _timing.blas_line(flags=set(), forced="") == "NumPy's BLAS: not OpenBLAS"
