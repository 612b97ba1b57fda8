"""Notifications: in the site and by e-mail, from signals, with the unsubscribe links."""
