"use strict";
// starclass inspect: the classification page. The label scheme's keys (the buttons' data-key:
// 1-4 for PHANGS, 0-2 for the M31 check, 1-5 for galaxy clusters) label; for PHANGS, after 4 the
// number row (1..9, 0, -, =) picks subclass 4.1..4.12; arrows move; m toggles the model prediction.

const CSRF = document.querySelector('meta[name="csrf-token"]').content;
const SUB_KEYS = "1234567890-=";
// key -> value of the label scheme, read from the buttons the server rendered for it
const VALUE_OF_KEY = new Map(Array.from(document.querySelectorAll("button.cls"),
  (b) => [b.dataset.key, Number(b.dataset.cls)]));
const SUBCLASS_OF = document.body.dataset.subclassOf === "" ? null : Number(document.body.dataset.subclassOf);
const state = {
  ids: [], idx: 0, order: "catalogue", labelled: new Set(), cache: new Map(),
  current: null, subMode: false, showPred: false, pending: 0, saveChain: Promise.resolve(),
  atEnd: false,  // "next" was asked for on the last candidate (the queue note says what is left)
  // labels given since the queue was loaded: in another tab or window (elsewhere), or enough of them by the
  // others for the label scheme (done: m31-check's two scores); a label moves on past both
  done: new Set(), elsewhere: new Set(), needed: null, refreshing: false, refreshAgain: false,
  stretchChoice: null,  // the stretch the user chose, kept while the menu reads "as stored"
};
const $ = (id) => document.getElementById(id);

async function api(path, opts = {}) {
  const resp = await fetch(path, {credentials: "same-origin", ...opts});
  if (resp.status === 401) { window.location.href = "/login"; throw new Error("logged out"); }
  if (!resp.ok) {
    let msg = resp.status + "";
    try { msg = (await resp.json()).detail || msg; } catch (e) { /* not JSON */ }
    throw new Error(msg);
  }
  return resp.json();
}

function setStatus(text, isError = false) {
  const s = $("status");
  s.textContent = text;
  s.classList.toggle("error", isError);
  s.dataset.pending = String(state.pending);
}

async function loadQueue(order) {
  const q = await api("/api/queue?order=" + encodeURIComponent(order));
  state.order = order;
  state.ids = q.ids;
  state.labelled = new Set(q.labelled);
  state.done = new Set(q.done || []);
  state.elsewhere = new Set();
  state.needed = q.needed === undefined ? null : q.needed;
  state.cache.clear();
  let first = state.ids.findIndex((c) => !state.labelled.has(c) && !state.done.has(c));
  if (first < 0) first = 0;
  await show(first);
}

// What the page was told at load went stale: a candidate labelled meanwhile in another tab or window (by this
// person) or finished by the others stayed "not labelled yet", counted as left and was served again. Asked
// after each label, every POLL_MS while the page is shown, and when the tab or window comes back to the front.
const POLL_MS = 15000;
async function refreshProgress() {
  if (state.ids.length === 0) return;
  // one at a time; one asked for meanwhile (a label saved) runs after it, with what that label changed
  if (state.refreshing) { state.refreshAgain = true; return; }
  state.refreshing = true;
  let p = null;
  try {
    // not api(): a poll answered 401 (the session ended) must not take the page to the login under a comment
    // being typed; the next action does
    const resp = await fetch("/api/progress", {credentials: "same-origin"});
    if (resp.ok) p = await resp.json();
  } catch (e) { /* offline for a moment: the next poll asks again */ }
  state.refreshing = false;
  if (state.refreshAgain) { state.refreshAgain = false; refreshProgress(); }
  if (p === null) return;
  const news = (p.labelled || []).filter((c) => !state.labelled.has(c));
  for (const cid of news) {
    state.labelled.add(cid);
    state.elsewhere.add(cid);
    state.cache.delete(cid); state.cache.delete(cid + "|p");  // prefetched as "not labelled yet"
  }
  const c = state.current, wasDone = c !== null && state.done.has(c.id);
  state.done = new Set((p.done || []).filter((cid) => !state.labelled.has(cid)));
  if (p.needed !== undefined) state.needed = p.needed;
  if (c && news.includes(c.id)) {
    // on screen: its label is shown (the page does not move under a key about to be pressed)
    fetchCandidate(c.id).then((fresh) => {
      if (state.current !== c) return;
      const before = c.label;
      c.label = fresh.label;
      showLabel(c.label);
      // the comment field, unless typed in, takes the label's comment: left as it was, leaving the candidate
      // saved an empty comment over the one given in the other tab
      if ($("comment").value === (before ? before.comment || "" : "") && c.label) $("comment").value = c.label.comment || "";
      setStatus(`${c.id} was labelled meanwhile in another tab or window: your ${document.body.dataset.noun || "label"} is shown`);
    }).catch(() => {});
  } else if (c && !wasDone && state.done.has(c.id)) {
    setStatus(`${c.id} has meanwhile got the ${state.needed} ${document.body.dataset.noun || "label"}s the scheme takes, ` +
              "from others: → to go on");
  }
  updatePosition();
}

