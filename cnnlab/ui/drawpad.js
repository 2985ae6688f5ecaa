const MAPS = 8;

function el_(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

function smallCanvas(cls, px) {
  const canvas = el_("canvas", { class: "cnnlab-map " + cls, width: 28, height: 28 });
  canvas.style.width = px + "px";
  canvas.style.height = px + "px";
  return canvas;
}

function paint(canvas, pixels, index) {
  const size = 28 * 28 * 4;
  const data = new Uint8ClampedArray(pixels.buffer, pixels.byteOffset + index * size, size);
  canvas.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(data), 28, 28), 0, 0);
}

function render({ model, el }) {
  hideStill(model.get("still"));          // still.js: the picture this view replaces
  const size = model.get("canvas_size");
  const root = el_("div", { class: "cnnlab-drawpad" });
  el.appendChild(root);

  // Left: the pad and its controls.
  const left = el_("div", { class: "cnnlab-left" });
  // Drawing needs a pointer; say so, and point keyboard users to what works without one.
  const pad = el_("canvas", { class: "cnnlab-pad", role: "img", "aria-label":
    "drawing pad: draw with a mouse, pen or finger. Without a pointer, choose a test digit " +
    "in 'start from' to see what the network makes of it, and edit a digit with the keyboard " +
    "in the shift-and-cover panel above" });
  const ratio = window.devicePixelRatio || 1;
  pad.width = Math.round(size * ratio);
  pad.height = Math.round(size * ratio);
  pad.style.width = size + "px";
  pad.style.height = size + "px";
  const tools = el_("div", { class: "cnnlab-tools" });
  const undo = el_("button", { class: "cnnlab-undo", type: "button" }, "Undo");
  const clear = el_("button", { class: "cnnlab-clear", type: "button" }, "Clear");
  const start = el_("select", { class: "cnnlab-start", "aria-label": "start from" });
  for (const [value, label] of model.get("start_options")) {
    start.appendChild(el_("option", { value }, label));
  }
  const eraser = el_("label", { class: "cnnlab-eraser-label" });
  const eraserBox = el_("input", { type: "checkbox", class: "cnnlab-eraser" });
  eraser.append(eraserBox, document.createTextNode(" eraser"));
  tools.append(undo, clear, start, eraser);
  const hint = el_("div", { class: "cnnlab-hint" });
  const keys = el_("div", { class: "cnnlab-hint" },
    "Drawing needs a mouse, pen or finger; with the keyboard, pick a test digit in " +
    "'start from', or edit a digit in the shift-and-cover panel above.");
  left.append(pad, tools, hint, keys);

  // Right: what the network sees.
  const right = el_("div", { class: "cnnlab-right" });
  const prediction = el_("div", { class: "cnnlab-prediction" });
  const top = el_("div", { class: "cnnlab-row" });
  const seen = smallCanvas("cnnlab-input", 112);
  const saliency = smallCanvas("cnnlab-saliency", 112);
  const bars = el_("div", { class: "cnnlab-bars", role: "img" });
  const barNodes = [];
  for (let k = 0; k < 10; k++) {
    const column = el_("div", { class: "cnnlab-bar-col" });
    const value = el_("div", { class: "cnnlab-bar-value" });
    const slot = el_("div", { class: "cnnlab-bar-slot" });
    const bar = el_("div", { class: "cnnlab-bar" });
    slot.appendChild(bar);
    column.append(value, slot, el_("div", { class: "cnnlab-bar-label" }, String(k)));
    bars.appendChild(column);
    barNodes.push({ bar, value });
  }
  const figure = (title, node, legend) => {
    const box = el_("figure", { class: "cnnlab-figure" });
    const caption = el_("figcaption", {}, title);
    box.append(caption, node);
    if (legend) box.appendChild(legend);
    return { box, caption };
  };
  const legend = (cls) => {
    const box = el_("div", { class: "cnnlab-legend " + cls });
    const low = el_("span", { class: "cnnlab-legend-low" });
    const high = el_("span", { class: "cnnlab-legend-high" });
    box.append(low, el_("span", { class: "cnnlab-legend-bar" }), high);
    return { box, low, high };
  };
  const seenFig = figure("the network sees (28x28)", seen, null);
  const salLegend = legend("cnnlab-legend-signed");
  const salFig = figure("saliency", saliency, salLegend.box);
  const barFig = figure("probabilities", bars, null);
  top.append(seenFig.box, barFig.box, salFig.box);
  const mapsRow = el_("div", { class: "cnnlab-maps" });
  const mapCanvases = [];
  for (let i = 0; i < MAPS; i++) {
    const canvas = smallCanvas("cnnlab-feature", 64);
    mapCanvases.push(canvas);
    mapsRow.appendChild(figure("map " + i, canvas, null).box);
  }
  const mapLegend = legend("cnnlab-legend-viridis");
  const mapsFig = figure("feature maps of layer 1 (after ReLU; one colour scale)", mapsRow,
                         mapLegend.box);
  right.append(prediction, top, mapsFig.box);
  root.append(left, right);

  // The strokes live in the model (shared by every view of it); this view draws them.
  const ctx = pad.getContext("2d");
  const background = document.createElement("canvas");
  background.width = 28;
  background.height = 28;
  let current = null;       // the stroke being drawn: {points, erase}
  let sentAt = new Map();   // seq -> time the change left this view (for the latency record)
  root.dataset.latencies = "";
  root.dataset.seq = "0";

  const penWidth = () => model.get("pen_width");
  const drawing = () => model.get("drawing");

  function strokePath(stroke) {
    const pts = stroke.points;
    ctx.strokeStyle = stroke.erase ? "#000" : "#fff";
    ctx.fillStyle = ctx.strokeStyle;
    if (pts.length === 1) {
      ctx.beginPath();
      ctx.arc(pts[0][0], pts[0][1], penWidth() / 2, 0, 2 * Math.PI);
      ctx.fill();
      return;
    }
    ctx.beginPath();
    ctx.moveTo(pts[0][0], pts[0][1]);
    for (const [x, y] of pts.slice(1)) ctx.lineTo(x, y);
    ctx.stroke();
  }

  function redrawPad() {
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, size, size);
    const bg = model.get("background");
    if (bg && bg.byteLength === 28 * 28 * 4) {
      background.getContext("2d").putImageData(
        new ImageData(new Uint8ClampedArray(bg.buffer, bg.byteOffset, bg.byteLength).slice(),
                      28, 28), 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(background, 0, 0, size, size);
    }
    ctx.lineWidth = penWidth();
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    for (const stroke of drawing().strokes) strokePath(stroke);
    if (current) strokePath(current);
    const state = drawing();
    start.value = state.start;
    const digitMode = state.start !== "blank";
    eraserBox.disabled = !digitMode;
    if (!digitMode) eraserBox.checked = false;
    undo.disabled = state.strokes.length === 0;
    clear.disabled = state.strokes.length === 0;
    hint.textContent = digitMode
      ? "Your strokes change this test digit as it is (no re-centring)."
      : "Draw a digit; it is scaled to 20x20 and centred, as MNIST was.";
  }

  function send(state) {
    const seq = (drawing().seq || 0) + 1;
    sentAt.set(seq, performance.now());
    model.set("drawing", { ...state, seq });
    model.save_changes();
    redrawPad();
  }

  function position(event) {
    const box = pad.getBoundingClientRect();
    const x = (event.clientX - box.left) * (size / box.width);
    const y = (event.clientY - box.top) * (size / box.height);
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
  }

  pad.addEventListener("pointerdown", (event) => {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    current = { points: [position(event)], erase: eraserBox.checked };
    redrawPad();
  });
  pad.addEventListener("pointermove", (event) => {
    if (!current) return;
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const e of events.length ? events : [event]) {
      const point = position(e);
      const last = current.points[current.points.length - 1];
      if (Math.hypot(point[0] - last[0], point[1] - last[1]) >= 2) current.points.push(point);
    }
    redrawPad();
  });
  const finish = () => {
    if (!current) return;
    const stroke = current;
    current = null;
    const state = drawing();
    send({ start: state.start, strokes: [...state.strokes, stroke] });
  };
  pad.addEventListener("pointerup", finish);
  pad.addEventListener("pointercancel", finish);
  undo.addEventListener("click", () => {
    const state = drawing();
    send({ start: state.start, strokes: state.strokes.slice(0, -1) });
  });
  clear.addEventListener("click", () => send({ start: drawing().start, strokes: [] }));
  start.addEventListener("change", () => send({ start: start.value, strokes: [] }));

  function show() {
    const info = model.get("info");
    const pixels = model.get("pixels");
    if (!info || !info.probabilities || !pixels || pixels.byteLength < 10 * 28 * 28 * 4) return;
    paint(seen, pixels, 0);
    for (let i = 0; i < MAPS; i++) paint(mapCanvases[i], pixels, 1 + i);
    paint(saliency, pixels, 9);
    info.probabilities.forEach((p, k) => {
      barNodes[k].bar.style.height = (100 * p).toFixed(1) + "%";
      barNodes[k].bar.classList.toggle("cnnlab-top", k === info.predicted);
      barNodes[k].value.textContent = p >= 0.005 ? Math.round(100 * p) + "%" : "";
    });
    bars.setAttribute("aria-label", "probabilities " + info.probabilities
      .map((p, k) => k + ": " + Math.round(100 * p) + "%").join(", "));
    prediction.textContent = info.headline;
    prediction.setAttribute("aria-live", "polite");
    prediction.dataset.predicted = String(info.predicted);
    salFig.caption.textContent = "saliency of " + info.predicted + " (d score / d pixel)";
    salLegend.low.textContent = "-" + info.saliency_limit;
    salLegend.high.textContent = "+" + info.saliency_limit;
    mapLegend.low.textContent = "0";
    mapLegend.high.textContent = info.map_max;
    // Record when the answer to this view's change was painted (stroke end -> update).
    const began = sentAt.get(info.seq);
    if (began !== undefined) {
      sentAt.delete(info.seq);
      const ms = performance.now() - began;
      root.dataset.latencies += (root.dataset.latencies ? "," : "") + ms.toFixed(1);
    }
    root.dataset.seq = String(info.seq);
  }

  model.on("change:drawing", redrawPad);
  model.on("change:background", redrawPad);
  model.on("change:info", show);
  redrawPad();
  show();
}

export default { render };
