"""Minimal Slack MCP server."""
import os

from mcp.server.fastmcp import FastMCP
from slack_sdk import WebClient

mcp = FastMCP("slack-notify")
client = WebClient(token=os.environ["SLACK_BOT_TOKEN"])


@mcp.tool()
def post_message(channel: str, text: str) -> str:
    """Post a message to a channel."""
    return client.chat_postMessage(channel=channel, text=text)["ts"]


if __name__ == "__main__":
    mcp.run()
