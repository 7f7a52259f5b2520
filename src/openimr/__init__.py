"""OpenIMR: an open engine and service for California workers' compensation Independent Medical Review.

Data flows one way: documents -> facts -> item decisions -> determination -> letter, with the
guideline knowledge base beside it and the case service around it.
"""

__version__ = "0.1.0"
