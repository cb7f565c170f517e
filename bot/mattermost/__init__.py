"""Mattermost transport: REST/WebSocket through mattermostautodriver, and the bot's HTTP endpoints."""
