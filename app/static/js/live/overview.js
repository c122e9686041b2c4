// The encounter overview: connects to the live namespace, asks to watch the encounter (the answer is
// the overview's snapshot), applies each group's 'overview_group' updates in version order (a gap,
// or a reconnection, asks for the overview again) and counts every timer down on this device's clock
// corrected by the server's. No polling: everything arrives through the rooms' own events.
import { refusalText } from './older.js';

const root = document.getElementById('overview');
const T = JSON.parse(document.getElementById('ov-strings').textContent);
const encounterId = Number(root.dataset.encounterId);
const params = new URLSearchParams(window.location.search);
const transports = params.get('transporte') === 'polling' ? ['polling'] : ['polling', 'websocket'];
const socket = window.io(root.dataset.namespace, { transports, reconnectionDelayMax: 5000 });
window.liveOverview = { socket, get view() { return view; } };  // for the browser tests
const COUNT_KEYS = { contribution: 'contributions', commitment: 'commitments', agreement: 'agreements' };

let view = null;        // the last overview, kept current by the updates
let clockOffset = 0;    // server clock minus this device's clock, in ms
let asking = false;

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function setConnection(text, ok) {
  $('ov-connection').textContent = text;
  $('ov-connection').classList.toggle('ok', ok);
}

function syncClock(serverTime) {
  if (serverTime) clockOffset = Date.parse(serverTime) - Date.now();
}

function watch() {
  if (asking) return;
  asking = true;
  socket.timeout(10000).emit('watch', { encounter_id: encounterId }, (err, ack) => {
    asking = false;
    if (err) { setTimeout(() => socket.connected && watch(), 2000); return; }
    if (!ack.ok && ack.error === 'demasiados_eventos') {
      setTimeout(() => socket.connected && watch(), 1000 * (ack.retry_after || 1));
      return;
    }
    if (!ack.ok) { setConnection(Object.values(ack.errors || {}).join(' ') || refusalText(ack.error, T), false); return; }
    view = ack.overview;
    syncClock(view.server_time);
    setConnection(T.connected, true);
    if (view.announcement && !$('announce-result').textContent) {
      $('announce-result').textContent = `${T.lastSent.replace('{time}', hhmm(view.announcement.server_time))} ${view.announcement.text}`;
    }
    renderAll();
  });
}

function onUpdate(update) {
  if (!view) return;
  const group = view.groups.find((g) => g.id === update.group_id);
  if (!group) return;
  if (update.version === null) {  // a row stored outside the room's events: counted once by its id
    if (countRow(group, update.changes.row)) renderGroup(group);
    return;
  }
  if (update.version <= group.version) return;
  if (update.version > group.version + 1) { watch(); return; }  // missed an event: start over
  const changes = update.changes || {};
  for (const [key, value] of Object.entries(changes)) {
    if (key !== 'row') group[key] = value;
  }
  countRow(group, changes.row);
  group.version = update.version;
  syncClock(update.server_time);
  renderGroup(group);
}

// A row is new when its id is above the last one the snapshot counted and was not seen since (edits
// and hides keep their id; two writers may commit their ids out of order).
function countRow(group, row) {
  if (!row || !COUNT_KEYS[row.type] || row.id <= (group.last_ids[row.type] || 0)) return false;
  group.seen = group.seen || {};
  const seen = group.seen[row.type] || (group.seen[row.type] = new Set());
  if (seen.has(row.id)) return false;
  seen.add(row.id);
  group.counts[row.type] = (group.counts[row.type] || 0) + 1;
  return true;
}

socket.on('connect', () => { setConnection(T.joining, false); watch(); });
socket.on('disconnect', () => setConnection(T.offline, false));
socket.on('connect_error', (err) => {
  const refused = err && ['demasiadas_conexiones', 'demasiados_eventos', 'no_autenticado'].includes(err.message);
  setConnection(refused ? refusalText(err.message, T) : T.offline, false);
  if (refused && err.message === 'demasiados_eventos') setTimeout(() => socket.connect(), 3000);
});
socket.on('overview_group', onUpdate);
socket.on('session_ended', () => { socket.disconnect(); setConnection(T.ended, false); });

// --- drawing ------------------------------------------------------------------------------------

function nowOnServer() {
  return Date.now() + clockOffset;
}

function remaining(timer) {
  let seconds = Number(timer.remaining || 0);
  if (timer.running && timer.started_at) seconds -= (nowOnServer() - Date.parse(timer.started_at)) / 1000;
  return seconds;
}

