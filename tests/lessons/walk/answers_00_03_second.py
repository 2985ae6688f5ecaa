"""Walker v1 (second walk of lessons 00-03, 2026-12-07): a new learner's answers (right answers first, then wrong ones).

Only numpy / stdlib. Every answer is a top-level function (or value) named below.
"""
import math

import numpy as np


# ----------------------------------------------------------------------------- lesson 00
def invert_right(image):
    return 255 - image


def invert_one_minus(image):          # thinks pixels are in [0, 1]
    return 1 - image


def invert_256(image):                # off by one
    return 256 - image


def invert_negate(image):             # "negative" taken literally
    return -image


def invert_wrong_order(image):        # subtraction the wrong way round
    return image - 255


def invert_in_place(image):           # overwrites the caller's image
    image[...] = 255 - image
    return image


def invert_list(image):               # returns a list
    return (255 - image).tolist()


def invert_np_invert(image):          # bitwise NOT: right for uint8 only
    return np.invert(image)


def invert_from_max(image):           # uses the image's own max instead of 255
    return image.max() - image


def invert_loops_28(image):           # hard-coded 28 x 28 shape
    out = np.zeros((28, 28), dtype=int)
    for i in range(28):
        for j in range(28):
            out[i, j] = 255 - image[i, j]
    return out


def invert_scaled(image):             # rescales to [0, 1] as well
    return (255 - image) / 255


def invert_transposed(image):         # transposes by accident
    return 255 - image.T


def brightest_right(image):
    flat = np.argmax(image)
    row, column = np.unravel_index(flat, image.shape)
    return int(row), int(column)


def brightest_flat(image):            # forgets unravel_index
    return np.argmax(image)


def brightest_col_row(image):         # (column, row) order
    row, column = np.unravel_index(np.argmax(image), image.shape)
    return int(column), int(row)


def brightest_axis0(image):           # argmax along an axis
    return np.argmax(image, axis=0)


def brightest_last_tie(image):        # the last of several ties
    flat_reversed = np.argmax(image.ravel()[::-1])
    flat = image.size - 1 - flat_reversed
    row, column = np.unravel_index(flat, image.shape)
    return int(row), int(column)


def brightest_value(image):           # returns the value, not the position
    return image.max()


def brightest_one_based(image):       # counts from 1
    row, column = np.unravel_index(np.argmax(image), image.shape)
    return int(row) + 1, int(column) + 1


def brightest_shape_reversed(image):  # unravels with (columns, rows)
    row, column = np.unravel_index(np.argmax(image), image.shape[::-1])
    return int(row), int(column)


def brightest_divmod_28(image):       # hard-coded MNIST width
    return divmod(int(np.argmax(image)), 28)


def brightest_argmin(image):          # argmin instead of argmax
    row, column = np.unravel_index(np.argmin(image), image.shape)
    return int(row), int(column)


def brightest_column_major_tie(image):  # reads column by column
    flat = np.argmax(image.T)
    column, row = np.unravel_index(flat, image.T.shape)
    return int(row), int(column)


def brightest_list(image):            # returns a list instead of a tuple
    row, column = np.unravel_index(np.argmax(image), image.shape)
    return [int(row), int(column)]


# ----------------------------------------------------------------------------- lesson 01
def box_blur_right():
    return np.ones((3, 3)) / 9


def box_blur_sum():                   # forgets to divide
    return np.ones((3, 3))


def box_blur_third():                 # divides by 3
    return np.ones((3, 3)) / 3


def box_blur_int_div():               # integer division -> all zeros
    return np.ones((3, 3), dtype=int) // 9


def box_blur_list():                  # nested list
    return [[1 / 9] * 3 for _ in range(3)]


def box_blur_rounded():               # 0.11 instead of 1/9
    return np.full((3, 3), 0.11)


def box_blur_flat():                  # 9 weights in a row
    return np.ones(9) / 9


def box_blur_5x5():                   # wrong size
    return np.ones((5, 5)) / 25


def box_blur_gaussian():              # a Gaussian blur, not a box
    return np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16


def apply_at_right(image, kernel, i, j):
    return float(np.sum(image[i:i + 3, j:j + 3] * kernel))


def apply_at_centre(image, kernel, i, j):      # (i, j) as the centre
    return float(np.sum(image[i - 1:i + 2, j - 1:j + 2] * kernel))


def apply_at_short_slice(image, kernel, i, j):  # i:i+2, off by one
    return float(np.sum(image[i:i + 2, j:j + 2] * kernel[:2, :2]))


def apply_at_swapped(image, kernel, i, j):     # rows and columns swapped
    return float(np.sum(image[j:j + 3, i:i + 3] * kernel))


def apply_at_flipped(image, kernel, i, j):     # flips the kernel
    return float(np.sum(image[i:i + 3, j:j + 3] * kernel[::-1, ::-1]))


