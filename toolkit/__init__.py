"""toolkit: entities and claims in news text, with a Jupyter annotation workbench."""
__version__ = "0.1.0"