function candidateUrl(cid) {
  return "/api/candidate/" + encodeURIComponent(cid) + (state.showPred ? "?prediction=1" : "");
}

function fetchCandidate(cid) {
  const key = cid + (state.showPred ? "|p" : "");
  if (!state.cache.has(key)) {
    const p = api(candidateUrl(cid)).then((c) => {
      for (const url of Object.values(c.images)) { const im = new Image(); im.src = url; }
      return c;
    });
    p.catch(() => state.cache.delete(key));
    state.cache.set(key, p);
  }
  return state.cache.get(key);
}

function prefetch() {
  for (let k = 1; k <= 3; k++) {
    const j = state.idx + k;
    if (j < state.ids.length) fetchCandidate(state.ids[j]);
  }
}

async function show(idx) {
  if (state.ids.length === 0) { setStatus("no candidates"); updatePosition(); return; }
  idx = Math.max(0, Math.min(idx, state.ids.length - 1));
  // the same candidate drawn again (m, the queue order): the comment being typed stays in the field
  const typed = $("comment").value, same = state.current !== null && state.current.id === state.ids[idx];
  if (!same) keepComment();
  state.idx = idx;
  state.atEnd = false;
  state.subMode = false;
  state.current = null; // no key labels anything until this candidate is on screen
  document.body.dataset.loading = "1";
  if ($("subclasses")) $("subclasses").classList.add("hidden");
  const cid = state.ids[idx];
  let c;
  try { c = await fetchCandidate(cid); } catch (e) { setStatus(e.message, true); return; }
  if (state.ids[state.idx] !== cid) return; // moved on meanwhile
  state.current = c;
  document.body.dataset.loading = "0";
  $("cand-id").textContent = c.id;
  $("img-composite").src = c.images.composite;
  $("img-profile").src = c.images.profile;
  $("img-context").src = c.images.context;
  drawStamp();
  fillValues(c);
  showLabel(c.label);
  showPrediction(c.prediction);
  $("comment").value = same ? typed : (c.label ? c.label.comment : "");
  updatePosition();
  document.body.dataset.candidate = c.id;
  prefetch();
  $("fwhm-text").textContent = "fitting the radial profile…";
  if (!c.fit) {
    api("/api/fit/" + encodeURIComponent(cid)).then((f) => { c.fit = f.fit; if (state.current === c) showFit(c); });
  } else {
    showFit(c);
  }
}

function showFit(c) {
  const t = $("fwhm-text");
  if (c.fit && c.fit.fwhm !== null && c.fit.fwhm !== undefined) {
    t.textContent = `FWHM ${c.fit.fwhm.toFixed(2)} px (typical star ${c.star_fwhm.toFixed(2)} px); ` +
      `profile scatter ${c.fit.rms === null ? "?" : c.fit.rms.toFixed(3)}`;
  } else if (c.fit) {
    // fitted, but no width (a ZScale PNG's core clipped flat at 255): "fitting..." stayed on screen for good
    t.textContent = "no FWHM: the profile has no width to fit (a flat or clipped core)";
  }
}