def apply_at_matmul(image, kernel, i, j):      # matrix product, not element-wise
    return float(np.sum(image[i:i + 3, j:j + 3] @ kernel))


def apply_at_no_sum(image, kernel, i, j):      # returns the products
    return image[i:i + 3, j:j + 3] * kernel


def apply_at_mean(image, kernel, i, j):        # mean instead of sum
    return float(np.mean(image[i:i + 3, j:j + 3] * kernel))


def apply_at_transposed_kernel(image, kernel, i, j):
    return float(np.sum(image[i:i + 3, j:j + 3] * kernel.T))


def apply_at_int(image, kernel, i, j):         # truncates to int
    return int(np.sum(image[i:i + 3, j:j + 3] * kernel))


def apply_at_ignores_position(image, kernel, i, j):  # always the top-left patch
    return float(np.sum(image[0:3, 0:3] * kernel))


def apply_at_in_place(image, kernel, i, j):    # multiplies the image in place
    image[i:i + 3, j:j + 3] *= kernel
    return float(image[i:i + 3, j:j + 3].sum())


def apply_at_loops_swapped_index(image, kernel, i, j):  # kernel[b, a] in the loops
    total = 0.0
    for a in range(3):
        for b in range(3):
            total += image[i + a, j + b] * kernel[b, a]
    return total


# ----------------------------------------------------------------------------- lesson 02
def pad_right(image, p):
    height, width = image.shape
    zero_rows = np.zeros((p, width))
    stacked = np.vstack([zero_rows, image, zero_rows])
    zero_cols = np.zeros((height + 2 * p, p))
    return np.hstack([zero_cols, stacked, zero_cols])


def pad_np_pad(image, p):                       # the library call the task forbids
    return np.pad(image, p)


def pad_cols_height_h(image, p):                # column zeros only H tall
    height, width = image.shape
    zero_rows = np.zeros((p, width))
    stacked = np.vstack([zero_rows, image, zero_rows])
    zero_cols = np.zeros((height, p))
    return np.hstack([zero_cols, stacked, zero_cols])


def pad_one_side(image, p):                     # only top and left
    height, width = image.shape
    stacked = np.vstack([np.zeros((p, width)), image])
    return np.hstack([np.zeros((height + p, p)), stacked])


def pad_cols_2p(image, p):                      # 2p columns each side
    height, width = image.shape
    zero_rows = np.zeros((p, width))
    stacked = np.vstack([zero_rows, image, zero_rows])
    zero_cols = np.zeros((height + 2 * p, 2 * p))
    return np.hstack([zero_cols, stacked, zero_cols])


def pad_square_only(image, p):                  # uses the height for the width too
    n = image.shape[0]
    zero_rows = np.zeros((p, n))
    stacked = np.vstack([zero_rows, image, zero_rows])
    zero_cols = np.zeros((n + 2 * p, p))
    return np.hstack([zero_cols, stacked, zero_cols])


def pad_ones(image, p):                         # pads with ones
    height, width = image.shape
    one_rows = np.ones((p, width))
    stacked = np.vstack([one_rows, image, one_rows])
    one_cols = np.ones((height + 2 * p, p))
    return np.hstack([one_cols, stacked, one_cols])


def pad_loop_p_plus_1(image, p):                # one row/column too many
    out = image
    for _ in range(p + 1):
        h, w = out.shape
        out = np.vstack([np.zeros((1, w)), out, np.zeros((1, w))])
        out = np.hstack([np.zeros((h + 2, 1)), out, np.zeros((h + 2, 1))])
    return out


def pad_int_dtype(image, p):                    # casts to int
    return pad_right(image, p).astype(int)


def pad_list(image, p):                         # returns a list
    return pad_right(image, p).tolist()


def pad_ignores_p(image, p):                    # always pads 1
    return pad_right(image, 1)


def pad_rows_only(image, p):                    # forgets the columns
    height, width = image.shape
    zero_rows = np.zeros((p, width))
    return np.vstack([zero_rows, image, zero_rows])


def pad_hstack_first_wrong_width(image, p):     # hstack first, row zeros W wide
    height, width = image.shape
    zero_cols = np.zeros((height, p))
    stacked = np.hstack([zero_cols, image, zero_cols])
    zero_rows = np.zeros((p, width))
    return np.vstack([zero_rows, stacked, zero_rows])


def size02_right(n, k, p):
    return n + 2 * p - k + 1


def size02_ignores_p(n, k, p):
    return n - k + 1


def size02_p_once(n, k, p):
    return n + p - k + 1


def size02_no_plus_one(n, k, p):
    return n + 2 * p - k


def size02_plus_k(n, k, p):
    return n + 2 * p + k - 1


def size02_float(n, k, p):
    return (n + 2 * p - k) / 1 + 1


