"""Views of the activities app, one module per area; every read is scoped, every write is a
model or service call."""
