"""The two hand-written pieces behind a panel's quick redraw: a blitter and a PNG writer.

:class:`cnnlab.ui.widgets.Panel` is the API a lesson uses; this module is how it meets the
latency budget (p95 <= 100 ms from a control's change to the new picture on screen) where
matplotlib and Pillow alone cannot.  Each piece says, with the numbers measured, why it is
written here:

- :class:`Blitter` draws again only what changed over a saved picture of the rest
  (matplotlib's blitting recipe, plus the bookkeeping of which axes a change made stale, and
  a text or image that comes out as at the last refresh pasted instead of drawn);
- :func:`png_of_canvas` encodes the canvas to PNG three times faster than Pillow.

:func:`animate` applies the rules that keep a blit identical to a full render
(:func:`full_render`; tests/ui/test_widgets.py compares every panel of every lesson).
"""

from __future__ import annotations

import struct
import weakref
import zlib

import numpy as np
from matplotlib import rcParams
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection, LineCollection
from matplotlib.colors import Normalize, to_rgba
from matplotlib.container import Container
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Patch
from matplotlib.text import Text

__all__ = ["Blitter", "animate", "full_render", "png_of_canvas", "render_whole_next"]


def png_of_canvas(canvas):
    """The canvas's current pixels as PNG bytes: lossless, and cheap to make.

    Hand-written because the libraries are too slow for a redraw's budget.  Pillow (what
    ``savefig`` uses) tries five row filters on every row whatever the compression level; a
    plot's large flat areas compress nearly as well unfiltered.  So the rows are stored
    unfiltered (filter type 0) and deflated at zlib's fastest level.  Measured on this machine
    (p50 / p95 of 15 encodes of the panel's current picture):

    ====================  ==================  ========================  ===================
    panel                 this function       Pillow, compress_level=1  ``canvas.print_png``
    ====================  ==================  ========================  ===================
    lesson05 forward      11.6 / 12.8 ms      22.4 / 28.8 ms            224 / 312 ms
    lesson01 kernel       3.0 / 6.9 ms        10.6 / 18.1 ms            176 / 212 ms
    ====================  ==================  ========================  ===================

    (``print_png`` renders the figure again first.)  The file is some 10 % larger (78 kB
    against 70 kB for lesson 05), which the local comm carries in well under a millisecond.

    Parameters
    ----------
    canvas : matplotlib.backends.backend_agg.FigureCanvasAgg
        A canvas that has been drawn.

    Returns
    -------
    bytes
        A PNG file, 8-bit RGBA, the canvas's size.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure(figsize=(1, 0.5), dpi=100)
    >>> fig.canvas.draw()
    >>> png = png_of_canvas(fig.canvas)
    >>> png[:8], int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    (b'\\x89PNG\\r\\n\\x1a\\n', 100, 50)
    >>> plt.close(fig)
    """
    rgba = np.asarray(canvas.buffer_rgba())
    height, width, channels = rgba.shape
    rows = np.empty((height, width * channels + 1), dtype=np.uint8)
    rows[:, 0] = 0                                   # each row starts with its filter type
    rows[:, 1:] = rgba.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)   # 8-bit RGBA
    return b"".join([b"\x89PNG\r\n\x1a\n", _png_chunk(b"IHDR", header),
                     _png_chunk(b"IDAT", zlib.compress(rows, 1)),      # no copy to bytes
                     _png_chunk(b"IEND", b"")])


def _png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data)))


def _drawing_order(figure):
    """The figure's axes with their animated artists, in the order a full render draws them.

    Returns a list of ``(axes, animated artists)``; an animated artist of the figure itself (a
    ``suptitle`` made with ``animated=True``) comes as ``(None, [artist])``.
    """
    order = []
    for artist in sorted(figure.get_children()[1:], key=lambda a: a.get_zorder()):
        if artist in figure.axes:
            if artist.get_visible():
                animated = sorted((child for child in artist.get_children()
                                   if child.get_animated()), key=lambda a: a.get_zorder())
                order.append((artist, animated))
        elif artist.get_animated():
            order.append((None, [artist]))
    return order


def _frame_of(ax):
    """What of an axes can change without making any of its artists stale."""
    return (tuple(ax.viewLim.bounds), tuple(ax.bbox.bounds), ax.axison,
            ax.get_frame_on(), ax.get_visible())


_RENDER_WHOLE = weakref.WeakKeyDictionary()   # figure -> state: its next refresh renders it all


