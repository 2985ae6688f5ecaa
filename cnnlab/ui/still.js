// A panel's still picture (cnnlab/ui/widgets.py, still_bundle) is a second output beside the
// widget: its PNG, for every reader that cannot run the widget (GitHub, an nbconvert export
// with or without saved widget state, a notebook reopened without its kernel).  Where the widget
// itself is drawn, the still would show the picture twice, so the view that draws it hides
// every still of the same id (an <img data-cnnlab-still="id">, and the output around it), with
// a style rule in the page: it applies to a still shown before or after the view, and to the
// still of a panel displayed twice.  (This file is put in front of figure.js and drawpad.js.)

function hideStill(id) {
  if (typeof id !== "string" || !/^[0-9a-f]+$/.test(id)) return;
  const ruleId = `cnnlab-still-${id}`;
  if (document.getElementById(ruleId)) return;
  const still = `[data-cnnlab-still="${id}"]`;
  const style = document.createElement("style");
  style.id = ruleId;
  style.textContent = `${still} { display: none !important; }\n` +
    `:is(.jp-OutputArea-child, .output_area, .cell-output):has(${still}) ` +
    "{ display: none !important; }";
  document.head.appendChild(style);
}
