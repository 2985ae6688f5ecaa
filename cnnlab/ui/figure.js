// A panel's figure: a PNG with its alt text, an ARIA live readout, and the keyboard and label
// repairs the panel's ipywidgets controls need (cnnlab/ui/widgets.py, FigureImage).
//
// ipywidgets' Image cannot carry alt text (widgets 7 has no trait for it; in widgets 8 its
// `tooltip` breaks the view, which reads a `description` an Image does not have), so the picture
// is drawn here.  Once the view is in the page, it also repairs the panel it sits in:
// - every control gets an accessible name (ipywidgets leaves a slider's label unbound to its
//   handle, issue 2650; the Play widget's buttons are icons without text), and ipywidgets 7's
//   slider handles a value (see valueSliders);
// - the keys a focused control answers reach it before JupyterLab's shortcuts take them (arrow
//   keys move the cell selection, End scrolls): see onKeydown; the panel is also marked
//   `data-lm-suppress-shortcuts`.  Escape leaves the control (ipywidgets issue 3179) and gives
//   the focus back to the notebook;
// - a panel that scrolls can be reached with Tab.

const NAV_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End",
  "PageUp", "PageDown"]);
const ICON_NAMES = { play: "play", pause: "pause", stop: "stop", retweet: "repeat",
  refresh: "repeat", undo: "undo" };

function show(model, img, readout) {
  const value = model.get("value");
  if (img._shown !== value) {
    img._shown = value;
    setPicture(img, value);
  }
  const text = model.get("alt");
  img.alt = text;
  if (readout.textContent !== text) readout.textContent = text;
}

function setPicture(img, value) {
  const url = URL.createObjectURL(new Blob([value], { type: "image/png" }));
  const old = img.src;
  img.src = url;
  if (old && old.startsWith("blob:")) URL.revokeObjectURL(old);
}

function accessibleName(node) {
  if (node.getAttribute("aria-label") || node.getAttribute("aria-labelledby")) return true;
  if (node.id && node.ownerDocument.querySelector(`label[for="${CSS.escape(node.id)}"]`)) {
    return true;
  }
  if (node.closest("label")) return true;
  return node.tagName === "BUTTON" && node.textContent.trim() !== "";
}

// The label text ipywidgets shows beside a control (its `description`).
function labelOf(node) {
  const row = node.closest(".widget-inline-hbox, .widget-hbox, .jupyter-widgets");
  const label = row && row.querySelector(":scope > .widget-label, :scope > label");
  return label ? label.textContent.trim() : "";
}

function nameControls(root) {
  const controls = root.querySelectorAll(
    '[role="slider"], .ui-slider-handle, select, input, textarea, button');
  for (const node of controls) {
    if (accessibleName(node)) continue;
    let name = labelOf(node);
    if (node.tagName === "BUTTON") {
      const icon = node.querySelector("i.fa");
      const kind = icon && [...icon.classList].map((c) => c.replace(/^fa-/, ""))
        .find((c) => c in ICON_NAMES);
      name = node.title || (kind && ICON_NAMES[kind]) || name;
    }
    if (node.classList.contains("ui-slider-handle") && !node.getAttribute("role")) {
      node.setAttribute("role", "slider");               // ipywidgets 7's jQuery UI handle
    }
    if (name) node.setAttribute("aria-label", name);
  }
  valueSliders(root);
}

// ipywidgets 7 draws a slider with jQuery UI, whose handle carries no ARIA value: a slider role
// alone tells a screen reader nothing about where the handle is.  Each handle gets its place
// along the track as aria-valuenow (0 to 100) and the readout's text (the value the learner
// sees) as aria-valuetext, which is what a screen reader says; both follow the slider.
function valueSliders(root) {
  for (const handle of root.querySelectorAll(".ui-slider-handle")) {
    const track = handle.parentElement;
    const vertical = !!track && track.classList.contains("ui-slider-vertical");
    const place = parseFloat(vertical ? handle.style.bottom : handle.style.left);
    if (Number.isFinite(place)) {
      const now = String(Math.round(Math.min(100, Math.max(0, place)) * 100) / 100);
      if (handle.getAttribute("aria-valuenow") !== now) {
        handle.setAttribute("aria-valuemin", "0");
        handle.setAttribute("aria-valuemax", "100");
        handle.setAttribute("aria-valuenow", now);
        handle.setAttribute("aria-orientation", vertical ? "vertical" : "horizontal");
      }
    }
    const row = handle.closest(".widget-slider");
    const readout = row && row.querySelector(".widget-readout");
    const text = readout ? (readout.value !== undefined ? readout.value : readout.textContent)
      .trim() : "";
    if (text && handle.getAttribute("aria-valuetext") !== text) {
      handle.setAttribute("aria-valuetext", text);
    }
  }
}

// The outermost widget box around the figure, inside the cell's output.
function panelOf(el) {
  let root = el;
  for (let node = el.parentElement; node; node = node.parentElement) {
    if (node.matches(".jp-OutputArea-output, .output_subarea, .cell-output")) break;
    if (node.classList.contains("widget-box") || node.classList.contains("jupyter-widgets")) {
      root = node;
    }
  }
  return root;
}