def render_whole_next(figure, state=None):
    """Make the next refresh of ``figure`` render it whole, and save that as its background.

    An axes in which a non-animated artist changes is drawn again on every later refresh (it
    is left out of the saved picture).  For a change that will not come again soon (the axes'
    limits grew to fit a longer curve), call this in the update instead: one full render, after
    which that axes is part of the saved picture again and only the animated artists are drawn.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    state : hashable, optional
        Everything that the figure's non-animated artists show, as a key (lesson 08: the two
        axes' limits).  A state seen before reuses the picture saved for it instead of
        rendering again (a Reset back to the first limits costs nothing).  The saved pictures
        are forgotten as soon as anything else that is not animated changes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from cnnlab.ui.widgets import LiveFigure, render_whole_next
    >>> fig, ax = plt.subplots(figsize=(2, 2))
    >>> live = LiveFigure(fig)
    >>> _ = ax.set_xlim(0, 10)
    >>> live.refresh()                   # from now on this axes is drawn on every refresh
    >>> ax in live._blitter.dynamic
    True
    >>> _ = ax.set_xlim(0, 20)
    >>> render_whole_next(fig)
    >>> live.refresh()                   # one full render: the axes is in the saved picture
    >>> ax in live._blitter.dynamic
    False
    """
    if not isinstance(figure, Figure):
        raise TypeError(f"figure must be a matplotlib Figure, got {type(figure).__name__}")
    try:
        hash(state)
    except TypeError:
        raise TypeError(f"state must be hashable (a tuple, a number, a string), got "
                        f"{type(state).__name__}") from None
    _RENDER_WHOLE[figure] = state


def _covers_area(artist):
    """An image, a filled patch (a bar) or a filled collection: its edge lies under the frame."""
    if isinstance(artist, AxesImage):
        return True
    if isinstance(artist, Patch):
        return artist.get_fill()
    return isinstance(artist, Collection) and not isinstance(artist, LineCollection)


def animate(*artists):
    """Mark artists as changed by the controls: drawn alone, over a saved picture of the rest.

    :class:`Panel` calls this with its ``animated`` list; a lesson never marks artists itself.
    The blit draws animated artists after everything else, so a full render must draw them
    last too for the two to agree (tests/ui/test_widgets.py).  Two rules make that so:

    - an image, a bar or any filled shape lies under its axes' frame (the spines, drawn over
      its edge): that axes' spines are animated too, and stay over it; an outline (a patch
      without fill: a window, a cell) is a mark drawn over the frame;
    - the animated artists of an axes are raised, keeping their order among themselves, above
      everything else in that axes (a window outline drawn over the cell values).

    Parameters
    ----------
    *artists : matplotlib.artist.Artist or matplotlib.container.Container
        Images, lines, patches, texts, titles (``ax.title``), legends, a figure's title; a
        container (what ``ax.bar`` returns) stands for its parts.

    Examples
    --------
    >>> import numpy as np, matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> shown = ax.imshow(np.eye(3))
    >>> marker = ax.plot([1], [1], "rx")[0]
    >>> animate(shown, marker, ax.title)
    >>> all(spine.get_animated() for spine in ax.spines.values())
    True
    >>> marker.get_zorder() > ax.xaxis.get_zorder()     # raised over the ticks and labels
    True
    >>> ax.spines["left"].get_zorder() > shown.get_zorder()     # the frame still over the image
    True
    >>> plt.close(fig)
    """
    by_axes = {}
    for item in artists:
        parts = list(item) if isinstance(item, Container) else [item]
        for artist in parts:
            if not isinstance(artist, Artist):
                raise TypeError(f"animated must hold matplotlib artists, got "
                                f"{type(artist).__name__}")
            artist.set_animated(True)
            if artist.axes is not None:
                by_axes.setdefault(artist.axes, []).append(artist)
    for ax, group in by_axes.items():
        if any(_covers_area(artist) for artist in group):
            for spine in ax.spines.values():
                spine.set_animated(True)
        frame = max((spine.get_zorder() for spine in ax.spines.values()), default=0)
        for artist in group:              # an outline (a window, a cell) marks: over the frame
            if isinstance(artist, Patch) and not artist.get_fill():
                artist.set_zorder(max(artist.get_zorder(), frame + 0.5))
        children = [child for child in ax.get_children() if child is not ax.patch]
        moving = [child for child in children if child.get_animated()]
        still = [child.get_zorder() for child in children if not child.get_animated()]
        lowest = min(artist.get_zorder() for artist in moving)
        if still and lowest <= max(still):
            for artist in moving:
                artist.set_zorder(artist.get_zorder() + max(still) - lowest + 1)


