// The live room: joins over Socket.IO, draws the snapshot, applies versioned events (a gap or a
// reconnection fetches the snapshot again), and sends writes through the localStorage outbox.
import { Outbox } from './outbox.js';
import { renderPdfPage } from './pdfview.js';
import { applyPresence, refusalText, setupOlder } from './older.js';
import { setupResources } from './resources.js';
import { setupAgreements } from './agreements.js';
import { setupReview } from './review.js';

const root = document.getElementById('live-room');
const T = JSON.parse(document.getElementById('live-strings').textContent);
const groupId = Number(root.dataset.groupId);
const userId = Number(root.dataset.userId);
const params = new URLSearchParams(window.location.search);
const STATE_EVENTS = {
  presence: ['online', 'present_school_ids'],
  timer: ['agenda_index', 'timer'],
  turn: ['turn_school_id', 'slide', 'problem_id'],
  slide: ['slide', 'problem_id'],
  hands: ['hands', 'floor_user_id', 'floor'],
  closed: ['closed_at'],
  reminder: ['reminder'],  // the facilitator's «Volvamos a la problemática» (agreements.js shows it)
};
// Row events: type -> the snapshot's list it adds to or replaces a row of (features add theirs
// with ctx.rows); ROW_ACKS: a write's event -> [the ack's key, that list].
const ROW_EVENTS = { contribution: 'contributions', commitment: 'commitments' };
const ROW_ACKS = { contribution_add: ['contribution', 'contributions'], commitment_add: ['commitment', 'commitments'],
  commitment_edit: ['commitment', 'commitments'] };
const features = [];      // the room's feature modules (see ctx below): each has a render()

let snap = null;          // the last snapshot, kept current by the events
let clockOffset = 0;      // server clock minus this device's clock, in ms
let ownSlide = null;      // a slide this person looks at on their own (null: follow the presenter)
let joined = false;
let resyncing = false;
let textOnly = root.dataset.textOnly === '1' || window.localStorage.getItem('aee-text-only') === '1';

const transports = params.get('transporte') === 'polling' ? ['polling'] : ['polling', 'websocket'];
const socket = window.io(root.dataset.namespace, { transports, reconnectionDelayMax: 5000 });

const outbox = new Outbox(`aee-outbox-${groupId}-${userId}`, {
  send: (event, payload, cb) => {
    if (!socket.connected || !joined) { cb(new Error('offline')); return; }
    socket.timeout(8000).emit(event, { ...payload, group_id: groupId }, cb);
  },
  onChange: () => render(),
  onStored: (event, ack) => {
    const [key, list] = ROW_ACKS[event] || [];
    if (snap && key && ack[key] && snap[list]) upsert(snap[list], ack[key]);
  },
});
window.liveRoom = { socket, outbox, get snapshot() { return snap; } };

// --- connection, snapshot, events -----------------------------------------------------------

function setConnection(text, ok) {
  const el = document.getElementById('connection');
  el.textContent = text;
  el.classList.toggle('ok', ok);
}

// When something was typed, on the server's clock: an offline write keeps it, and after the close
// the server accepts only what was typed before it.
function serverNow() {
  return new Date(Date.now() + clockOffset).toISOString();
}

function syncClock(serverTime) {
  if (serverTime) clockOffset = Date.parse(serverTime) - Date.now();
}

function setSnapshot(next) {
  snap = next;
  syncClock(next.server_time);
  render();
}

function join() {
  socket.timeout(10000).emit('join', { group_id: groupId }, (err, ack) => {
    if (err) { setTimeout(() => socket.connected && join(), 2000); return; }
    if (!ack.ok && ack.error === 'demasiados_eventos') {
      setTimeout(() => socket.connected && join(), 1000 * (ack.retry_after || 1));
      return;
    }
    if (!ack.ok) { setConnection(refusalText(ack.error, T), false); return; }
    joined = true;
    setConnection(T.connected, true);
    setSnapshot(ack.snapshot);
    outbox.flush();
  });
}

