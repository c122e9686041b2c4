// Follow a live room without writing in it (the projector view): join over Socket.IO, keep the
// snapshot current with the versioned events, fetch the snapshot again over HTTP on a version gap,
// and keep the server's clock for the countdown. The same protocol as room.js; nothing is sent
// but `join` (which answers with the snapshot).
import { applyPresence, refusalText } from './older.js';

export function followRoom({ namespace, groupId, snapshotUrl, stateEvents, rowEvents, strings, onChange, onStatus }) {
  let snap = null;
  let clockOffset = 0;  // server clock minus this device's clock, in ms
  let resyncing = false;
  const params = new URLSearchParams(window.location.search);
  const transports = params.get('transporte') === 'polling' ? ['polling'] : ['polling', 'websocket'];
  const socket = window.io(namespace, { transports, reconnectionDelayMax: 5000 });

  function setSnapshot(next) {
    snap = next;
    if (next.server_time) clockOffset = Date.parse(next.server_time) - Date.now();
    onChange(snap);
  }

  function join() {
    socket.timeout(10000).emit('join', { group_id: groupId }, (err, ack) => {
      if (err) { setTimeout(() => socket.connected && join(), 2000); return; }
      if (!ack.ok && ack.error === 'demasiados_eventos') {
        setTimeout(() => socket.connected && join(), 1000 * (ack.retry_after || 1));
        return;
      }
      if (!ack.ok) { onStatus(refusalText(ack.error, strings), false); return; }
      onStatus(strings.connected, true);
      setSnapshot(ack.snapshot);
    });
  }

  async function resync() {
    if (resyncing) return;
    resyncing = true;
    try {
      const response = await fetch(snapshotUrl, { credentials: 'same-origin' });
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

  function onEvent(event) {
    if (!snap || event.version <= snap.version) return;
    if (event.version > snap.version + 1) { resync(); return; }
    if (event.type === 'presence') {
      applyPresence(snap.state, event);
    } else if (stateEvents[event.type]) {
      for (const key of stateEvents[event.type]) snap.state[key] = event[key];
    } else if (rowEvents[event.type]) {
      upsert(snap[rowEvents[event.type]], event[event.type]);
    }
    snap.version = event.version;
    if (event.server_time) clockOffset = Date.parse(event.server_time) - Date.now();
    onChange(snap, event);
  }

  socket.on('connect', () => { onStatus(strings.joining, false); join(); });
  socket.on('disconnect', () => onStatus(strings.offline, false));
  socket.on('connect_error', (err) => {
    const refused = err && ['demasiadas_conexiones', 'demasiados_eventos', 'no_autenticado'].includes(err.message);
    onStatus(refused ? refusalText(err.message, strings) : strings.offline, false);
    if (refused && err.message === 'demasiados_eventos') setTimeout(() => socket.connect(), 3000);
  });
  for (const type of [...Object.keys(stateEvents), ...Object.keys(rowEvents)]) socket.on(type, onEvent);
  // events the server sent together (a busy room): in order, as if they had come one by one
  socket.on('events', (batch) => { for (const event of Array.isArray(batch) ? batch : []) onEvent(event); });
  socket.on('session_ended', () => { socket.disconnect(); onStatus(strings.ended, false); });
  window.addEventListener('online', () => { if (!socket.connected) socket.connect(); });

  return {
    socket,
    get snapshot() { return snap; },
    now: () => Date.now() + clockOffset,
  };
}