function updatePosition() {
  const n = state.ids.length;
  $("position").textContent = n ? `${state.idx + 1} / ${n} · you labelled ${state.labelled.size}` : "";
  // what is left, beside the position rather than in the status line: "saved" (the answer to the last label)
  // came after "end of the queue" and took its place, and a queue this person had finished opened on its first
  // candidate without a word
  const left = state.ids.filter((c) => !state.labelled.has(c) && !state.done.has(c));
  if (n && state.done.size) $("position").textContent += ` · ${state.done.size} done by others`;
  let note = "";
  if (n === 0) note = "no candidates in this queue";
  else if (left.length === 0 && state.done.size === 0) note = `all ${n} labelled: nothing left in this queue (← → to look again or change a label)`;
  else if (left.length === 0) {
    note = `nothing left in this queue: you labelled ${state.labelled.size}, the others finished ${state.done.size} ` +
           "(← → to look again or change a label)";
  }
  else if (state.atEnd) note = `end of the queue: ${left.length} not labelled yet, the first at ${state.ids.indexOf(left[0]) + 1} / ${n}`;
  const q = $("queue-note");
  q.textContent = note;
  q.dataset.left = String(left.length);
}

function fillValues(c) {
  // a cutout's x, y is only its centre: the file (in c.values) says where it is
  const rows = document.body.dataset.cutouts === "1" ? [] : [["x, y (0-based)", `${c.x.toFixed(2)}, ${c.y.toFixed(2)}`]];
  for (const [k, v] of Object.entries(c.values)) {
    if (k === "x" || k === "y") continue;
    rows.push([k, typeof v === "number" ? (Number.isInteger(v) ? v : v.toFixed(3)) : (v === null ? "–" : String(v))]);
  }
  const tbl = $("values");
  tbl.replaceChildren();
  for (const [k, v] of rows) {
    const tr = document.createElement("tr");
    const th = document.createElement("th"); th.textContent = k;
    const td = document.createElement("td"); td.textContent = v;
    tr.append(th, td); tbl.append(tr);
  }
}

function showLabel(label) {
  document.querySelectorAll("button.cls").forEach((b) =>
    b.classList.toggle("chosen", !!label && Number(b.dataset.cls) === label.cls));
  document.querySelectorAll("button.sub").forEach((b) =>
    b.classList.toggle("chosen", !!label && b.dataset.sub === label.subclass));
  const p = $("current-label");
  if (!label) { p.textContent = "not labelled yet"; p.dataset.cls = ""; return; }
  const btn = document.querySelector(`button.cls[data-cls="${label.cls}"]`);
  let what = btn ? `${label.cls} ${btn.textContent.replace(/^\S+\s+/, "")}` : `class ${label.cls}`;
  if (label.subclass) {
    const b = document.querySelector(`button.sub[data-sub="${label.subclass}"]`);
    what = b ? b.textContent.replace(/^\S+\s+/, "") : label.subclass;
  }
  p.textContent = `your ${document.body.dataset.noun || "label"}: ${what}` + (label.comment ? ` – “${label.comment}”` : "") +
    ` (revision ${label.revision})`;
  p.dataset.cls = String(label.cls);
  p.dataset.subclass = label.subclass || "";
}

function showPrediction(pred) {
  const box = $("prediction");
  if (!state.showPred || !pred) { box.classList.add("hidden"); box.textContent = ""; return; }
  const probs = Object.entries(pred.probs || {}).map(([k, v]) => `${k.replace("prob_", "")}: ${v === null ? "–" : v.toFixed(2)}`);
  box.textContent = `model: class ${pred.class_pred}` + (probs.length ? ` (${probs.join(", ")})` : "");
  box.classList.remove("hidden");
}

// ----- the V stamp with a contrast control -----
// The stretch menu says what is done: greyed out on a stored 8-bit picture it read "asinh" (the user's
// choice, not applied), so it reads "as stored" there; the user's choice comes back on the next stamp
// of counts. The choice is kept aside while the menu shows "as stored".
function showStretch(stored) {
  const sel = $("stretch");
  let asStored = sel.querySelector("option[value='as-stored']");
  if (stored && !asStored) {
    state.stretchChoice = sel.value;
    asStored = new Option("as stored", "as-stored");
    sel.add(asStored);
  } else if (!stored && asStored) {
    asStored.remove();
    sel.value = state.stretchChoice || "asinh";
  }
  if (stored) sel.value = "as-stored";
  sel.disabled = stored;
  sel.title = stored ? "an 8-bit picture is shown as stored (its own stretch); the contrast brightens or darkens it" : "";
}