async function resync() {
  if (resyncing) return;
  resyncing = true;
  try {
    const response = await fetch(root.dataset.snapshotUrl, { credentials: 'same-origin' });
    if (response.ok) setSnapshot(await response.json());
  } finally {
    resyncing = false;
  }
}

function upsert(list, row) {
  const at = list.findIndex((r) => r.id === row.id);
  if (at >= 0) list[at] = row; else list.push(row);
  list.sort((a, b) => a.id - b.id);
}

// Apply one event to the snapshot: true if applied, false if already held, null if one is missing
// (a resync is on its way).
function applyEvent(event) {
  if (!snap || event.version <= snap.version) return false;
  if (event.version > snap.version + 1) { resync(); return null; }
  if (event.type === 'presence') {
    applyPresence(snap.state, event);  // who joined or left, not the whole list
  } else if (STATE_EVENTS[event.type]) {
    for (const key of STATE_EVENTS[event.type]) snap.state[key] = event[key];
  } else if (ROW_EVENTS[event.type]) {
    const list = ROW_EVENTS[event.type];
    if (!snap[list]) snap[list] = [];
    upsert(snap[list], event[event.type]);
  }
  snap.version = event.version;
  syncClock(event.server_time);
  if (event.type === 'turn') ownSlide = null;
  return true;
}

function onEvent(event) {
  if (applyEvent(event)) render();
}

// Several events of the room at once (the server batches those that come close together): apply
// them in order and draw once.
function onEvents(batch) {
  let applied = false;
  for (const event of Array.isArray(batch) ? batch : []) {
    const done = applyEvent(event);
    if (done === null) return;
    applied = applied || done;
  }
  if (applied) render();
}

socket.on('connect', () => { setConnection(T.joining, false); join(); });
socket.on('disconnect', () => { joined = false; setConnection(T.offline, false); });
socket.on('connect_error', (err) => {
  // A refusal by the server (too many connections of this person) is not retried by the client.
  const refused = err && ['demasiadas_conexiones', 'demasiados_eventos', 'no_autenticado'].includes(err.message);
  setConnection(refused ? refusalText(err.message, T) : T.offline, false);
  if (refused && err.message === 'demasiados_eventos') setTimeout(() => socket.connect(), 3000);
});
for (const type of [...Object.keys(STATE_EVENTS), ...Object.keys(ROW_EVENTS)]) socket.on(type, onEvent);
socket.on('events', onEvents);
socket.on('session_ended', () => { socket.disconnect(); setConnection(T.ended, false); });
window.addEventListener('online', () => { if (!socket.connected) socket.connect(); });
setInterval(() => outbox.flush(), 3000);

// A control or a change that is not kept offline (timer, slide, an edit); `onAck(err, ack)`, when
// given, handles the answer (e.g. errors under a form's fields) instead of an alert.
function send(event, payload, onAck) {
  if (!socket.connected) { setConnection(T.offline, false); return; }
  socket.timeout(8000).emit(event, { ...payload, group_id: groupId }, (err, ack) => {
    if (onAck) onAck(err, ack);
    else if (!err && ack && !ack.ok) window.alert(Object.values(ack.errors || {}).join(' ') || refusalText(ack.error, T));
  });
}

// --- drawing ------------------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);
const showOlder = setupOlder({ button: $('older-contributions'), socket, groupId, getSnapshot: () => snap,
  upsert, render, strings: T });


function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function schoolName(id) {
  const school = snap.schools.find((s) => s.id === id);
  return school ? school.name : '';
}

function problemTitle(id) {
  const problem = snap.problems.find((p) => p.id === id);
  return problem ? problem.title : '';
}

// --- the problem a contribution is about (issue 11) -----------------------------------------------
// While a school presents, its problem on screen is chosen for you; after the presentations
// (activities 3 and 4) nothing is: you choose one of the group's problems. A choice of your own
// holds until the presented problem changes.
const AFTER_PRESENTATIONS = [3, 4];
let problemChosen = null;  // the problem id this person picked (null: follow the presented one)
let lastPresented;

function currentActivity() {
  const item = snap.agenda[snap.state.agenda_index];
  return item ? item.activity : null;
}

