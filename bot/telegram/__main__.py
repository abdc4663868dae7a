"""``python -m bot.telegram``: run the Telegram bridge."""

import sys

from bot.telegram.service import main

sys.exit(main())
