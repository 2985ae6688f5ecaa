"""Walker w1: answers to the exercises of lessons 00-03 (right ones and typical wrong ones)."""
import math

import numpy as np

import cnnlab as cl


# ---------------------------------------------------------------- lesson00.check_invert
def invert_right(image):
    return 255 - image

def invert_unit_scale(image):          # thinks pixels are 0..1
    return 1 - image

def invert_negated(image):             # "negative" taken literally
    return -image

def invert_wrong_sign(image):
    return image - 255

def invert_256(image):                 # off by one
    return 256 - image

def invert_in_place(image):
    image[...] = 255 - image
    return image

def invert_list(image):
    return (255 - image).tolist()

def invert_bitwise(image):             # ~x == 255 - x only for uint8
    return ~image

def invert_transposed(image):
    return 255 - image.T

def invert_mirror(image):              # "negative" read as "flip"
    return np.flip(image)

def invert_rescaled(image):            # divides by 255 on the way
    return (255 - image) / 255

def invert_max(image):                 # uses the image's own maximum, not 255
    return image.max() - image

def invert_int8(image):                # casts to a too-small type
    return (255 - image).astype(np.int8)

def invert_tuple(image):
    return (255 - image,)


# ---------------------------------------------------------------- lesson00.check_brightest
def brightest_right(image):
    row, col = np.unravel_index(np.argmax(image), image.shape)
    return int(row), int(col)

def brightest_flat(image):
    return np.argmax(image)

def brightest_swapped(image):
    row, col = np.unravel_index(np.argmax(image), image.shape)
    return int(col), int(row)

def brightest_argmin(image):
    row, col = np.unravel_index(np.argmin(image), image.shape)
    return int(row), int(col)

def brightest_last_tie(image):
    best, where = -np.inf, None
    for i in range(image.shape[0]):
        for j in range(image.shape[1]):
            if image[i, j] >= best:
                best, where = image[i, j], (i, j)
    return where

def brightest_shape_reversed(image):   # right only on square images
    row, col = np.unravel_index(np.argmax(image), image.shape[::-1])
    return int(row), int(col)

def brightest_divmod_rows(image):      # divides the flat index by the number of rows
    return divmod(int(np.argmax(image)), image.shape[0])

def brightest_one_based(image):
    row, col = np.unravel_index(np.argmax(image), image.shape)
    return int(row) + 1, int(col) + 1

def brightest_value(image):            # returns the value, not the position
    return image.max()

def brightest_axis0(image):
    return np.argmax(image, axis=0)

def brightest_where_all(image):        # every tie, as arrays
    return np.where(image == image.max())

def brightest_column_order(image):     # ties read column by column
    col, row = np.unravel_index(np.argmax(image.T), image.T.shape)
    return int(row), int(col)

def brightest_list(image):
    row, col = np.unravel_index(np.argmax(image), image.shape)
    return [int(row), int(col)]


# ---------------------------------------------------------------- lesson01.check_box_blur
def box_blur_right():
    return np.full((3, 3), 1 / 9)

def box_blur_ones():
    return np.ones((3, 3))

def box_blur_third():
    return np.ones((3, 3)) / 3

def box_blur_floor_div():
    return np.ones((3, 3)) // 9

def box_blur_eight():                  # "8 neighbours"
    return np.ones((3, 3)) / 8

def box_blur_list():
    return [[1 / 9] * 3 for _ in range(3)]

def box_blur_5x5():
    return np.full((5, 5), 1 / 25)

def box_blur_flat():
    return np.full(9, 1 / 9)

def box_blur_identity():
    kernel = np.zeros((3, 3))
    kernel[1, 1] = 1
    return kernel

def box_blur_rounded():
    return np.full((3, 3), 0.11)

def box_blur_diagonal():
    return np.eye(3) / 3

def box_blur_negative():
    return np.full((3, 3), -1 / 9)

def box_blur_int_cast():
    return np.full((3, 3), 1 / 9).astype(int)

