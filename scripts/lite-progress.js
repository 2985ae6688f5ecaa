// The browser edition's progress line (scripts/build_lite.py copies this file into the site and
// loads it from lab/index.html and notebooks/index.html).  While JupyterLab loads and the
// Pyodide kernel starts (Python, NumPy, matplotlib, ipywidgets and cnnlab, all from this site),
// one line at the bottom of the page says what is happening and for how long; it says when
// Python is ready, then fades.  It comes back while a kernel restarts.  Nothing is fetched.
(function () {
  'use strict';
  const started = performance.now();
  const line = document.createElement('div');
  line.id = 'cnnlab-progress';
  line.setAttribute('role', 'status');
  line.setAttribute('aria-live', 'polite');
  line.style.cssText = [
    'position:fixed', 'left:50%', 'bottom:32px', 'transform:translateX(-50%)',
    'z-index:10000', 'max-width:90vw', 'padding:8px 16px', 'border-radius:6px',
    'font:14px/1.4 system-ui,sans-serif', 'color:#fff', 'background:#1f5f99',
    'box-shadow:0 2px 8px rgba(0,0,0,.3)', 'transition:opacity .6s', 'pointer-events:none',
  ].join(';');
  let hideTimer = null;
  let readyAt = null;
  let lastStatus = null;
  let appSeen = null;

  function seconds(since) {
    return Math.max(0, Math.round((performance.now() - since) / 1000));
  }

  function show(text) {
    if (hideTimer !== null) {
      clearTimeout(hideTimer);
      hideTimer = null;
    }
    line.style.opacity = '1';
    line.hidden = false;
    if (line.textContent !== text) line.textContent = text;
  }

  function kernelOf(app) {
    const widget = app && app.shell && app.shell.currentWidget;
    const context = widget && widget.sessionContext;
    return context ? { context, kernel: context.session && context.session.kernel } : null;
  }

  let since = started;
  function tick() {
    if (!line.isConnected && document.body) document.body.appendChild(line);
    const app = window.jupyterapp;
    const found = kernelOf(app);
    if (app && !found && appSeen === null) appSeen = performance.now();
    if (!app || (!found && performance.now() - appSeen < 5000)) {
      show(`cnnlab: loading JupyterLab in this browser... ${seconds(since)} s`);
      return;
    }
    if (!found) {                           // no notebook open (the launcher, a text file)
      line.hidden = true;
      return;
    }
    const kernel = found.kernel;
    const status = kernel ? kernel.status : 'starting';
    const connected = kernel && kernel.connectionStatus === 'connected';
    if (connected && (status === 'idle' || status === 'busy') && readyAt === null) {
      readyAt = performance.now();
      show(`cnnlab: Python is ready (${seconds(since)} s). Run the cells with Shift+Enter.`);
      hideTimer = setTimeout(() => {
        line.style.opacity = '0';
        hideTimer = setTimeout(() => { line.hidden = true; }, 700);
      }, 4000);
    } else if (status === 'dead') {
      show('cnnlab: the Python kernel stopped. Kernel > Restart Kernel starts it again.');
      readyAt = null;
    } else if (!connected || status === 'starting' || status === 'restarting' ||
               status === 'unknown' || status === 'autorestarting') {
      if (readyAt !== null || (lastStatus === 'idle' && status !== 'idle')) {
        since = performance.now();                       // a restart: count from now
      }
      readyAt = null;
      show(`cnnlab: starting Python in this browser (Pyodide) and loading NumPy, matplotlib, ` +
           `ipywidgets and cnnlab (about 40 MB the first time, then cached)... ${seconds(since)} s`);
    }
    lastStatus = status;
  }

  setInterval(tick, 250);
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', tick);
  } else {
    tick();
  }
}());
