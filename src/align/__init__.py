"""align: Chinese-English sentence alignment and MT quality checking.

Pipeline: documents (read, clean, normalise) -> sentences -> vectors -> alignment
-> scores and flags -> report. Importing the package loads no model.
"""
from align.types import Document, Removal, Sentence, Span

__version__ = "0.1.0"
__all__ = ["Document", "Removal", "Sentence", "Span", "__version__"]