function presentedProblem() {
  if (snap.state.turn_school_id === null || snap.state.turn_school_id === undefined) return null;
  if (AFTER_PRESENTATIONS.includes(currentActivity())) return null;
  return snap.state.problem_id || null;
}

function problemSchool(id) {
  const problem = snap.problems.find((p) => p.id === id);
  return problem ? schoolName(problem.school_id) : '';
}

function filedUnder(problemId) {
  if (!problemId) return T.noProblem;
  const school = problemSchool(problemId);
  return `${T.about} ${problemTitle(problemId)}${school ? ` (${school})` : ''}`;
}

function renderProblemChoice() {
  const select = $('contribution-problem');
  if (!select) return;
  const key = snap.problems.map((p) => `${p.id}:${p.title}`).join('|');
  if (select.dataset.key !== key) {
    const groups = snap.schools.map((s) => {
      const problems = snap.problems.filter((p) => p.school_id === s.id);
      return problems.length ? el('optgroup', { label: s.name },
        ...problems.map((p) => el('option', { value: p.id }, p.title))) : null;
    }).filter(Boolean);
    select.replaceChildren(el('option', { value: '' }, T.chooseProblem), ...groups);
    select.dataset.key = key;
  }
  $('contribution-problem-field').hidden = !snap.problems.length;
  const presented = presentedProblem();
  if (presented !== lastPresented) { problemChosen = null; lastPresented = presented; }
  const value = problemChosen || presented;
  select.value = value ? String(value) : '';
  $('contribution-problem-hint').textContent = presented
    ? T.presentedDefault.replace('{title}', problemTitle(presented)) : T.chooseHint;
}

function canPresent() {
  const me = snap.me;
  return me.can_facilitate || (me.can_participate && snap.state.turn_school_id !== null
    && me.school_id === snap.state.turn_school_id);
}

function closedAt() {
  return snap.state.closed_at || (snap.encounter.status === 'concluido' ? snap.encounter.closed_at : null);
}

// Dates as people write them in both languages (26/02/2027), times in the schools' time zone
// (app/dates.py), whatever the browser's own settings.
const WHEN = new Intl.DateTimeFormat('es-MX', {
  day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  timeZone: root.dataset.timezone || undefined,
});
function when(iso) {
  return iso ? WHEN.format(new Date(iso)).replace(',', '') : '';
}
function day(isoDate) {  // "2027-02-26" -> "26/02/2027"
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate || '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (isoDate || '');
}

// After *Concluir* the room is read-only: the forms and controls go; pending offline writes (typed
// before the close) are still sent, and the server keeps them as the acta's annex.
function renderClosed() {
  const at = closedAt();
  root.classList.toggle('closed', Boolean(at));
  const banner = $('closed-banner');
  banner.hidden = !at;
  if (at) {
    banner.replaceChildren(T.closed.replace('{when}', when(at)), ' ',
      el('a', { href: root.dataset.minutesUrl }, T.seeMinutes));
  }
}

function lateTag(row) {
  return row.after_close ? el('span', { class: 'late-tag' },
    ` · ${T.afterClose} (${T.typedAt} ${when(row.typed_at)}, ${T.receivedAt} ${when(row.created_at)})`) : null;
}

function render() {
  if (!snap) return;
  renderClosed();
  $('version').textContent = `v${snap.version}`;
  renderAgenda();
  renderSlide();
  renderPresence();
  renderHands();
  renderProblemChoice();
  renderBoard();
  showOlder();
  renderCommitments();
  for (const feature of features) feature.render();
}

function renderAgenda() {
  const items = snap.agenda;
  const current = items[snap.state.agenda_index];
  $('activity-title').textContent = current ? current.title : T.noAgenda;
  $('agenda').replaceChildren(...items.map((item, i) => el('li',
    { class: i === snap.state.agenda_index ? 'current' : '' }, `${item.title} (${item.minutes} min)`)));
  tick();
}

