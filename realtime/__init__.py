"""Socket.IO transport of the live rooms: the namespace, connection auth, rooms, rate limit, publish.

Transport only. The room's rules, state and event builders are the app.live area, which this
package imports (its handlers call app.live.services); app.live never imports realtime. Events
come back the other way by signal: app.live sends ``app.signals.room_event`` and realtime.publish
emits it after the commit; ``app.signals.sessions_ended`` (sent by app.auth) ends a person's
connections (realtime.auth). The app factory attaches the namespace (realtime.namespaces.register).
"""
