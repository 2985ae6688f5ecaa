"""Accessibility checks in the page, shared by the JupyterLab and browser-edition tests.

- :func:`axe_violations`: axe-core (the engine of the PyPI package ``axe-playwright-python``,
  installed by the test extra, nothing fetched at run time) over the notebook's content: the
  outputs and the rendered markdown, which the course writes; JupyterLab's own interface is
  JupyterLab's to audit.  Only serious and critical violations count.
- :func:`press_keys_on_every_panel`: one control per panel moved with the keyboard alone; its
  figure, its alt text and its live readout change, the notebook underneath neither scrolls nor
  moves its selection, and Escape leaves the control.
"""

from __future__ import annotations

from importlib import resources

from . import harness

FAILING_IMPACTS = ("serious", "critical")
CONTENT = [".jp-OutputArea-output", ".jp-MarkdownOutput"]


def axe_script():
    """The axe-core script (``axe.min.js``) shipped inside ``axe-playwright-python``."""
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")


def axe_violations(page, impacts=FAILING_IMPACTS, skip=()):
    """axe-core's violations of ``impacts`` inside the notebook's content, one line each
    (rules named in ``skip`` left out)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script())
    result = page.evaluate("""async (include) => {
        const present = include.filter((selector) => document.querySelector(selector));
        const context = {include: present.map((selector) => [selector])};
        return await window.axe.run(context, {resultTypes: ['violations']});
    }""", CONTENT)
    found = []
    for violation in result["violations"]:
        if violation["impact"] not in impacts or violation["id"] in skip:
            continue
        for node in violation["nodes"][:3]:
            found.append(f"{violation['impact']} {violation['id']} ({violation['help']}): "
                         f"{node['target']} {node['html'][:160]}")
    return found


# The panels of the page: outputs that hold a cnnlab figure (cnnlab/ui/figure.js) and a control.
PANELS = """() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))
    .filter((output) => output.querySelector('.cnnlab-figure img')
        && output.querySelector('[role="slider"], select, .widget-toggle-button, button'))"""

# Every control of the panels has an accessible name (issue 2650).
UNNAMED = """() => {
    const unnamed = [];
    const outputs = Array.from(document.querySelectorAll('.jp-OutputArea-output'))
        .filter((output) => output.querySelector('.cnnlab-figure'));
    for (const output of outputs) {
        for (const node of output.querySelectorAll(
                '[role="slider"], select, input, textarea, button')) {
            const labelled = node.getAttribute('aria-label') || node.getAttribute('aria-labelledby')
                || (node.id && document.querySelector(`label[for="${node.id}"]`))
                || node.closest('label')
                || (node.tagName === 'BUTTON' && node.textContent.trim());
            if (!labelled) unnamed.push(node.outerHTML.slice(0, 120));
        }
    }
    return unnamed;
}"""

# Every slider of the panels says where it is (ipywidgets 7's jQuery UI handle has no value of
# its own; cnnlab/ui/figure.js gives it one): the handles without aria-valuenow or a value text.
SLIDERS_WITHOUT_VALUE = """() => Array.from(document.querySelectorAll(
        '.jp-OutputArea-output [data-cnnlab-panel] [role="slider"]'))
    .filter((node) => !node.getAttribute('aria-valuenow')
        || !(node.getAttribute('aria-valuetext') || node.getAttribute('aria-valuemax')))
    .map((node) => node.outerHTML.slice(0, 120))"""

FIGURE_STATE = """(output) => {
    const img = output.querySelector('.cnnlab-figure img');
    const readout = output.querySelector('.cnnlab-figure [aria-live]');
    return {src: img.src, alt: img.alt, readout: readout ? readout.textContent : null};
}"""

# Where the panel is on the screen: it moves when anything scrolls the notebook (the notebook's
# own scroller in JupyterLab, the page in Notebook 7).
TOP = "(output) => output.getBoundingClientRect().top"

NOTEBOOK_STATE = """() => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    return {active: notebook.activeCellIndex, scroll: notebook.node.scrollTop,
            mode: notebook.mode};
}"""


def _first_control(output):
    """(kind, element) of the panel's first control a keyboard user would reach."""
    for kind, selector in (("slider", '[role="slider"]'), ("dropdown", "select"),
                           ("toggles", ".widget-toggle-button"), ("button", "button")):
        found = output.query_selector(selector)
        if found is not None:
            return kind, found
    raise AssertionError("a panel without a control")


def _focus(kind, control):
    """Focus the control as Tab would; return the key that changes it."""
    if kind == "slider":
        control.focus()
        now, high = (float(control.get_attribute(f"aria-value{which}") or 0)
                     for which in ("now", "max"))
        return "ArrowLeft" if now >= high else "ArrowRight"
    if kind == "dropdown":
        control.focus()
        last = control.evaluate("(el) => el.selectedIndex === el.options.length - 1")
        return "ArrowUp" if last else "ArrowDown"
    if kind == "toggles":
        control.evaluate_handle("""(el) => Array.from(el.parentElement
            .querySelectorAll('.widget-toggle-button')).find((b) => !b.classList
            .contains('mod-active'))""").as_element().focus()
        return "Space"
    control.focus()
    return "Enter"


def press_keys_on_every_panel(page, name, timeout_ms=15_000):
    """Move one control per panel with keys alone; return the problems found (empty: none)."""
    problems = []
    outputs = page.evaluate_handle(PANELS)
    count = outputs.evaluate("(list) => list.length")
    for number in range(count):
        output = outputs.evaluate_handle("(list, i) => list[i]", number).as_element()
        kind, control = _first_control(output)
        output.scroll_into_view_if_needed()
        before = output.evaluate(FIGURE_STATE)
        key = _focus(kind, control)
        notebook = page.evaluate(NOTEBOOK_STATE)     # focusing selects the cell; keys must not
        top = output.evaluate(TOP)                   # focusing may scroll the page; keys must not
        page.keyboard.press(key)
        try:
            page.wait_for_function(
                """([output, before]) => {
                    const img = output.querySelector('.cnnlab-figure img');
                    return img.src !== before.src && img.alt !== before.alt;
                }""", arg=[output, before], timeout=timeout_ms, polling="raf")
        except Exception:  # noqa: BLE001 - reported as a problem
            problems.append(f"{name} panel {number}: keys on its {kind} changed neither its "
                            f"figure nor its alt text within {timeout_ms / 1000:.0f} s")
            continue
        harness.settle(page)
        after = output.evaluate(FIGURE_STATE)
        if after["readout"] != after["alt"] or after["readout"] == before["readout"]:
            problems.append(f"{name} panel {number}: the live readout did not follow: "
                            f"{after['readout']!r}")
        now = page.evaluate(NOTEBOOK_STATE)
        if now["active"] != notebook["active"]:
            problems.append(f"{name} panel {number}: {key} moved the notebook's selection "
                            f"(cell {notebook['active']} -> {now['active']})")
        moved = output.evaluate(TOP) - top
        if abs(moved) > 1:
            problems.append(f"{name} panel {number}: {key} scrolled the notebook ({moved:+.0f} px)")
        page.keyboard.press("Escape")
        if output.evaluate("(output) => output.contains(document.activeElement)"):
            problems.append(f"{name} panel {number}: Escape did not leave the {kind}")
    return problems