function tick() {
  if (!snap) return;
  const timer = snap.state.timer;
  let seconds = Number(timer.remaining);
  if (timer.running && timer.started_at) {
    seconds -= (Date.now() + clockOffset - Date.parse(timer.started_at)) / 1000;
  }
  const node = $('countdown');
  node.textContent = clock(seconds);
  node.classList.toggle('over', seconds < 0);
  node.title = timer.running ? T.running : T.paused;
  const floor = snap.state.floor;  // the turn to speak has its own limit
  const floorNode = $('floor-countdown');
  if (floorNode) {
    floorNode.hidden = !(floor && snap.state.floor_user_id !== null);
    if (!floorNode.hidden) {
      const left = floor.seconds - (Date.now() + clockOffset - Date.parse(floor.started_at)) / 1000;
      floorNode.textContent = clock(left);
      floorNode.classList.toggle('over', left < 0);
    }
  }
}

function clock(seconds) {  // 02:13, -00:05 once over
  const whole = Math.ceil(Math.abs(seconds));
  return `${seconds < 0 ? '-' : ''}${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}
setInterval(tick, 250);

function renderSlide() {
  const state = snap.state;
  const school = snap.schools.find((s) => s.id === state.turn_school_id);
  $('turn-label').textContent = school ? `${T.presents} ${school.name}` : T.noTurn;
  const select = $('turn-select');
  if (select) {
    const options = [el('option', { value: '' }, T.nobody),
      ...snap.schools.map((s) => el('option', { value: s.id }, s.name))];
    select.replaceChildren(...options);
    select.value = state.turn_school_id === null ? '' : String(state.turn_school_id);
  }
  const box = $('slide');
  const follow = $('slide-follow');
  const prev = $('slide-prev');
  const next = $('slide-next');
  if (!school) {
    box.replaceChildren(el('p', {}, T.noTurn));
    $('slide-counter').textContent = '';
    follow.hidden = true;
    prev.disabled = next.disabled = true;
    $('problem-label').textContent = '';
    return;
  }
  const deck = school.deck;
  const presenting = canPresent();
  if (presenting) ownSlide = null;
  const index = ownSlide === null ? state.slide : ownSlide;
  const slide = deck.slides[index] || deck.slides[0];
  $('slide-counter').textContent = `${index + 1} / ${deck.count}`;
  follow.hidden = ownSlide === null || ownSlide === state.slide;
  prev.disabled = index <= 0;
  next.disabled = index >= deck.count - 1;
  $('problem-label').textContent = state.problem_id ? `${T.about} ${problemTitle(state.problem_id)}` : '';
  box.dataset.slide = String(index);
  if (deck.kind === 'pdf') {
    if (textOnly) {  // no PDF download: the page's text, extracted at upload, or why there is none
      const parts = [el('h2', {}, slide.title || '')];
      if (slide.text) {
        parts.push(...slide.text.split('\n').map((line) => el('p', {}, line)));
      } else {
        parts.push(el('p', {}, slide.text === '' ? T.pdfNoText : T.pdfTextOnly));
      }
      box.replaceChildren(...parts);
      return;
    }
    box.replaceChildren(el('p', {}, T.loadingPdf));
    renderPdfPage(box, { url: deck.pdf_url, page: index + 1, libUrl: root.dataset.pdfjs,
      workerUrl: root.dataset.pdfjsWorker, wasmUrl: root.dataset.pdfjsWasm })
      .catch(() => box.replaceChildren(el('p', {}, slide.title)));
    return;
  }
  // replaceChildren turns a null argument into the text "null": pass only real nodes.
  const parts = [el('h2', {}, slide.title || '')];
  if (slide.subtitle) parts.push(el('p', {}, el('em', {}, slide.subtitle)));
  parts.push(el('ul', {}, ...(slide.bullets || []).map((b) => el('li', {}, b))));
  box.replaceChildren(...parts);
}

function moveSlide(step) {
  const state = snap.state;
  const school = snap.schools.find((s) => s.id === state.turn_school_id);
  if (!school) return;
  const current = ownSlide === null ? state.slide : ownSlide;
  const target = Math.min(Math.max(current + step, 0), school.deck.count - 1);
  if (canPresent()) {
    send('slide', { slide: target });
  } else {
    ownSlide = target === state.slide ? null : target;
    renderSlide();
  }
}

function renderPresence() {
  const online = snap.state.online;
  const present = new Set(snap.state.present_school_ids);
  const items = snap.schools.map((s) => {
    const people = online.filter((p) => p.school_id === s.id).map((p) => p.name);
    return el('li', { 'data-school-id': s.id },
      el('strong', {}, s.name), ' ', present.has(s.id) ? `✓ ${T.present}` : `— ${T.absent}`,
      people.length ? el('br') : null, people.length ? el('small', {}, people.join(', ')) : null);
  });
  const others = online.filter((p) => p.school_id === null).map((p) => p.name);
  if (others.length) items.push(el('li', {}, el('strong', {}, T.others), el('br'), el('small', {}, others.join(', '))));
  $('presence').replaceChildren(...items);
}

function renderHands() {
  const state = snap.state;
  const facilitating = snap.me.can_facilitate;
  const onFloor = state.floor_user_id === null ? null
    : (state.online.find((p) => p.user_id === state.floor_user_id) || { name: `#${state.floor_user_id}` });
  $('floor').replaceChildren(onFloor ? `${T.floor} ${onFloor.name}` : T.nobodyFloor,
    onFloor && facilitating ? el('button', { type: 'button', class: 'outline', style: 'width:auto;margin-left:.5rem',
      onclick: () => send('hand', { action: 'floor', user_id: null }) }, T.endFloor) : '');
  const place = state.hands.findIndex((h) => h.user_id === snap.me.user_id);
  $('my-place').textContent = place < 0 ? '' : T.myPlace.replace('{n}', String(place + 1));
  $('hands').replaceChildren(...state.hands.map((h, i) => el('li', { 'data-user-id': h.user_id },
    T.place.replace('{n}', String(i + 1)), ' ', h.name, h.school_id ? ` (${schoolName(h.school_id)})` : '',
    facilitating ? el('span', { class: 'row-actions' }, ' ',
      el('button', { type: 'button', onclick: () => send('hand', { action: 'floor', user_id: h.user_id }) }, T.giveFloor),
      el('button', { type: 'button', class: 'secondary', onclick: () => send('hand', { action: 'lower', user_id: h.user_id }) }, T.remove)) : null)));
}