def box_blur_gaussian():
    return np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16


# ---------------------------------------------------------------- lesson01.check_apply_at
def apply_at_right(image, kernel, i, j):
    return np.sum(image[i:i + 3, j:j + 3] * kernel)

def apply_at_right_dot(image, kernel, i, j):
    return float(np.dot(image[i:i + 3, j:j + 3].ravel(), kernel.ravel()))

def apply_at_centred(image, kernel, i, j):   # (i, j) taken as the centre
    return np.sum(image[i - 1:i + 2, j - 1:j + 2] * kernel)

def apply_at_2x2(image, kernel, i, j):       # slice end off by one
    return np.sum(image[i:i + 2, j:j + 2] * kernel[:2, :2])

def apply_at_swapped(image, kernel, i, j):
    return np.sum(image[j:j + 3, i:i + 3] * kernel)

def apply_at_flipped(image, kernel, i, j):
    return np.sum(image[i:i + 3, j:j + 3] * kernel[::-1, ::-1])

def apply_at_matmul(image, kernel, i, j):
    return np.sum(image[i:i + 3, j:j + 3] @ kernel)

def apply_at_no_sum(image, kernel, i, j):
    return image[i:i + 3, j:j + 3] * kernel

def apply_at_mean(image, kernel, i, j):
    return np.mean(image[i:i + 3, j:j + 3] * kernel)

def apply_at_transposed_kernel(image, kernel, i, j):
    return np.sum(image[i:i + 3, j:j + 3] * kernel.T)

def apply_at_ignores_kernel(image, kernel, i, j):
    return np.sum(image[i:i + 3, j:j + 3])

def apply_at_loops_range2(image, kernel, i, j):
    total = 0.0
    for a in range(2):
        for b in range(2):
            total += image[i + a, j + b] * kernel[a, b]
    return total

def apply_at_int(image, kernel, i, j):
    return int(np.sum(image[i:i + 3, j:j + 3] * kernel))

def apply_at_chained_index(image, kernel, i, j):
    return np.sum(image[i:i + 3][j:j + 3] * kernel)

def apply_at_in_place(image, kernel, i, j):
    image[i:i + 3, j:j + 3] *= kernel
    return np.sum(image[i:i + 3, j:j + 3])

def apply_at_float_kernel_int(image, kernel, i, j):   # rounds the kernel to whole numbers
    return np.sum(image[i:i + 3, j:j + 3] * kernel.astype(int))


# ---------------------------------------------------------------- lesson02.check_pad_by_stacking
def pad_right(image, p):
    height, width = image.shape
    rows = np.zeros((p, width))
    tall = np.vstack([rows, image, rows])
    cols = np.zeros((height + 2 * p, p))
    return np.hstack([cols, tall, cols])

def pad_rows_only(image, p):
    rows = np.zeros((p, image.shape[1]))
    return np.vstack([rows, image, rows])

def pad_cols_height_h(image, p):       # columns only H tall, not H + 2p
    height, width = image.shape
    rows = np.zeros((p, width))
    tall = np.vstack([rows, image, rows])
    cols = np.zeros((height, p))
    return np.hstack([cols, tall, cols])

def pad_np_pad(image, p):
    return np.pad(image, p)

def pad_top_only(image, p):
    height, width = image.shape
    tall = np.vstack([np.zeros((p, width)), image])
    cols = np.zeros((height + p, p))
    return np.hstack([cols, tall, cols])

def pad_p_plus_one(image, p):
    q = p + 1
    height, width = image.shape
    tall = np.vstack([np.zeros((q, width)), image, np.zeros((q, width))])
    cols = np.zeros((height + 2 * q, q))
    return np.hstack([cols, tall, cols])

def pad_ones(image, p):
    height, width = image.shape
    tall = np.vstack([np.ones((p, width)), image, np.ones((p, width))])
    cols = np.ones((height + 2 * p, p))
    return np.hstack([cols, tall, cols])

