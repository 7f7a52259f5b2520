"""OpenIMR stage: api."""
