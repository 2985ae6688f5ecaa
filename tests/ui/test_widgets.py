"""cnnlab.ui.widgets: a panel's quick redraw gives the same picture as a full render, pixel for
pixel.

LiveFigure.refresh draws again only the axes an update changed, over a saved picture of the
rest.  For every panel of every lesson, each control is moved through several values (and each
button clicked), and after every redraw the PNG the page receives is compared with a full render
of the same figure.
"""

from __future__ import annotations

import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from bad_inputs import assert_refused, rows
from panels import PANELS, another_value
from PIL import Image

import cnnlab.ui.widgets as cw


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def assert_same_as_full_render(panel, what):
    shown = pixels(panel.live.widget.value)
    expected = cw.full_render(panel.live.figure)
    assert shown.shape == expected.shape, what
    differ = np.any(shown != expected, axis=-1)
    rows = np.nonzero(differ.any(axis=1))[0]
    assert not differ.any(), (f"{what}: {int(differ.sum())} pixels differ from a full render, "
                              f"in rows {rows.min()}..{rows.max()}" if differ.any() else "")


@pytest.mark.parametrize("factory", PANELS, ids=lambda f: f"{f.__module__[-8:]}.{f.__name__}")
def test_quick_redraw_equals_a_full_render(factory):
    panel = factory()
    assert_same_as_full_render(panel, "the first picture")
    for name, control in panel.controls.items():
        for step in range(3):
            control.value = another_value(control)
            assert_same_as_full_render(panel, f"after changing {name!r} ({step + 1})")
    for name, (button, _) in panel.buttons.items():
        button.click()
        assert_same_as_full_render(panel, f"after clicking {name!r}")


def test_png_is_lossless_and_fast_to_encode():
    rgba = (np.arange(40 * 30 * 4) % 251).astype(np.uint8).reshape(30, 40, 4)

    class Canvas:
        def buffer_rgba(self):
            return memoryview(rgba)

    assert np.array_equal(pixels(cw.png_of_canvas(Canvas())), rgba)


def test_animated_artists_are_drawn_alone_and_the_picture_stays_exact():
    """Animated artists (an image, its frame, its title, a marker, the figure's title) change on
    every refresh while a line in another axes, a colour bar's scale and an axes' limits change
    now and then: every picture equals a full render, and an axes whose only changes are
    animated is not redrawn."""
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(0)
    fig, (ax_image, ax_line) = plt.subplots(1, 2, figsize=(5, 2.5), layout="constrained")
    image = ax_image.imshow(rng.random((6, 6)), vmin=0, vmax=1, animated=True)
    colour_bar = fig.colorbar(image, ax=ax_image)
    ax_image.set_title("start", animated=True)
    ax_image.set(xticks=[], yticks=[])    # tick marks would lie over the image's edge
    for spine in ax_image.spines.values():
        spine.set_animated(True)          # the frame is drawn over the image: animated too
    marker = ax_image.plot([1], [1], "rx", animated=True)[0]
    line = ax_line.plot(rng.random(10))[0]
    ax_line.set_title("line")
    title = fig.suptitle("start", animated=True)
    live = cw.LiveFigure(fig)
    redrawn = []
    for step in range(8):
        image.set_data(rng.random((6, 6)))
        ax_image.title.set_text(f"step {step}")
        title.set_text(f"figure at step {step}")
        marker.set_data([step % 6], [(2 * step) % 6])
        if step % 3 == 2:
            line.set_ydata(rng.random(10))
        if step == 5:
            ax_line.set_ylim(0, 2)       # (labels as wide as before: the layout is frozen)
        if step == 6:
            image.set_clim(0, 2)          # the colour bar's scale: its axes is redrawn
        live.refresh()
        redrawn.append([ax in live._blitter.dynamic
                        for ax in (ax_image, colour_bar.ax, ax_line)])
        assert np.array_equal(pixels(live.widget.value), cw.full_render(fig)), step
    image_axes, bar_axes, line_axes = zip(*redrawn, strict=True)
    assert not any(image_axes), "an axes whose changes were all animated artists was redrawn"
    assert bar_axes == (False,) * 6 + (True,) * 2, "the colour bar follows the new clim"
    assert line_axes == (False,) * 2 + (True,) * 6, "the line's axes is redrawn once it changes"