function editable(c) {
  return c.author_id === snap.me.user_id && !c.is_hidden
    && Date.parse(c.created_at) + snap.edit_minutes * 60000 > Date.now() + clockOffset;
}

function canMarkWillTry(c) {
  return snap.me.can_facilitate || (snap.me.can_participate && c.presenting_school_id !== null
    && c.presenting_school_id === snap.me.school_id);
}

function renderBoard() {
  const kinds = snap.kinds;
  // a pending write whose row already arrived (its event came before its ack) is shown once
  const stored = new Set(snap.contributions.map((c) => c.client_id));
  const pending = outbox.pending('contribution_add').filter((item) => !stored.has(item.client_id)).map((item) => el('li', { class: 'pending', 'data-client-id': item.client_id },
    el('span', { class: 'kind' }, kinds[item.payload.kind] || item.payload.kind), ' ',
    el('span', { class: 'pending-tag' }, item.error ? `${T.notSent}: ${item.error}` : T.pending),
    el('p', { class: 'filed' }, filedUnder(item.payload.problem_id)),
    el('p', {}, item.payload.text),
    item.error ? el('div', { class: 'row-actions' },
      el('button', { type: 'button', onclick: () => fixContribution(item) }, T.fix),
      el('button', { type: 'button', class: 'outline', style: 'width:auto', onclick: () => outbox.discard(item.client_id) }, T.discard)) : null));
  const rows = [...snap.contributions].reverse().map((c) => {
    const actions = [];
    if (!closedAt() && editable(c)) {
      actions.push(el('button', { type: 'button', class: 'outline', onclick: () => {
        const text = window.prompt(T.editPrompt, c.text);
        if (text && text.trim()) send('contribution_edit', { contribution_id: c.id, text, kind: c.kind });
      } }, T.edit));
    }
    if (snap.me.can_facilitate && !c.is_hidden && !closedAt()) {
      actions.push(el('button', { type: 'button', class: 'secondary', onclick: () => {
        const reason = window.prompt(T.hidePrompt);
        if (reason && reason.trim()) send('contribution_hide', { contribution_id: c.id, reason });
      } }, T.hide));
    }
    if (!c.is_hidden && !closedAt() && ['propuesta', 'recurso'].includes(c.kind) && canMarkWillTry(c)) {
      actions.push(el('button', { type: 'button', onclick: () => send('contribution_will_try',
        { contribution_id: c.id, value: !c.will_try }) }, c.will_try ? T.wontTry : T.willTry));
    }
    return el('li', { class: `${c.is_hidden ? 'hidden-item' : ''} ${c.will_try ? 'will-try' : ''}`, 'data-id': c.id,
      'data-client-id': c.client_id, 'data-problem-id': c.problem_id || '' },
      el('span', { class: 'kind' }, c.kind_label), c.will_try ? el('strong', {}, ` · ${T.weWillTry}`) : null, lateTag(c),
      el('p', { class: 'filed' }, filedUnder(c.problem_id)),
      el('small', {}, `${c.author_name || ''}${c.activity !== null && c.activity !== undefined ? ` · ${T.activity.replace('{n}', c.activity)}` : ''}${c.edited_at ? ` · ${T.edited}` : ''}`),
      c.is_hidden ? el('p', {}, `${T.hiddenBy} ${c.hidden_reason || ''}`) : el('p', {}, c.text),
      actions.length ? el('div', { class: 'row-actions' }, ...actions) : null);
  });
  $('contributions').replaceChildren(...pending, ...rows);
}

