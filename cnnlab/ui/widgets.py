"""Widgets that answer at once: a figure drawn once and updated in place.

Redrawing a matplotlib figure from scratch on every slider move repeats all its work: the layout,
every tick label, every title.  Changing the data of the artists it already has
(``AxesImage.set_data``, ``Line2D.set_data``, ``Text.set_text``) and drawing again only what
changed is much cheaper (benchmarks/README.md has the figures).  :class:`LiveFigure` packages
that pattern, and :class:`Panel` wires controls to it:

1. build the figure and its artists once (``plt.subplots`` + ``imshow`` ...);
2. write ``update(**values)``, which changes the artists' data (``set_data``, ``set_text``,
   ``ax.set_title``) from the controls' values;
3. ``Panel(fig, update, controls, animated=[...])``, listing what ``update`` changes.

A refresh draws the animated artists, and the axes in which anything else changed, over a saved
picture of the rest; the PNG it sends is the same, pixel for pixel, as a full render
(:func:`full_render`; tests/ui/test_widgets.py checks every panel of every lesson).

The figure is shown as an ``ipywidgets.Image`` holding PNG bytes, so the picture is replaced in
place (no flicker, no pile of figures) with any matplotlib backend, in JupyterLab, classic
Notebook, VS Code, Binder and Colab (ipywidgets 7.7 and 8 alike).  :func:`show_panel` displays
controls and figures together, and attaches a static PNG of the figure, so the notebook still
reads sensibly where widgets cannot render (GitHub, a static HTML export, the course's static
edition): the PNG of the starting figure, replaced by the final one when the cell that displayed
it (or a later cell) changed the figure, as a training run does.
"""

from __future__ import annotations

import base64
import contextlib
import io
import struct
import time
import weakref
import zlib

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection, LineCollection
from matplotlib.container import Container
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Patch
from matplotlib.text import Text

__all__ = ["LiveFigure", "Panel", "animate", "show_panel", "figure_png", "full_render",
           "render_whole_next", "PANEL_DPI"]

PANEL_DPI = 96
"""Resolution of a panel's PNG.  A browser's CSS pixel is 1/96 inch, so at 96 dpi the picture is
shown at exactly its pixel size (crisp) and a 10 pt label reads as 10 pt; a figure 9.3 inches
wide fills a notebook column of about 900 pixels."""


def figure_png(figure, dpi=None):
    """Render a matplotlib figure to PNG bytes.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    dpi : float, optional
        Resolution; the figure's own dpi when left out.

    Returns
    -------
    bytes
        A PNG file's bytes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> figure_png(fig)[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    >>> plt.close(fig)
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _png_of_canvas(canvas):
    """The canvas's current pixels as PNG bytes: lossless, and cheap to make.

    Pillow (what ``savefig`` uses) tries five row filters on every row whatever the compression
    level, which takes most of its time on a panel-sized picture; a plot's large flat areas
    compress nearly as well unfiltered.  So the rows are stored unfiltered (filter type 0) and
    deflated at zlib's fastest level: about a third of Pillow's time, for a file some 15 % larger.
    """
    rgba = np.asarray(canvas.buffer_rgba())
    height, width, channels = rgba.shape
    rows = np.empty((height, width * channels + 1), dtype=np.uint8)
    rows[:, 0] = 0                                   # each row starts with its filter type
    rows[:, 1:] = rgba.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)   # 8-bit RGBA
    return b"".join([b"\x89PNG\r\n\x1a\n", _png_chunk(b"IHDR", header),
                     _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)),
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
      its edge): that axes' spines are animated too, and stay over it;
    - the animated artists of an axes are raised, keeping their order among themselves, above
      everything else in that axes (a window outline drawn over the cell values and the frame).

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
        children = [child for child in ax.get_children() if child is not ax.patch]
        moving = [child for child in children if child.get_animated()]
        still = [child.get_zorder() for child in children if not child.get_animated()]
        lowest = min(artist.get_zorder() for artist in moving)
        if still and lowest <= max(still):
            for artist in moving:
                artist.set_zorder(artist.get_zorder() + max(still) - lowest + 1)


class _Blitter:
    """Draw again only what changed, over a saved picture of the rest.

    Matplotlib's blitting recipe (``canvas.copy_from_bbox``, ``restore_region``,
    ``figure.draw_artist``) at two grains:

    - artists marked ``animated=True`` (an image, a line, a title that an update changes) are
      left out of the saved picture and drawn alone on every refresh, after everything else;
      they must be the topmost thing where they are drawn (tests/ui/test_widgets.py compares every
      panel with a full render); a figure title made with ``animated=True`` is one too;
    - any other change redraws its whole axes (with the colour bars of its images): the axes
      an update touched are hidden, the rest is rendered once and saved, and from then on only
      those axes are drawn over it.

    The first render, a change outside every axes (a figure title) and a refresh asked for by
    :func:`render_whole_next` render the whole figure (animated artists drawn over it).
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
                figure.draw_artist(artist)
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


