// The message the encounter's coordination sends to all groups (from the overview page), shown in
// the room as a banner under its title. It listens on the room's own connection (window.liveRoom,
// made by room.js): the message is an 'announcement' event of the group's Socket.IO room.
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

  room.socket.on('announcement', (event) => {
    if (!event || !event.text) return;
    const time = event.server_time ? new Date(event.server_time).toLocaleTimeString('es-MX',
      { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }) : '';
    const label = document.createElement('strong');
    label.textContent = `${script.dataset.label} `;
    const from = document.createElement('small');
    from.textContent = ` · ${event.author_name || ''} · ${time}`;
    banner.replaceChildren(label, event.text, from);
    banner.hidden = false;
  });
}
