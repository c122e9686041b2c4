// Older contributions, page by page: the snapshot carries only the latest ones and a cursor
// (`contributions_before`, the id below which older ones exist); "Ver aportaciones anteriores"
// asks the server for the page just before it over the same socket, authorised like any event.

export function setupOlder({ button, socket, groupId, getSnapshot, upsert, render, strings }) {
  let loading = false;

  function show() {
    const snap = getSnapshot();
    button.hidden = !snap || snap.contributions_before === null || snap.contributions_before === undefined;
    button.disabled = loading;
    button.textContent = loading ? strings.loadingOlder : strings.olderContributions;
  }

  button.addEventListener('click', () => {
    const snap = getSnapshot();
    if (!snap || loading || snap.contributions_before === null) return;
    loading = true;
    show();
    const asked = snap;
    socket.timeout(10000).emit('contributions_before', { group_id: groupId, before: snap.contributions_before }, (err, ack) => {
      loading = false;
      const current = getSnapshot();
      if (!err && ack && ack.ok && current === asked) {  // a resync in between starts over
        for (const row of ack.contributions) upsert(current.contributions, row);
        current.contributions_before = ack.before;
        render();
      } else if (!err && ack && !ack.ok && ack.error === 'demasiados_eventos') {
        window.alert(strings.tooFast);
      }
      show();
    });
  });

  return show;
}

// What a refused connection or event means, in the person's words.
export function refusalText(code, strings) {
  if (code === 'demasiadas_conexiones') return strings.tooManyConnections;
  if (code === 'demasiados_eventos') return strings.tooFast;
  if (code === 'no_autenticado') return strings.ended;
  return strings.refused;
}

// A presence event carries who joined (their entry in `online`) or who left (their user id), not
// the whole list (app/live/events.py, apply_presence): `state` after it.
export function applyPresence(state, event) {
  const gone = new Set([event.left, event.joined && event.joined.user_id].filter((v) => v !== null && v !== undefined));
  const people = (state.online || []).filter((p) => !gone.has(p.user_id));
  if (event.joined) people.push(event.joined);
  people.sort((a, b) => a.user_id - b.user_id);
  state.online = people;
  state.present_school_ids = event.present_school_ids;
}