def size02_minus_2p(n, k, p):
    return n - 2 * p - k + 1


def size02_tuple(n, k, p):
    return (n + 2 * p - k + 1, n + 2 * p - k + 1)


def size02_assume_same(n, k, p):                 # "padding keeps the size"
    return n


# ----------------------------------------------------------------------------- lesson 03
def size03_right(n, k, s, p):
    return (n + 2 * p - k) // s + 1


def size03_true_division(n, k, s, p):
    return (n + 2 * p - k) / s + 1


def size03_plus_one_inside(n, k, s, p):
    return (n + 2 * p - k + 1) // s


def size03_p_once(n, k, s, p):
    return (n + p - k) // s + 1


def size03_round(n, k, s, p):
    return round((n + 2 * p - k) / s) + 1


def size03_ceil(n, k, s, p):
    return math.ceil((n + 2 * p - k) / s) + 1


def size03_no_plus_one(n, k, s, p):
    return (n + 2 * p - k) // s


def size03_ignores_stride(n, k, s, p):
    return n + 2 * p - k + 1


def size03_padding_after_stride(n, k, s, p):
    return (n - k) // s + 1 + 2 * p


def size03_int_truncation(n, k, s, p):            # int() truncates towards 0
    return int((n + 2 * p - k) / s) + 1


def conv_right(image, kernel, stride):
    kh, kw = kernel.shape
    out_h = (image.shape[0] - kh) // stride + 1
    out_w = (image.shape[1] - kw) // stride + 1
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * stride, j * stride
            out[i, j] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out


def conv_kh_both(image, kernel, stride):          # k = kernel.shape[0] for both axes
    k = kernel.shape[0]
    out_h = (image.shape[0] - k) // stride + 1
    out_w = (image.shape[1] - k) // stride + 1
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * stride, j * stride
            out[i, j] = np.sum(image[r:r + k, c:c + k] * kernel)
    return out


def conv_flipped(image, kernel, stride):          # true convolution
    return conv_right(image, kernel[::-1, ::-1], stride)


def conv_ignores_stride(image, kernel, stride):
    return conv_right(image, kernel, 1)


