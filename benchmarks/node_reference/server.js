// The live room's broadcast, minus the database: join a room (ack), change slide (ack + broadcast
// to the room with a version), add a contribution (ack + broadcast). Loopback only.
const { createServer } = require('http');
const { Server } = require('socket.io');

const port = Number(process.env.PORT || 5100);
const httpServer = createServer();
const io = new Server(httpServer, { maxHttpBufferSize: 64 * 1024 });
const versions = new Map();
const nsp = io.of('/sala');

function bump(room) {
  const v = (versions.get(room) || 0) + 1;
  versions.set(room, v);
  return v;
}

nsp.on('connection', (socket) => {
  socket.on('join', (data, ack) => {
    const room = `grupo:${data.group_id}`;
    socket.join(room);
    ack({ ok: true, snapshot: { version: versions.get(room) || 0 } });
  });
  socket.on('slide', (data, ack) => {
    const room = `grupo:${data.group_id}`;
    const version = bump(room);
    nsp.to(room).emit('slide', { type: 'slide', version, group_id: data.group_id,
      server_time: new Date().toISOString(), slide: data.slide, problem_id: null });
    ack({ ok: true });
  });
  socket.on('contribution_add', (data, ack) => {
    const room = `grupo:${data.group_id}`;
    const version = bump(room);
    const contribution = { id: version, client_id: data.client_id, kind: data.kind, text: data.text };
    nsp.to(room).emit('contribution', { type: 'contribution', version, group_id: data.group_id,
      server_time: new Date().toISOString(), contribution });
    ack({ ok: true, contribution, duplicate: false });
  });
});

httpServer.listen(port, '127.0.0.1', () => console.log(`reference on ${port}`));