function drawStamp() {
  const c = state.current;
  if (!c) return;
  const s = c.stamp, n = s.size;
  // a stored 8-bit picture (a ZScale PNG) is already stretched: stretched again (black below the median,
  // asinh above) it was almost pure black and white. Shown as stored at the default contrast (20), the
  // control only brightens (up) or darkens (down) it, linearly; the stretch menu is for counts
  const stored = s.as_stored === true;
  showStretch(stored);  // before any return: an empty stamp must not keep the last one's menu
  const canvas = $("stamp");
  canvas.width = n; canvas.height = n;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(n, n);
  const flat = s.values.flat().filter((v) => v !== null);
  if (flat.length === 0) { ctx.putImageData(img, 0, 0); return; }
  const contrast = Number($("contrast").value) / 100;
  let lo, hi;
  if (stored) {
    lo = 0;
    hi = Math.pow(10, -(contrast - 0.2));
  } else {
    const sorted = Float64Array.from(flat).sort();
    lo = sorted[Math.floor(0.5 * (sorted.length - 1))];
    const peak = sorted[sorted.length - 1];
    hi = lo + Math.max(peak - lo, 1e-12) * Math.pow(10, -3 * contrast);
  }
  const stretch = stored ? "linear" : $("stretch").value;
  for (let row = 0; row < n; row++) {
    const src = s.values[n - 1 - row]; // stamp rows run bottom to top
    for (let col = 0; col < n; col++) {
      const v = src[col];
      let z = v === null ? 0 : Math.min(Math.max((v - lo) / (hi - lo), 0), 1);
      if (stretch === "asinh") z = Math.asinh(z / 0.1) / Math.asinh(10);
      else if (stretch === "log") z = Math.log10(1 + 999 * z) / 3;
      const g = Math.round(255 * z), k = 4 * (row * n + col);
      img.data[k] = g; img.data[k + 1] = g; img.data[k + 2] = g; img.data[k + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

// ----- labels -----
// A comment typed and left (Esc, then an arrow key or a button) was replaced by the next candidate's without
// a word: it is saved with the label the candidate has, or, on one not labelled yet, the status says it was not
// kept (a comment goes with a label)
function keepComment() {
  const c = state.current, typed = $("comment").value;
  if (!c || typed === (c.label ? c.label.comment || "" : "")) return;
  if (c.label) save(c.label.cls, c.label.subclass, typed);
  else setStatus(`comment on ${c.id} NOT saved: a comment is saved with a label (go back and give one)`, true);
}

function save(cls, subclass, comment) {
  const c = state.current;
  if (!c) return;
  const body = {candidate_id: c.id, cls: cls, subclass: subclass || null,
                comment: comment === undefined ? $("comment").value : comment};
  const before = c.label, wasLabelled = state.labelled.has(c.id);
  const mine = {cls, subclass: subclass || null, comment: body.comment, revision: (c.label ? c.label.revision : 0) + 1};
  c.label = mine;
  state.labelled.add(c.id);
  if (state.current === c) { showLabel(c.label); updatePosition(); }
  state.pending += 1;
  setStatus("saving…");
  state.saveChain = state.saveChain.then(() => api("/api/label", {
    method: "POST", headers: {"Content-Type": "application/json", "X-CSRF-Token": CSRF},
    body: JSON.stringify(body),
  })).then((saved) => {
    c.label = {cls: saved.cls, subclass: saved.subclass, comment: saved.comment, revision: saved.revision};
    if (state.current === c) showLabel(c.label);
    state.pending -= 1;
    setStatus(state.pending ? "saving…" : "saved");
    refreshProgress();
  }).catch((e) => {
    state.pending -= 1;
    // the label was shown as given before the server answered: undone, so that the candidate is not taken
    // for labelled (counted, skipped) when the database did not keep it; a later label of it stays
    if (c.label === mine) {
      c.label = before;
      if (!wasLabelled) state.labelled.delete(c.id);
      if (state.current === c) { showLabel(c.label); updatePosition(); }
    }
    setStatus("NOT saved (" + c.id + "): " + e.message, true);
    refreshProgress();  // a score refused as one too many (409): the candidate is counted done
  });
}

function next() {
  if (state.idx < state.ids.length - 1) { show(state.idx + 1); return; }
  state.atEnd = true;
  updatePosition();
}
function prev() { if (state.idx > 0) show(state.idx - 1); }

// After a label: the next candidate that is not labelled meanwhile elsewhere nor finished by the others (they were
// served again); ← → still step through every one
function nextIndex(from) {
  for (let j = from + 1; j < state.ids.length; j++) {
    if (!state.elsewhere.has(state.ids[j]) && !state.done.has(state.ids[j])) return j;
  }
  return -1;
}
function advance() {
  const j = nextIndex(state.idx);
  if (j >= 0) { show(j); return; }
  state.atEnd = true;
  updatePosition();
}

function classify(cls) {
  if (!state.current) return; // still loading
  if (SUBCLASS_OF !== null && cls === SUBCLASS_OF) {
    save(cls, null);
    state.subMode = true;
    $("subclasses").classList.remove("hidden");
  } else {
    save(cls, null);
    advance();
  }
}

function togglePrediction() {
  const box = $("show-pred");
  if (box.disabled) {
    // the key did nothing without a word: there is no model's answer to show for this field
    setStatus("no model prediction to show: served without predictions (give --predictions, a classify output)");
    return;
  }
  state.showPred = !state.showPred;
  box.checked = state.showPred;
  show(state.idx);
}

document.addEventListener("keydown", (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const t = ev.target;
  if (t && t.id === "comment") {
    if (ev.key === "Enter") {
      ev.preventDefault();
      const c = state.current;
      if (c && c.label) save(c.label.cls, c.label.subclass);
      // nothing to save it with yet: said, and the comment stays in the field for the label to come
      else if (c && t.value) setStatus("a comment is saved with a label: give one (it takes the comment along)");
      t.blur();
    } else if (ev.key === "Escape") {
      t.blur();
    }
    return;
  }
  if (t && (t.tagName === "INPUT" && t.type !== "range" && t.type !== "checkbox" || t.tagName === "SELECT")) return;
  const k = ev.key;
  if (state.subMode) {
    const i = SUB_KEYS.indexOf(k);
    if (i >= 0) { ev.preventDefault(); if (state.current) { save(SUBCLASS_OF, "4." + (i + 1)); advance(); } return; }
    if (k === "Enter") { ev.preventDefault(); advance(); return; }
    if (k === "Escape") { state.subMode = false; $("subclasses").classList.add("hidden"); return; }
  }
  if (VALUE_OF_KEY.has(k)) { ev.preventDefault(); classify(VALUE_OF_KEY.get(k)); }
  else if (k === "ArrowRight" || k === "n") { ev.preventDefault(); next(); }
  else if (k === "ArrowLeft" || k === "p") { ev.preventDefault(); prev(); }
  else if (k === "m") { togglePrediction(); }
  else if (k === "c") { ev.preventDefault(); $("comment").focus(); }
  else if (k === "]" || k === "[") {
    const r = $("contrast");
    r.value = String(Math.max(0, Math.min(100, Number(r.value) + (k === "]" ? 10 : -10))));
    drawStamp();
  } else if (k === "s") {
    const s = $("stretch");
    // greyed out (a stored 8-bit picture): the key changed the hidden choice, and "as stored" with it
    if (s.disabled) return;
    s.selectedIndex = (s.selectedIndex + 1) % s.options.length;
    drawStamp();
  }
});

document.querySelectorAll("button.cls").forEach((b) => b.addEventListener("click", () => classify(Number(b.dataset.cls))));
document.querySelectorAll("button.sub").forEach((b) => b.addEventListener("click", () => { save(SUBCLASS_OF, b.dataset.sub); advance(); }));
$("next").addEventListener("click", next);
$("prev").addEventListener("click", prev);
$("contrast").addEventListener("input", drawStamp);
$("stretch").addEventListener("change", drawStamp);
$("show-pred").addEventListener("change", () => { state.showPred = !$("show-pred").checked; togglePrediction(); });
$("order").addEventListener("change", (ev) => loadQueue(ev.target.value).catch((e) => setStatus(e.message, true)));
$("logout").addEventListener("click", async () => {
  await fetch("/api/logout", {method: "POST", credentials: "same-origin", headers: {"X-CSRF-Token": CSRF}});
  window.location.href = "/login";
});
document.addEventListener("visibilitychange", () => { if (!document.hidden) refreshProgress(); });
window.addEventListener("focus", () => refreshProgress());
const poll = setInterval(() => { if (!document.hidden) refreshProgress(); }, POLL_MS);
if (poll && poll.unref) poll.unref();  // under node (tests/test_inspect_page_*.py) the poll must not keep it running
window.addEventListener("beforeunload", (ev) => { if (state.pending > 0) { ev.preventDefault(); ev.returnValue = ""; } });

loadQueue("catalogue").catch((e) => setStatus(e.message, true));
