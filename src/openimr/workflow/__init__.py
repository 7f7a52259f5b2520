"""OpenIMR stage: workflow — the IMR case service (lifecycle, eligibility, clock, reviewer matching,
draft and sign-off, redacted publication) over a SQLAlchemy database. See `openimr.workflow.service`."""
