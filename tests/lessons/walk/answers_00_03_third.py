"""Walker u1's answers for lessons 00-03 (right answers first, then wrong ones). Third walk, 2026-12-07."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

# ---------------- lesson00.check_invert
def invert_right(image):
    return 255 - image
def invert_negate(image):
    return -image
def invert_256(image):
    return 256 - image
def invert_max(image):
    return image.max() - image
def invert_inplace(image):
    image[...] = 255 - image
    return image
def invert_list(image):
    return (255 - image).tolist()
def invert_one(image):
    return 1 - image
def invert_flip(image):
    return image[::-1, ::-1]
def invert_divide(image):
    return 255 / (image + 1)
def invert_transposed(image):
    return (255 - image).T

# ---------------- lesson00.check_brightest
def brightest_right(image):
    return np.unravel_index(np.argmax(image), image.shape)
def brightest_flat(image):
    return np.argmax(image)
def brightest_swapped(image):
    r, c = np.unravel_index(np.argmax(image), image.shape)
    return (c, r)
def brightest_last_tie(image):
    flat = image.size - 1 - np.argmax(image.ravel()[::-1])
    return np.unravel_index(flat, image.shape)
def brightest_one_based(image):
    r, c = np.unravel_index(np.argmax(image), image.shape)
    return (r + 1, c + 1)
def brightest_value(image):
    return image.max()
def brightest_shape_transposed(image):
    return np.unravel_index(np.argmax(image), image.shape[::-1])
def brightest_divmod_wrong(image):
    flat = np.argmax(image)
    return (flat // image.shape[0], flat % image.shape[0])   # square-only

# ---------------- lesson01.check_box_blur
def box_right():
    return np.ones((3, 3)) / 9
def box_no_divide():
    return np.ones((3, 3))
def box_int_div():
    return np.ones((3, 3), dtype=int) // 9
def box_div3():
    return np.ones((3, 3)) / 3
def box_5x5():
    return np.ones((5, 5)) / 25
def box_list():
    return [[1 / 9] * 3] * 3
def box_div8():
    return np.ones((3, 3)) / 8
def box_flat():
    return np.ones(9) / 9
def box_identity():
    return np.eye(3) / 3

# ---------------- lesson01.check_apply_at
def apply_right(image, kernel, i, j):
    return float(np.sum(image[i:i + 3, j:j + 3] * kernel))
def apply_centred(image, kernel, i, j):
    return float(np.sum(image[i - 1:i + 2, j - 1:j + 2] * kernel))
def apply_flipped(image, kernel, i, j):
    return float(np.sum(image[i:i + 3, j:j + 3] * kernel[::-1, ::-1]))
def apply_transposed_kernel(image, kernel, i, j):
    return float(np.sum(image[i:i + 3, j:j + 3] * kernel.T))
def apply_ij_swapped(image, kernel, i, j):
    return float(np.sum(image[j:j + 3, i:i + 3] * kernel))
def apply_matmul(image, kernel, i, j):
    return float(np.sum(image[i:i + 3, j:j + 3] @ kernel))
def apply_no_sum(image, kernel, i, j):
    return image[i:i + 3, j:j + 3] * kernel
def apply_mean(image, kernel, i, j):
    return float(np.mean(image[i:i + 3, j:j + 3] * kernel))
def apply_int(image, kernel, i, j):
    return int(np.sum(image[i:i + 3, j:j + 3] * kernel))
def apply_2x2(image, kernel, i, j):
    return float(np.sum(image[i:i + 2, j:j + 2] * kernel[:2, :2]))

# ---------------- lesson02.check_pad_by_stacking
def pad_right(image, p):
    rows, cols = image.shape
    side = np.zeros((rows, p), dtype=image.dtype)
    middle = np.hstack([side, image, side])
    top = np.zeros((p, cols + 2 * p), dtype=image.dtype)
    return np.vstack([top, middle, top])
def pad_np_pad(image, p):
    return np.pad(image, p)
def pad_rows_only(image, p):
    top = np.zeros((p, image.shape[1]), dtype=image.dtype)
    return np.vstack([top, image, top])
def pad_one_side(image, p):
    rows, cols = image.shape
    middle = np.hstack([np.zeros((rows, p)), image])
    return np.vstack([np.zeros((p, cols + p)), middle])
def pad_2p(image, p):
    return pad_right(image, 2 * p)
def pad_ones(image, p):
    rows, cols = image.shape
    side = np.ones((rows, p))
    middle = np.hstack([side, image, side])
    top = np.ones((p, cols + 2 * p))
    return np.vstack([top, middle, top])
def pad_square_only(image, p):
    n = image.shape[0]
    side = np.zeros((n, p))
    middle = np.hstack([side, image, side])
    top = np.zeros((p, n + 2 * p))
    return np.vstack([top, middle, top])
def pad_edge(image, p):
    return np.pad(image, p, mode="edge")
def pad_inplace_list(image, p):
    return pad_right(image, p).tolist()
def pad_p_plus_1(image, p):
    return pad_right(image, p + 1)
def pad_float_always(image, p):
    rows, cols = image.shape
    side = np.zeros((rows, p), dtype=np.float32)
    middle = np.hstack([side, image.astype(np.float32), side])
    top = np.zeros((p, cols + 2 * p), dtype=np.float32)
    return np.vstack([top, middle, top])

# ---------------- lesson02.check_output_size
def os2_right(n, k, p):
    return n - k + 2 * p + 1
def os2_ignore_p(n, k, p):
    return n - k + 1
def os2_p_once(n, k, p):
    return n - k + p + 1
def os2_no_plus1(n, k, p):
    return n - k + 2 * p
def os2_plus_k(n, k, p):
    return n + k + 2 * p - 1
def os2_float(n, k, p):
    return (n - k + 2 * p) / 1 + 1
def os2_same(n, k, p):
    return n

# ---------------- lesson03.check_output_size
def os3_right(n, k, s, p):
    return (n + 2 * p - k) // s + 1
def os3_float(n, k, s, p):
    return (n + 2 * p - k) / s + 1
def os3_ceil(n, k, s, p):
    return -(-(n + 2 * p - k) // s) + 1
def os3_no_plus1(n, k, s, p):
    return (n + 2 * p - k) // s
def os3_ignore_s(n, k, s, p):
    return n + 2 * p - k + 1
def os3_p_once(n, k, s, p):
    return (n + p - k) // s + 1
def os3_p_outside(n, k, s, p):
    return (n - k) // s + 1 + 2 * p
def os3_round(n, k, s, p):
    return round((n + 2 * p - k) / s) + 1
def os3_div_all(n, k, s, p):
    return (n + 2 * p - k + 1) // s

# ---------------- lesson03.check_conv2d
def conv_right(image, kernel, stride):
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride + 1
    ow = (image.shape[1] - kw) // stride + 1
    out = np.zeros((oh, ow))
    for r in range(oh):
        for c in range(ow):
            out[r, c] = np.sum(image[r * stride:r * stride + kh, c * stride:c * stride + kw] * kernel)
    return out
def conv_flipped(image, kernel, stride):
    return conv_right(image, kernel[::-1, ::-1], stride)
def conv_kh_both(image, kernel, stride):
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride + 1
    ow = (image.shape[1] - kh) // stride + 1
    out = np.zeros((oh, ow))
    for r in range(oh):
        for c in range(ow):
            out[r, c] = np.sum(image[r * stride:r * stride + kh, c * stride:c * stride + kh] * kernel[:kh, :kh] if kh <= kw else image[r * stride:r * stride + kh, c * stride:c * stride + kh][:, :kw] * kernel)
    return out
def conv_no_stride(image, kernel, stride):
    return conv_right(image, kernel, 1)
def conv_stride_size_only(image, kernel, stride):
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride + 1
    ow = (image.shape[1] - kw) // stride + 1
    out = np.zeros((oh, ow))
    for r in range(oh):
        for c in range(ow):
            out[r, c] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out
def conv_no_plus1(image, kernel, stride):
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride
    ow = (image.shape[1] - kw) // stride
    out = np.zeros((oh, ow))
    for r in range(oh):
        for c in range(ow):
            out[r, c] = np.sum(image[r * stride:r * stride + kh, c * stride:c * stride + kw] * kernel)
    return out
def conv_vectorised(image, kernel, stride):
    windows = sliding_window_view(image, kernel.shape)[::stride, ::stride]
    return np.einsum("abij,ij->ab", windows, kernel)
def conv_int_dtype(image, kernel, stride):
    out = conv_right(image, kernel, stride)
    return out.astype(int)
def conv_transposed_out(image, kernel, stride):
    return conv_right(image, kernel, stride).T
def conv_list(image, kernel, stride):
    return conv_right(image, kernel, stride).tolist()
def conv_stride_ceil(image, kernel, stride):
    kh, kw = kernel.shape
    oh = -(-(image.shape[0] - kh) // stride) + 1
    ow = -(-(image.shape[1] - kw) // stride) + 1
    out = np.zeros((oh, ow))
    for r in range(oh):
        for c in range(ow):
            patch = image[r * stride:r * stride + kh, c * stride:c * stride + kw]
            out[r, c] = np.sum(patch * kernel[:patch.shape[0], :patch.shape[1]])
    return out
def conv_square_kernel(image, kernel, stride):
    k = kernel.shape[0]
    o = (image.shape[0] - k) // stride + 1
    out = np.zeros((o, o))
    for r in range(o):
        for c in range(o):
            out[r, c] = np.sum(image[r * stride:r * stride + k, c * stride:c * stride + k] * kernel)
    return out


# ---------------- extra answers (second round)
def invert_tilde(image):
    return ~image   # bitwise not: right only for uint8
def invert_uint8_cast(image):
    return (255 - image).astype(np.uint8)
def brightest_argmax_axis0(image):
    col_max_rows = np.argmax(image, axis=0)
    col = int(np.argmax(image.max(axis=0)))
    return (int(col_max_rows[col]), col)        # first by column, not by row
def brightest_array(image):
    return np.array(np.unravel_index(np.argmax(image), image.shape))
def box_int_ones_true_div():
    return np.ones((3, 3), dtype=np.int64) / 9
def apply_center_only(image, kernel, i, j):
    return float(image[i + 1, j + 1] * kernel[1, 1])
def pad_modifies_input(image, p):
    image *= 1.0
    image[0, 0] = image[0, 0]
    out = pad_right(image, p)
    image[...] = 0
    return out
def os2_same_formula(n, k, p):
    return n + 2 * p - (k - 1) // 2
def conv_kh_both_clean(image, kernel, stride):
    kh = kernel.shape[0]
    oh = (image.shape[0] - kh) // stride + 1
    ow = (image.shape[1] - kh) // stride + 1
    out = np.zeros((oh, ow))
    for r in range(oh):
        for c in range(ow):
            out[r, c] = np.sum(image[r * stride:r * stride + kh, c * stride:c * stride + kh] * kernel)
    return out
def conv_zeros_like(image, kernel, stride):
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride + 1
    ow = (image.shape[1] - kw) // stride + 1
    out = np.zeros_like(image)[:oh, :ow]
    for r in range(oh):
        for c in range(ow):
            out[r, c] = np.sum(image[r * stride:r * stride + kh, c * stride:c * stride + kw] * kernel)
    return out
def conv_range_stride_wrong(image, kernel, stride):
    kh, kw = kernel.shape
    rows = range(0, image.shape[0] - kh + 1, stride)
    cols = range(0, image.shape[1] - kw + 1, stride)
    out = np.zeros((len(rows), len(cols)))
    for a, r in enumerate(rows):
        for b, c in enumerate(cols):
            out[a, b] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out            # right answer written another way
def conv_swapped_ij_in_window(image, kernel, stride):
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride + 1
    ow = (image.shape[1] - kw) // stride + 1
    out = np.zeros((oh, ow))
    for r in range(oh):
        for c in range(ow):
            out[r, c] = np.sum(image[c * stride:c * stride + kh, r * stride:r * stride + kw] * kernel) if c * stride + kh <= image.shape[0] and r * stride + kw <= image.shape[1] else 0.0
    return out
def os3_ignores_p(n, k, s, p):
    return (n - k) // s + 1

def _e(lesson, checker, mistake, keywords, answer):
    return {"lesson": lesson, "checker": checker, "mistake": mistake, "keywords": keywords, "answer": answer}

L0, L1, L2, L3 = "lesson00", "lesson01", "lesson02", "lesson03"
ANSWERS = [
    _e(L0, "check_invert", "right answer", [], invert_right),
    _e(L0, "check_invert", "negates (forgets the 255)", ["255", "negat", "minus"], invert_negate),
    _e(L0, "check_invert", "256 - image (off by one)", ["255", "256", "off by one"], invert_256),
    _e(L0, "check_invert", "image.max() - image (uses the image's max, not 255)", ["255", "max"], invert_max),
    _e(L0, "check_invert", "changes the input in place", ["in place", "input", "copy", "modif"], invert_inplace),
    _e(L0, "check_invert", "returns a list", ["list", "array"], invert_list),
    _e(L0, "check_invert", "1 - image (0..1 scale)", ["255", "1 -", "0..1"], invert_one),
    _e(L0, "check_invert", "flips the picture instead of inverting values", ["flip", "mirror", "values"], invert_flip),
    _e(L0, "check_invert", "divides 255 by the image", ["divid", "subtract", "255 -"], invert_divide),
    _e(L0, "check_invert", "transposes the result", ["transpos", "shape"], invert_transposed),
    _e(L0, "check_brightest", "right answer", [], brightest_right),
    _e(L0, "check_brightest", "returns the flat index", ["flat", "unravel"], brightest_flat),
    _e(L0, "check_brightest", "returns (column, row)", ["swap", "column", "order"], brightest_swapped),
    _e(L0, "check_brightest", "takes the last of tied pixels", ["tie", "first"], brightest_last_tie),
    _e(L0, "check_brightest", "counts from 1", ["from 0", "1-based", "off by one"], brightest_one_based),
    _e(L0, "check_brightest", "returns the brightest value, not its position", ["value", "position"], brightest_value),
    _e(L0, "check_brightest", "unravels with the transposed shape", ["shape", "transpos", "unravel"], brightest_shape_transposed),
    _e(L0, "check_brightest", "divmod by the row count (square-only)", ["square", "columns", "shape[1]"], brightest_divmod_wrong),
    _e(L1, "check_box_blur", "right answer", [], box_right),
    _e(L1, "check_box_blur", "ones, not divided by 9", ["9", "average", "sum"], box_no_divide),
    _e(L1, "check_box_blur", "integer division // 9 gives zeros", ["integer", "//", "zero"], box_int_div),
    _e(L1, "check_box_blur", "divides by 3", ["9", "3"], box_div3),
    _e(L1, "check_box_blur", "5x5 kernel", ["3x3", "shape", "3 x 3"], box_5x5),
    _e(L1, "check_box_blur", "returns a list of lists", ["list", "array"], box_list),
    _e(L1, "check_box_blur", "divides by 8", ["9", "sum"], box_div8),
    _e(L1, "check_box_blur", "flat 9-vector", ["shape", "3x3", "(9,)"], box_flat),
    _e(L1, "check_box_blur", "identity/3 (diagonal)", ["all 9", "every", "diagonal"], box_identity),
    _e(L1, "check_apply_at", "right answer", [], apply_right),
    _e(L1, "check_apply_at", "patch centred at (i, j)", ["centre", "center", "top-left", "corner"], apply_centred),
    _e(L1, "check_apply_at", "flips the kernel", ["flip", "180"], apply_flipped),
    _e(L1, "check_apply_at", "transposes the kernel", ["transpos"], apply_transposed_kernel),
    _e(L1, "check_apply_at", "swaps i and j", ["swap", "row", "column"], apply_ij_swapped),
    _e(L1, "check_apply_at", "matrix product @ instead of elementwise *", ["@", "matrix", "elementwise", "element-wise"], apply_matmul),
    _e(L1, "check_apply_at", "forgets to sum (returns the 3x3 product)", ["sum", "single number", "scalar"], apply_no_sum),
    _e(L1, "check_apply_at", "mean instead of sum", ["mean", "sum", "9"], apply_mean),
    _e(L1, "check_apply_at", "truncates to int", ["int", "whole", "round"], apply_int),
    _e(L1, "check_apply_at", "2x2 patch (off by one in the slice)", ["i+3", "i + 3", "slice", "off by one", "2x2"], apply_2x2),
    _e(L2, "check_pad_by_stacking", "right answer", [], pad_right),
    _e(L2, "check_pad_by_stacking", "uses np.pad", ["np.pad", "vstack", "hstack"], pad_np_pad),
    _e(L2, "check_pad_by_stacking", "pads rows only (forgets columns)", ["column", "left", "right", "hstack"], pad_rows_only),
    _e(L2, "check_pad_by_stacking", "pads one side only", ["both sides", "each side", "one side", "bottom", "right"], pad_one_side),
    _e(L2, "check_pad_by_stacking", "pads 2p on each side", ["2p", "2 * p", "twice"], pad_2p),
    _e(L2, "check_pad_by_stacking", "pads with ones", ["zero", "ones"], pad_ones),
    _e(L2, "check_pad_by_stacking", "square-only (uses rows for columns)", ["square", "rectang", "column"], pad_square_only),
    _e(L2, "check_pad_by_stacking", "edge mode via np.pad", ["zero", "edge", "np.pad"], pad_edge),
    _e(L2, "check_pad_by_stacking", "returns a list", ["list", "array"], pad_inplace_list),
    _e(L2, "check_pad_by_stacking", "pads p+1", ["p + 1", "off by one", "one too many"], pad_p_plus_1),
    _e(L2, "check_pad_by_stacking", "always float32 (changes dtype)", ["dtype", "float32"], pad_float_always),
    _e(L2, "check_output_size", "right answer", [], os2_right),
    _e(L2, "check_output_size", "ignores p", ["p", "padding"], os2_ignore_p),
    _e(L2, "check_output_size", "adds p once, not 2p", ["2p", "both sides", "each side"], os2_p_once),
    _e(L2, "check_output_size", "forgets the +1", ["+ 1", "+1", "off by one"], os2_no_plus1),
    _e(L2, "check_output_size", "adds k instead of subtracting", ["- k", "minus k", "subtract", "sign"], os2_plus_k),
    _e(L2, "check_output_size", "returns a float", ["float", "int", "whole"], os2_float),
    _e(L2, "check_output_size", "returns n (same size)", ["k", "shrink", "kernel"], os2_same),
    _e(L3, "check_output_size", "right answer", [], os3_right),
    _e(L3, "check_output_size", "true division (float)", ["//", "floor", "float", "integer"], os3_float),
    _e(L3, "check_output_size", "ceil instead of floor", ["floor", "ceil", "round down"], os3_ceil),
    _e(L3, "check_output_size", "forgets +1", ["+ 1", "+1", "off by one"], os3_no_plus1),
    _e(L3, "check_output_size", "ignores stride", ["stride", "s"], os3_ignore_s),
    _e(L3, "check_output_size", "p once, not 2p", ["2p", "both sides", "each side"], os3_p_once),
    _e(L3, "check_output_size", "adds 2p after dividing", ["2p", "inside", "before dividing"], os3_p_outside),
    _e(L3, "check_output_size", "rounds instead of floor", ["floor", "round"], os3_round),
    _e(L3, "check_output_size", "(n+2p-k+1)//s", ["+1", "+ 1", "after"], os3_div_all),
    _e(L3, "check_conv2d", "right answer", [], conv_right),
    _e(L3, "check_conv2d", "flips the kernel (true convolution)", ["flip", "180"], conv_flipped),
    _e(L3, "check_conv2d", "uses kh for both axes", ["kw", "width", "column"], conv_kh_both),
    _e(L3, "check_conv2d", "ignores stride", ["stride"], conv_no_stride),
    _e(L3, "check_conv2d", "stride in the size but not in the window position", ["stride", "r * stride", "position", "step"], conv_stride_size_only),
    _e(L3, "check_conv2d", "forgets +1 in the output size", ["+1", "+ 1", "last", "shape", "off by one"], conv_no_plus1),
    _e(L3, "check_conv2d", "vectorised (no loops)", ["loop"], conv_vectorised),
    _e(L3, "check_conv2d", "integer output dtype", ["int", "dtype", "float"], conv_int_dtype),
    _e(L3, "check_conv2d", "transposed output", ["transpos", "row", "column"], conv_transposed_out),
    _e(L3, "check_conv2d", "returns a list", ["list", "array"], conv_list),
    _e(L3, "check_conv2d", "ceil output size with partial windows", ["floor", "partial", "shape", "last"], conv_stride_ceil),
    _e(L3, "check_conv2d", "square kernel and image assumed", ["square", "rectang", "kw", "width"], conv_square_kernel),
]

ANSWERS += [
    _e(L0, "check_invert", "bitwise not ~image (right for uint8 only)", ["~", "bitwise", "uint8", "float"], invert_tilde),
    _e(L0, "check_invert", "casts the result to uint8 (float image loses its fractions)", ["uint8", "dtype", "fraction"], invert_uint8_cast),
    _e(L0, "check_brightest", "scans column by column (first by column on ties)", ["column by column", "row by row", "tie", "first"], brightest_argmax_axis0),
    _e(L0, "check_brightest", "returns a NumPy array instead of a tuple", ["tuple", "array"], brightest_array),
    _e(L1, "check_box_blur", "right answer", [], box_int_ones_true_div),
    _e(L1, "check_apply_at", "multiplies the centre only", ["centre", "all 9", "sum"], apply_center_only),
    _e(L2, "check_pad_by_stacking", "zeroes the input after padding (changes argument)", ["in place", "argument", "changed"], pad_modifies_input),
    _e(L2, "check_output_size", "n + 2p - (k-1)//2 (half the kernel)", ["k - 1", "k-1", "kernel"], os2_same_formula),
    _e(L3, "check_output_size", "ignores p", ["padding", "2p"], os3_ignores_p),
    _e(L3, "check_conv2d", "uses kh for both axes (clean version: patch kh x kh)", ["kw", "width", "column"], conv_kh_both_clean),
    _e(L3, "check_conv2d", "np.zeros_like(image) output (int for an int image)", ["int", "dtype", "float", "zeros_like"], conv_zeros_like),
    _e(L3, "check_conv2d", "right answer", [], conv_range_stride_wrong),
    _e(L3, "check_conv2d", "swaps i and j in the window position", ["swap", "row", "column", "i and j"], conv_swapped_ij_in_window),
]
