// Small SVG charts for the live sweep page: no library, a few functions.
const NS = "http://www.w3.org/2000/svg";
const PALETTE = ["#2f6fdb", "#e4572e", "#2e8b57", "#c98a1a", "#7b4fd6", "#17a2b8", "#d63384", "#6c757d"];
const PAD = { left: 46, right: 14, top: 12, bottom: 26 };

function el(name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function size(svg) {
  const [, , w, h] = svg.getAttribute("viewBox").split(" ").map(Number);
  return { w, h };
}

function clear(svg, message) {
  svg.replaceChildren();
  if (message) {
    const { w, h } = size(svg);
    svg.append(el("text", { x: w / 2, y: h / 2, "text-anchor": "middle", class: "empty" }, message));
  }
}

/** A linear (or log) scale from [lo, hi] onto [a, b]. */
function scale(lo, hi, a, b, log) {
  if (log) {
    const l0 = Math.log10(lo), l1 = Math.log10(hi);
    return v => (l1 === l0 ? (a + b) / 2 : a + ((Math.log10(v) - l0) / (l1 - l0)) * (b - a));
  }
  return v => (hi === lo ? (a + b) / 2 : a + ((v - lo) / (hi - lo)) * (b - a));
}

export function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  if (typeof v !== "number") return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

function extent(values) {
  let lo = Math.min(...values), hi = Math.max(...values);
  if (lo === hi) { lo -= Math.abs(lo) * 0.05 || 0.5; hi += Math.abs(hi) * 0.05 || 0.5; }
  return [lo, hi];
}

function yAxis(svg, y, lo, hi, w) {
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((hi - lo) * i) / 4;
    const py = y(v);
    svg.append(el("line", { x1: PAD.left, x2: w - PAD.right, y1: py, y2: py, class: "grid" }));
    svg.append(el("text", { x: PAD.left - 4, y: py + 3, "text-anchor": "end" }, fmt(v)));
  }
}

/** Each ended trial's objective in the order trials ended, and the best so far as a step line. */
export function bestSoFar(svg, trials, maximize, metric) {
  const ended = trials
    .filter(t => t.objective !== undefined && t.objective !== null && t.finished_at)
    .sort((a, b) => a.finished_at.localeCompare(b.finished_at) || a.number - b.number);
  if (ended.length === 0) return clear(svg, "no trial has ended yet");
  clear(svg);
  const { w, h } = size(svg);
  const [lo, hi] = extent(ended.map(t => t.objective));
  const x = scale(1, Math.max(2, ended.length), PAD.left + 6, w - PAD.right - 6);
  const y = scale(lo, hi, h - PAD.bottom, PAD.top);
  yAxis(svg, y, lo, hi, w);
  svg.append(el("text", { x: w / 2, y: h - 6, "text-anchor": "middle" }, `trials ended (${metric})`));
  let best = null;
  const pts = [];
  ended.forEach((t, i) => {
    if (best !== null) pts.push(`${x(i + 1)},${y(best)}`); // the step: flat until this trial
    if (best === null || (maximize ? t.objective > best : t.objective < best)) best = t.objective;
    pts.push(`${x(i + 1)},${y(best)}`);
  });
  const line = pts.join(" ");
  svg.append(el("polyline", { points: line, class: "best", "data-best": fmt(best) }));
  ended.forEach((t, i) => {
    const c = el("circle", { cx: x(i + 1), cy: y(t.objective), r: 3.5, class: `dot ${t.state}` });
    c.style.fill = t.state === "pruned" ? "#c98a1a" : "#2e8b57";
    c.append(el("title", {}, `#${t.number}: ${fmt(t.objective)}`));
    svg.append(c);
  });
}

/** The searched parameters: the dimensions whose values differ between trials. */
export function searched(trials) {
  const values = {};
  for (const t of trials) {
    for (const [k, v] of Object.entries(flatten(t.params || {}))) (values[k] ??= new Set()).add(JSON.stringify(v));
  }
  return Object.keys(values).filter(k => values[k].size > 1).sort();
}

export function flatten(obj, prefix = "", out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) flatten(v, key, out);
    else out[key] = v;
  }
  return out;
}

const STOPS = [[215, 48, 31], [252, 141, 89], [145, 191, 219], [69, 117, 180]];

/** A colour from red (t = 0, worst) through orange and light blue to blue (t = 1, best). */
function color(t) {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const [r, g, b] = STOPS[i].map((c, k) => Math.round(c + (STOPS[i + 1][k] - c) * f));
  return `rgb(${r},${g},${b})`;
}

