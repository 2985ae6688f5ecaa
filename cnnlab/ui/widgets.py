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
(:func:`full_render`; tests/ui/test_widgets.py checks every panel of every lesson).  How, and
why that is hand-written rather than left to matplotlib, is in :mod:`cnnlab.ui.blit`.

The figure is shown as a small image widget holding PNG bytes (:class:`FigureImage`), so the
picture is replaced in place (no flicker, no pile of figures) with any matplotlib backend, in
JupyterLab, classic Notebook, VS Code, Binder and Colab (ipywidgets 7.7 and 8 alike).
:func:`show_panel` displays controls and figures together, then a still PNG of the figure as an
output of its own, so the notebook still reads sensibly where widgets cannot render (GitHub, an
nbconvert HTML export, the course's static edition): the PNG of the starting figure, replaced
by the final one when the cell that displayed it (or a later cell) changed the figure, as a
training run does.  Where the widget is drawn, its view hides the still (cnnlab/ui/still.js).
"""

from __future__ import annotations

import base64
import contextlib
import html
import pathlib
import time
import uuid
import weakref

import anywidget
import ipywidgets as widgets
import matplotlib.pyplot as plt
import traitlets
from IPython.display import display
from matplotlib.figure import Figure

from .._validate import check_float
from .blit import Blitter, animate, full_render, png_of_canvas, render_whole_next
from .describe import describe_figure

__all__ = ["LiveFigure", "Panel", "FigureImage", "animate", "show_panel", "full_render",
           "describe_shown_figures", "png_html", "panel_outputs", "still_bundle", "widget_bundle",
           "render_whole_next", "describe_figure", "PANEL_DPI"]

PANEL_DPI = 96


def _check_figure(figure, dpi):
    """The doors' checks of a figure and a dpi (LiveFigure's and Panel's)."""
    from matplotlib.figure import Figure

    if not isinstance(figure, Figure):
        raise TypeError(f"figure must be a matplotlib Figure (e.g. from plt.subplots()), got "
                        f"{type(figure).__name__}")
    if dpi is not None:
        check_float(dpi, "dpi", minimum=0, allow_minimum=False)


def _check_panel(update, controls, animated, buttons, redrawn, presets, rows):
    """The door's checks of :class:`Panel`'s arguments, one rule per line."""
    from matplotlib.axes import Axes

    if not callable(update):
        raise TypeError(f"update must be a function update(**values), got "
                        f"{type(update).__name__}")
    if not isinstance(controls, dict):
        raise TypeError(f"controls must be a dict of name -> ipywidgets control, "
                        f"got {type(controls).__name__}")
    for name, control in controls.items():
        if not isinstance(name, str) or not isinstance(control, widgets.ValueWidget):
            raise TypeError(f"controls must map names (str) to ipywidgets controls with a "
                            f"value, got {name!r}: {type(control).__name__}")
    if not isinstance(animated, (list, tuple)):      # animate() checks each item
        raise TypeError(f"animated must hold matplotlib artists (a list), got {animated!r}")
    if not isinstance(redrawn, (list, tuple)) or not all(isinstance(a, Axes) for a in redrawn):
        raise TypeError(f"redrawn must be a list of matplotlib Axes, got {redrawn!r}")
    if buttons is not None and (not isinstance(buttons, dict) or not all(
            isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], widgets.Button)
            and callable(v[1]) for v in buttons.values())):
        raise TypeError(f"buttons must be a dict of name -> (ipywidgets.Button, callable), "
                        f"got {buttons!r}")
    if presets is not None and (not isinstance(presets, dict) or not all(
            name in controls and isinstance(v, tuple) and len(v) == 2
            and isinstance(v[0], dict) for name, v in presets.items())):
        raise TypeError(f"presets must be a dict of control name -> (table dict, custom "
                        f"option), got {presets!r}")
    if rows is not None and (not isinstance(rows, list) or not all(
            isinstance(row, list) and all(name in controls for name in row) for row in rows)):
        raise TypeError(f"rows must be a list of lists of control names, got {rows!r}")
"""Resolution of a panel's PNG.  A browser's CSS pixel is 1/96 inch, so at 96 dpi the picture is
shown at exactly its pixel size (crisp) and a 10 pt label reads as 10 pt; a figure 9.3 inches
wide fills a notebook column of about 900 pixels."""


