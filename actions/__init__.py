"""Rasa SDK custom actions: thin glue between the dialogue, `knowledge/` and the case store.

The action server imports every module of this package, so no module does I/O
at import time: database engines are made on first use.
"""

from config.log_masking import install_log_masking

# Passport numbers and other identifiers never reach the action server's logs.
install_log_masking()
