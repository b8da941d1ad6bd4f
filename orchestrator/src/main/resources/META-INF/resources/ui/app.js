// The live sweep page: polls the orchestrator's REST API with the API token and redraws.
import { bestSoFar, curves, flatten, fmt, parallel, searched } from "./charts.js";

const POLL_MS = 2000;
const $ = sel => document.querySelector(sel);
const state = { token: sessionStorage.getItem("thaw.token") || "", sweepId: null, busy: false, ended: {} };

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.has("token")) {
    // A token in the fragment (never sent to the server) is kept for this tab and taken off the URL.
    state.token = params.get("token");
    sessionStorage.setItem("thaw.token", state.token);
    params.delete("token");
    history.replaceState(null, "", params.toString() ? `#${params}` : location.pathname);
  }
  state.sweepId = params.get("sweep");
}

function status(text, error) {
  const s = $("#status");
  s.textContent = text;
  s.classList.toggle("error", !!error);
}

async function api(path, options = {}) {
  const r = await fetch(path, { ...options, headers: { Authorization: `Bearer ${state.token}`, ...(options.headers || {}) } });
  if (!r.ok) {
    let message = `${r.status}`;
    try { message = (await r.json()).message || message; } catch { /* not JSON */ }
    const e = new Error(message);
    e.status = r.status;
    throw e;
  }
  return r.json();
}

function cell(text, cls) {
  const td = document.createElement("td");
  if (cls) td.className = cls;
  td.textContent = text;
  return td;
}

function badge(s) {
  const span = document.createElement("span");
  span.className = `state ${s}`;
  span.textContent = s;
  return span;
}

function ended(counts) {
  return ["completed", "pruned", "failed", "cancelled"].reduce((n, k) => n + (counts[k] || 0), 0);
}

function renderSweeps(sweeps) {
  const body = $("#sweeps tbody");
  body.replaceChildren();
  for (const s of sweeps) {
    const tr = document.createElement("tr");
    tr.dataset.sweep = s.id;
    tr.dataset.state = s.state;
    tr.classList.toggle("selected", s.id === state.sweepId);
    const total = Object.values(s.counts || {}).reduce((a, b) => a + b, 0);
    const done = ended(s.counts || {});
    const of = s.state === "running" ? Math.max(s.max_trials || 0, total) : total;
    const name = cell(`${s.name} `);
    const id = document.createElement("small");
    id.textContent = s.id.slice(0, 8);
    name.append(id);
    const progress = document.createElement("td");
    const bar = document.createElement("span");
    bar.className = "bar";
    const fill = document.createElement("span");
    fill.style.width = `${of ? (100 * done) / of : 0}%`;
    bar.append(fill);
    progress.append(bar, ` ${done}/${of}`);
    progress.dataset.ended = done;
    const st = document.createElement("td");
    st.append(badge(s.state));
    tr.append(name, st, cell(s.method), progress,
      cell(s.best ? `${fmt(s.best.objective)} (#${s.best.number})` : "–"), cell((s.created_at || "").replace("T", " ").slice(0, 19)));
    tr.addEventListener("click", () => { location.hash = `sweep=${s.id}`; });
    body.append(tr);
  }
}

function renderSweep(detail, trialCurves) {
  const s = detail.sweep;
  const maximize = s.objective.goal === "maximize";
  const metric = s.objective.metric;
  $("#sweep-section").hidden = false;
  $("#sweep-title").textContent = `${s.name} (${s.id.slice(0, 8)})`;
  const counts = Object.entries(s.counts || {}).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(", ");
  $("#sweep-summary").textContent =
    `${s.state} · ${s.method} · ${metric} (${s.objective.goal}) · ${counts || "no trials"}` +
    (s.best ? ` · best ${fmt(s.best.objective)} (#${s.best.number})` : "") + (s.stop_reason ? ` · ${s.stop_reason}` : "");
  $("#cancel").disabled = s.state !== "running";
  const params = searched(detail.trials);
  const body = $("#trials tbody");
  body.replaceChildren();
  for (const t of detail.trials) {
    const tr = document.createElement("tr");
    tr.dataset.trial = t.number;
    tr.dataset.state = t.state;
    tr.dataset.epochs = t.epochs_done;
    const st = document.createElement("td");
    st.append(badge(t.state));
    const p = flatten(t.params || {});
    const shown = (params.length ? params : Object.keys(p)).map(k => `${k}=${fmt(p[k])}`).join("  ");
    const link = document.createElement("td");
    if (t.attempts > 0) {
      // A trial never leased has no MLflow run to open.
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = "run";
      button.title = "Open this trial's MLflow run";
      button.addEventListener("click", () => openRun(s.id, t.number));
      link.append(button);
    } else {
      link.textContent = "–";
    }
    tr.append(cell(`#${t.number}`), st, cell(String(t.epochs_done)), cell(fmt(t.objective)), cell(shown, "params"), link);
    body.append(tr);
  }
  bestSoFar($("#best-chart"), detail.trials, maximize, metric);
  parallel($("#parallel-chart"), detail.trials, params, maximize, metric);
  curves($("#curve-chart"), trialCurves, $("#curve-metric").value);
}

async function openRun(sweepId, number) {
  const tab = window.open("", "_blank");
  try {
    const run = await api(`/api/v1/sweeps/${sweepId}/trials/${number}/mlflow`);
    if (tab) tab.location = run.url; else location.href = run.url;
  } catch (e) {
    if (tab) tab.close();
    status(`trial #${number}: ${e.message}`, true);
  }
}

async function cancel() {
  if (!state.sweepId || !confirm("Cancel this sweep? Queued trials are cancelled, running ones stop.")) return;
  try {
    await api(`/api/v1/sweeps/${state.sweepId}/cancel`, { method: "POST" });
    await refresh();
  } catch (e) {
    status(`cancel: ${e.message}`, true);
  }
}

async function refresh() {
  if (state.busy) {
    state.again = true; // asked meanwhile (another sweep, a cancel): once more when this one ends
    return;
  }
  if (!state.token) {
    status("Paste the API token to see the sweeps.", true);
    return;
  }
  state.busy = true;
  try {
    const sweeps = await api("/api/v1/sweeps");
    renderSweeps(sweeps);
    const id = state.sweepId;
    if (id) {
      const [detail, trialCurves] = await Promise.all([
        api(`/api/v1/sweeps/${id}`),
        api(`/api/v1/sweeps/${id}/curves`),
      ]);
      if (state.sweepId === id) renderSweep(detail, trialCurves);
    } else {
      $("#sweep-section").hidden = true;
    }
    status(`updated ${new Date().toLocaleTimeString()}`);
  } catch (e) {
    status(e.status === 401 || e.status === 403 ? `${e.message}` : `cannot reach the orchestrator: ${e.message}`, true);
  } finally {
    state.busy = false;
    if (state.again) {
      state.again = false;
      setTimeout(refresh, 0);
    }
  }
}

window.addEventListener("hashchange", () => {
  const before = state.sweepId;
  readHash();
  if (state.sweepId !== before) {
    // Another sweep: nothing of the previous one stays on the page while the new one loads.
    $("#sweep-section").hidden = true;
    $("#trials tbody").replaceChildren();
    $("#sweep-title").textContent = "";
  }
  refresh();
});
$("#token-form").addEventListener("submit", e => {
  e.preventDefault();
  state.token = $("#token").value.trim();
  sessionStorage.setItem("thaw.token", state.token);
  $("#token").value = "";
  refresh();
});
$("#cancel").addEventListener("click", cancel);
$("#curve-metric").addEventListener("change", refresh);
readHash();
refresh();
setInterval(refresh, POLL_MS);