class _Drawn:
    """An animated artist as drawn at the last refresh: its key (:func:`_memo_key`), the
    region of the canvas its drawing may touch, and the pixels there before and after."""

    __slots__ = ("key", "region", "under", "pixels")

    def __init__(self, key, region, under, pixels):
        self.key, self.region, self.under, self.pixels = key, region, under, pixels


def _clip_key(artist):
    """What clips an artist's drawing: its clip box and clip path on the canvas."""
    if not artist.get_clip_on():
        return None
    box, path = artist.get_clip_box(), artist.get_clip_path()
    return (None if box is None else tuple(box.extents),
            None if path is None else path.get_fully_transformed_path().vertices.tobytes())


def _text_key(text):
    """Everything that decides the pixels a plain one-line text draws (None for a multi-line
    text, one with a box or path effects, TeX: drawn every time).  Getters that older
    matplotlib lacks (3.7 has no font features or language, and takes antialiasing from
    rcParams) count as unchanged; the rcParams that shape glyphs are part of the key."""
    if ("\n" in text.get_text() or text.get_bbox_patch() is not None
            or text.get_path_effects() or text.get_usetex()):
        return None
    font = text.get_fontproperties()
    optional = tuple(getattr(text, name)() if hasattr(text, name) else None
                     for name in ("get_antialiased", "get_fontfeatures", "get_language"))
    return (text.get_text(), to_rgba(text.get_color(), text.get_alpha()),
            (tuple(font.get_family()), font.get_style(), font.get_variant(), font.get_weight(),
             font.get_stretch(), font.get_size_in_points(), font.get_file(),
             font.get_math_fontfamily()),
            text.get_rotation(), text.get_rotation_mode(), text.get_horizontalalignment(),
            text.get_verticalalignment(), text.get_wrap(), text.get_parse_math(), optional,
            tuple(rcParams[name] for name in ("text.antialiased", "text.hinting",
                                              "text.hinting_factor", "text.kerning_factor")))


def _image_key(image):
    """Everything that decides the pixels an image draws: its numbers, colour map (every
    colour of it), plain linear scale, resampling and place (None for another scale, an array
    of alphas or a filter, and before matplotlib 3.10, which cannot say its interpolation
    stage: drawn every time)."""
    data, norm, cmap = image.get_array(), image.norm, image.get_cmap()
    if (data is None or type(norm) is not Normalize or image.get_agg_filter() is not None
            or not (image.get_alpha() is None or np.ndim(image.get_alpha()) == 0)
            or not hasattr(image, "get_interpolation_stage")):      # matplotlib < 3.10
        return None
    colours = cmap(np.arange(cmap.N), bytes=True)
    return (data.dtype.str, data.shape, np.ma.getdata(data).tobytes(),
            np.ma.getmaskarray(data).tobytes(), colours.tobytes(),
            tuple(cmap.get_bad()), tuple(cmap.get_under()), tuple(cmap.get_over()),
            norm.vmin, norm.vmax, norm.clip, image.get_alpha(), image.get_interpolation(),
            image.get_interpolation_stage(), image.get_resample(), image.get_filternorm(),
            image.get_filterrad(), image.origin, tuple(image.get_extent()),
            tuple(image.axes.viewLim.extents))


_MARGIN = {Text: 4, AxesImage: 2}
"""Pixels around an artist's extent on the canvas that its drawing may touch: a text's extent
is its glyphs' ink box (antialiasing spreads a glyph by a pixel, each glyph is placed at its
own rounded position); an image is resampled to whole pixels."""


def _memo_key(artist, renderer):
    """``(key, extent)`` of a text or an image that :meth:`Blitter._draw_animated` may paste,
    else None.  ``key`` holds everything that decides the pixels it draws, its extent on the
    canvas and clip included; ``extent`` is (x0, y0, x1, y1), y upwards."""
    kind = type(artist)
    if kind not in _MARGIN or not artist.get_visible():
        return None
    if kind is Text:
        key = _text_key(artist) if artist.get_text() else None
    else:
        key = _image_key(artist)
    if key is None:
        return None
    extent = artist.get_window_extent(renderer).extents
    return (kind, key, tuple(extent), _clip_key(artist), renderer.dpi), extent


