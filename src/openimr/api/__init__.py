"""OpenIMR stage: api (the FastAPI case service; see `openimr.api.app.create_app`)."""