function renderCommitmentProblems() {  // the problems of the school chosen for the commitment
  const select = $('commitment-problem');
  if (!select) return;
  const schoolId = Number($('commitment-school').value);
  const wanted = select.dataset.wanted || select.value;
  select.replaceChildren(el('option', { value: '' }, T.noProblemChosen),
    ...snap.problems.filter((p) => p.school_id === schoolId).map((p) => el('option', { value: p.id }, p.title)));
  select.value = [...select.options].some((o) => o.value === wanted) ? wanted : '';
  delete select.dataset.wanted;
}

function renderCommitments() {
  const select = $('commitment-school');
  if (select && !select.dataset.filled) {
    const schools = snap.me.can_facilitate ? snap.schools : snap.schools.filter((s) => s.id === snap.me.school_id);
    select.replaceChildren(...schools.map((s) => el('option', { value: s.id }, s.name)));
    select.dataset.filled = '1';
  }
  if (select) renderCommitmentProblems();
  const pending = outbox.pending('commitment_add').map((item) => el('li', { class: 'pending', 'data-client-id': item.client_id },
    el('span', { class: 'pending-tag' }, item.error ? `${T.notSent}: ${item.error}` : T.pending),
    el('p', {}, item.payload.action),
    item.error ? el('div', { class: 'row-actions' },
      el('button', { type: 'button', onclick: () => fixCommitment(item) }, T.fix),
      el('button', { type: 'button', class: 'outline', style: 'width:auto', onclick: () => outbox.discard(item.client_id) }, T.discard)) : null));
  const edits = outbox.pending('commitment_edit').map((item) => el('li', { class: 'pending', 'data-client-id': item.client_id },
    el('span', { class: 'pending-tag' }, item.error ? `${T.notSent}: ${item.error}` : T.pendingEdit),
    el('p', {}, item.payload.action),
    item.error ? el('div', { class: 'row-actions' },
      el('button', { type: 'button', onclick: () => fixCommitment(item) }, T.fix),
      el('button', { type: 'button', class: 'outline', style: 'width:auto', onclick: () => outbox.discard(item.client_id) }, T.discard)) : null));
  const rows = snap.commitments.map((c) => el('li', { 'data-id': c.id, 'data-client-id': c.client_id,
    class: c.id === editingCommitment ? 'editing' : null },
    el('strong', {}, c.school_name), c.edited_at ? el('small', { class: 'edited-tag' }, ` · ${T.commitmentEdited}`) : null,
    c.problem_id ? el('p', { class: 'filed' }, filedUnder(c.problem_id)) : null,
    el('p', {}, c.action), c.classroom ? el('small', {}, `${T.classroom}: ${c.classroom} · `) : null,
    el('small', {}, `${T.responsible}: ${c.responsible} · ${T.due}: ${day(c.due_date)}${c.follow_up ? ` · ${T.followUp}: ${c.follow_up}` : ''}`),
    c.needs_external_advice ? el('p', {}, el('mark', {}, T.advice)) : null, lateTag(c),
    canEditCommitment(c) ? el('div', { class: 'row-actions' }, el('button', { type: 'button', class: 'outline',
      'aria-label': `${T.edit}: ${c.action}`, onclick: () => editCommitment(c) }, T.edit)) : null));
  $('commitments').replaceChildren(...pending, ...edits, ...rows);
}