# The front end (ES modules beside this file, package data; read as text, as drawpad.py does):
# still.js, which hides a panel's still picture where the widget is drawn, then figure.js.
_HERE = pathlib.Path(__file__).parent
STILL_JS = (_HERE / "still.js").read_text(encoding="utf-8")
_ESM = STILL_JS + (_HERE / "figure.js").read_text(encoding="utf-8")


class FigureImage(anywidget.AnyWidget):
    """A PNG with alt text, and an ARIA live readout of the same text: a panel's picture.

    ipywidgets' ``Image`` cannot carry alt text in widgets 7 or 8 (8's ``tooltip`` breaks an
    Image's view), so this small anywidget draws the ``<img alt=...>`` itself.  Its view also
    names the panel's controls for screen readers (ipywidgets issue 2650), hands the keys a
    focused control answers to it before JupyterLab's shortcuts can take them (so the arrow
    keys move a slider or a menu in JupyterLab 4 and the browser edition) and lets Escape
    leave a control (cnnlab/ui/figure.js).

    Examples
    --------
    >>> picture = FigureImage(value=b"png bytes", alt="a 3x3 grid")
    >>> picture.alt
    'a 3x3 grid'
    """

    _esm = _ESM
    value = traitlets.Bytes(b"").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    # The id of this picture's still outputs (:func:`still_bundle`), which the view hides.
    still = traitlets.Unicode("").tag(sync=True)


def png_html(png, alt, still=""):
    """An ``<img>`` holding ``png`` (bytes) with its alt text, for an HTML page.

    Parameters
    ----------
    png : bytes
        The picture.
    alt : str
        What it shows (escaped for HTML here).
    still : str, optional
        The id of the live figure this picture stands in for (a ``data-cnnlab-still``
        attribute: the figure's view hides the picture where it is drawn; cnnlab/ui/still.js).

    Returns
    -------
    str

    Examples
    --------
    >>> png_html(b"\\x89PNG", 'a "grid"')
    '<img src="data:image/png;base64,iVBORw==" alt="a &quot;grid&quot;">'
    """
    data = base64.b64encode(png).decode("ascii")
    mark = f' data-cnnlab-still="{html.escape(still)}"' if still else ""
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}"{mark}>'


class _PngOnce:
    """The inline backend's image/png printer of figures, made to render a shown figure once.

    IPython asks a figure for its text/html form (:func:`_figure_html`, which needs the PNG)
    and then for its image/png form: the same picture, which the printer rendered again (every
    figure a lesson shows was drawn twice; in the browser edition a figure costs 0.5-2 s).  The
    picture made for the text/html form is kept and handed, once, to the image/png call for the
    same figure that follows it in the same display; anything else renders as before.
    """

    def __init__(self, printer):
        self.printer = printer
        self.kept = None                          # (figure, picture) for the next image/png call

    def __call__(self, figure):
        kept, self.kept = self.kept, None
        if kept is not None and kept[0] is figure:
            return kept[1]
        return self.printer(figure)

    def render_and_keep(self, figure):
        self.kept = None
        picture = self.printer(figure)
        self.kept = (figure, picture)
        return picture


