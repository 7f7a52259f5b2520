"""OpenIMR stage: engine."""
