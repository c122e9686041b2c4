// The live room on a phone: the sections of the room as tabs in a bar at the bottom of the screen
// (Presentación, Aportaciones, Acuerdos, Compromisos, Mano), so raising a hand or writing a contribution is
// always one tap away, never below a growing list. On a wider screen every section shows, as before.
// The chosen tab is kept across a reload (per room); a tab that is not shown counts what arrives.
const root = document.getElementById('live-room');
const bar = document.getElementById('room-tabs');
if (root && bar) {
  const key = `aee-room-tab-${root.dataset.groupId}`;
  const buttons = [...bar.querySelectorAll('button[data-tab]')];
  const panels = [...root.querySelectorAll('[data-tab-panel]')];
  const unread = new Map(buttons.map((b) => [b.dataset.tab, 0]));

  function show(tab, { focus = false } = {}) {
    if (!buttons.some((b) => b.dataset.tab === tab)) tab = buttons[0].dataset.tab;
    root.dataset.tab = tab;
    for (const b of buttons) {
      const on = b.dataset.tab === tab;
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
      if (on) unread.set(tab, 0);
      badge(b);
    }
    for (const p of panels) p.classList.toggle('tab-active', p.dataset.tabPanel === tab);
    try { window.localStorage.setItem(key, tab); } catch (e) { /* private mode: not kept */ }
    if (focus) window.scrollTo({ top: 0 });
  }

  function badge(button) {
    const n = unread.get(button.dataset.tab) || 0;
    const node = button.querySelector('.tab-count');
    node.textContent = n ? String(n) : '';
    node.hidden = !n;
  }

  // New rows in a list of a tab not shown: count them on its button, from the first snapshot on
  // (the room writes its version once it has drawn the snapshot: what was there before is not new).
  let drawn = false;
  const version = document.getElementById('version');
  const lists = [['contributions', 'aportaciones'], ['agreements', 'acuerdos'], ['commitments', 'compromisos'],
    ['hands', 'mano']].map(([id, tab]) => [document.getElementById(id), tab]).filter(([list]) => list);
  // the agreements are grouped by kind: their rows are counted inside the groups
  const size = (list) => (list.id === 'agreements' ? list.querySelectorAll('li').length : list.children.length);
  const counts = new Map(lists.map(([list]) => [list, size(list)]));
  new MutationObserver(() => {
    if (!drawn && version.textContent) {
      drawn = true;
      for (const [list] of lists) counts.set(list, size(list));
    }
  }).observe(version, { childList: true, characterData: true, subtree: true });
  for (const [list, tab] of lists) {
    new MutationObserver(() => {
      const now = size(list);
      const before = counts.get(list);
      if (drawn && now > before && root.dataset.tab !== tab && unread.has(tab)) {
        unread.set(tab, unread.get(tab) + (now - before));
        badge(buttons.find((b) => b.dataset.tab === tab));
      }
      if (drawn) counts.set(list, now);
    }).observe(list, { childList: true, subtree: list.id === 'agreements' });
  }

  bar.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-tab]');
    if (button) show(button.dataset.tab, { focus: true });
  });
  let saved = null;
  try { saved = window.localStorage.getItem(key); } catch (e) { saved = null; }
  show(saved || buttons[0].dataset.tab);
}
