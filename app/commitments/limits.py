"""How long each text of a commitment may be: the services check these, the forms announce them."""

ACTION_MAX = 2000
TEXT_MAX = 2000
CLASSROOM_MAX = 120
RESPONSIBLE_MAX = 200
NOTE_MAX = 5000
