// The message the encounter's coordination sends to all groups (from the overview page), shown in
// the room as a banner under its title. It arrives on the room's own connection (window.liveRoom,
// made by room.js) as an 'announcement' event; the last one is also kept by the server and asked for
// when the page opens and whenever the connection comes back (a phone that dropped out meanwhile).
const script = document.getElementById('announcement-script');
const root = document.getElementById('live-room');
const room = window.liveRoom;

if (script && root && room) {
  const banner = document.createElement('p');
  banner.id = 'announcement-banner';
  banner.setAttribute('role', 'status');
  banner.setAttribute('aria-live', 'polite');
  banner.hidden = true;
  Object.assign(banner.style, {
    borderLeft: '.4rem solid #1d4f91', background: '#eef3fb', color: '#1b2a3a', padding: '.6rem .9rem',
  });
  (root.querySelector('hgroup') || root.firstElementChild).after(banner);
  let shownAt = '';

  const show = (message) => {
    if (!message || !message.text || (message.server_time || '') < shownAt) return;
    shownAt = message.server_time || '';
    const time = message.server_time ? new Date(message.server_time).toLocaleTimeString('es-MX',
      { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }) : '';
    const label = document.createElement('strong');
    label.textContent = `${script.dataset.label} `;
    const from = document.createElement('small');
    from.textContent = ` · ${message.author_name || ''} · ${time}`;
    banner.replaceChildren(label, message.text, from);
    banner.hidden = false;
  };

  const fetchLatest = () => {
    const url = `${window.location.pathname.replace(/\/+$/, '')}/aviso.json`;
    fetch(url, { credentials: 'same-origin' })
      .then((response) => (response.ok ? response.json() : null))
      .then((body) => body && show(body.announcement))
      .catch(() => {});
  };

  room.socket.on('announcement', show);
  room.socket.on('connect', fetchLatest);
  if (room.socket.connected) fetchLatest();
}
