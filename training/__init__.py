"""The model: trained when missing or stale, retrained and swapped in when a maintainer saves a
change."""
