"""The `openimr` command line. Each stage registers its own commands from its own module."""
