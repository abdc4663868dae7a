"""The assistant's edges: the channels (Telegram bridge, web widget) and the launcher that
starts every process of the assistant."""