class LiveFigure:
    """A matplotlib figure shown as an image widget that :meth:`refresh` updates in place.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A figure whose artists you will update (``set_data``, ``set_text``...).  It is closed
        in pyplot's registry, so the inline backend does not show it a second time.
    dpi : float, optional
        Resolution of the PNG (default :data:`PANEL_DPI`, whatever the figure's own dpi).  The
        page shows the picture at its pixel size, never stretched (a narrower page shrinks it).

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    widget : ipywidgets.Image
        The widget to put in a layout; its ``value`` holds the current PNG bytes.

    Examples
    --------
    >>> import numpy as np, matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(2, 2))
    >>> shown = ax.imshow(np.zeros((3, 3)), vmin=0, vmax=1)
    >>> live = LiveFigure(fig)
    >>> before = live.widget.value
    >>> shown.set_data(np.eye(3))
    >>> live.refresh()
    >>> live.widget.value != before
    True
    """

    def __init__(self, figure, dpi=None):
        self.figure = figure
        self.dpi = dpi or PANEL_DPI
        self.widget = widgets.Image(format="png")
        plt.close(figure)
        self._blitter = _Blitter(figure)
        self.refresh()
        # Shown at its own pixel width (crisp, text at its real size), shrunk only to fit a
        # narrower column; never stretched to the output area's width.
        width_px = int.from_bytes(self.widget.value[16:20], "big")     # the PNG's IHDR width
        self.widget.layout = widgets.Layout(width=f"{width_px}px", max_width="100%",
                                            height="auto")
        # The layout (constrained or tight) is worked out once, on the first render; freezing
        # it saves about 90 ms on every later redraw, and the artists keep their places.
        figure.set_layout_engine("none")

    def draw_every_time(self, *axes):
        """Draw these axes whole on every refresh from now on, and save the rest again now.

        For an axes whose limits or ticks change with a control (an output whose size
        follows a slider): its first change would otherwise cost one more full render, when
        the learner first moves the control.

        Parameters
        ----------
        *axes : matplotlib.axes.Axes
            Axes of this figure.

        Examples
        --------
        >>> import matplotlib.pyplot as plt
        >>> fig, (left, right) = plt.subplots(1, 2, figsize=(4, 2))
        >>> live = LiveFigure(fig)
        >>> live.draw_every_time(right)
        >>> live._blitter.dynamic == {right}
        True
        """
        for ax in axes:
            if ax not in self.figure.axes:
                raise ValueError("axes must be axes of this LiveFigure's figure")
        self._blitter.saved.clear()
        self._blitter.always |= set(axes)
        self._blitter.dynamic |= set(axes)
        self._blitter.rebuild = True
        self.refresh()

    def refresh(self):
        """Re-render the figure and replace the image the widget shows.

        Only the animated artists, and the axes in which anything else changed since the last
        render, are drawn again over a saved picture of the rest (:class:`_Blitter`); the PNG
        is the same, pixel for pixel, as a full render (tests/ui/test_widgets.py checks every
        panel).
        """
        dpi = self.dpi or self.figure.dpi
        if self.figure.dpi != dpi:
            self.figure.set_dpi(dpi)
        self._blitter.draw()
        self.widget.value = _png_of_canvas(self.figure.canvas)

    def _ipython_display_(self):
        show_panel(self)


