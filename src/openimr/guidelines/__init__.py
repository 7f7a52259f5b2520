"""The guideline knowledge base, the evidence hierarchy and the request classifier."""

from openimr.guidelines.knowledge_base import KnowledgeBase, default_knowledge_base, load_knowledge_base

__all__ = ["KnowledgeBase", "default_knowledge_base", "load_knowledge_base"]
