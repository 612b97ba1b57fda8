"""Public profiles of participants: what anyone may see of a person, and following them."""