def _as_widget(item):
    if isinstance(item, LiveFigure):
        return item.widget
    if isinstance(item, widgets.Widget):
        return item
    raise TypeError(f"show_panel takes ipywidgets widgets and LiveFigure objects, got "
                    f"{type(item).__name__}")


def show_panel(*items, layout="vertical"):
    """Display controls and live figures together, with a static picture as fallback.

    Parameters
    ----------
    *items : ipywidgets.Widget or LiveFigure or list of them
        Shown top to bottom (``layout="vertical"``) or left to right; a list inside the
        arguments becomes a row (or column) of its own.
    layout : {"vertical", "horizontal"}

    Returns
    -------
    ipywidgets.Box
        The box that was displayed (handy in tests).

    Notes
    -----
    The display message carries both the widget and a PNG of every live figure's current
    state.  A front end that renders widgets shows the widget; GitHub or a static HTML export
    shows the PNG instead.

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> live = LiveFigure(fig)
    >>> box = show_panel(widgets.IntSlider(description="size"), live)  # doctest: +ELLIPSIS
    {'application/vnd.jupyter.widget-view+json': ...}
    >>> len(box.children)
    2
    """
    if layout not in ("vertical", "horizontal"):
        raise ValueError(f"layout must be 'vertical' or 'horizontal', got {layout!r}")
    outer, inner = ((widgets.VBox, widgets.HBox) if layout == "vertical"
                    else (widgets.HBox, widgets.VBox))
    children = []
    figures = []
    for item in items:
        group = item if isinstance(item, (list, tuple)) else [item]
        figures.extend(x for x in group if isinstance(x, LiveFigure))
        if isinstance(item, (list, tuple)):
            children.append(inner([_as_widget(x) for x in item]))
        else:
            children.append(_as_widget(item))
    box = outer(children)
    shown = figures[-1] if figures else None
    png = shown.widget.value if shown is not None else None
    handle = display(_bundle(box, png), raw=True, display_id=True)
    if handle is not None and shown is not None:
        _SHOWN.append(_Shown(weakref.ref(shown), box, handle, png))
        _watch_cells()
    return box


def _bundle(box, png):
    """The display message of a panel: the widget, and the PNG a static page shows instead."""
    bundle = {
        "application/vnd.jupyter.widget-view+json": {
            "version_major": 2, "version_minor": 0, "model_id": box.model_id,
        },
        "text/plain": "[interactive figure: run the notebook to use its controls]",
    }
    if png is not None:
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
    return bundle


class _Shown:
    """A displayed panel: its figure, box, display handle and the PNG its output holds."""

    def __init__(self, live, box, handle, png):
        self.live, self.box, self.handle, self.png = live, box, handle, png
        self.before = png


# Panels displayed in this kernel.  The static picture of a panel is the figure as the cell that
# displayed it left it (a training board shows the trained board): after every cell, a panel
# whose figure that cell's code changed gets its display updated with the new PNG.  Changes made
# by the learner's controls between cells leave the display alone (no re-render while dragging).
_SHOWN = []
_WATCHING = []


def _watch_cells():
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return
    shell = get_ipython()
    if shell is None or shell in _WATCHING:
        return
    shell.events.register("pre_run_cell", _before_cell)
    shell.events.register("post_run_cell", _after_cell)
    _WATCHING.append(shell)


def _before_cell(*_):
    _SHOWN[:] = [record for record in _SHOWN if record.live() is not None]
    for record in _SHOWN:
        record.before = record.live().widget.value


def _after_cell(*_):
    for record in list(_SHOWN):
        live = record.live()
        if live is None:
            continue
        png = live.widget.value
        if png is not record.before and png != record.png:
            record.handle.update(_bundle(record.box, png), raw=True)
            record.png = png
        record.before = png


