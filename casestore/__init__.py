"""The case store: people, requests, their audit trail, reminders and the outbox."""
