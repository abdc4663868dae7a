"""The web chat: a page with the vendored rasa-webchat widget on Rasa's socket.io channel.

Run it with ``python -m bot.web`` (``make run`` does); see docs/channels.md.
"""