/** One line per trial with an objective across an axis per searched parameter and the objective. */
export function parallel(svg, trials, params, maximize, metric) {
  const scored = trials.filter(t => t.objective !== undefined && t.objective !== null);
  if (scored.length === 0) return clear(svg, "no trial has an objective yet");
  if (params.length === 0) return clear(svg, "nothing searched: every trial has the same parameters");
  clear(svg);
  const { w, h } = size(svg);
  const axes = [...params, metric];
  const ax = scale(0, axes.length - 1, PAD.left, w - PAD.right - 20);
  const rows = scored.map(t => ({ t, p: flatten(t.params || {}) }));
  const yOf = axes.map((name, i) => {
    const vals = rows.map(r => (i === axes.length - 1 ? r.t.objective : r.p[name])).filter(v => v !== undefined);
    const numeric = vals.every(v => typeof v === "number");
    if (numeric) {
      const [lo, hi] = extent(vals);
      const log = lo > 0 && hi / lo > 20;
      const y = scale(lo, hi, h - PAD.bottom, PAD.top, log);
      return { y, ticks: [[lo, y(lo)], [hi, y(hi)]] };
    }
    const cats = [...new Set(vals.map(String))].sort();
    const y = scale(0, Math.max(1, cats.length - 1), h - PAD.bottom, PAD.top);
    return { y: v => y(cats.indexOf(String(v))), ticks: cats.map((c, k) => [c, y(k)]) };
  });
  const [olo, ohi] = extent(scored.map(t => t.objective));
  for (const { t, p } of rows) {
    const pts = axes.map((name, i) => {
      const v = i === axes.length - 1 ? t.objective : p[name];
      return v === undefined ? null : `${ax(i)},${yOf[i].y(v)}`;
    }).filter(Boolean);
    const q = ohi === olo ? 1 : (t.objective - olo) / (ohi - olo);
    const line = el("polyline", { points: pts.join(" "), class: "pc", "data-trial": t.number });
    line.style.stroke = color(maximize ? q : 1 - q);
    line.append(el("title", {}, `#${t.number}: ${metric} ${fmt(t.objective)}`));
    svg.append(line);
  }
  axes.forEach((name, i) => {
    svg.append(el("line", { x1: ax(i), x2: ax(i), y1: PAD.top, y2: h - PAD.bottom, class: "axis" }));
    svg.append(el("text", { x: ax(i), y: h - 8, "text-anchor": "middle" }, name));
    for (const [v, py] of yOf[i].ticks) svg.append(el("text", { x: ax(i) + 3, y: py - 2 }, fmt(v)));
  });
}

/** Each trial's learning curve of one metric over its epochs. */
export function curves(svg, trialCurves, metric) {
  const lines = trialCurves
    .map(c => ({ c, pts: c.epochs.filter(e => typeof e[metric] === "number").map(e => [e.epoch, e[metric]]) }))
    .filter(l => l.pts.length > 0);
  if (lines.length === 0) return clear(svg, "no epoch has finished yet");
  clear(svg);
  const { w, h } = size(svg);
  const all = lines.flatMap(l => l.pts);
  const maxEpoch = Math.max(2, ...all.map(p => p[0]));
  const [lo, hi] = extent(all.map(p => p[1]));
  const x = scale(1, maxEpoch, PAD.left + 4, w - PAD.right - 30);
  const y = scale(lo, hi, h - PAD.bottom, PAD.top);
  yAxis(svg, y, lo, hi, w);
  for (let e = 1; e <= maxEpoch; e++) svg.append(el("text", { x: x(e), y: h - 12, "text-anchor": "middle" }, e));
  svg.append(el("text", { x: w / 2, y: h - 1, "text-anchor": "middle" }, "epoch"));
  for (const { c, pts } of lines) {
    const stroke = PALETTE[c.number % PALETTE.length];
    const line = el("polyline", { points: pts.map(([e, v]) => `${x(e)},${y(v)}`).join(" "), class: "curve", "data-trial": c.number });
    line.style.stroke = stroke;
    line.append(el("title", {}, `#${c.number} (${c.state})`));
    svg.append(line);
    const [le, lv] = pts.at(-1);
    svg.append(el("text", { x: x(le) + 4, y: y(lv) + 3 }, `#${c.number}`));
  }
}
