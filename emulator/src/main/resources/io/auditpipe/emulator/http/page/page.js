// The emulator's page: polls the /_emulator JSON API and renders it. No framework, no build step.
"use strict";

const REFRESH_MS = 1500;
const $ = (id) => document.getElementById(id);
let selectedId = null;

async function getJson(path) {
  const r = await fetch(path, { cache: "no-store" });
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}

// "2026-12-07T02:25:08.780651248Z" -> "02:25:08.780" (UTC), with the date when not today's.
function time(iso) {
  const today = new Date().toISOString().slice(0, 10);
  const t = iso.slice(11, 23);
  return iso.slice(0, 10) === today ? t : iso.slice(0, 10) + " " + t;
}

function cell(tr, text, cls) {
  const td = document.createElement("td");
  td.textContent = text == null ? "" : String(text);
  if (cls) td.className = cls;
  tr.appendChild(td);
  return td;
}

function fillSelect(select, values, labels) {
  const keep = select.value;
  const wanted = [""].concat(values);
  const have = Array.from(select.options).map((o) => o.value);
  if (have.join("\n") === wanted.join("\n")) return;
  select.textContent = "";
  wanted.forEach((v) => {
    const o = document.createElement("option");
    o.value = v;
    o.textContent = v === "" ? "all" : (labels && labels[v]) || v;
    select.appendChild(o);
  });
  select.value = wanted.includes(keep) ? keep : "";
}

function filters() {
  const p = new URLSearchParams();
  if ($("filter-org").value) p.set("organization_id", $("filter-org").value);
  if ($("filter-action").value) p.set("action", $("filter-action").value);
  if ($("filter-actor").value.trim()) p.set("actor", $("filter-actor").value.trim());
  return p;
}

function renderCounters(c) {
  const sum = (m) => Object.values(m || {}).reduce((a, b) => a + b, 0);
  const failed = Object.entries(c.requestsByStatus || {})
    .filter(([s]) => s < 200 || s >= 300).reduce((a, [, n]) => a + n, 0);
  $("counter-stored").textContent = c.eventsStored;
  $("counter-replays").textContent = c.idempotentReplays;
  $("counter-conflicts").textContent = c.idempotencyConflicts;
  $("counter-throttled").textContent = c.throttled;
  $("counter-faults").textContent = sum(c.faults);
  $("counter-failed").textContent = failed;
  const protocols = Object.entries(c.requestsByProtocol || {}).map(([p, n]) => p + " " + n);
  $("counter-protocols").textContent = protocols.length ? protocols.join(" · ") : "none yet";
}

// Tables are rebuilt only when their data changed, so a row stays clickable between refreshes.
const rendered = {};
function changed(name, data) {
  const key = JSON.stringify(data);
  if (rendered[name] === key) return false;
  rendered[name] = key;
  return true;
}

function renderEvents(page, orgNames) {
  if (!changed("events", [page, orgNames, selectedId])) return;
  const body = $("events").querySelector("tbody");
  body.textContent = "";
  page.data.forEach((s) => {
    const e = s.event || {};
    const actor = e.actor || {};
    const tr = document.createElement("tr");
    tr.dataset.id = s.id;
    if (s.id === selectedId) tr.className = "selected";
    cell(tr, time(s.received_at), "mono");
    cell(tr, orgNames[s.organization_id] || s.organization_id);
    cell(tr, e.action);
    cell(tr, actor.name ? actor.name + " (" + actor.id + ")" : actor.id);
    cell(tr, (e.targets || []).map((t) => t.type + ":" + t.id).join(", "));
    cell(tr, s.idempotency_key, "mono");
    tr.addEventListener("click", () => select(s, tr));
    body.appendChild(tr);
  });
  $("events-empty").style.display = page.data.length ? "none" : "";
  $("events-total").textContent = page.total + " matching" +
    (page.total > page.data.length ? " (newest " + page.data.length + " shown)" : "");
}

function select(stored, tr) {
  selectedId = stored.id;
  document.querySelectorAll("#events tbody tr.selected").forEach((r) => r.classList.remove("selected"));
  tr.classList.add("selected");
  $("detail").classList.remove("muted");
  $("detail").textContent = JSON.stringify(stored, null, 2);
}

function renderAnswers(tableId, answers) {
  if (!changed(tableId, answers)) return;
  const body = $(tableId).querySelector("tbody");
  body.textContent = "";
  answers.forEach((a) => {
    const tr = document.createElement("tr");
    cell(tr, time(a.at), "mono");
    cell(tr, a.status === 0 ? "reset" : a.status, "status s" + String(a.status)[0]);
    cell(tr, a.code, "mono");
    cell(tr, a.message);
    cell(tr, a.request_id, "mono");
    cell(tr, (a.method + " " + a.path).trim(), "mono");
    body.appendChild(tr);
  });
  $(tableId + "-empty").style.display = answers.length ? "none" : "";
}

async function refresh() {
  try {
    const p = filters();
    const facetParams = new URLSearchParams();
    if (p.has("organization_id")) facetParams.set("organization_id", p.get("organization_id"));
    p.set("order", "desc");
    p.set("limit", "200");
    const [counters, orgs, facets, events, failures, throttled] = await Promise.all([
      getJson("/_emulator/counters"),
      getJson("/_emulator/organizations"),
      getJson("/_emulator/facets?" + facetParams),
      getJson("/_emulator/events?" + p),
      getJson("/_emulator/failures?throttled=false&limit=100"),
      getJson("/_emulator/failures?throttled=true&limit=100"),
    ]);
    const orgNames = {};
    orgs.data.forEach((o) => { orgNames[o.id] = o.name + (o.external_id ? " (" + o.external_id + ")" : ""); });
    fillSelect($("filter-org"), orgs.data.map((o) => o.id), orgNames);
    fillSelect($("filter-action"), facets.actions);
    const list = $("actors");
    list.textContent = "";
    facets.actors.forEach((a) => { const o = document.createElement("option"); o.value = a; list.appendChild(o); });
    renderCounters(counters);
    renderEvents(events, orgNames);
    renderAnswers("failures", failures.data);
    renderAnswers("throttled", throttled.data);
    $("updated").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (err) {
    $("updated").textContent = "cannot reach the emulator: " + err.message;
  }
}

let timer = null;
function schedule() {
  clearInterval(timer);
  if ($("live").checked) timer = setInterval(refresh, REFRESH_MS);
}

["filter-org", "filter-action"].forEach((id) => $(id).addEventListener("change", refresh));
$("filter-actor").addEventListener("input", refresh);
$("clear-filters").addEventListener("click", () => {
  $("filter-org").value = "";
  $("filter-action").value = "";
  $("filter-actor").value = "";
  refresh();
});
$("live").addEventListener("change", schedule);
refresh();
schedule();
