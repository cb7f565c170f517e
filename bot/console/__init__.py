"""`relais console`: try every command in a terminal, without Mattermost (SQLite, sample data)."""
