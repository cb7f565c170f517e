"""Peer help: tracked questions of the help channel (`questions`, `service`), suggestions (`suggest`),
and the scheduled digests (`digest`, `sources`, `periods`, `runs`) posted exactly once through `bot.outbox`."""
