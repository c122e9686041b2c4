// The outbox: every write gets a client-made id and stays in localStorage until the server
// acknowledges it, so what someone types while the connection is down is sent when it returns
// (and a retry is never stored twice: the server keeps one row per id).

export function newId() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') {
    return window.crypto.randomUUID();
  }
  // crypto.randomUUID only exists in secure contexts (https, localhost); a school LAN may serve
  // plain http, so build a version 4 UUID from getRandomValues.
  const b = window.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const RETRY_LATER = new Set(['demasiados_eventos', 'ocupado', 'error_del_servidor', 'sin_unirse']);

export class Outbox {
  constructor(key, { send, onChange, onStored }) {
    this.key = key;
    this.send = send;          // (event, payload, callback(err, ack)) -> void
    this.onChange = onChange;  // () -> void: redraw
    this.onStored = onStored;  // (event, ack) -> void: the server stored it
    this.inFlight = new Set();
    this.items = this.load();
  }

  load() {
    try {
      return JSON.parse(window.localStorage.getItem(this.key) || '[]');
    } catch (e) {
      return [];
    }
  }

  save() {
    try {
      window.localStorage.setItem(this.key, JSON.stringify(this.items));
    } catch (e) { /* storage full or disabled: the item still lives in memory */ }
    this.onChange();
  }

  add(event, payload) {
    const item = { client_id: newId(), event, payload, created_at: new Date().toISOString(), error: null };
    this.items.push(item);
    this.save();
    this.flush();
    return item;
  }

  discard(clientId) {
    this.items = this.items.filter((i) => i.client_id !== clientId);
    this.save();
  }

  pending(event) {
    return this.items.filter((i) => i.event === event);
  }

  flush() {
    for (const item of this.items) {
      if (item.error || this.inFlight.has(item.client_id)) continue;
      this.inFlight.add(item.client_id);
      this.send(item.event, { ...item.payload, client_id: item.client_id }, (err, ack) => {
        this.inFlight.delete(item.client_id);
        if (err || !ack) return; // no answer: it stays here and is sent again
        if (ack.ok) {
          this.items = this.items.filter((i) => i.client_id !== item.client_id);
          this.onStored(item.event, ack);
          this.save();
        } else if (!RETRY_LATER.has(ack.error)) {
          item.error = Object.values(ack.errors || {}).join(' ') || ack.error;
          item.errors = ack.errors || {};  // by field, to show each under its field when corrected
          this.save();
        }
      });
    }
  }
}
