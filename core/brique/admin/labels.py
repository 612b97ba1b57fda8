"""Words the administration shows for stored codes."""

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "admin": _l("Process administrator"),
    "moderator": _l("Moderator"),
    "valuator": _l("Valuator"),
    "member": _l("Member"),
}
