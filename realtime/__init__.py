"""Socket.IO live session rooms (namespaces, connection auth, rooms, events, publish-after-commit).

The live rooms are built by the live-session issue; this package holds them so that the app's other
areas never import Socket.IO handlers directly.
"""