def pad_hard_coded_3(image, p):        # copied from the 3x3 example
    zero_rows = np.zeros((p, 3))
    stacked = np.vstack([zero_rows, image, zero_rows])
    zero_cols = np.zeros((3 + 2 * p, p))
    return np.hstack([zero_cols, stacked, zero_cols])

def pad_square_only(image, p):         # row strip as wide as the image is tall
    height, width = image.shape
    tall = np.vstack([np.zeros((p, height)), image, np.zeros((p, height))])
    cols = np.zeros((height + 2 * p, p))
    return np.hstack([cols, tall, cols])

def pad_int_cast(image, p):
    return pad_right(image, p).astype(int)

def pad_list(image, p):
    return pad_right(image, p).tolist()

def pad_twice(image, p):               # 2p on each side
    return pad_right(image, 2 * p)

def pad_edge(image, p):                # repeats the border instead of zeros
    return np.pad(image, p, mode="edge")

def pad_left_only(image, p):
    height, width = image.shape
    tall = np.vstack([np.zeros((p, width)), image, np.zeros((p, width))])
    return np.hstack([np.zeros((height + 2 * p, p)), tall])

def pad_transposed(image, p):
    return pad_right(image, p).T


# ---------------------------------------------------------------- lesson02.check_output_size
def size02_right(n, k, p):
    return n + 2 * p - k + 1

def size02_ignores_p(n, k, p):
    return n - k + 1

def size02_p_once(n, k, p):
    return n + p - k + 1

def size02_no_plus_one(n, k, p):
    return n + 2 * p - k

def size02_minus_one(n, k, p):
    return n + 2 * p - k - 1

def size02_plus_k(n, k, p):
    return n + 2 * p + k - 1

def size02_float(n, k, p):
    return (n + 2 * p - k) / 1 + 1.0

def size02_minus_p(n, k, p):
    return n - 2 * p - k + 1

def size02_tuple(n, k, p):
    out = n + 2 * p - k + 1
    return (out, out)

def size02_stride2(n, k, p):
    return (n + 2 * p - k) // 2 + 1

def size02_same(n, k, p):              # "padding keeps the size"
    return n

def size02_precedence(n, k, p):
    return (n + 2) * p - k + 1

def size02_power(n, k, p):
    return n + 2 ** p - k + 1

def size02_half_kernel(n, k, p):
    return n + 2 * p - k // 2

def size02_numpy(n, k, p):             # returns a one-element array
    return np.array([n + 2 * p - k + 1])

def size02_clamped_wrong(n, k, p):     # never below n - k + 1 ... but caps at n
    return min(n, n + 2 * p - k + 1)


# ---------------------------------------------------------------- lesson03.check_output_size
def size03_right(n, k, s, p):
    return (n + 2 * p - k) // s + 1

def size03_true_div(n, k, s, p):
    return (n + 2 * p - k) / s + 1

def size03_ceil(n, k, s, p):
    return math.ceil((n + 2 * p - k) / s) + 1

def size03_no_plus_one(n, k, s, p):
    return (n + 2 * p - k) // s

def size03_plus_one_inside(n, k, s, p):
    return (n + 2 * p - k + 1) // s

def size03_p_once(n, k, s, p):
    return (n + p - k) // s + 1

def size03_times_s(n, k, s, p):
    return (n + 2 * p - k) * s + 1

def size03_ignores_s(n, k, s, p):
    return n + 2 * p - k + 1

def size03_ignores_p(n, k, s, p):
    return (n - k) // s + 1

def size03_round(n, k, s, p):
    return round((n + 2 * p - k) / s) + 1

def size03_int_trunc(n, k, s, p):
    return int((n + 2 * p - k) / s) + 1

def size03_swapped_sp(n, k, s, p):
    return (n + 2 * s - k) // p + 1 if p else n + 2 * s - k + 1

def size03_precedence(n, k, s, p):
    return n // s + 2 * p - k + 1

def size03_minus_one(n, k, s, p):
    return (n + 2 * p - k - 1) // s + 1

