// The projector view of a live room (issue 13): the slide being shown, the timer, who presents and
// who has the floor, the session's norms, the reminder and the latest contributions, drawn large for the shared screen. It follows
// the room (live/follow.js) and never writes: no form, no button, nothing sent but `join`.
import { followRoom } from './live/follow.js';
import { renderPdfPage } from './live/pdfview.js';

const root = document.getElementById('projector');
const config = JSON.parse(document.getElementById('projector-config').textContent);
const T = config.strings;
const $ = (id) => document.getElementById(id);

let slideKey = null;  // what the slide box shows now: redrawn only when it changes

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v);
  }
  // replaceChildren/append turn null into the text "null": only real nodes and strings.
  for (const child of children) if (child !== null && child !== undefined && child !== '') node.append(child);
  return node;
}

function setStatus(text, ok) {
  const node = $('pj-connection');
  node.textContent = text;
  node.classList.toggle('ok', ok);
}

const room = followRoom({
  namespace: root.dataset.namespace,
  groupId: Number(root.dataset.groupId),
  snapshotUrl: root.dataset.snapshotUrl,
  stateEvents: config.stateEvents,
  rowEvents: config.rowEvents,
  strings: T,
  onChange: render,
  onStatus: setStatus,
});
window.projector = room;

function render(snap) {
  if (!snap) return;
  const state = snap.state;
  const school = snap.schools.find((s) => s.id === state.turn_school_id);
  $('pj-presenter').textContent = school ? school.name : T.nobody;
  $('pj-floor').textContent = floorName(state) || T.nobody;
  const closed = state.closed_at || snap.encounter.status === 'concluido';
  document.body.classList.toggle('closed', Boolean(closed));
  if (closed) setStatus(T.closed, false);
  tick();
  renderSlide(snap, school);
  renderBoard(snap);
  renderNorms(snap);
  renderReminder(snap);
}

// The session's norms (agreements of kind norma), for the whole session.
function renderNorms(snap) {
  const norms = (snap.agreements || []).filter((a) => a.kind === 'norma');
  $('pj-norms').hidden = !norms.length;
  $('pj-norms-list').replaceChildren(...norms.map((a) => el('li', { 'data-id': a.id }, a.text)));
}

// The facilitator's reminder shows for REMINDER_MS from when it was sent (the server's clock).
const REMINDER_MS = 20000;
let reminderTimer = null;
function renderReminder(snap) {
  const reminder = snap.state.reminder;
  const left = reminder && reminder.at ? Date.parse(reminder.at) + REMINDER_MS - room.now() : 0;
  const node = $('pj-reminder');
  node.hidden = !(left > 0);
  if (left > 0) {
    node.textContent = T.reminder;
    clearTimeout(reminderTimer);
    reminderTimer = setTimeout(() => renderReminder(room.snapshot), left + 50);
  }
}

function floorName(state) {
  if (state.floor_user_id === null || state.floor_user_id === undefined) return '';
  const person = state.online.find((p) => p.user_id === state.floor_user_id)
    || state.hands.find((h) => h.user_id === state.floor_user_id);
  return person ? person.name : '';
}

