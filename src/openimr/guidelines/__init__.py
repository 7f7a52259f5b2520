"""OpenIMR stage: guidelines."""