def test_a_state_seen_before_reuses_its_saved_picture():
    """render_whole_next(figure, state): the picture of each state is rendered once; coming
    back to a state (lesson 08's Reset) draws only the animated artists, and is still exact;
    any other change that is not animated forgets the saved pictures."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2))
    line = ax.plot([0.1, 0.9], [0, 1], animated=True)[0]     # clear of the frame: topmost
    ax.set(xlim=(0, 1), ylim=(-1, 2))
    note = ax.text(0.1, 0.9, "fixed", transform=ax.transAxes)
    cw.render_whole_next(fig, state=(0, 1))
    live = cw.LiveFigure(fig)
    renders = []
    draw = fig.canvas.draw
    fig.canvas.draw = lambda: (renders.append(1), draw())
    for step, (end, expect_render) in enumerate([(10, True), (1, False), (10, False),
                                                 (1, False)]):
        line.set_data([0.1 * end, 0.9 * end], [0, 1])
        ax.set_xlim(0, end)
        cw.render_whole_next(fig, state=(0, end))
        before = len(renders)
        live.refresh()
        assert (len(renders) > before) == expect_render, step
        assert np.array_equal(pixels(live.widget.value), cw.full_render(fig)), step
    note.set_text("changed")              # not animated: the saved pictures are stale now
    live.refresh()
    line.set_data([1, 9], [0, 1])
    ax.set_xlim(0, 10)
    cw.render_whole_next(fig, state=(0, 10))
    before = len(renders)
    live.refresh()
    assert len(renders) > before
    assert np.array_equal(pixels(live.widget.value), cw.full_render(fig))
    with pytest.raises(TypeError, match="state must be hashable"):
        cw.render_whole_next(fig, state=[0, 10])
    with pytest.raises(TypeError, match="figure must be a matplotlib Figure"):
        cw.render_whole_next(ax)


def test_a_panel_says_what_changes_in_one_list_and_stays_exact():
    """Panel(animated=[...]) alone makes the blit exact: an image under its frame (the spines
    follow), an outline over the cell values and the frame, a title changed with set_title,
    a bar, a figure title; nothing else marked by hand.  Every picture equals a full render
    and no axes is drawn whole while only listed artists change."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    from cnnlab.plotting import annotate_values

    rng = np.random.default_rng(1)
    values = rng.random((5, 5))
    fig, (ax_in, ax_out, ax_bar) = plt.subplots(1, 3, figsize=(6, 2.5), layout="constrained")
    ax_in.imshow(values, vmin=0, vmax=1)
    annotate_values(ax_in, values, fmt="{:.1f}", fontsize=7)       # texts over the window?
    ax_in.set_xticks(range(5))
    window = ax_in.add_patch(plt.Rectangle((-0.5, -0.5), 3, 3, fill=False, ec="tab:orange",
                                           lw=3))
    shown = ax_out.imshow(np.zeros((5, 5)), vmin=0, vmax=1)
    bars = ax_bar.bar([0], [0.5], width=0.6)
    ax_bar.set(ylim=(0, 1), xlim=(-0.3, 0.3))                      # the bar's foot on the frame
    heading = fig.suptitle(" ")

    def update(step):
        window.set_xy((step % 3 - 0.5, step // 3 - 0.5))
        shown.set_data(np.roll(values, step))
        ax_out.set_title(f"step {step}")
        bars[0].set_height(step / 9)
        heading.set_text(f"figure at step {step}")

    panel = cw.Panel(fig, update, {"step": widgets.IntSlider(value=0, min=0, max=8)},
                     animated=[window, shown, ax_out.title, bars, heading])
    assert all(spine.get_animated() for spine in [*ax_out.spines.values(),
                                                  *ax_bar.spines.values()])
    assert not any(spine.get_animated() for spine in ax_in.spines.values())
    assert window.get_zorder() > max(text.get_zorder() for text in ax_in.texts)
    assert_same_as_full_render(panel, "the first picture")
    panel.controls["step"].value = 1          # the first change may save the picture again
    for step in [2, 8, 0, 4]:
        panel.controls["step"].value = step
        assert_same_as_full_render(panel, f"step {step}")
        assert panel.live._blitter.dynamic == set(), "an axes was drawn whole"
    assert ax_out.get_title() == "step 4"
    with pytest.raises(TypeError, match="animated must hold matplotlib artists"):
        cw.Panel(plt.figure(), lambda: None, {}, animated=["title"])
    plt.close("all")


def test_a_text_or_image_drawn_as_before_over_the_same_pixels_is_pasted_and_stays_exact():
    """An animated text or image that would draw as at the last refresh (the same words, font,
    colour and place; the same numbers, colours and place), over the same pixels, is pasted
    instead of drawn again; a change to any of them or to the pixels under it draws it again.
    Texts of several kinds (over the image, rotated, large italic with descenders, the
    figure's title) and the image equal a full render after every refresh."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3.5, 3), dpi=96)
    values = np.zeros((3, 3))
    shown = ax.imshow(values, vmin=0, vmax=1, cmap="gray")
    ax.set(xticks=[], yticks=[])
    cell = ax.text(1, 1, "0.50", ha="center", va="center", color="red")      # over cell (1, 1)
    side = ax.text(2.3, 1, "side", rotation=90, va="center", fontsize=9)
    large = ax.text(-0.4, 2.2, "gjf/y", fontsize=20, style="italic", color="tab:blue")
    heading = fig.suptitle("a heading that stays")
    artists = {"image": shown, "cell": cell, "side": side, "large": large, "heading": heading}
    cw.animate(*artists.values())
    live = cw.LiveFigure(fig)
    drawn = []
    draw_artist = fig.draw_artist
    fig.draw_artist = lambda artist: (drawn.append(artist), draw_artist(artist))

    # matplotlib before 3.10 cannot say an image's interpolation stage: drawn every time
    image_kept = hasattr(shown, "get_interpolation_stage")

    def refresh(what):
        drawn.clear()
        live.refresh()
        assert np.array_equal(pixels(live.widget.value), cw.full_render(fig)), what
        return {name for name, artist in artists.items() if artist in drawn}

    def drawn_again(*names):
        return set(names) | (set() if image_kept else {"image"})

    values[0, 0] = 1.0                        # under none of the texts (drawn at the start)
    shown.set_data(values.copy())
    assert refresh("new numbers, nothing under a text changed") == drawn_again("image")
    shown.set_data(values.copy())
    assert refresh("the same numbers again") == drawn_again()
    values[1, 1] = 0.8                        # the pixels under the cell's text
    shown.set_data(values.copy())
    assert refresh("under the cell's text") == drawn_again("image", "cell")
    cell.set_color("blue")
    assert refresh("a new colour") == drawn_again("cell")
    cell.set_position((1.1, 1))
    assert refresh("a new place") == drawn_again("cell")
    side.set_fontsize(10)
    assert refresh("a new size") == drawn_again("side")
    large.set_text("gjf/yq")
    heading.set_text("a new heading")
    assert refresh("new words") == drawn_again("large", "heading")
    assert refresh("nothing changed") == drawn_again()
    shown.set_clim(0, 2)
    assert {"image", "cell"} <= refresh("a new colour scale")
    shown.set_cmap("viridis")
    assert "image" in refresh("a new colour map")
    shown.set_extent((-0.5, 2.5, 2.5, 0))
    assert "image" in refresh("a new place for the image")
    assert refresh("nothing changed") == drawn_again()
    plt.close(fig)


def test_a_text_that_was_empty_and_stays_empty_is_no_change():
    """ax.set_title moves the axes' left and right titles (empty) as well: not a change."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 2))
    shown = ax.imshow(np.eye(3), vmin=0, vmax=1)
    cw.animate(shown, ax.title)
    live = cw.LiveFigure(fig)
    ax.set_title("one")
    live.refresh()
    assert live._blitter.dynamic == set()
    ax.set_title("left", loc="left")        # an empty text that is not empty any more
    live.refresh()
    assert live._blitter.dynamic == {ax}
    assert np.array_equal(pixels(live.widget.value), cw.full_render(fig))


def test_a_preset_sends_the_new_picture_before_the_controls_it_sets():
    """Picking a preset redraws once, with every value it sets in place; the controls' new
    values go to the page after the new picture (one message each, for those that changed),
    so the picture does not wait behind them."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 2))
    shown = ax.imshow(np.zeros((1, 2)), vmin=0, vmax=2)
    boxes = {name: widgets.Text(value="0") for name in ("a", "b")}
    table = {"ones": {"a": "1", "b": "1"}, "one and two": {"a": "1", "b": "2"}}

    def update(preset, a, b):
        shown.set_data(np.array([[float(a), float(b)]]))

    panel = cw.Panel(fig, update, {"preset": widgets.Dropdown(options=[*table, "custom"],
                                                              value="custom"), **boxes},
                     animated=[shown], presets={"preset": (table, "custom")})
    sent = []
    for name, widget in [*boxes.items(), ("picture", panel.live.widget)]:
        widget._send = lambda msg, buffers=None, name=name: sent.append(     # (bytes: buffers)
            (name, sorted([*msg["state"], *(path[0] for path in msg["buffer_paths"])])))
    panel.controls["preset"].value = "ones"
    assert sent[0] == ("picture", ["alt", "value"])
    assert sorted(sent[1:]) == [("a", ["value"]), ("b", ["value"])]
    assert len(panel.timings_ms) == 2 and np.array_equal(shown.get_array(), [[1.0, 1.0]])
    sent.clear()
    panel.controls["preset"].value = "one and two"      # a stays 1: no message for it
    assert sent == [("picture", ["alt", "value"]), ("b", ["value"])]
    sent.clear()
    boxes["a"].value = "0"                                # typed: the menu says custom
    assert panel.controls["preset"].value == "custom"
    assert sent == [("a", ["value"]), ("picture", ["alt", "value"])]
    assert len(panel.timings_ms) == 4
    plt.close(fig)


def test_panel_redrawn_axes_are_drawn_whole_from_the_start():
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(4, 2))
    line = right.plot([0, 1], [0, 1])[0]

    def update(n):
        line.set_data(range(n), range(n))
        right.set_xlim(0, n)

    panel = cw.Panel(fig, update, {"n": widgets.IntSlider(value=2, min=2, max=9)},
                     redrawn=[right])
    assert panel.live._blitter.dynamic == {right}
    panel.controls["n"].value = 7
    assert_same_as_full_render(panel, "after n = 7")
    plt.close(fig)


def _panel_arguments():
    fig, ax = plt.subplots()
    shown = ax.imshow(np.zeros((3, 3)), vmin=0, vmax=1)
    return {"figure": fig, "update": lambda size: shown.set_data(np.full((3, 3), size / 4)),
            "controls": {"size": widgets.IntSlider(value=1, min=0, max=4)}}


PANEL_BAD = [
    ("figure", None, "figure must be a matplotlib Figure"),
    ("figure", "fig", "figure must be a matplotlib Figure"),
    ("update", None, "update must be a function"),
    ("update", "redraw", "update must be a function"),
    ("controls", None, "controls must be a dict"),
    ("controls", [1, 2], "controls must be a dict"),
    ("controls", {"size": 3}, "controls must map names"),
    ("animated", None, "animated must hold matplotlib artists"),
    ("animated", ["title"], "animated must hold matplotlib artists"),
    ("redrawn", "ax", "redrawn must be a list of matplotlib Axes"),
    ("buttons", "go", "buttons must be a dict"),
    ("presets", "a", "presets must be a dict"),
    ("rows", "size", "rows must be a list of lists of control names"),
    ("rows", [["width"]], "rows must be a list of lists of control names"),
    ("dpi", "high", "dpi must be a real number"),
    ("dpi", -5, "dpi must be greater than 0"),
]


def _panel_with(argument, value):
    arguments = _panel_arguments()
    arguments[argument] = value
    return cw.Panel(**arguments)


# Panel/LiveFigure given None raised AttributeError from deep inside (issue 25).  A row table
# (tests/bad_inputs.py): (what, call, error, word the message must contain).
BAD_ROWS = [
    (f"Panel {argument} {value!r}", lambda a=argument, v=value: _panel_with(a, v),
     (TypeError, ValueError), words)
    for argument, value, words in PANEL_BAD
] + [
    ("LiveFigure None", lambda: cw.LiveFigure(None), TypeError, "figure must be a matplotlib"),
    ("LiveFigure string", lambda: cw.LiveFigure("fig"), TypeError, "figure must be a"),
    ("LiveFigure axes", lambda: cw.LiveFigure(plt.subplots()[1]), TypeError, "figure must"),
    ("LiveFigure dpi 0", lambda: cw.LiveFigure(plt.subplots()[0], dpi=0), ValueError,
     "dpi must be greater than 0"),
    ("LiveFigure dpi nan", lambda: cw.LiveFigure(plt.subplots()[0], dpi=float("nan")),
     ValueError, "dpi"),
    ("LiveFigure dpi string", lambda: cw.LiveFigure(plt.subplots()[0], dpi="96"), TypeError,
     "dpi"),
    ("still_bundle png str", lambda: cw.still_bundle("iVBOR", "a", "ab1"), TypeError, "png"),
    ("still_bundle alt None", lambda: cw.still_bundle(b"", None, "ab1"), TypeError, "alt"),
    ("still_bundle still empty", lambda: cw.still_bundle(b"", "a", ""), ValueError, "still"),
    ("still_bundle still quote", lambda: cw.still_bundle(b"", "a", 'a"b'), ValueError, "still"),
    ("widget_bundle model_id None", lambda: cw.widget_bundle(None, "t"), TypeError,
     "model_id"),
    ("widget_bundle text bytes", lambda: cw.widget_bundle("m", b"t"), TypeError, "text"),
]


def test_a_panel_shows_its_widget_then_a_still_picture_that_follows_the_cells():
    """show_panel's two outputs: the widget with a line of text, then the still PNG (what any
    reader without widgets shows; the drawn view hides it by its id), which a cell that changes
    the figure updates, and a control moved between cells does not."""
    import base64

    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    view = "application/vnd.jupyter.widget-view+json"
    InteractiveShell.instance()
    try:
        fig, ax = plt.subplots(figsize=(2, 2))
        shown = ax.imshow(np.zeros((3, 3)), vmin=0, vmax=1)
        live = cw.LiveFigure(fig, describe=lambda: f"trace {np.trace(shown.get_array()):g}")
        with capture_output() as captured:
            box = cw.show_panel(widgets.IntSlider(description="size"), live)
        first, second = captured.outputs
        still = live.widget.still
        assert set(first.data) == {view, "text/plain"}
        assert first.data[view]["model_id"] == box.model_id
        assert first.metadata == {"cnnlab": {"controls": still}}
        assert second.metadata == {"cnnlab": {"still": still}}
        assert base64.b64decode(second.data["image/png"]) == live.widget.value
        assert f'alt="trace 0" data-cnnlab-still="{still}">' in second.data["text/html"]
        display_id = second.transient["display_id"]

        cw._before_cell()                    # a cell that changes the figure ...
        shown.set_data(np.eye(3))
        live.refresh()
        with capture_output() as captured:
            cw._after_cell()                 # ... updates the still, and only the still
        (update,) = captured.outputs
        assert update.update and update.transient["display_id"] == display_id
        assert base64.b64decode(update.data["image/png"]) == live.widget.value
        assert 'alt="trace 3"' in update.data["text/html"]

        shown.set_data(np.zeros((3, 3)))     # a control moved between cells: no update
        live.refresh()
        cw._before_cell()
        with capture_output() as captured:
            cw._after_cell()
        assert captured.outputs == []
    finally:
        cw._SHOWN.clear()
        InteractiveShell.clear_instance()
        plt.close("all")


@pytest.mark.parametrize(("call", "error", "word"), rows("widgets", BAD_ROWS))
def test_bad_input_is_refused_with_a_message_naming_it(call, error, word):
    assert_refused(call, error, word)
    plt.close("all")
