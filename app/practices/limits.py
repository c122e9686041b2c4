"""How long each text of a practice may be: the services check these, the forms announce them."""

TITLE_MAX = 200
TEXT_MAX = 20_000
RESOURCE_MAX = 500
URL_MAX = 1000
LABEL_MAX = 200
NOTES_MAX = 5000
CAPTION_MAX = 300
