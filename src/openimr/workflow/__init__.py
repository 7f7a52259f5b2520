"""OpenIMR stage: workflow."""