function clock(seconds) {
  const whole = Math.ceil(Math.abs(seconds));
  return `${seconds < 0 ? '-' : ''}${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

function tick() {
  const snap = room.snapshot;
  if (!snap) return;
  const state = snap.state;
  const activity = snap.agenda[state.agenda_index];
  const timer = state.timer;
  let seconds = Number(timer.remaining);
  if (timer.running && timer.started_at) seconds -= (room.now() - Date.parse(timer.started_at)) / 1000;
  $('pj-timer').textContent = clock(seconds);
  // A turn to speak may carry its own limit (state.floor: started_at, seconds).
  const floor = state.floor;
  const floorNode = $('pj-floor-timer');
  floorNode.hidden = !(floor && floor.started_at && state.floor_user_id !== null && state.floor_user_id !== undefined);
  if (!floorNode.hidden) {
    const left = Number(floor.seconds) - (room.now() - Date.parse(floor.started_at)) / 1000;
    floorNode.textContent = clock(left);
    floorNode.classList.toggle('over', left < 0);
  }
  $('pj-activity-title').textContent = activity ? activity.title : T.noAgenda;
  $('pj-paused').hidden = Boolean(timer.running);
  $('pj-clock').classList.toggle('over', seconds < 0);
  $('pj-clock').classList.toggle('running', Boolean(timer.running));
}
setInterval(tick, 250);

// Shrink a generated slide's text until it fits its box (long bullets), never below half size.
function fit(box) {
  let scale = 1;
  box.style.setProperty('--fit', '1');
  while (box.scrollHeight > box.clientHeight + 1 && scale > 0.5) {
    scale -= 0.05;
    box.style.setProperty('--fit', scale.toFixed(2));
  }
}

function renderSlide(snap, school) {
  const state = snap.state;
  const box = $('pj-slide');
  const counter = $('pj-slide-counter');
  if (!school) {
    const activity = snap.agenda[state.agenda_index];
    const key = `none:${state.agenda_index}`;
    if (key === slideKey) return;
    slideKey = key;
    counter.textContent = '';
    box.className = 'pj-slide-box pj-cover';
    box.replaceChildren(el('h2', {}, activity ? activity.title : T.noAgenda), el('p', {}, T.nobodyPresents));
    fit(box);
    return;
  }
  const deck = school.deck;
  const index = Math.min(Math.max(Number(state.slide) || 0, 0), Math.max(deck.count - 1, 0));
  const slide = deck.slides[index] || deck.slides[0] || { title: '' };
  counter.textContent = T.slideOf.replace('{n}', index + 1).replace('{count}', deck.count);
  const key = `${school.id}:${deck.kind}:${deck.pdf_url}:${index}:${slide.title}:${(slide.bullets || []).join('|')}`;
  if (key === slideKey) return;
  slideKey = key;
  box.dataset.slide = String(index);
  if (deck.kind === 'pdf') {
    box.className = 'pj-slide-box pj-pdf';
    box.replaceChildren(el('p', { class: 'pj-waiting' }, T.loadingPdf));
    renderPdfPage(box, { url: deck.pdf_url, page: index + 1, libUrl: root.dataset.pdfjs,
      workerUrl: root.dataset.pdfjsWorker, wasmUrl: root.dataset.pdfjsWasm })
      .catch(() => {
        if (slideKey !== key) return;
        box.className = 'pj-slide-box';
        box.replaceChildren(el('h2', {}, slide.title || ''), slide.text ? el('p', {}, slide.text) : null);
        fit(box);
      });
    return;
  }
  box.className = 'pj-slide-box';
  box.replaceChildren(
    el('h2', {}, slide.title || ''),
    slide.subtitle ? el('p', { class: 'pj-subtitle' }, slide.subtitle) : null,
    (slide.bullets || []).length ? el('ul', {}, ...slide.bullets.map((b) => el('li', {}, b))) : null,
  );
  fit(box);
}

// The latest contributions, newest first; one the facilitation hid is not projected.
function renderBoard(snap) {
  const rows = snap.contributions.filter((c) => !c.is_hidden && c.text).slice(-config.latest).reverse();
  const list = $('pj-contributions');
  if (!rows.length) {
    list.replaceChildren(el('li', { class: 'pj-empty' }, T.noContributions));
    return;
  }
  // The kind leads the text on its first line: five fit on a 16:9 screen (authors stay in the room).
  list.replaceChildren(...rows.map((c) => el('li', { 'data-id': c.id, class: c.will_try ? 'will-try' : '' },
    el('p', {}, el('span', {}, el('span', { class: 'pj-kind' }, c.kind_label), ' ', c.text)))));
}

window.addEventListener('resize', () => {
  const box = $('pj-slide');
  if (!box.classList.contains('pj-pdf')) fit(box);
});