function clock(seconds) {
  const whole = Math.ceil(Math.abs(seconds));
  return `${seconds < 0 ? '-' : ''}${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

// The rule said on the page: the activity's time ran out, or by the agenda's planned times it should
// already have ended. Only while the encounter is in session and the room is open.
function lateReasons(group) {
  if (view.encounter.status !== 'en_curso' || group.closed_at) return [];
  const reasons = [];
  if (remaining(group.timer) <= 0) reasons.push('tiempo');
  const current = group.agenda[group.agenda_index];
  if (current && current.planned_end && Date.parse(current.planned_end) < nowOnServer()) reasons.push('agenda');
  return reasons;
}

function presence(group) {
  const present = new Set(group.present_school_ids);
  return group.schools.map((s) => {
    const people = group.online.filter((p) => p.school_id === s.id).map((p) => p.name);
    let status = el('span', { class: 'muted' }, `— ${T.notYet}`);
    if (people.length) status = `✓ ${T.present} (${people.join(', ')})`;
    else if (present.has(s.id)) status = el('span', { class: 'ov-dropped' }, `⚠ ${T.dropped}`);
    return el('li', { 'data-school-id': s.id, 'data-status': people.length ? 'presente' : (present.has(s.id) ? 'salio' : 'sin_llegar') },
      el('strong', {}, s.name), ' ', status);
  });
}

function renderGroup(group) {
  const card = $(`ov-group-${group.id}`);
  if (!card) return;
  const body = card.querySelector('.ov-body');
  const current = group.agenda[group.agenda_index];
  const turn = group.schools.find((s) => s.id === group.turn_school_id);
  const others = group.online.filter((p) => p.school_id === null).map((p) => p.name);
  const count = (type) => el('li', {}, `${T[COUNT_KEYS[type]]}: `,
    el('strong', { 'data-count': type }, String(group.counts[type] || 0)));
  // replaceChildren turns a null argument into the text "null": pass only real nodes.
  body.replaceChildren(...[
    el('p', { class: 'ov-late', 'data-late': '', hidden: true }),
    group.facilitator ? el('p', {}, el('small', {}, `${T.facilitator} ${group.facilitator}`)) : null,
    el('p', {}, current
      ? el('span', {}, el('small', {}, T.activity.replace('{n}', group.agenda_index + 1).replace('{total}', group.agenda.length)),
        el('br'), current.title)
      : T.noAgenda,
    el('br'), el('span', { class: 'ov-countdown', 'data-countdown': '', 'aria-live': 'off' }, '--:--'),
    ' ', el('small', { 'data-timer-state': '' }, group.closed_at ? T.closed : (group.timer.running ? T.running : T.paused))),
    el('p', {}, el('small', {}, turn ? `${T.presents} ${turn.name}` : T.noTurn)),
    el('ul', { class: 'ov-schools' }, ...presence(group),
      others.length ? el('li', {}, el('small', {}, `${T.others} ${others.join(', ')}`)) : null),
    el('ul', { class: 'ov-counts' },
      el('li', {}, `${T.hands}: `, el('strong', { 'data-count': 'hands' }, String(group.hands_waiting))),
      count('contribution'), count('commitment'), count('agreement')),
  ].filter(Boolean));
  tickGroup(group);
}

function tickGroup(group) {
  const card = $(`ov-group-${group.id}`);
  if (!card) return;
  const seconds = remaining(group.timer);
  const node = card.querySelector('[data-countdown]');
  if (node) {
    node.textContent = clock(seconds);
    node.classList.toggle('over', seconds < 0);
  }
  const reasons = lateReasons(group);
  const late = card.querySelector('[data-late]');
  card.classList.toggle('late', reasons.length > 0);
  card.dataset.late = reasons.join(' ');
  if (late) {
    late.hidden = reasons.length === 0;
    late.textContent = reasons.length ? `${T.late} ${reasons.map((r) => T.lateReasons[r]).join('; ')}` : '';
  }
}

function renderAll() {
  for (const group of view.groups) renderGroup(group);
}

setInterval(() => { if (view) for (const group of view.groups) tickGroup(group); }, 1000);

// --- the message to all groups ------------------------------------------------------------------

function hhmm(iso) {
  return new Date(iso).toLocaleTimeString('es-MX', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

$('announce-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const box = $('announce-text');
  const text = box.value.trim();
  const result = $('announce-result');
  if (!text) return;
  if (!socket.connected) { result.textContent = `${T.notSent} ${T.offline}`; return; }
  $('announce-send').disabled = true;
  socket.timeout(8000).emit('announce', { encounter_id: encounterId, text }, (err, ack) => {
    $('announce-send').disabled = false;
    if (err || !ack.ok) {  // what was typed stays in the box
      result.textContent = `${T.notSent} ${err ? T.offline : (Object.values(ack.errors || {}).join(' ') || refusalText(ack.error, T))}`;
      return;
    }
    result.textContent = T.sent.replace('{n}', ack.groups).replace('{time}', hhmm(ack.announcement.server_time));
    box.value = '';
  });
});
