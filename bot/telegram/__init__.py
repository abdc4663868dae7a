"""The Telegram bridge: Telegram chats talk to the Rasa server, the outbox reaches them back.

Run it with ``python -m bot.telegram`` (``make run`` does when TELEGRAM_BOT_TOKEN is set);
see docs/channels.md.
"""
