"""Public statistics of processes and of the platform, and participation charts for admins."""
