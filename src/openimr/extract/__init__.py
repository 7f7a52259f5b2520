"""OpenIMR stage: extract."""
