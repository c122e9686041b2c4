// Lecturas y recursos por problemática (issue 11, the session card's product): for each presented
// problem, the practices the platform recommends for it (the snapshot's `resources`, ranked on the
// server and kept to what this reader may open, recognised good practices first) and those the
// group proposed (the room's contributions of kind recurso or propuesta about it, *la probaremos*
// first), which follow the session live as contributions arrive.
const PROPOSAL_KINDS = ['recurso', 'propuesta'];

export function setupResources(ctx) {
  const { $, el, T } = ctx;
  const box = $('room-resources');
  const list = $('resources-list');

  function proposals(problemId) {
    return (ctx.snap.contributions || [])
      .filter((c) => c.problem_id === problemId && PROPOSAL_KINDS.includes(c.kind) && !c.is_hidden && c.text)
      .sort((a, b) => (Number(b.will_try) - Number(a.will_try)) || (a.id - b.id));
  }

  function practice(p) {
    const item = el('li', { 'data-practice-id': p.id }, el('a', { href: p.url }, p.title), ' ',
      el('small', { class: 'muted' }, `(${p.school})`));
    if (p.is_recognised) item.append(' ', el('span', { class: 'badge recognised' }, T.recognised));
    const extra = [
      ...(p.materials || []).map((m) => el('li', {}, el('small', {}, `${m.criterion}: ${m.description}`))),
      ...(p.links || []).map((l) => el('li', {}, el('small', {},
        el('a', { href: l.url, rel: 'noopener noreferrer', target: '_blank' }, l.label)))),
    ];
    if (extra.length) item.append(el('ul', {}, ...extra));
    return item;
  }

  function proposal(c) {
    const author = c.author_school_id ? ctx.schoolName(c.author_school_id) : '';
    return el('li', { 'data-contribution-id': c.id, class: c.will_try ? 'will-try' : '' },
      el('em', {}, c.kind_label), ': ', c.text,
      author ? el('small', { class: 'muted' }, ` (${author})`) : null,
      c.will_try ? el('span', { class: 'badge' }, ` ${T.weWillTry}`) : null);
  }

  function section(r, current) {
    const school = ctx.schoolName(r.school_id);
    const recommended = r.recommended || [];
    const proposed = proposals(r.problem_id);
    return el('section', { class: `problem-resources${current ? ' current' : ''}`, 'data-problem-id': r.problem_id },
      el('h2', {}, r.title, school ? el('small', { class: 'muted' }, ` · ${school}`) : null,
        current ? el('span', { class: 'badge' }, ` ${T.presentedNow}`) : null),
      el('h3', {}, T.recommended),
      recommended.length ? el('ul', { class: 'recommended' }, ...recommended.map(practice))
        : el('p', { class: 'muted' }, el('small', {}, T.noRecommended)),
      el('h3', {}, T.proposed),
      proposed.length ? el('ul', { class: 'proposed' }, ...proposed.map(proposal))
        : el('p', { class: 'muted' }, el('small', {}, T.noProposed)));
  }

  function render() {
    if (!box || !ctx.snap) return;
    const sections = ctx.snap.resources || [];
    box.hidden = !sections.length;
    const current = ctx.snap.state.problem_id || null;
    const ordered = [...sections].sort((a, b) => Number(b.problem_id === current) - Number(a.problem_id === current));
    list.replaceChildren(...ordered.map((r) => section(r, r.problem_id === current && ctx.snap.state.turn_school_id)));
  }

  return { render };
}
