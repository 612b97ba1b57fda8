"""The action log: who changed what and when, appended to a hash chain admins can verify."""