def size03_float_result(n, k, s, p):
    return float((n + 2 * p - k) // s + 1)

def size03_tuple(n, k, s, p):
    out = (n + 2 * p - k) // s + 1
    return out, out


# ---------------------------------------------------------------- lesson03.check_conv2d
def conv_right(image, kernel, stride):
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride + 1
    ow = (image.shape[1] - kw) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            r, c = i * stride, j * stride
            out[i, j] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out

def conv_flipped(image, kernel, stride):
    return conv_right(image, kernel[::-1, ::-1], stride)

def conv_ignores_stride(image, kernel, stride):
    return conv_right(image, kernel, 1)

def conv_stride_size_only(image, kernel, stride):   # right size, reads at (i, j)
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride + 1
    ow = (image.shape[1] - kw) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return out

def conv_kh_both(image, kernel, stride):
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride + 1
    ow = (image.shape[1] - kh) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            r, c = i * stride, j * stride
            out[i, j] = np.sum(image[r:r + kh, c:c + kh] * kernel)
    return out

def conv_no_plus_one(image, kernel, stride):
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride
    ow = (image.shape[1] - kw) // stride
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            r, c = i * stride, j * stride
            out[i, j] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out

def conv_ceil_size(image, kernel, stride):
    kh, kw = kernel.shape
    oh = math.ceil((image.shape[0] - kh) / stride) + 1
    ow = math.ceil((image.shape[1] - kw) / stride) + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            r, c = i * stride, j * stride
            patch = image[r:r + kh, c:c + kw]
            out[i, j] = np.sum(patch * kernel[:patch.shape[0], :patch.shape[1]])
    return out

def conv_int_output(image, kernel, stride):
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride + 1
    ow = (image.shape[1] - kw) // stride + 1
    out = np.zeros((oh, ow), dtype=int)
    for i in range(oh):
        for j in range(ow):
            r, c = i * stride, j * stride
            out[i, j] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out

def conv_in_place(image, kernel, stride):    # writes the output over the input
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride + 1
    ow = (image.shape[1] - kw) // stride + 1
    for i in range(oh):
        for j in range(ow):
            r, c = i * stride, j * stride
            image[i, j] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return image[:oh, :ow]

def conv_library(image, kernel, stride):     # the task says loops
    return cl.conv2d(image, kernel, stride=stride)

def conv_transposed_kernel(image, kernel, stride):
    kh, kw = kernel.shape
    if kh != kw:
        kernel = kernel.T.copy().reshape(kh, kw)
        return conv_right(image, kernel, stride)
    return conv_right(image, kernel.T, stride)

def conv_matmul(image, kernel, stride):
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride + 1
    ow = (image.shape[1] - kw) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            r, c = i * stride, j * stride
            patch = image[r:r + kh, c:c + kw]
            out[i, j] = np.sum(patch @ kernel.T) if kh != kw else np.sum(patch @ kernel)
    return out

def conv_list(image, kernel, stride):
    return conv_right(image, kernel, stride).tolist()

def conv_square_only(image, kernel, stride):   # uses the height for both sides
    kh, kw = kernel.shape
    n = (image.shape[0] - kh) // stride + 1
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            r, c = i * stride, j * stride
            out[i, j] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out

def conv_stride_rows_only(image, kernel, stride):
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride + 1
    ow = image.shape[1] - kw + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            r = i * stride
            out[i, j] = np.sum(image[r:r + kh, j:j + kw] * kernel)
    return out

def conv_mean(image, kernel, stride):
    return conv_right(image, kernel, stride) / kernel.size

def conv_hard_coded_3(image, kernel, stride):
    oh = (image.shape[0] - 3) // stride + 1
    ow = (image.shape[1] - 3) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            r, c = i * stride, j * stride
            out[i, j] = np.sum(image[r:r + 3, c:c + 3] * kernel[:3, :3])
    return out

def conv_seed_frame(image, kernel, stride):    # output as big as the input, zero frame
    out = np.zeros(image.shape)
    small = conv_right(image, kernel, stride)
    out[:small.shape[0], :small.shape[1]] = small
    return out

def conv_output_transposed(image, kernel, stride):
    return conv_right(image, kernel, stride).T


def apply_at_flip_rows_only(image, kernel, i, j):   # flips up-down only
    return np.sum(image[i:i + 3, j:j + 3] * kernel[::-1, :])

def conv_flip_columns_only(image, kernel, stride):  # mirrors left-right only
    return conv_right(image, kernel[:, ::-1], stride)

def conv_range_step(image, kernel, stride):         # steps the loop by s, indexes out with the pixel
    kh, kw = kernel.shape
    oh = (image.shape[0] - kh) // stride + 1
    ow = (image.shape[1] - kw) // stride + 1
    out = np.zeros((oh, ow))
    for r in range(0, image.shape[0] - kh + 1, stride):
        for c in range(0, image.shape[1] - kw + 1, stride):
            out[r, c] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out


def E(lesson, checker, mistake, keywords, answer):
    return {"lesson": lesson, "checker": checker, "mistake": mistake,
            "keywords": keywords, "answer": answer}


L0, L1, L2, L3 = "lesson00", "lesson01", "lesson02", "lesson03"
ANSWERS = [
    E(L0, "check_invert", "right answer", [], invert_right),
    E(L0, "check_invert", "1 - image (thinks pixels are 0..1)", ["255", "0..1", "scale"], invert_unit_scale),
    E(L0, "check_invert", "-image (forgot the 255)", ["255", "minus"], invert_negated),
    E(L0, "check_invert", "image - 255 (wrong sign)", ["sign", "255 - image", "negative"], invert_wrong_sign),
    E(L0, "check_invert", "256 - image (off by one)", ["256", "off by one"], invert_256),
    E(L0, "check_invert", "changes the input in place", ["in place", "input", "changed", "modif"], invert_in_place),
    E(L0, "check_invert", "returns a list", ["list", "array"], invert_list),
    E(L0, "check_invert", "~image (bitwise not)", ["bitwise", "~", "dtype", "uint8"], invert_bitwise),
    E(L0, "check_invert", "transposes the image", ["transpos", "shape"], invert_transposed),
    E(L0, "check_invert", "mirrors (np.flip) instead of inverting", ["flip", "mirror"], invert_mirror),
    E(L0, "check_invert", "(255 - image) / 255", ["255", "scale", "divide", "0..1"], invert_rescaled),
    E(L0, "check_invert", "image.max() - image", ["max", "255", "brightest"], invert_max),
    E(L0, "check_invert", "casts to int8", ["dtype", "int8", "overflow"], invert_int8),
    E(L0, "check_invert", "returns a 1-tuple", ["tuple", "array"], invert_tuple),
    E(L0, "check_brightest", "right answer", [], brightest_right),
    E(L0, "check_brightest", "returns the flat index", ["flat", "unravel"], brightest_flat),
    E(L0, "check_brightest", "(column, row) swapped", ["swap", "(row, column)", "order"], brightest_swapped),
    E(L0, "check_brightest", "argmin: darkest pixel", ["darkest", "argmin", "smallest"], brightest_argmin),
    E(L0, "check_brightest", "last of the ties (>=)", ["tie", "first", "last"], brightest_last_tie),
    E(L0, "check_brightest", "unravel with the shape reversed", ["shape", "square", "unravel"], brightest_shape_reversed),
    E(L0, "check_brightest", "divmod by the number of rows", ["columns", "shape[1]", "square", "width"], brightest_divmod_rows),
    E(L0, "check_brightest", "counts from 1", ["counted from 0", "off by one", "from 0", "1-based"], brightest_one_based),
    E(L0, "check_brightest", "returns the value, not the position", ["value", "position"], brightest_value),
    E(L0, "check_brightest", "np.argmax(axis=0)", ["axis", "per column"], brightest_axis0),
    E(L0, "check_brightest", "np.where: every tie as arrays", ["tie", "first", "array"], brightest_where_all),
    E(L0, "check_brightest", "ties read column by column", ["column by column", "row by row", "tie", "order"], brightest_column_order),
    E(L0, "check_brightest", "not a mistake: returns a list [row, col] (harmless: the task asks for the position)", ["tuple", "list"], brightest_list),
    E(L1, "check_box_blur", "right answer", [], box_blur_right),
    E(L1, "check_box_blur", "all ones (sum, not average)", ["9", "average", "sum", "divide"], box_blur_ones),
    E(L1, "check_box_blur", "ones / 3", ["9", "3"], box_blur_third),
    E(L1, "check_box_blur", "ones // 9 (integer division)", ["integer", "division", "//", "zero"], box_blur_floor_div),
    E(L1, "check_box_blur", "ones / 8 (8 neighbours)", ["9", "8", "off by one"], box_blur_eight),
    E(L1, "check_box_blur", "list of lists", ["list", "array"], box_blur_list),
    E(L1, "check_box_blur", "5x5 kernel", ["shape", "3x3", "5"], box_blur_5x5),
    E(L1, "check_box_blur", "flat 9-vector", ["shape", "flat", "3x3", "(3, 3)"], box_blur_flat),
    E(L1, "check_box_blur", "identity kernel", ["identity", "average", "centre"], box_blur_identity),
    E(L1, "check_box_blur", "0.11 rounded", ["round", "1/9", "0.11"], box_blur_rounded),
    E(L1, "check_box_blur", "diagonal eye/3", ["diagonal", "every", "all 9"], box_blur_diagonal),
    E(L1, "check_box_blur", "-1/9 (wrong sign)", ["sign", "negative"], box_blur_negative),
    E(L1, "check_box_blur", "astype(int) -> zeros", ["integer", "dtype", "int"], box_blur_int_cast),
    E(L1, "check_box_blur", "Gaussian weights", ["gaussian", "equal", "same weight"], box_blur_gaussian),
    E(L1, "check_apply_at", "right answer", [], apply_at_right),
    E(L1, "check_apply_at", "right answer (np.dot of ravels)", [], apply_at_right_dot),
    E(L1, "check_apply_at", "(i, j) as centre", ["centre", "top-left", "corner"], apply_at_centred),
    E(L1, "check_apply_at", "2x2 slice (end off by one)", ["2x2", "3x3", "slice", "end"], apply_at_2x2),
    E(L1, "check_apply_at", "i and j swapped", ["swap", "row", "column"], apply_at_swapped),
    E(L1, "check_apply_at", "kernel flipped", ["flip", "rotat", "180"], apply_at_flipped),
    E(L1, "check_apply_at", "matrix product @", ["matrix", "@", "element-wise"], apply_at_matmul),
    E(L1, "check_apply_at", "returns products, no sum", ["sum", "array", "scalar", "number"], apply_at_no_sum),
    E(L1, "check_apply_at", "mean instead of sum", ["mean", "9", "sum"], apply_at_mean),
    E(L1, "check_apply_at", "kernel transposed", ["transpos"], apply_at_transposed_kernel),
    E(L1, "check_apply_at", "ignores the kernel", ["kernel", "ignor"], apply_at_ignores_kernel),
    E(L1, "check_apply_at", "loops range(2)", ["range", "3", "off by one"], apply_at_loops_range2),
    E(L1, "check_apply_at", "int() of the sum", ["int", "round", "integer"], apply_at_int),
    E(L1, "check_apply_at", "chained index image[i:i+3][j:j+3]", ["chain", "[i:i+3][j:j+3]", "image[i:i + 3, j:j + 3]", "comma"], apply_at_chained_index),
    E(L1, "check_apply_at", "multiplies the image in place", ["in place", "changed", "modif", "input"], apply_at_in_place),
    E(L1, "check_apply_at", "rounds the kernel to int", ["int", "round", "dtype"], apply_at_float_kernel_int),
    E(L2, "check_pad_by_stacking", "right answer", [], pad_right),
    E(L2, "check_pad_by_stacking", "rows only (no hstack)", ["columns", "hstack", "left", "right"], pad_rows_only),
    E(L2, "check_pad_by_stacking", "column strips H tall, not H + 2p", ["H + 2p", "height", "tall"], pad_cols_height_h),
    E(L2, "check_pad_by_stacking", "np.pad (forbidden)", ["np.pad", "stack"], pad_np_pad),
    E(L2, "check_pad_by_stacking", "rows on top only", ["bottom", "both"], pad_top_only),
    E(L2, "check_pad_by_stacking", "pads p + 1", ["p + 1", "off by one", "width"], pad_p_plus_one),
    E(L2, "check_pad_by_stacking", "ones instead of zeros", ["zeros", "ones"], pad_ones),
    E(L2, "check_pad_by_stacking", "hard-coded width 3 from the example", ["width", "hard", "3"], pad_hard_coded_3),
    E(L2, "check_pad_by_stacking", "square-only row strips", ["square", "width", "columns"], pad_square_only),
    E(L2, "check_pad_by_stacking", "astype(int)", ["dtype", "integer", "float", "int"], pad_int_cast),
    E(L2, "check_pad_by_stacking", "returns a list", ["list", "array"], pad_list),
    E(L2, "check_pad_by_stacking", "2p on each side", ["2p", "each side", "twice"], pad_twice),
    E(L2, "check_pad_by_stacking", "edge mode (repeats border) with np.pad", ["zero", "edge", "border", "np.pad"], pad_edge),
    E(L2, "check_pad_by_stacking", "columns on the left only", ["right"], pad_left_only),
    E(L2, "check_pad_by_stacking", "returns the transpose", ["transpos", "shape"], pad_transposed),
    E(L2, "check_output_size", "right answer", [], size02_right),
    E(L2, "check_output_size", "ignores p", ["padding", "p", "ignor"], size02_ignores_p),
    E(L2, "check_output_size", "p once, not 2p", ["2p", "each side", "both"], size02_p_once),
    E(L2, "check_output_size", "forgot + 1", ["+ 1", "off by one", "positions"], size02_no_plus_one),
    E(L2, "check_output_size", "- 1 instead of + 1", ["+ 1", "off by one"], size02_minus_one),
    E(L2, "check_output_size", "+ k (wrong sign)", ["sign", "- k"], size02_plus_k),
    E(L2, "check_output_size", "returns a float", ["int", "float", "integer"], size02_float),
    E(L2, "check_output_size", "- 2p (wrong sign)", ["sign", "+ 2p", "adds"], size02_minus_p),
    E(L2, "check_output_size", "returns (side, side)", ["tuple", "side", "int"], size02_tuple),
    E(L2, "check_output_size", "divides by 2 (stride 2)", ["stride", "2"], size02_stride2),
    E(L2, "check_output_size", "returns n", ["same", "n"], size02_same),
    E(L2, "check_output_size", "(n + 2) * p precedence", ["parenthes", "2p", "2 * p"], size02_precedence),
    E(L2, "check_output_size", "2 ** p typo", ["2p", "2 * p", "power"], size02_power),
    E(L2, "check_output_size", "subtracts k // 2", ["k - 1", "kernel", "k"], size02_half_kernel),
    E(L2, "check_output_size", "one-element array", ["int", "array"], size02_numpy),
    E(L2, "check_output_size", "caps at n", ["n", "larger", "bigger"], size02_clamped_wrong),
    E(L3, "check_output_size", "right answer", [], size03_right),
    E(L3, "check_output_size", "true division /", ["floor", "//", "integer", "float"], size03_true_div),
    E(L3, "check_output_size", "ceil instead of floor", ["floor", "ceil"], size03_ceil),
    E(L3, "check_output_size", "forgot + 1", ["+ 1", "positions"], size03_no_plus_one),
    E(L3, "check_output_size", "+ 1 inside the floor", ["+ 1", "inside", "floor"], size03_plus_one_inside),
    E(L3, "check_output_size", "p once", ["2p", "both sides", "each side"], size03_p_once),
    E(L3, "check_output_size", "multiplies by s", ["divide", "multipl", "stride"], size03_times_s),
    E(L3, "check_output_size", "ignores stride", ["stride", "s"], size03_ignores_s),
    E(L3, "check_output_size", "ignores padding", ["padding", "p"], size03_ignores_p),
    E(L3, "check_output_size", "round() instead of floor", ["round", "floor"], size03_round),
    E(L3, "check_output_size", "int() truncation (toward zero)", ["negative", "fit", "truncat", "floor"], size03_int_trunc),
    E(L3, "check_output_size", "s and p swapped", ["order", "stride", "padding", "swap"], size03_swapped_sp),
    E(L3, "check_output_size", "n // s precedence", ["parenthes", "order", "whole"], size03_precedence),
    E(L3, "check_output_size", "extra - 1", ["off by one", "- 1"], size03_minus_one),
    E(L3, "check_output_size", "returns a float", ["int", "float"], size03_float_result),
    E(L3, "check_output_size", "returns a tuple", ["tuple", "int"], size03_tuple),
    E(L3, "check_conv2d", "right answer", [], conv_right),
    E(L3, "check_conv2d", "kernel flipped (true convolution)", ["flip", "rotat", "180"], conv_flipped),
    E(L3, "check_conv2d", "ignores stride", ["stride"], conv_ignores_stride),
    E(L3, "check_conv2d", "strided size but reads at (i, j) not (i*s, j*s)", ["i * s", "i*s", "multiply", "position", "start"], conv_stride_size_only),
    E(L3, "check_conv2d", "uses kh for both axes", ["kw", "width", "column", "square"], conv_kh_both),
    E(L3, "check_conv2d", "output size without + 1", ["+ 1", "size", "shape", "last"], conv_no_plus_one),
    E(L3, "check_conv2d", "ceil output size, partial windows", ["floor", "ceil", "fit"], conv_ceil_size),
    E(L3, "check_conv2d", "integer output array", ["int", "dtype", "float", "trunc"], conv_int_output),
    E(L3, "check_conv2d", "writes output over the input (in place)", ["in place", "input", "modif", "changed"], conv_in_place),
    E(L3, "check_conv2d", "calls cnnlab.conv2d (task says loops)", ["loop", "library", "cnnlab"], conv_library),
    E(L3, "check_conv2d", "kernel transposed", ["transpos"], conv_transposed_kernel),
    E(L3, "check_conv2d", "matrix product @ in the window", ["element-wise", "matrix", "@"], conv_matmul),
    E(L3, "check_conv2d", "returns a list of lists", ["list", "array"], conv_list),
    E(L3, "check_conv2d", "square-only output (height for both)", ["square", "width", "columns", "shape[1]"], conv_square_only),
    E(L3, "check_conv2d", "stride on rows only", ["columns", "stride", "both"], conv_stride_rows_only),
    E(L3, "check_conv2d", "mean (divides by kernel size)", ["mean", "sum", "divide"], conv_mean),
    E(L3, "check_conv2d", "hard-coded 3x3 kernel", ["kernel size", "3", "hard"], conv_hard_coded_3),
    E(L3, "check_conv2d", "seed-style zero frame, input-sized output", ["size", "shape", "frame", "valid"], conv_seed_frame),
    E(L3, "check_conv2d", "output transposed", ["transpos", "shape"], conv_output_transposed),
    E(L1, "check_apply_at", "kernel flipped up-down only", ["flip", "upside", "rows"], apply_at_flip_rows_only),
    E(L3, "check_conv2d", "kernel mirrored left-right only", ["flip", "mirror", "left"], conv_flip_columns_only),
    E(L3, "check_conv2d", "range(0, H, s) loop, writes out[r, c] with pixel index", ["index", "r // s", "i * s", "out[i, j]"], conv_range_step),
]