// --- controls -----------------------------------------------------------------------------------

for (const button of root.querySelectorAll('[data-timer]')) {
  button.addEventListener('click', () => send('timer', { action: button.dataset.timer, minutes: 5 }));
}
$('turn-select')?.addEventListener('change', (e) => send('turn', { school_id: e.target.value || null }));
$('slide-prev').addEventListener('click', () => moveSlide(-1));
$('slide-next').addEventListener('click', () => moveSlide(1));
$('slide-follow').addEventListener('click', () => { ownSlide = null; renderSlide(); });
$('hand-raise')?.addEventListener('click', () => send('hand', { action: 'raise' }));
$('hand-lower')?.addEventListener('click', () => send('hand', { action: 'lower' }));
$('hands-clear')?.addEventListener('click', () => send('hand', { action: 'clear' }));
$('text-only').addEventListener('change', (e) => {
  textOnly = e.target.checked;
  window.localStorage.setItem('aee-text-only', textOnly ? '1' : '0');
  root.classList.toggle('text-only', textOnly);
  render();
});
root.classList.toggle('text-only', textOnly);
$('text-only').checked = textOnly;

$('contribution-problem')?.addEventListener('change', (e) => {
  problemChosen = e.target.value ? Number(e.target.value) : null;
  $('contribution-error').textContent = '';
});

// A contribution the server refused (e.g. its problem is not of this group) goes back into the
// form as it was typed, to correct and send again.
function fixContribution(item) {
  $('contribution-kind').value = item.payload.kind;
  $('contribution-text').value = item.payload.text;
  problemChosen = item.payload.problem_id || null;
  outbox.discard(item.client_id);
  $('contribution-error').textContent = item.error || '';
  $('contribution-text').focus();
}

$('contribution-form')?.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('contribution-text').value.trim();
  if (!text) return;
  const select = $('contribution-problem');
  const problemId = select && select.value ? Number(select.value) : null;
  if (snap && snap.problems.length && !problemId) {  // what was typed stays in the box
    $('contribution-error').textContent = T.problemRequired;
    select.focus();
    return;
  }
  $('contribution-error').textContent = '';
  outbox.add('contribution_add', { kind: $('contribution-kind').value, text,
    problem_id: problemId, typed_at: serverNow() });
  $('contribution-text').value = '';
});

// A commitment the server refused goes back into the form as it was typed, each error under its field.
function fixCommitment(item) {
  const f = $('commitment-form').elements;
  const p = item.payload;
  setEditing(item.event === 'commitment_edit' ? p.commitment_id : null, p.action);
  f.school_id.value = p.school_id;
  $('commitment-problem').dataset.wanted = p.problem_id ? String(p.problem_id) : '';
  renderCommitmentProblems();
  for (const name of ['classroom', 'action', 'responsible', 'due_date', 'follow_up']) f[name].value = p[name] || '';
  f.needs_external_advice.checked = Boolean(p.needs_external_advice);
  outbox.discard(item.client_id);
  const errors = item.errors || {};
  let placed = false;
  for (const node of $('commitment-form').querySelectorAll('[data-error-for]')) {
    node.textContent = errors[node.dataset.errorFor] || '';
    placed = placed || Boolean(node.textContent);
  }
  $('commitment-error').textContent = placed ? '' : item.error || '';
  const first = Object.keys(errors).find((k) => f[k]);
  (first ? f[first] : f.action).focus();
}

