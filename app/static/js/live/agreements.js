// The session's agreements in the room (issue 11), by the card's activity: the norms (activity 1,
// pinned at the top of the room on every tab), what the group will try and the classroom experience
// to observe next time (activity 3), the needs for outside advice (activity 4: topic, school(s),
// problem). Written through the outbox (`agreement_add`, kept offline and sent on reconnect); a
// refused one goes back into the form with each Spanish error under its field ('Corregir').
// A contribution marked «la probaremos» turns, in one tap, into a prefilled commitment. The
// facilitator's «Volvamos a la problemática» (`reminder`) shows to everyone for REMINDER_MS.

const KIND_ORDER = ['norma', 'probaremos', 'observacion', 'asesoria', 'acuerdo'];
const ACTIVITY_KIND = { 1: 'norma', 3: 'probaremos', 4: 'asesoria' };
const FIELDS = ['kind', 'topic', 'school_ids', 'problem_id', 'classroom', 'text', 'contribution_id'];
export const REMINDER_MS = 20000;

export function setupAgreements(ctx) {
  const { $, el, T, outbox } = ctx;
  const form = $('agreement-form');
  let kindTouched = false;   // the person chose a kind: the activity no longer suggests one
  let lastActivity;
  let reminderTimer = null;

  ctx.rows('agreement', 'agreements', 'agreement_add');

  function agreements() {
    return ctx.snap.agreements || [];
  }

  function schoolsText(ids) {
    return (ids || []).map((id) => ctx.schoolName(id)).filter(Boolean).join(', ');
  }

  // --- pinned norms and the reminder ------------------------------------------------------------
  function renderNorms() {
    const norms = agreements().filter((a) => a.kind === 'norma');
    $('norms-pinned').hidden = !norms.length;
    $('norms-list').replaceChildren(...norms.map((a) => el('li', { 'data-id': a.id }, a.text)));
  }

  function renderReminder() {
    const reminder = ctx.snap.state.reminder;
    const banner = $('reminder-banner');
    const left = reminder && reminder.at ? Date.parse(reminder.at) + REMINDER_MS - Date.parse(ctx.serverNow()) : 0;
    banner.hidden = !(left > 0);
    if (left > 0) {
      banner.textContent = `${T.reminder}${reminder.by ? ` (${T.reminderBy.replace('{name}', reminder.by)})` : ''}`;
      clearTimeout(reminderTimer);
      reminderTimer = setTimeout(renderReminder, left + 50);
    }
  }

  // --- the form ---------------------------------------------------------------------------------
  function kindNow() {
    return form ? form.elements.kind.value : 'acuerdo';
  }

  function showFields() {
    const kind = kindNow();
    for (const node of form.querySelectorAll('[data-kinds]')) node.hidden = !node.dataset.kinds.split(' ').includes(kind);
    $('agreement-kind-hint').textContent = T.agreementHints[kind] || '';
    $('agreement-text-label').textContent = T.agreementTextLabels[kind] || T.agreementTextLabels.acuerdo;
  }

  function fillChoices() {
    const box = $('agreement-schools');
    const key = ctx.snap.schools.map((s) => `${s.id}:${s.name}`).join('|');
    if (box.dataset.key !== key) {
      box.replaceChildren(...ctx.snap.schools.map((s) => el('label', { for: `agreement-school-${s.id}` },
        el('input', { type: 'checkbox', id: `agreement-school-${s.id}`, name: 'school_ids', value: s.id }), s.name)));
      box.dataset.key = key;
    }
    const select = $('agreement-problem');
    const problemsKey = ctx.snap.problems.map((p) => `${p.id}:${p.title}`).join('|');
    if (select.dataset.key !== problemsKey) {
      const kept = select.value;
      const groups = ctx.snap.schools.map((s) => {
        const problems = ctx.snap.problems.filter((p) => p.school_id === s.id);
        return problems.length ? el('optgroup', { label: s.name },
          ...problems.map((p) => el('option', { value: p.id }, p.title))) : null;
      }).filter(Boolean);
      select.replaceChildren(el('option', { value: '' }, T.noSchoolProblem), ...groups);
      select.value = kept;
      select.dataset.key = problemsKey;
    }
    const activity = ctx.currentActivity();
    if (activity !== lastActivity) {
      lastActivity = activity;
      if (!kindTouched && ACTIVITY_KIND[activity]) form.elements.kind.value = ACTIVITY_KIND[activity];
    }
    showFields();
  }

  function clearErrors() {
    for (const node of form.querySelectorAll('[data-error-for]')) node.textContent = '';
    $('agreement-error').textContent = '';
  }

  function payloadFromForm() {
    const f = form.elements;
    const kind = f.kind.value;
    const visible = (name) => {
      const holder = form.querySelector(`[name="${name}"]`)?.closest('[data-kinds]');
      return !holder || !holder.hidden;
    };
    return {
      kind,
      text: f.text.value.trim(),
      topic: visible('topic') ? f.topic.value.trim() : '',
      classroom: visible('classroom') ? f.classroom.value.trim() : '',
      problem_id: visible('problem_id') && f.problem_id.value ? Number(f.problem_id.value) : null,
      school_ids: visible('school_ids')
        ? [...form.querySelectorAll('input[name="school_ids"]:checked')].map((i) => Number(i.value)) : [],
      typed_at: ctx.serverNow(),
    };
  }

  function send(payload) {
    outbox.add('agreement_add', payload);
  }

  // A refused agreement: what was typed goes back into the form, each error under its field.
  function fix(item) {
    const p = item.payload;
    const f = form.elements;
    f.kind.value = p.kind || 'acuerdo';
    kindTouched = true;
    showFields();
    f.text.value = p.text || '';
    f.topic.value = p.topic || '';
    f.classroom.value = p.classroom || '';
    f.problem_id.value = p.problem_id ? String(p.problem_id) : '';
    for (const box of form.querySelectorAll('input[name="school_ids"]')) {
      box.checked = (p.school_ids || []).includes(Number(box.value));
    }
    outbox.discard(item.client_id);
    const errors = item.errors || {};
    let placed = false;
    for (const node of form.querySelectorAll('[data-error-for]')) {
      node.textContent = errors[node.dataset.errorFor] || '';
      placed = placed || Boolean(node.textContent);
    }
    $('agreement-error').textContent = placed ? '' : item.error || '';
    const first = FIELDS.find((k) => errors[k] && form.querySelector(`[name="${k}"]`));
    (first ? form.querySelector(`[name="${first}"]`) : f.text).focus();
  }

  if (form) {
    form.elements.kind.addEventListener('change', () => { kindTouched = true; showFields(); });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearErrors();
      const payload = payloadFromForm();
      if (!payload.text) {  // what was typed stays; nothing is sent
        form.querySelector('[data-error-for="text"]').textContent = T.agreementRequired;
        form.elements.text.focus();
        return;
      }
      send(payload);
      const kind = payload.kind;
      form.reset();
      form.elements.kind.value = kind;  // the next one is likely of the same kind
      showFields();
    });
  }

  // --- «la probaremos» → a commitment or an agreement, in one tap --------------------------------
  function problemOf(c) {
    return ctx.snap.problems.find((p) => p.id === c.problem_id) || null;
  }

  function toCommitment(c) {
    const commitment = $('commitment-form');
    if (!commitment) return;
    const problem = problemOf(c);
    const schoolId = problem ? problem.school_id : c.presenting_school_id;
    const tab = document.querySelector('#room-tabs button[data-tab="compromisos"]');
    if (tab && tab.offsetParent !== null) tab.click();
    const school = $('commitment-school');
    if (schoolId && [...school.options].some((o) => o.value === String(schoolId))) school.value = String(schoolId);
    $('commitment-problem').dataset.wanted = problem ? String(problem.id) : '';
    school.dispatchEvent(new Event('change'));
    commitment.elements.action.value = c.text || '';
    for (const node of commitment.querySelectorAll('[data-error-for]')) node.textContent = '';
    $('commitment-error').textContent = T.commitmentPrefilled;
    const classroom = commitment.elements.classroom;
    classroom.scrollIntoView({ block: 'center' });
    classroom.focus();
  }

  function renderWillTry() {
    const decided = new Set(agreements().filter((a) => a.contribution_id).map((a) => a.contribution_id));
    const rows = ctx.snap.contributions.filter((c) => c.will_try && !c.is_hidden);
    $('will-try-panel').hidden = !rows.length;
    const canWrite = ctx.snap.me.can_participate && !ctx.closedAt();
    $('will-try-list').replaceChildren(...rows.map((c) => el('li', { class: 'will-try', 'data-id': c.id },
      el('p', { class: 'filed' }, ctx.filedUnder(c.problem_id)), el('p', {}, c.text),
      canWrite ? el('div', { class: 'row-actions' },
        el('button', { type: 'button', onclick: () => toCommitment(c) }, T.toCommitment),
        decided.has(c.id) ? el('small', {}, `✓ ${T.agreementKinds.probaremos}`)
          : el('button', { type: 'button', class: 'outline', onclick: () => send({ kind: 'probaremos',
            text: c.text, contribution_id: c.id, problem_id: c.problem_id, typed_at: ctx.serverNow() }) }, T.recordToTry))
        : null)));
  }

  // The same tap on the board: each «la probaremos» row of the contributions gets the button too
  // (the board is drawn again before every feature's render, so this is added once per drawing).
  function boardButtons() {
    if (!ctx.snap.me.can_participate || ctx.closedAt() || !$('commitment-form')) return;
    for (const row of document.querySelectorAll('#contributions li.will-try[data-id]')) {
      const c = ctx.snap.contributions.find((x) => x.id === Number(row.dataset.id));
      if (!c || c.is_hidden || row.querySelector('.to-commitment')) continue;
      let actions = row.querySelector('.row-actions');
      if (!actions) { actions = el('div', { class: 'row-actions' }); row.append(actions); }
      actions.append(el('button', { type: 'button', class: 'to-commitment', onclick: () => toCommitment(c) }, T.toCommitment));
    }
  }

  // --- the list, grouped by kind ----------------------------------------------------------------
  function details(a) {
    const bits = [];
    if (a.topic) bits.push(`${T.topic}: ${a.topic}`);
    const schools = schoolsText(a.school_ids);
    if (schools) bits.push(`${T.schools}: ${schools}`);
    if (a.classroom) bits.push(`${T.classroom}: ${a.classroom}`);
    return bits.length ? el('small', {}, bits.join(' · ')) : null;
  }

  function renderList() {
    const stored = new Set(agreements().map((a) => a.client_id));
    const pending = outbox.pending('agreement_add').filter((item) => !stored.has(item.client_id));
    const sections = KIND_ORDER.map((kind) => {
      const mine = pending.filter((item) => item.payload.kind === kind).map((item) => el('li',
        { class: 'pending', 'data-client-id': item.client_id },
        el('span', { class: 'pending-tag' }, item.error ? `${T.notSent}: ${item.error}` : T.pending),
        el('p', {}, item.payload.text),
        item.error ? el('div', { class: 'row-actions' },
          el('button', { type: 'button', onclick: () => fix(item) }, T.fix),
          el('button', { type: 'button', class: 'outline', style: 'width:auto', onclick: () => outbox.discard(item.client_id) }, T.discard)) : null));
      const rows = agreements().filter((a) => a.kind === kind).map((a) => el('li',
        { 'data-id': a.id, 'data-client-id': a.client_id },
        a.problem_id ? el('p', { class: 'filed' }, ctx.filedUnder(a.problem_id)) : null,
        el('p', {}, a.text), details(a), ctx.lateTag(a)));
      if (!mine.length && !rows.length) return null;
      return el('section', { class: 'agreement-kind', 'data-kind': kind },
        el('h3', {}, T.agreementKinds[kind] || kind), el('ul', { class: 'board' }, ...mine, ...rows));
    }).filter(Boolean);
    $('agreements').replaceChildren(...(sections.length ? sections : [el('p', { class: 'muted' }, T.noAgreements)]));
  }

  $('reminder-send')?.addEventListener('click', () => ctx.send('reminder', {}));

  return {
    render() {
      renderNorms();
      renderReminder();
      if (form) fillChoices();
      renderWillTry();
      boardButtons();
      renderList();
    },
  };
}
