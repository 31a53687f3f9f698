"""The Slack bot: the same grounded, cited answers as the web chat, in threads."""