def conv_size_ignores_stride(image, kernel, stride):  # output sized for stride 1
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(0, image.shape[0] - kh + 1, stride):
        for j in range(0, image.shape[1] - kw + 1, stride):
            out[i // stride, j // stride] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return out


def conv_patch_not_strided(image, kernel, stride):   # patch at (i, j), not (i*s, j*s)
    kh, kw = kernel.shape
    out_h = (image.shape[0] - kh) // stride + 1
    out_w = (image.shape[1] - kw) // stride + 1
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return out


def conv_missing_last(image, kernel, stride):     # (n - k) // s, no + 1
    kh, kw = kernel.shape
    out_h = (image.shape[0] - kh) // stride
    out_w = (image.shape[1] - kw) // stride
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * stride, j * stride
            out[i, j] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out


def conv_int_output(image, kernel, stride):       # np.zeros(..., dtype=int)
    kh, kw = kernel.shape
    out_h = (image.shape[0] - kh) // stride + 1
    out_w = (image.shape[1] - kw) // stride + 1
    out = np.zeros((out_h, out_w), dtype=int)
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * stride, j * stride
            out[i, j] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out


def conv_no_loops(image, kernel, stride):         # library call, not loops
    windows = np.lib.stride_tricks.sliding_window_view(image, kernel.shape)
    return np.einsum("ijab,ab->ij", windows, kernel)[::stride, ::stride]


def conv_transposed(image, kernel, stride):
    return conv_right(image, kernel, stride).T


def conv_matmul(image, kernel, stride):           # @ instead of *
    kh, kw = kernel.shape
    out_h = (image.shape[0] - kh) // stride + 1
    out_w = (image.shape[1] - kw) // stride + 1
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * stride, j * stride
            patch = image[r:r + kh, c:c + kw]
            out[i, j] = np.sum(patch @ kernel.T) if kh != kw else np.sum(patch @ kernel)
    return out


def conv_list(image, kernel, stride):
    return conv_right(image, kernel, stride).tolist()


def conv_stride_rows_only(image, kernel, stride):
    kh, kw = kernel.shape
    out_h = (image.shape[0] - kh) // stride + 1
    out_w = image.shape[1] - kw + 1
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            r = i * stride
            out[i, j] = np.sum(image[r:r + kh, j:j + kw] * kernel)
    return out


def conv_square_image(image, kernel, stride):     # image.shape[0] for both
    kh, kw = kernel.shape
    n = image.shape[0]
    out_h = (n - kh) // stride + 1
    out_w = (n - kw) // stride + 1
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * stride, j * stride
            patch = image[r:r + kh, c:c + kw]
            if patch.shape == kernel.shape:
                out[i, j] = np.sum(patch * kernel)
    return out


def conv_ceil_size(image, kernel, stride):        # ceil: a last partial window
    kh, kw = kernel.shape
    out_h = -(-(image.shape[0] - kh) // stride) + 1
    out_w = -(-(image.shape[1] - kw) // stride) + 1
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * stride, j * stride
            patch = image[r:r + kh, c:c + kw]
            out[i, j] = np.sum(patch * kernel[:patch.shape[0], :patch.shape[1]])
    return out


def conv_range_off_by_one(image, kernel, stride):  # range(n - k) with stride 1 thinking
    kh, kw = kernel.shape
    rows = range(0, image.shape[0] - kh, stride)
    cols = range(0, image.shape[1] - kw, stride)
    out = np.zeros((len(rows), len(cols)))
    for a, r in enumerate(rows):
        for b, c in enumerate(cols):
            out[a, b] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out


def conv_in_place_centering(image, kernel, stride):  # subtracts the mean in place first
    image -= image.mean()
    return conv_right(image, kernel, stride)


# ----------------------------------------------------------------------------- second round (sneakier)
def invert_uint8_cast(image):          # casts to uint8 first: fractions lost
    return 255 - image.astype(np.uint8)


def brightest_true_division(image):    # / instead of // for the row
    flat = int(np.argmax(image))
    return flat / image.shape[1], flat % image.shape[1]


def brightest_argwhere_last(image):    # argwhere, last match, as an array
    return np.argwhere(image == image.max())[-1]


def box_blur_eye():                    # sums to 1 but is not a box
    return np.eye(3) / 3


def box_blur_scalar():                 # just the weight
    return 1 / 9


def apply_at_chained_index(image, kernel, i, j):   # image[i:i+3][j:j+3]
    return float(np.sum(image[i:i + 3][j:j + 3] * kernel))


def pad_zeros_like(image, p):          # zeros_like(image[:p]): too few rows when p > H
    zero_rows = np.zeros_like(image[:p])
    stacked = np.vstack([zero_rows, image, zero_rows])
    zero_cols = np.zeros_like(stacked[:, :p])
    return np.hstack([zero_cols, stacked, zero_cols])


def size03_ceil_trick(n, k, s, p):     # (x + s - 1) // s: ceil, no + 1
    return (n + 2 * p - k + s - 1) // s


def conv_flip_lr(image, kernel, stride):      # mirrors left-right only
    return conv_right(image, kernel[:, ::-1], stride)


def conv_stride_as_dilation(image, kernel, stride):  # spaces the taps by the stride
    kh, kw = kernel.shape
    span_h, span_w = (kh - 1) * stride + 1, (kw - 1) * stride + 1
    out = np.zeros((image.shape[0] - span_h + 1, image.shape[1] - span_w + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + span_h:stride, j:j + span_w:stride] * kernel)
    return out


def conv_kernel_transposed(image, kernel, stride):
    return conv_right(image, kernel.T, stride)


def conv_extra_axis(image, kernel, stride):   # returns shape (1, H, W)
    return conv_right(image, kernel, stride)[np.newaxis]


def conv_seed_frame(image, kernel, stride):   # output as big as the input (the seed's bug)
    kh, kw = kernel.shape
    out = np.zeros(image.shape)
    for i in range((image.shape[0] - kh) // stride + 1):
        for j in range((image.shape[1] - kw) // stride + 1):
            r, c = i * stride, j * stride
            out[i, j] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out


def conv_bias_leftover(image, kernel, stride):  # adds kernel.mean() as a "bias"
    return conv_right(image, kernel, stride) + kernel.mean()


# ----------------------------------------------------------------------------- third round (edge cases)
def brightest_loops_skip_row0(image):   # loops start at row 1 (row 0 only via the start value)
    best, where = image[0, 0], (0, 0)
    for i in range(1, image.shape[0]):
        for j in range(image.shape[1]):
            if image[i, j] > best:
                best, where = image[i, j], (i, j)
    return where


def brightest_loops_skip_last_col(image):  # range(W - 1): never looks at the last column
    best, where = image[0, 0], (0, 0)
    for i in range(image.shape[0]):
        for j in range(image.shape[1] - 1):
            if image[i, j] > best:
                best, where = image[i, j], (i, j)
    return where


def brightest_loops_best_zero(image):   # starts from best = 0 (wrong if every pixel is negative)
    best, where = 0, (0, 0)
    for i in range(image.shape[0]):
        for j in range(image.shape[1]):
            if image[i, j] > best:
                best, where = image[i, j], (i, j)
    return where


def pad_by_slicing(image, p):           # fills a zeros array by slicing: not vstack/hstack
    height, width = image.shape
    out = np.zeros((height + 2 * p, width + 2 * p))
    out[p:p + height, p:p + width] = image
    return out


def pad_image_dtype(image, p):          # zeros in the image's dtype (ints stay ints)
    height, width = image.shape
    zero_rows = np.zeros((p, width), dtype=image.dtype)
    stacked = np.vstack([zero_rows, image, zero_rows])
    zero_cols = np.zeros((height + 2 * p, p), dtype=image.dtype)
    return np.hstack([zero_cols, stacked, zero_cols])


def size02_clamped(n, k, p):            # clamps to 0 when the kernel does not fit
    return max(0, n + 2 * p - k + 1)


def size03_precedence(n, k, s, p):      # forgets the brackets: k // s
    return n + 2 * p - k // s + 1


def size03_np_floor(n, k, s, p):        # np.floor: a float
    return np.floor((n + 2 * p - k) / s) + 1


def conv_out_dtype_of_image(image, kernel, stride):  # output in the image's dtype
    kh, kw = kernel.shape
    out_h = (image.shape[0] - kh) // stride + 1
    out_w = (image.shape[1] - kw) // stride + 1
    out = np.zeros((out_h, out_w), dtype=image.dtype)
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * stride, j * stride
            out[i, j] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out


def conv_size_plus_one_inside(image, kernel, stride):  # (n - k + 1) // s
    kh, kw = kernel.shape
    out_h = (image.shape[0] - kh + 1) // stride
    out_w = (image.shape[1] - kw + 1) // stride
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * stride, j * stride
            out[i, j] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out


def conv_size_forgets_kernel(image, kernel, stride):  # H // s rows, patches cut short at the edge
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] // stride, image.shape[1] // stride))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            r, c = i * stride, j * stride
            patch = image[r:r + kh, c:c + kw]
            out[i, j] = np.sum(patch * kernel[:patch.shape[0], :patch.shape[1]])
    return out


def conv_kernel_float32(image, kernel, stride):  # computes in float32
    return conv_right(image.astype(np.float32), kernel.astype(np.float32), stride)


def _e(lesson, checker, mistake, keywords, answer):
    return {"lesson": lesson, "checker": checker, "mistake": mistake,
            "keywords": keywords, "answer": answer}


ANSWERS = [
    # lesson 00: invert
    _e("lesson00", "check_invert", "right answer", [], invert_right),
    _e("lesson00", "check_invert", "1 - image (thinks pixels are in [0, 1])", ["255", "0..255", "[0, 1]"], invert_one_minus),
    _e("lesson00", "check_invert", "256 - image (off by one)", ["256", "off by one", "255 -"], invert_256),
    _e("lesson00", "check_invert", "-image (sign only)", ["255 -", "negative", "sign"], invert_negate),
    _e("lesson00", "check_invert", "image - 255 (wrong order)", ["255 - image", "sign", "order", "negative"], invert_wrong_order),
    _e("lesson00", "check_invert", "writes the answer into the input (in place)", ["in place", "modif", "input", "copy", "changed"], invert_in_place),
    _e("lesson00", "check_invert", "returns a list", ["list", "array"], invert_list),
    _e("lesson00", "check_invert", "np.invert (bitwise not; right only for uint8)", ["bitwise", "np.invert", "dtype", "uint8"], invert_np_invert),
    _e("lesson00", "check_invert", "image.max() - image instead of 255", ["max", "255", "brightest"], invert_from_max),
    _e("lesson00", "check_invert", "loops over a hard-coded 28x28", ["shape", "28", "size"], invert_loops_28),
    _e("lesson00", "check_invert", "also divides by 255", ["scale", "255", "divid", "[0, 1]"], invert_scaled),
    _e("lesson00", "check_invert", "transposes the image", ["transpose", "row", "column"], invert_transposed),
    # lesson 00: brightest
    _e("lesson00", "check_brightest", "right answer", [], brightest_right),
    _e("lesson00", "check_brightest", "returns the flat index (no unravel)", ["flat", "unravel", "single"], brightest_flat),
    _e("lesson00", "check_brightest", "(column, row) order", ["column", "swap", "order", "(row, column)"], brightest_col_row),
    _e("lesson00", "check_brightest", "argmax along axis 0", ["axis"], brightest_axis0),
    _e("lesson00", "check_brightest", "last of several ties", ["tie", "first", "last"], brightest_last_tie),
    _e("lesson00", "check_brightest", "returns the value, not the position", ["value", "position", "where"], brightest_value),
    _e("lesson00", "check_brightest", "counts from 1", ["from 0", "1-based", "off by one", "counted from 0"], brightest_one_based),
    _e("lesson00", "check_brightest", "unravels with the shape reversed (wrong on non-square)", ["shape", "square", "image.shape"], brightest_shape_reversed),
    _e("lesson00", "check_brightest", "divmod by a hard-coded 28", ["28", "shape", "width", "columns"], brightest_divmod_28),
    _e("lesson00", "check_brightest", "argmin (darkest)", ["darkest", "min", "smallest"], brightest_argmin),
    _e("lesson00", "check_brightest", "reads column by column (ties differ)", ["tie", "row by row", "column by column", "first"], brightest_column_major_tie),
    _e("lesson00", "check_brightest", "returns a list, not a tuple", ["tuple", "list"], brightest_list),
    # lesson 01: box blur
    _e("lesson01", "check_box_blur", "right answer", [], box_blur_right),
    _e("lesson01", "check_box_blur", "ones (sum, not average)", ["average", "9", "divide", "sum"], box_blur_sum),
    _e("lesson01", "check_box_blur", "divides by 3", ["9", "average", "3"], box_blur_third),
    _e("lesson01", "check_box_blur", "integer division // 9 -> zeros", ["integer", "division", "zero", "//"], box_blur_int_div),
    _e("lesson01", "check_box_blur", "nested list", ["list", "array"], box_blur_list),
    _e("lesson01", "check_box_blur", "0.11 instead of 1/9", ["1/9", "exact", "round"], box_blur_rounded),
    _e("lesson01", "check_box_blur", "flat 9 weights", ["shape", "3x3", "(3, 3)", "3 x 3"], box_blur_flat),
    _e("lesson01", "check_box_blur", "5x5", ["shape", "3x3", "(3, 3)", "5"], box_blur_5x5),
    _e("lesson01", "check_box_blur", "Gaussian weights, not equal", ["equal", "gaussian", "same weight", "every"], box_blur_gaussian),
    # lesson 01: apply_at
    _e("lesson01", "check_apply_at", "right answer", [], apply_at_right),
    _e("lesson01", "check_apply_at", "(i, j) as the centre, not the top-left", ["centre", "center", "top-left", "corner"], apply_at_centre),
    _e("lesson01", "check_apply_at", "slice i:i+2 (off by one)", ["i + 3", "i:i+3", "off by one", "2x2", "slice"], apply_at_short_slice),
    _e("lesson01", "check_apply_at", "rows and columns swapped", ["swap", "row", "column", "image[j"], apply_at_swapped),
    _e("lesson01", "check_apply_at", "flips the kernel", ["flip", "rotate", "180"], apply_at_flipped),
    _e("lesson01", "check_apply_at", "matrix product instead of element-wise", ["matrix", "@", "element-wise", "elementwise"], apply_at_matmul),
    _e("lesson01", "check_apply_at", "returns the products, not their sum", ["sum", "number", "scalar", "single"], apply_at_no_sum),
    _e("lesson01", "check_apply_at", "mean instead of sum", ["mean", "sum", "9", "average"], apply_at_mean),
    _e("lesson01", "check_apply_at", "kernel transposed", ["transpose", "kernel.T"], apply_at_transposed_kernel),
    _e("lesson01", "check_apply_at", "truncates to int", ["int", "round", "integer", "whole"], apply_at_int),
    _e("lesson01", "check_apply_at", "ignores i and j", ["i", "j", "position", "argument", "ignore"], apply_at_ignores_position),
    _e("lesson01", "check_apply_at", "multiplies the image in place", ["in place", "modif", "input", "changed"], apply_at_in_place),
    _e("lesson01", "check_apply_at", "kernel[b, a] in the loops (transposed)", ["transpose", "kernel[a, b]", "swap"], apply_at_loops_swapped_index),
    # lesson 02: pad_by_stacking
    _e("lesson02", "check_pad_by_stacking", "right answer", [], pad_right),
    _e("lesson02", "check_pad_by_stacking", "uses np.pad", ["np.pad", "vstack", "hstack", "by hand", "stacking"], pad_np_pad),
    _e("lesson02", "check_pad_by_stacking", "column zeros only H tall (raises in hstack)", ["h + 2p", "height", "2p", "tall"], pad_cols_height_h),
    _e("lesson02", "check_pad_by_stacking", "pads only top and left", ["both sides", "bottom", "right", "each side"], pad_one_side),
    _e("lesson02", "check_pad_by_stacking", "2p columns each side", ["columns", "width", "2p", "left and right"], pad_cols_2p),
    _e("lesson02", "check_pad_by_stacking", "square-only (height used for width)", ["square", "width", "columns", "shape[1]"], pad_square_only),
    _e("lesson02", "check_pad_by_stacking", "pads with ones", ["ones", "zero", "1"], pad_ones),
    _e("lesson02", "check_pad_by_stacking", "p + 1 layers (off by one)", ["p + 1", "off by one", "too many", "one more"], pad_loop_p_plus_1),
    _e("lesson02", "check_pad_by_stacking", "casts to int", ["dtype", "integer", "int", "float"], pad_int_dtype),
    _e("lesson02", "check_pad_by_stacking", "returns a list", ["list", "array"], pad_list),
    _e("lesson02", "check_pad_by_stacking", "ignores p (always 1)", ["p", "argument", "ignore"], pad_ignores_p),
    _e("lesson02", "check_pad_by_stacking", "rows only, forgets the columns", ["columns", "left", "right", "hstack"], pad_rows_only),
    _e("lesson02", "check_pad_by_stacking", "hstack first, row zeros only W wide (raises)", ["w + 2p", "width", "wide"], pad_hstack_first_wrong_width),
    # lesson 02: output_size
    _e("lesson02", "check_output_size", "right answer", [], size02_right),
    _e("lesson02", "check_output_size", "ignores p", ["padding", "p", "ignore"], size02_ignores_p),
    _e("lesson02", "check_output_size", "p once (one side)", ["2p", "both sides", "each side"], size02_p_once),
    _e("lesson02", "check_output_size", "forgets + 1", ["+ 1", "off by one"], size02_no_plus_one),
    _e("lesson02", "check_output_size", "+ k - 1 (wrong sign of k)", ["sign", "- k", "minus"], size02_plus_k),
    _e("lesson02", "check_output_size", "returns a float", ["int", "float", "whole"], size02_float),
    _e("lesson02", "check_output_size", "- 2p (wrong sign of p)", ["sign", "+ 2p", "minus", "adds"], size02_minus_2p),
    _e("lesson02", "check_output_size", "returns (side, side)", ["tuple", "number", "one side", "int"], size02_tuple),
    _e("lesson02", "check_output_size", "returns n (assumes 'same')", ["same", "k", "kernel"], size02_assume_same),
    # lesson 03: output_size
    _e("lesson03", "check_output_size", "right answer", [], size03_right),
    _e("lesson03", "check_output_size", "/ instead of // (float)", ["floor", "//", "integer", "float"], size03_true_division),
    _e("lesson03", "check_output_size", "(n + 2p - k + 1) // s", ["+ 1", "outside", "after", "stride"], size03_plus_one_inside),
    _e("lesson03", "check_output_size", "p once", ["2p", "both sides", "each side"], size03_p_once),
    _e("lesson03", "check_output_size", "round instead of floor", ["round", "floor"], size03_round),
    _e("lesson03", "check_output_size", "ceil instead of floor", ["ceil", "floor"], size03_ceil),
    _e("lesson03", "check_output_size", "forgets + 1", ["+ 1", "off by one"], size03_no_plus_one),
    _e("lesson03", "check_output_size", "ignores the stride", ["stride", "s", "ignore"], size03_ignores_stride),
    _e("lesson03", "check_output_size", "adds 2p after dividing by s", ["padding", "stride", "before", "divid"], size03_padding_after_stride),
    _e("lesson03", "check_output_size", "int() truncation (differs from floor only when the kernel does not fit)", ["floor", "negative", "fit", "trunc"], size03_int_truncation),
    # lesson 03: conv2d_loop
    _e("lesson03", "check_conv2d", "right answer", [], conv_right),
    _e("lesson03", "check_conv2d", "uses kh for both axes", ["kw", "width", "column", "square"], conv_kh_both),
    _e("lesson03", "check_conv2d", "flips the kernel (true convolution)", ["flip", "rotate", "180", "cross-correlation"], conv_flipped),
    _e("lesson03", "check_conv2d", "ignores stride", ["stride", "ignore"], conv_ignores_stride),
    _e("lesson03", "check_conv2d", "output sized for stride 1 (zeros frame)", ["size", "shape", "stride"], conv_size_ignores_stride),
    _e("lesson03", "check_conv2d", "patch at (i, j), not (i*s, j*s)", ["i * s", "stride", "position", "start"], conv_patch_not_strided),
    _e("lesson03", "check_conv2d", "(n - k) // s, misses the last row/column", ["+ 1", "last", "shape", "size"], conv_missing_last),
    _e("lesson03", "check_conv2d", "integer output array", ["integer", "dtype", "int", "float"], conv_int_output),
    _e("lesson03", "check_conv2d", "sliding_window_view + einsum (no loops)", ["loop", "by hand"], conv_no_loops),
    _e("lesson03", "check_conv2d", "transposed output", ["transpose", "rows", "columns"], conv_transposed),
    _e("lesson03", "check_conv2d", "matrix product instead of element-wise", ["element", "@", "matrix"], conv_matmul),
    _e("lesson03", "check_conv2d", "returns a list of lists", ["list", "array"], conv_list),
    _e("lesson03", "check_conv2d", "stride only along rows", ["stride", "columns", "both axes", "axis 1"], conv_stride_rows_only),
    _e("lesson03", "check_conv2d", "square-image assumption", ["square", "width", "columns", "shape[1]"], conv_square_image),
    _e("lesson03", "check_conv2d", "ceil: a partial last window", ["floor", "fit", "partial", "size"], conv_ceil_size),
    _e("lesson03", "check_conv2d", "range(n - k) (off by one, misses last)", ["+ 1", "last", "off by one"], conv_range_off_by_one),
    _e("lesson03", "check_conv2d", "subtracts the mean from the input in place", ["in place", "modif", "input", "changed"], conv_in_place_centering),
    # second round
    _e("lesson00", "check_invert", "casts to uint8 first (fractions lost)", ["uint8", "integer", "dtype", "fraction", "whole"], invert_uint8_cast),
    _e("lesson00", "check_brightest", "/ instead of // for the row (floats)", ["//", "float", "whole", "integer"], brightest_true_division),
    _e("lesson00", "check_brightest", "argwhere(...)[-1]: last tie, as an array", ["tie", "first", "last", "tuple", "array"], brightest_argwhere_last),
    _e("lesson01", "check_box_blur", "np.eye(3) / 3 (sums to 1, not a box)", ["equal", "same", "every", "all 9", "diagonal"], box_blur_eye),
    _e("lesson01", "check_box_blur", "returns the scalar 1/9", ["scalar", "array", "3x3", "number"], box_blur_scalar),
    _e("lesson01", "check_apply_at", "chained index image[i:i+3][j:j+3]", ["image[i:i + 3, j:j + 3]", "comma", "chained", "[j"], apply_at_chained_index),
    _e("lesson02", "check_pad_by_stacking", "zeros_like(image[:p]) (too few rows when p > H)", ["p >", "taller", "height", "zeros_like", "rows"], pad_zeros_like),
    _e("lesson03", "check_output_size", "(x + s - 1) // s: ceil without + 1", ["ceil", "+ 1", "divisible", "round"], size03_ceil_trick),
    _e("lesson03", "check_conv2d", "mirrors the kernel left-right only", ["flip", "mirror", "left", "right"], conv_flip_lr),
    _e("lesson03", "check_conv2d", "stride used as dilation (taps spaced)", ["dilation", "taps", "spaced", "stride"], conv_stride_as_dilation),
    _e("lesson03", "check_conv2d", "kernel transposed", ["transpose", "kernel.T"], conv_kernel_transposed),
    _e("lesson03", "check_conv2d", "returns shape (1, H, W)", ["shape", "dimension", "axis", "squeeze", "2-d"], conv_extra_axis),
    _e("lesson03", "check_conv2d", "output as big as the input (the seed's zero frame)", ["frame", "size", "input's size", "zeros"], conv_seed_frame),
    _e("lesson03", "check_conv2d", "adds kernel.mean() as a bias", ["bias", "constant", "added", "shift"], conv_bias_leftover),
    # third round (three variants below turned out to be right answers, not mistakes:
    # pad_image_dtype keeps an int image int, size02_clamped clamps a non-fitting size to 0,
    # conv_kernel_float32 computes in float32, recorded as "right answer" until a case with
    # large pixels under an edge kernel showed its lost digits: the course computes in float64)
    _e("lesson00", "check_brightest", "loops skip row 0 (start value only)", ["row 0", "first row", "range(1", "skip", "missed"], brightest_loops_skip_row0),
    _e("lesson00", "check_brightest", "loops skip the last column (range(W - 1))", ["last column", "range", "off by one", "missed"], brightest_loops_skip_last_col),
    _e("lesson00", "check_brightest", "best starts at 0 (wrong when all pixels are negative)", ["negative", "start", "0", "initial"], brightest_loops_best_zero),
    _e("lesson02", "check_pad_by_stacking", "fills np.zeros by slicing instead of vstack/hstack", ["vstack", "hstack", "stacking", "slic"], pad_by_slicing),
    _e("lesson02", "check_pad_by_stacking", "right answer", [], pad_image_dtype),
    _e("lesson02", "check_output_size", "right answer", [], size02_clamped),
    _e("lesson03", "check_output_size", "precedence: n + 2p - k // s + 1", ["bracket", "parenthes", "precedence", "divide"], size03_precedence),
    _e("lesson03", "check_output_size", "np.floor: returns a float", ["float", "int", "whole"], size03_np_floor),
    _e("lesson03", "check_conv2d", "output in the image's dtype (int image -> int output)", ["dtype", "integer", "int", "float"], conv_out_dtype_of_image),
    _e("lesson03", "check_conv2d", "(n - k + 1) // s output size", ["+ 1", "size", "(n - k) // s + 1"], conv_size_plus_one_inside),
    _e("lesson03", "check_conv2d", "H // s output size, patches cut at the edge", ["fit", "size", "kernel", "edge"], conv_size_forgets_kernel),
    _e("lesson03", "check_conv2d", "computes in float32 (loses digits)", ["float32", "precision", "digits", "low-precision"], conv_kernel_float32),
]