def _figure_html(figure):
    """A figure the notebook shows, as an ``<img>`` with alt text (IPython's text/html)."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return None
    formatter = shell.display_formatter.formatters["image/png"]
    printer = formatter.type_printers.get(Figure)
    if isinstance(printer, _PngOnce) and formatter.enabled:
        png = printer.render_and_keep(figure)
    else:
        png = formatter(figure)
    if isinstance(png, tuple):                           # (data, metadata)
        png = png[0]
    if isinstance(png, str):
        png = base64.b64decode(png)
    if not png:
        return None
    return png_html(png, describe_figure(figure))


def describe_shown_figures():
    """Give every matplotlib figure a notebook shows alt text (its :func:`describe_figure`).

    JupyterLab shows a figure's ``image/png`` without alt text and nbconvert writes a fixed
    one; registering a text/html form (an ``<img>`` with the figure's description), which both
    prefer, gives every figure its own.  The ``image/png`` stays beside it.  Runs when this
    module is imported in a kernel (every lesson imports it); does nothing outside IPython.
    matplotlib-inline drops every formatter of ``Figure`` when its backend starts (and when
    its figure formats change), so the form is registered again before and after every cell.

    Returns
    -------
    bool
        True when registered.

    Examples
    --------
    >>> describe_shown_figures()            # no IPython kernel here
    False
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    start = getattr(plt, "_get_backend_mod", None)
    if start is not None:
        start()                          # the inline backend drops its formatters now, not later
    _register_figure_html(shell)
    if shell not in _DESCRIBING:
        for event in ("pre_run_cell", "post_execute"):     # (which also forgets a kept PNG)
            shell.events.register(event, lambda *_: _register_figure_html(shell))
        _DESCRIBING.append(shell)
    return True


_DESCRIBING = []


def _register_figure_html(shell):
    formatter = shell.display_formatter.formatters["text/html"]
    if formatter.type_printers.get(Figure) is not _figure_html:
        formatter.for_type(Figure, _figure_html)
    png = shell.display_formatter.formatters["image/png"]
    printer = png.type_printers.get(Figure)
    if isinstance(printer, _PngOnce):
        printer.kept = None
    elif printer is not None:
        png.for_type(Figure, _PngOnce(printer))


describe_shown_figures()


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
    describe : callable, optional
        ``describe()`` -> the picture's alt text, called on every refresh (default:
        :func:`~cnnlab.ui.describe.describe_figure`, read from the figure's artists).

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    widget : FigureImage
        The widget to put in a layout; its ``value`` holds the current PNG bytes, its ``alt``
        the description (:attr:`alt`).

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

    def __init__(self, figure, dpi=None, describe=None):
        _check_figure(figure, dpi)
        self.figure = figure
        self.dpi = dpi or PANEL_DPI
        self.widget = FigureImage(still=uuid.uuid4().hex)
        self.describe = describe
        plt.close(figure)
        self._blitter = Blitter(figure)
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
        render, are drawn again over a saved picture of the rest (:class:`cnnlab.ui.blit.Blitter`);
        the PNG is the same, pixel for pixel, as a full render (tests/ui/test_widgets.py checks
        every panel).
        """
        dpi = self.dpi or self.figure.dpi
        if self.figure.dpi != dpi:
            self.figure.set_dpi(dpi)
        self._blitter.draw()
        png = png_of_canvas(self.figure.canvas)
        alt = self.describe() if self.describe is not None else describe_figure(self.figure)
        with self.widget.hold_sync():               # one message: picture and its words
            self.widget.value = png
            self.widget.alt = alt

    @property
    def alt(self):
        """The alt text of the picture shown now (what the figure shows, its key numbers)."""
        return self.widget.alt

    def _ipython_display_(self):
        show_panel(self)


def _as_widget(item):
    if isinstance(item, LiveFigure):
        return item.widget
    if isinstance(item, widgets.Widget):
        _no_null_title(item)
        return item
    raise TypeError(f"show_panel takes ipywidgets widgets and LiveFigure objects, got "
                    f"{type(item).__name__}")


def _no_null_title(widget):
    """An empty ``tooltip`` for ``widget`` (and the widgets inside it) where it is None.

    ipywidgets 8.1 writes a control's ``tooltip`` into its label's ``title`` as it is, so the
    default None becomes the text "null": shown on hover over the label, and read out by screen
    readers.  An empty tooltip writes no title.  (ipywidgets 7 has no ``tooltip`` on these
    controls: its label's title is the description.)
    """
    if widget.has_trait("tooltip") and widget.tooltip is None:
        widget.tooltip = ""
    for child in getattr(widget, "children", ()):
        _no_null_title(child)


def show_panel(*items, layout="vertical"):
    """Display controls and live figures together, and a still picture for static readers.

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
    Two outputs: the widget (with a line of text for readers that cannot draw it), then a
    still picture of the last live figure (:func:`still_bundle`).  Where the widget is drawn,
    its figure's view hides the still (cnnlab/ui/still.js).  Every reader that cannot draw it
    shows the still: GitHub, a notebook reopened without its kernel, and an ``nbconvert`` HTML
    export with or without the saved widget state (nbconvert keeps one format per output and
    takes the widget whenever the state holds it, so a picture inside the widget's own output
    would never be shown there).

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> live = LiveFigure(fig)
    >>> box = show_panel(widgets.IntSlider(description="size"), live)  # doctest: +ELLIPSIS
    {'application/vnd.jupyter.widget-view+json': ...}
    {'image/png': ...}
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
    if shown is None:
        display(widget_bundle(box.model_id, "[interactive panel: run the notebook to use it]"),
                raw=True)
        return box
    png = shown.widget.value
    (widget, widget_meta), (still, still_meta) = panel_outputs(
        box.model_id, CONTROLS_TEXT, png, shown.widget.alt, shown.widget.still)
    display(widget, raw=True, metadata=widget_meta)
    handle = display(still, raw=True, display_id=True, metadata=still_meta)
    if handle is not None:
        _SHOWN.append(_Shown(weakref.ref(shown), handle, png))
        _watch_cells()
    return box


CONTROLS_TEXT = "[the controls of the picture below: run the notebook to move them]"
"""What a reader without a widget renderer shows for a panel's widget (its still follows)."""


def widget_bundle(model_id, text):
    """The display data of a widget: its view, and a line of text for readers without widgets.

    Parameters
    ----------
    model_id : str
        The widget's model id.
    text : str
        The line a reader that cannot draw widgets shows instead.

    Returns
    -------
    dict

    Examples
    --------
    >>> sorted(widget_bundle("abc", "[a pad]"))
    ['application/vnd.jupyter.widget-view+json', 'text/plain']
    """
    for name, value in (("model_id", model_id), ("text", text)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    return {"application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": model_id},
            "text/plain": text}


def still_bundle(png, alt, still):
    """The display data of a panel's still picture: its PNG, as an ``<img>`` with alt text too.

    Every reader that cannot draw the widget shows it (a static page prefers the HTML, which
    carries the alt text); the widget's view hides it where it is drawn: the ``<img>`` holds
    ``data-cnnlab-still="<still>"`` (cnnlab/ui/still.js).

    Parameters
    ----------
    png : bytes
        The picture.
    alt : str
        What it shows.
    still : str
        The id the live figure's view knows (``FigureImage.still``).

    Returns
    -------
    dict

    Examples
    --------
    >>> bundle = still_bundle(b"\\x89PNG", "a grid", "ab12")
    >>> bundle["text/html"]
    '<img src="data:image/png;base64,iVBORw==" alt="a grid" data-cnnlab-still="ab12">'
    >>> bundle["text/plain"]
    '[picture: a grid]'
    """
    if not isinstance(png, bytes):
        raise TypeError(f"png must be bytes (a PNG file), got {type(png).__name__}")
    for name, value in (("alt", alt), ("still", still)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not still.isalnum() or not still.isascii():
        raise ValueError(f"still must be a non-empty id of letters and digits (the figure's "
                         f"FigureImage.still), got {still!r}")
    return {"image/png": base64.b64encode(png).decode("ascii"),
            "text/html": png_html(png, alt, still=still),
            "text/plain": f"[picture: {alt}]"}


def panel_outputs(model_id, text, png, alt, still):
    """A panel's two outputs as ``(data, metadata)``: the widget with a line of text, then its
    still picture (:func:`widget_bundle`, :func:`still_bundle`), each marked with the still's
    id in the ``cnnlab`` metadata (``controls`` and ``still``: the static edition's build reads
    them).  :func:`show_panel` and the drawing pad display these.

    Parameters
    ----------
    model_id : str
        The widget's model id.
    text : str
        The line a reader without widgets shows for the widget.
    png : bytes
        The still picture.
    alt : str
        What it shows.
    still : str
        The id the live view knows (``FigureImage.still``, ``DrawPad.still``).

    Returns
    -------
    list of (dict, dict)

    Examples
    --------
    >>> [meta for _, meta in panel_outputs("m1", "[pad]", b"", "empty", "ab12")]
    [{'cnnlab': {'controls': 'ab12'}}, {'cnnlab': {'still': 'ab12'}}]
    """
    return [(widget_bundle(model_id, text), {"cnnlab": {"controls": still}}),
            _still_output(png, alt, still)]


def _still_output(png, alt, still):
    """The still picture's output as ``(data, metadata)`` (also what a later cell updates)."""
    return still_bundle(png, alt, still), {"cnnlab": {"still": still}}


class _Shown:
    """A displayed panel: its figure, the display handle of its still and the PNG it holds."""

    def __init__(self, live, handle, png):
        self.live, self.handle, self.png = live, handle, png
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
            still, still_meta = _still_output(png, live.widget.alt, live.widget.still)
            record.handle.update(still, raw=True, metadata=still_meta)
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
    presets : dict of str -> (dict, str), optional
        ``{menu: (table, custom)}``: picking ``option`` in the control ``menu`` sets the
        controls ``table[option]`` names (``{name: value}``), with one redraw, and sends
        their new values to the page after the new picture; changing one of those controls
        by hand switches the menu to ``custom``.
    rows : list of list of str, optional
        How to lay the controls out when displayed, by name (default: three to a row).
    describe : callable, optional
        ``describe(**values)`` -> a sentence saying what the figure shows now and its key
        numbers, from what ``update`` computed: the picture's alt text and the panel's ARIA
        live readout, renewed on every redraw.  Without it the text is read from the figure's
        artists (:func:`~cnnlab.ui.describe.describe_figure`).
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
    ...               animated=[shown, ax.title], describe=lambda size: f"all cells {size}")
    >>> before = panel.live.widget.value
    >>> panel.controls["size"].value = 3
    >>> panel.live.widget.value != before, len(panel.timings_ms), panel.live.alt
    (True, 2, 'all cells 3')
    """

    def __init__(self, figure, update, controls, animated=(), buttons=None, redrawn=(),
                 presets=None, rows=None, describe=None, dpi=None):
        _check_figure(figure, dpi)
        _check_panel(update, controls, animated, buttons, redrawn, presets, rows)
        self.update = update
        self.describe = describe
        self.controls = dict(controls)
        self.buttons = dict(buttons or {})
        self.timings_ms = []
        self.extra = []          # more widgets to show beside the controls (a Play button...)
        self.rows = rows
        self._holding = False
        animate(*animated)
        menus = set()
        for name, (table, custom) in (presets or {}).items():
            self._link_presets(name, table, custom)
            menus.add(name)
        # Draw the starting state before the first render, so the layout (worked out once,
        # then frozen by LiveFigure) leaves room for the titles and labels update() writes.
        start = time.perf_counter()
        self.update(**self.values())
        said = None if describe is None else (lambda: describe(**self.values()))
        self.live = LiveFigure(figure, dpi, describe=said)
        self.timings_ms.append((time.perf_counter() - start) * 1e3)
        if redrawn:
            self.live.draw_every_time(*redrawn)
        for name, control in self.controls.items():
            if name not in menus:          # a preset menu redraws from its own observer
                control.observe(self._changed, names="value")
        for button, action in self.buttons.values():
            button.on_click(lambda _, action=action: self._clicked(action))

    def _link_presets(self, name, table, custom):
        # Picking an option sets the controls its row names, then redraws once with every
        # value in place.  Those controls' new values reach the page after the new picture
        # (each control's ``hold_sync`` until the redraw is done): otherwise the picture's
        # message waits behind theirs (nine text boxes in lesson 01), in the server and in the
        # browser, while the kernel's work is the same.
        menu, setting = self.controls[name], [False]

        def picked(change):
            with contextlib.ExitStack() as sent_after_the_picture:
                if change["new"] != custom:
                    setting[0] = True
                    with self.hold(redraw=False):
                        for key, value in table[change["new"]].items():
                            control = self.controls[key]
                            if control.value != value:
                                sent_after_the_picture.enter_context(control.hold_sync())
                                control.value = value
                    setting[0] = False
                self._changed(change)

        def edited(change):
            if not setting[0] and menu.value != custom:
                with self.hold(redraw=False):
                    menu.value = custom

        menu.observe(picked, names="value")
        for key in {key for values in table.values() for key in values}:
            self.controls[key].observe(edited, names="value")

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
        holding, self._holding = self._holding, True
        try:
            yield self
        finally:
            self._holding = holding
        if redraw and not holding:
            self.redraw()

    def _changed(self, change):
        if not self._holding:
            self.redraw()

    def _clicked(self, action):
        action(self)
        self.redraw()

    def _ipython_display_(self):
        if self.rows is not None:
            rows = [[self.controls[name] for name in row] for row in self.rows]
            rows[-1] = rows[-1] + list(self.extra)
        else:
            controls = list(self.controls.values()) + list(self.extra)
            rows = [controls[i:i + 3] for i in range(0, len(controls), 3)]
        if self.buttons:
            rows.append([button for button, _ in self.buttons.values()])
        show_panel(*rows, self.live)
