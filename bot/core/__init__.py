"""Platform-neutral pieces shared by Mattermost and the console: replies, contexts, registry."""
