"""OpenIMR stage: letters."""