$('commitment-school')?.addEventListener('change', () => renderCommitmentProblems());

// --- editing a commitment until the close (issue 11): its author and whoever facilitates -------------
// "Editar" loads it into the same form ("Guardar cambios" / "Cancelar"); the edit goes through the
// outbox (commitment_edit, stored once by its client id) and a refused one comes back with 'Corregir'.
let editingCommitment = null;  // the id of the commitment the form edits (null: the form adds)

function canEditCommitment(c) {
  return Boolean($('commitment-form')) && !closedAt()
    && (c.created_by_id === snap.me.user_id || snap.me.can_facilitate);
}

function setEditing(id, action) {
  editingCommitment = id;
  const note = $('commitment-editing');
  note.hidden = id === null;
  note.textContent = id === null ? '' : T.editingCommitment.replace('{action}', action || '');
  $('commitment-submit').textContent = id === null ? T.register : T.saveChanges;
  $('commitment-cancel').hidden = id === null;
  $('commitment-school').disabled = id !== null;  // a commitment stays with its school
}

function clearCommitmentForm() {
  const form = $('commitment-form');
  form.reset();
  for (const node of form.querySelectorAll('[data-error-for]')) node.textContent = '';
  $('commitment-error').textContent = '';
  delete $('commitment-school').dataset.filled;
  setEditing(null);
  renderCommitments();
}

function editCommitment(c) {
  const form = $('commitment-form');
  const f = form.elements;
  clearCommitmentForm();
  setEditing(c.id, c.action);
  f.school_id.value = String(c.school_id);
  $('commitment-problem').dataset.wanted = c.problem_id ? String(c.problem_id) : '';
  renderCommitmentProblems();
  for (const name of ['classroom', 'action', 'responsible', 'due_date', 'follow_up']) f[name].value = c[name] || '';
  f.needs_external_advice.checked = Boolean(c.needs_external_advice);
  renderCommitments();
  form.scrollIntoView({ block: 'start' });
  f.action.focus();
}

$('commitment-cancel')?.addEventListener('click', () => clearCommitmentForm());

$('commitment-form')?.addEventListener('submit', (e) => {
  e.preventDefault();
  const f = e.target.elements;
  const fields = {
    school_id: f.school_id.value, action: f.action.value.trim(), responsible: f.responsible.value.trim(),
    due_date: f.due_date.value, follow_up: f.follow_up.value.trim(), classroom: f.classroom.value.trim(),
    problem_id: f.problem_id.value ? Number(f.problem_id.value) : null,
    needs_external_advice: f.needs_external_advice.checked, typed_at: serverNow(),
  };
  if (editingCommitment !== null) outbox.add('commitment_edit', { ...fields, commitment_id: editingCommitment });
  else outbox.add('commitment_add', fields);
  clearCommitmentForm();
});

// --- feature modules ----------------------------------------------------------------------------
// A part of the room in its own module (agreements, the review of commitments, resources…) is
// `setupX(ctx)` returning `{ render() }`, imported above and listed here; it reads the snapshot
// and writes through ctx. A write that adds a row registers its row event and ack with ctx.rows.
const ctx = {
  root, T, $, el, send, outbox, socket, render, serverNow, upsert,
  get snap() { return snap; },
  schoolName, problemTitle, problemSchool, filedUnder, currentActivity, presentedProblem, closedAt,
  lateTag, when, day,
  rows(type, list, writeEvent) {  // a row event, and the write whose ack carries the row
    ROW_EVENTS[type] = list;
    if (writeEvent) ROW_ACKS[writeEvent] = [type, list];
    socket.on(type, onEvent);
  },
};
for (const setup of [setupAgreements, setupResources, setupReview]) features.push(setup(ctx));

render();