class Panel:
    """Controls wired to a live figure: change any control and ``update`` redraws the figure.

    The pattern every lesson uses, in one place: build the figure once, write an ``update``
    function that changes its artists' data from the controls' values, and let the panel call it
    (and re-render) whenever a control changes.  Every redraw is timed, so widget latency can be
    measured in the kernel (``panel.timings_ms``).

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    update : callable
        ``update(**values)``, called with each control's current value by name.
    controls : dict of str -> ipywidgets.ValueWidget
    animated : sequence of matplotlib artists, optional
        Everything ``update`` changes that is the topmost thing where it is drawn: images,
        lines, patches, texts, titles (``ax.title``, changed in ``update`` with
        ``ax.set_title``), a figure title, a legend.  They are drawn alone on every redraw,
        over a saved picture of the rest (:func:`animate` says what else that implies).  Any
        other change in an axes redraws that axes whole: correct, only slower.
    buttons : dict of str -> (ipywidgets.Button, callable), optional
        Buttons and what they do (``callback(panel)``) before the figure is redrawn.
    redrawn : sequence of matplotlib.axes.Axes, optional
        Axes whose limits or ticks change with a control: drawn whole on every redraw from
        the start (:meth:`LiveFigure.draw_every_time`), so the first change costs no more
        than the next.
    dpi : float, optional

    Attributes
    ----------
    live : LiveFigure
    controls : dict
    timings_ms : list of float
        How long each redraw took (update + render), in milliseconds.

    Examples
    --------
    >>> import numpy as np, ipywidgets as widgets, matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(2, 2))
    >>> shown = ax.imshow(np.zeros((4, 4)), vmin=0, vmax=4)
    >>> def update(size):
    ...     shown.set_data(np.full((4, 4), size))
    ...     ax.set_title(f"size {size}")
    >>> panel = Panel(fig, update, {"size": widgets.IntSlider(value=1, min=0, max=4)},
    ...               animated=[shown, ax.title])
    >>> before = panel.live.widget.value
    >>> panel.controls["size"].value = 3
    >>> panel.live.widget.value != before, len(panel.timings_ms)
    (True, 2)
    """

    def __init__(self, figure, update, controls, animated=(), buttons=None, redrawn=(),
                 dpi=None):
        self.update = update
        self.controls = dict(controls)
        self.buttons = dict(buttons or {})
        self.timings_ms = []
        self.extra = []          # more widgets to show beside the controls (a Play button...)
        self._holding = False
        animate(*animated)
        # Draw the starting state before the first render, so the layout (worked out once,
        # then frozen by LiveFigure) leaves room for the titles and labels update() writes.
        start = time.perf_counter()
        self.update(**self.values())
        self.live = LiveFigure(figure, dpi)
        self.timings_ms.append((time.perf_counter() - start) * 1e3)
        if redrawn:
            self.live.draw_every_time(*redrawn)
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        for button, action in self.buttons.values():
            button.on_click(lambda _, action=action: self._clicked(action))

    def values(self):
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self):
        """Call ``update`` with the current values and re-render the figure."""
        start = time.perf_counter()
        self.update(**self.values())
        self.live.refresh()
        self.timings_ms.append((time.perf_counter() - start) * 1e3)

    @contextlib.contextmanager
    def hold(self, redraw=True):
        """Change several controls at once with one redraw at the end (``with panel.hold():``).

        With ``redraw=False`` no redraw happens at the end either: for an observer that runs
        just before the panel's own (which then redraws once, with every value updated).
        """
        self._holding = True
        try:
            yield self
        finally:
            self._holding = False
        if redraw:
            self.redraw()

    def _changed(self, change):
        if not self._holding:
            self.redraw()

    def _clicked(self, action):
        action(self)
        self.redraw()

    def _ipython_display_(self):
        controls = list(self.controls.values()) + list(self.extra)
        rows = [controls[i:i + 3] for i in range(0, len(controls), 3)]
        if self.buttons:
            rows.append([button for button, _ in self.buttons.values()])
        show_panel(*rows, self.live)
