"""Document-expiry reminders: what is scheduled when (`schedule`), and the worker that sends them
(`python -m reminders.worker`)."""
