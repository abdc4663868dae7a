"""What every process reads and sets up alike: settings from the environment, log masking, the
maintainers' question files."""