def _region_of(extent, margin, shape):
    """The rows and columns of an RGBA buffer of ``shape`` (rows downwards) that an artist
    with ``extent`` (x0, y0, x1, y1 on the canvas, y upwards) may draw, margin included."""
    height, width = shape[:2]
    x0, y0, x1, y1 = extent
    rows = slice(min(max(int(np.floor(height - y1)) - margin, 0), height),
                 max(min(int(np.ceil(height - y0)) + margin, height), 0))
    columns = slice(min(max(int(np.floor(x0)) - margin, 0), width),
                    max(min(int(np.ceil(x1)) + margin, width), 0))
    return rows, columns


class Blitter:
    """Draw again only what changed, over a saved picture of the rest.

    Matplotlib's blitting recipe (``canvas.copy_from_bbox``, ``restore_region``,
    ``figure.draw_artist``) at two grains:

    - artists marked ``animated=True`` (an image, a line, a title that an update changes) are
      left out of the saved picture and drawn alone on every refresh, after everything else;
      they must be the topmost thing where they are drawn (tests/ui/test_widgets.py compares every
      panel with a full render); a figure title made with ``animated=True`` is one too;
    - any other change redraws its whole axes (with the colour bars of its images): the axes
      an update touched are hidden, the rest is rendered once and saved, and from then on only
      those axes are drawn over it;
    - an animated text or image that would draw as at the last refresh, over the same pixels,
      is pasted as it came out then instead of drawn again (:meth:`_draw_animated`).

    The first render, a change outside every axes (a figure title) and a refresh asked for by
    :func:`render_whole_next` render the whole figure (animated artists drawn over it).

    Hand-written because matplotlib's blitting stops at the recipe: it does not know which
    axes a change made stale, nor keep a saved picture per state.  A full render
    (``canvas.draw``) of lessons 00-05's panels takes 55-275 ms (p50) on this machine, over the
    100 ms budget for most of them; drawing what changed takes 6-49 ms
    (benchmarks/bench_widget_breakdown.py, columns ``draw`` and ``full``).

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure to draw; :class:`cnnlab.ui.widgets.LiveFigure` makes one per panel.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(2, 2))
    >>> FigureCanvasAgg(fig)            # doctest: +ELLIPSIS
    <...FigureCanvasAgg object at ...>
    >>> line = ax.plot([0, 1], [0, 1], animated=True)[0]
    >>> blitter = Blitter(fig)
    >>> blitter.draw()                  # the first draw renders the whole figure
    >>> line.set_ydata([1, 0])
    >>> blitter.draw()                  # then only the line is drawn again
    >>> sorted(blitter.dynamic)         # no axes is drawn whole on every refresh
    []
    >>> plt.close(fig)
    """

    def __init__(self, figure):
        self.figure = figure
        self.dynamic = set()              # the axes drawn on every refresh
        self.background = None
        self.frames = {}
        self.started = False
        self.always = set()               # axes drawn on every refresh whatever happens
        self.rebuild = False              # save the background again (the dynamic set grew)
        self.saved = {}                   # state -> background (render_whole_next's states)
        self.empty = set()                # texts that were empty at the last refresh
        self.drawn = weakref.WeakKeyDictionary()   # text or image -> its last _Drawn

    def _draw_animated(self, artist):
        """Draw one animated artist over the picture; a text or an image that would draw as
        at the last refresh, over the same pixels, is pasted as it came out then.

        Text is most of what a redraw costs (matplotlib renders every glyph again), and a
        control's change often leaves some titles, labels and pictures of a panel as they
        were (lesson 08's kernel and its title when a digit changes; benchmarks/README.md).
        The paste is exact: the same key (:func:`_memo_key`: words, font, colour, numbers,
        colour map, place, clip) over the same pixels draws the same pixels, and the region
        compared and pasted is the artist's extent with a margin (:data:`_MARGIN`) that holds
        every pixel it touches.
        """
        figure = self.figure
        memo = _memo_key(artist, figure.canvas.get_renderer())
        if memo is None:
            figure.draw_artist(artist)
            return
        key, extent = memo
        pixels = np.asarray(figure.canvas.buffer_rgba())
        drawn = self.drawn.get(artist)
        if drawn is not None and drawn.key == key and np.array_equal(pixels[drawn.region],
                                                                     drawn.under):
            pixels[drawn.region] = drawn.pixels
            return
        region = _region_of(extent, _MARGIN[type(artist)], pixels.shape)
        under = pixels[region].copy()
        figure.draw_artist(artist)
        self.drawn[artist] = _Drawn(key, region, under, pixels[region].copy())

    def _still_empty(self, artist):
        """An empty text draws nothing: one that was empty and still is changed nothing
        (``ax.set_title`` moves the axes' two other titles, empty ones, every time)."""
        return artist in self.empty and isinstance(artist, Text) and not artist.get_text()

    def _changed_axes(self, order):
        changed = set()
        for ax, animated in order:
            if ax is None:
                continue
            if animated:                  # an animated artist makes its axes stale: look inside
                moved = self.frames.get(ax) != _frame_of(ax)
                if moved or any(child.stale and not self._still_empty(child)
                                for child in ax.get_children() if not child.get_animated()):
                    changed.add(ax)
            elif ax.stale:
                changed.add(ax)
        for ax in list(changed):          # a colour bar follows its image's colour scale
            for artist in [*ax.images, *ax.collections]:
                colour_bar = getattr(artist, "colorbar", None)
                if colour_bar is not None:
                    changed.add(colour_bar.ax)
        return changed

    def draw(self):
        figure = self.figure
        if not hasattr(figure.canvas, "copy_from_bbox"):
            FigureCanvasAgg(figure)       # closed in pyplot, or made without it: an Agg canvas
            self.started = False
        canvas = figure.canvas
        order = _drawing_order(figure)
        outside = [artist for artist in figure.get_children()[1:]
                   if artist not in figure.axes and not artist.get_animated()]
        changed = self._changed_axes(order)
        whole = figure in _RENDER_WHOLE
        state = _RENDER_WHOLE.pop(figure, None)
        if not self.started or whole or any(artist.stale for artist in outside):
            # The whole figure (animated artists left out), but for the axes drawn every time.
            if not whole:
                self.saved.clear()        # something not animated changed: states unknown
            self.dynamic = set(self.always)
            self.started, self.rebuild = True, True
        elif not changed <= self.dynamic:
            self.saved.clear()
            self.dynamic |= changed
            self.rebuild = True
        if self.rebuild and state is not None and state in self.saved:
            self.background = self.saved[state]
            self.rebuild = False
        if self.rebuild:
            for ax in self.dynamic:
                ax.set_visible(False)
            canvas.draw()
            self.background = canvas.copy_from_bbox(figure.bbox)
            for ax in self.dynamic:
                ax.set_visible(True)
            self.rebuild = False
            if state is not None:
                self.saved[state] = self.background
        canvas.restore_region(self.background)
        for ax, _ in order:
            if ax in self.dynamic:
                figure.draw_artist(ax)
        for _, animated in order:
            for artist in animated:
                self._draw_animated(artist)
        # Everything is now in the picture.  (A draw leaves some artists stale: an empty title
        # is skipped after the axes moved it; they would look changed on the next refresh.)
        for artist in outside:
            artist.stale = False
        for ax, animated in order:
            if ax is None:
                animated[0].stale = False
                continue
            self.frames[ax] = _frame_of(ax)
            for artist in ax.get_children():
                artist.stale = False
                if isinstance(artist, Text) and not artist.get_text():
                    self.empty.add(artist)
                else:
                    self.empty.discard(artist)
            ax.stale = False


def full_render(figure):
    """The whole figure drawn from scratch, animated artists included (what a blit must equal).

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Returns
    -------
    numpy.ndarray
        RGBA pixels, shape (height, width, 4), uint8.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(2, 1), dpi=50)
    >>> full_render(fig).shape
    (50, 100, 4)
    >>> plt.close(fig)
    """
    artists = [*figure.get_children(), *(a for ax in figure.axes for a in ax.get_children())]
    animated = [artist for artist in artists if artist.get_animated()]
    stale = [artist.stale for artist in artists]     # left as they were: a blit reads them
    canvas = figure.canvas
    FigureCanvasAgg(figure)
    try:
        for artist in animated:
            artist.set_animated(False)
        figure.canvas.draw()
        return np.asarray(figure.canvas.buffer_rgba()).copy()
    finally:
        for artist in animated:
            artist.set_animated(True)
        for artist, was_stale in zip(artists, stale, strict=True):
            artist.stale = was_stale
        figure.set_canvas(canvas)
