"""MCP server exposing full-text search over a folder of Markdown files."""
import argparse
import os
from pathlib import Path

from mcp.server.fastmcp import FastMCP

from .search import Index

mcp = FastMCP("docs-index")
ROOT = Path(os.environ.get("DOCS_ROOT", "docs")).resolve()
index: Index | None = None


@mcp.tool()
def search_docs(query: str, limit: int = 10) -> list[dict]:
    """Full-text search; returns path, title and a snippet for each hit."""
    assert index is not None
    return index.search(query, limit=limit)


@mcp.tool()
def read_doc(path: str) -> str:
    """Return a document's Markdown, only for files under DOCS_ROOT."""
    target = (ROOT / path).resolve()
    if ROOT not in target.parents:
        raise ValueError("path outside DOCS_ROOT")
    return target.read_text(encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default=".index")
    index = Index.load(parser.parse_args().index)
    mcp.run()