function repairPanel(el) {
  const root = panelOf(el);
  if (root.dataset.cnnlabPanel) return;
  root.dataset.cnnlabPanel = "1";
  root.setAttribute("data-lm-suppress-shortcuts", "true");      // Lumino 2 (JupyterLab 4)
  root.setAttribute("data-p-suppress-shortcuts", "true");       // Lumino 1 (JupyterLab 3)
  if (!window.__cnnlabKeys) {
    window.__cnnlabKeys = true;
    window.addEventListener("keydown", onKeydown, true);
  }
  let pending = false;
  const rename = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; nameControls(root); });
  };
  nameControls(root);
  // New controls, and (ipywidgets 7) a slider's handle moving and its readout changing.
  new MutationObserver(rename).observe(root, { childList: true, subtree: true,
    characterData: true, attributes: true, attributeFilter: ["style"] });
  // A panel taller or wider than its box scrolls: a keyboard user must be able to reach it.
  const reachable = () => {
    if (root.tabIndex !== 0 && (root.scrollHeight > root.clientHeight + 1 ||
                                root.scrollWidth > root.clientWidth + 1)) {
      root.tabIndex = 0;
      root.setAttribute("role", "group");
      root.setAttribute("aria-label", "figure and its controls");
    }
  };
  if (typeof ResizeObserver !== "undefined") {
    const watch = new ResizeObserver(reachable);
    watch.observe(root);
    watch.observe(el);
  }
  setTimeout(reachable, 1000);
}

// The keys a control of a panel answers, taken before a front end's shortcuts see them.
// JupyterLab 4.3 (the browser edition) handles keys on the document in the capture phase and
// JupyterLab 4.6 as they bubble; both leave alone an event whose default is already prevented
// (Lumino's CommandRegistry.processKeydownEvent), whatever `data-lm-suppress-shortcuts` says.
// So, at the window, before either: the default is prevented, the control still gets the event
// (a slider moves itself), and what the browser would have done is done here (a menu's next
// option, a button's click).  Text fields keep their keys (JupyterLab's shortcuts skip them).
function onKeydown(event) {
  const target = event.target;
  if (!(target instanceof Element) || event.ctrlKey || event.metaKey || event.altKey) return;
  const panel = target.closest("[data-cnnlab-panel]");
  if (!panel || target === panel) return;
  const key = event.key;
  if (key === "Escape") {
    target.blur();
    const notebook = panel.closest(".jp-Notebook, .jp-Cell, #notebook");
    if (notebook) notebook.focus();
    event.preventDefault();
    event.stopPropagation();
    return;
  }
  const typing = target.isContentEditable || target.tagName === "TEXTAREA" ||
    (target.tagName === "INPUT" && !["checkbox", "radio", "button"].includes(target.type));
  if (typing || !(NAV_KEYS.has(key) || key === " " || key === "Enter")) return;
  event.preventDefault();
  if (target.tagName === "SELECT") {
    const last = target.options.length - 1;
    const step = { ArrowDown: 1, ArrowRight: 1, PageDown: 1, ArrowUp: -1, ArrowLeft: -1,
      PageUp: -1 }[key];
    const index = key === "Home" ? 0 : key === "End" ? last
      : Math.min(last, Math.max(0, target.selectedIndex + (step || 0)));
    if (index !== target.selectedIndex) {
      target.selectedIndex = index;
      target.dispatchEvent(new Event("input", { bubbles: true }));
      target.dispatchEvent(new Event("change", { bubbles: true }));
    }
  } else if ((key === " " || key === "Enter") &&
             (target.tagName === "BUTTON" || target.tagName === "INPUT")) {
    target.click();
  }
}

function render({ model, el }) {
  hideStill(model.get("still"));          // still.js: the picture this view replaces
  el.classList.add("cnnlab-figure");
  el.style.position = "relative";
  const img = document.createElement("img");
  img.style.width = "100%";
  img.style.height = "auto";
  img.style.display = "block";
  const readout = document.createElement("div");
  readout.className = "cnnlab-readout";
  readout.setAttribute("aria-live", "polite");
  // Read by screen readers, not shown (the picture says it to the eye).
  Object.assign(readout.style, { position: "absolute", top: "0", left: "0", width: "1px",
    height: "1px",
    overflow: "hidden", clip: "rect(0 0 0 0)", clipPath: "inset(50%)", whiteSpace: "nowrap" });
  el.append(img, readout);
  show(model, img, readout);
  const changed = () => show(model, img, readout);
  model.on("change:value", changed);
  model.on("change:alt", changed);
  let tries = 0;
  const attach = () => {
    if (el.isConnected) repairPanel(el);
    else if (tries++ < 100) setTimeout(attach, 100);
  };
  attach();
  return () => {
    if (img.src.startsWith("blob:")) URL.revokeObjectURL(img.src);
  };
}

export default { render };
