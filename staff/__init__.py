"""The staff's side of the office: the queue page, its JSON API, sign-in and the command line."""
