"""The channels people write in: the Telegram bridge and the web chat page and widget, with the
outbox rounds that push the office's messages to both."""
