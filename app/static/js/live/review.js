// The review of the previous commitments (activity 0 of the next encounter, issue 11): each school's
// commitments from earlier encounters still to be followed, with their status, deadline, problem,
// classroom and progress notes (evidence links), and — for the responsible school's people and
// whoever facilitates — Cumplido / En curso / No cumplido with a note, sent through the outbox
// (`commitment_review`, stored once by its client id) and seen live by everyone (`review` rows).
// While the agenda is on activity 0 the panel sits in the main column (the first tab on a phone);
// afterwards it stays reachable above the room's commitments (the Compromisos tab).

const STATUSES = ['cumplido', 'en_curso', 'no_cumplido'];

export function setupReview(ctx) {
  const { $, el, T, outbox } = ctx;
  const panel = $('review-panel');
  const list = $('review-list');
  const drafts = new Map();   // commitment id -> the note being typed (kept across redraws)
  const errors = new Map();   // commitment id -> { field: message } shown under the fields
  const opened = new Set();   // commitment ids whose progress notes are unfolded (kept across redraws)
  let drawn = '';

  ctx.rows('review', 'previous_commitments', 'commitment_review');

  const statusText = { cumplido: T.statusDone, en_curso: T.statusOngoing, no_cumplido: T.statusNotDone };

  function canReview(c) {
    const me = ctx.snap.me;
    return !ctx.closedAt() && (me.can_facilitate || (me.can_participate && me.school_id === c.school_id));
  }

  function send(c, status) {
    const note = (drafts.get(c.id) || '').trim();
    if (status === 'no_cumplido' && !note) {  // what was typed stays; the error goes under the field
      errors.set(c.id, { note: T.reviewNoteRequired });
      drawn = '';
      render();
      const box = $(`review-note-${c.id}`);
      if (box) box.focus();
      return;
    }
    errors.delete(c.id);
    drafts.delete(c.id);
    outbox.add('commitment_review', { commitment_id: c.id, status, note, typed_at: ctx.serverNow() });
  }

  function fix(item) {  // a refused status: its note back in the box, each error under its field
    drafts.set(item.payload.commitment_id, item.payload.note || '');
    errors.set(item.payload.commitment_id, item.errors && Object.keys(item.errors).length
      ? item.errors : { _: item.error });
    outbox.discard(item.client_id);
  }

  // A commitment's page and evidence files are served to who may see the school's commitments (its
  // people, its supervisor and advisors): links for the school's people and whoever facilitates,
  // the file's name for the other schools.
  function mayOpen(c) {
    const me = ctx.snap.me;
    return me.school_id === c.school_id || me.can_facilitate;
  }

  function evidence(c, n) {
    if (!n.evidence_url) return null;
    const label = `${T.evidence}: ${n.evidence_name || ''}`;
    return el('p', {}, mayOpen(c) ? el('a', { href: n.evidence_url, target: '_blank', rel: 'noopener' }, label) : label);
  }

  function noteItem(c, n) {
    return el('li', {},
      el('small', {}, `${ctx.when(n.created_at)}${n.author_name ? ` · ${n.author_name}` : ''}`),
      n.status_label ? el('span', { class: `status-badge status-${n.status_after}` }, n.status_label) : null,
      el('p', {}, n.body),
      evidence(c, n));
  }

  function pendingOf(c) {
    return outbox.pending('commitment_review').filter((item) => item.payload.commitment_id === c.id)
      .map((item) => el('p', { class: 'pending', 'data-client-id': item.client_id },
        el('span', { class: 'pending-tag' }, item.error ? `${T.notSent}: ${item.error}` : T.pending),
        ` ${statusText[item.payload.status] || item.payload.status}${item.payload.note ? ` — ${item.payload.note}` : ''}`,
        item.error ? el('span', { class: 'row-actions' }, ' ',
          el('button', { type: 'button', onclick: () => fix(item) }, T.fix),
          el('button', { type: 'button', class: 'outline', onclick: () => outbox.discard(item.client_id) }, T.discard)) : null));
  }

  function controls(c) {
    const err = errors.get(c.id) || {};
    const noteId = `review-note-${c.id}`;
    return el('div', { class: 'review-controls' },
      el('label', { for: noteId }, T.reviewNote),
      el('textarea', { id: noteId, rows: 2, maxlength: 5000, 'aria-describedby': `${noteId}-error`,
        'aria-invalid': err.note ? 'true' : null,
        oninput: (e) => { drafts.set(c.id, e.target.value); } }, drafts.get(c.id) || ''),
      el('small', { class: 'error', id: `${noteId}-error` }, err.note || err.status || err._ || err.commitment_id || ''),
      el('div', { class: 'row-actions review-buttons', role: 'group', 'aria-label': T.markAs },
        ...STATUSES.map((s) => el('button', { type: 'button', class: s === c.status ? '' : 'outline',
          'aria-pressed': s === c.status ? 'true' : 'false', 'data-status': s,
          onclick: () => send(c, s) }, statusText[s]))));
  }

  function item(c) {
    const facts = [`${T.due}: ${ctx.day(c.due_date)}`];
    if (c.classroom) facts.unshift(`${T.classroom}: ${c.classroom}`);
    if (c.responsible) facts.push(`${T.responsible}: ${c.responsible}`);
    return el('li', { 'data-id': c.id, 'data-status': c.status },
      el('span', { class: `status-badge status-${c.status}` }, c.status_label),
      el('p', {}, el('strong', {}, c.action)),
      c.problem_title ? el('p', { class: 'filed' }, `${T.about} ${c.problem_title}`) : null,
      el('small', {}, facts.join(' · ')),
      el('p', {}, el('small', {}, `${T.fromEncounter} «${c.encounter_title || ''}» (${ctx.day(c.encounter_date)})`),
        mayOpen(c) ? ' · ' : null, mayOpen(c) ? el('a', { href: c.url }, T.seeCommitment) : null),
      c.notes.length ? el('details', { open: opened.has(c.id) ? '' : null,
        ontoggle: (e) => { if (e.target.open) opened.add(c.id); else opened.delete(c.id); } },
      el('summary', {}, `${T.progress} (${c.notes.length})`),
        el('ol', { class: 'review-notes' }, ...c.notes.map((n) => noteItem(c, n)))) : null,
      ...pendingOf(c),
      canReview(c) ? controls(c) : null);
  }

  function place(now) {
    // activity 0 on: in the main column, shown in the first tab on a phone; afterwards above the
    // room's commitments, in the Compromisos tab
    const tab = now ? 'presentacion' : 'compromisos';
    if (now && panel.previousElementSibling !== $('agenda-panel')) $('agenda-panel').after(panel);
    if (!now && panel.nextElementSibling !== $('commitments-panel')) $('commitments-panel').before(panel);
    panel.dataset.tabPanel = tab;
    panel.classList.toggle('review-now', now);
    if (ctx.root.dataset.tab) panel.classList.toggle('tab-active', ctx.root.dataset.tab === tab);
  }

  function render() {
    const snap = ctx.snap;
    const rows = snap.previous_commitments || [];
    const now = ctx.currentActivity() === 0;
    panel.hidden = !rows.length && !now;
    place(now);
    const pending = outbox.pending('commitment_review');
    const key = JSON.stringify([rows, pending, [...errors], Boolean(ctx.closedAt()), snap.me]);
    if (key === drawn) return;
    drawn = key;
    // keep the focus (and the caret) of a note being typed across the redraw
    const active = document.activeElement;
    const focusId = active && list.contains(active) ? active.id : null;
    const caret = focusId && active.selectionStart !== undefined ? [active.selectionStart, active.selectionEnd] : null;
    if (!rows.length) {
      list.replaceChildren(el('p', { class: 'muted' }, T.noPrevious));
      return;
    }
    const sections = snap.schools.map((s) => {
      const own = rows.filter((c) => c.school_id === s.id);
      return el('section', { 'data-school-id': s.id },
        el('h3', {}, s.name),
        own.length ? el('ul', { class: 'board review-list' }, ...own.map(item))
          : el('p', { class: 'muted' }, T.noPreviousSchool));
    });
    list.replaceChildren(...sections);
    if (focusId && $(focusId)) {
      const node = $(focusId);
      node.focus();
      if (caret && node.setSelectionRange) node.setSelectionRange(...caret);
    }
  }

  return { render };
}
